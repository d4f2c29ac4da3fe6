package gsl

import (
	"math/bits"
	"math/rand/v2"
	"unicode"
	"unicode/utf8"
)

// A like pattern (gsl-spec.md §7.21) is matched without a regular
// expression: RE2's automaton costs the pattern's length for every
// character of the value, so a 30 KB pattern against a 1 MB value ran for
// minutes. The pattern is cut at each % into segments of fixed length; the
// first must match the value's start, the last its end, and each one
// between is found at its leftmost place after the one before (taking the
// leftmost place never loses a match that a later place would give). A
// segment without _ is found with a rolling hash (Rabin-Karp), in time
// linear in the value; one with _ by a bit-parallel automaton (shift-and),
// in time linear in the value times the segment's length / 64. Characters
// compare by Unicode simple case folding, as (?i) and strings.EqualFold do;
// a byte that is not UTF-8 is one character, U+FFFD, as for regexp.

// anyRune stands for _ in a segment.
const anyRune rune = -1

// likeMatcher is a compiled like pattern.
type likeMatcher struct {
	// segments are the parts of the pattern between its % wildcards,
	// case-folded, with anyRune for each _; a pattern without % has one.
	segments []likeSegment
}

// likeSegment is one part of a pattern between % wildcards.
type likeSegment struct {
	runes []rune
	// wild is set when the segment has a _.
	wild bool
	// hash and pow are the segment's rolling hash and likeBase to the
	// power len(runes)-1, for a segment without _.
	hash, pow uint64
	// shiftAnd is set for a segment with _.
	shiftAnd *shiftAnd
}

// compileLike compiles a like pattern: % any run of characters, _ exactly
// one, \% and \_ a literal % and _; any other \ is itself.
func compileLike(p string) *likeMatcher {
	m := &likeMatcher{}
	var cur []rune
	wild := false
	end := func() {
		m.segments = append(m.segments, newLikeSegment(cur, wild))
		cur, wild = nil, false
	}
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		switch {
		case r == '\\' && i+1 < len(p) && (p[i+1] == '%' || p[i+1] == '_'):
			cur = append(cur, rune(p[i+1]))
			size = 2
		case r == '%':
			end()
		case r == '_':
			cur, wild = append(cur, anyRune), true
		default:
			cur = append(cur, foldRune(r))
		}
		i += size
	}
	end()
	return m
}

func newLikeSegment(runes []rune, wild bool) likeSegment {
	s := likeSegment{runes: runes, wild: wild}
	if wild {
		s.shiftAnd = newShiftAnd(runes)
		return s
	}
	s.pow = 1
	for i, r := range runes {
		s.hash = hashAdd(s.hash, r)
		if i > 0 {
			s.pow = mulMod(s.pow, likeBase)
		}
	}
	return s
}

// foldRune maps r to the smallest rune of its simple case-folding orbit,
// so that runes that match case-insensitively map to the same rune.
func foldRune(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		// 'K' and 'S' are below the other runes of their orbits (the
		// Kelvin sign, the long s).
		return r - 'a' + 'A'
	case r < utf8.RuneSelf:
		return r
	}
	min := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < min {
			min = f
		}
	}
	return min
}

// decodeFolded returns the folded rune at the start of s and its size.
func decodeFolded(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		return rune(c), 1
	}
	r, size := utf8.DecodeRuneInString(s)
	return foldRune(r), size
}

// MatchString reports whether the whole of s matches the pattern.
func (m *likeMatcher) MatchString(s string) bool {
	first := m.segments[0]
	if len(m.segments) == 1 {
		n, ok := first.matchAt(s)
		return ok && n == len(s)
	}
	start, ok := first.matchAt(s)
	if !ok {
		return false
	}
	last := m.segments[len(m.segments)-1]
	end, ok := last.matchEnd(s[start:])
	if !ok {
		return false
	}
	end += start
	for _, seg := range m.segments[1 : len(m.segments)-1] {
		n, ok := seg.find(s[start:end])
		if !ok {
			return false
		}
		start += n
	}
	return true
}

// matchAt reports whether the segment matches the start of s, and the
// length in bytes of the text it matches.
func (seg *likeSegment) matchAt(s string) (int, bool) {
	i := 0
	for _, want := range seg.runes {
		if i == len(s) {
			return 0, false
		}
		r, size := decodeFolded(s[i:])
		if want != anyRune && want != r {
			return 0, false
		}
		i += size
	}
	return i, true
}

// matchEnd reports whether the segment matches the end of s, and where in s
// the text it matches starts.
func (seg *likeSegment) matchEnd(s string) (int, bool) {
	i := len(s)
	for k := len(seg.runes) - 1; k >= 0; k-- {
		if i == 0 {
			return 0, false
		}
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if want := seg.runes[k]; want != anyRune && want != foldRune(r) {
			return 0, false
		}
		i -= size
	}
	return i, true
}

// find returns the end, in bytes, of the segment's leftmost match in s.
func (seg *likeSegment) find(s string) (int, bool) {
	switch {
	case len(seg.runes) == 0:
		return 0, true
	case seg.wild:
		return seg.shiftAnd.find(s)
	}
	// Rabin-Karp: the hash of the last len(runes) characters of s[:end],
	// whose first is at tail.
	n := len(seg.runes)
	var h uint64
	tail, end, count := 0, 0, 0
	for end < len(s) {
		r, size := decodeFolded(s[end:])
		end += size
		if count == n {
			old, oldSize := decodeFolded(s[tail:])
			h = subMod(h, mulMod(uint64(old), seg.pow))
			tail += oldSize
		} else {
			count++
		}
		h = hashAdd(h, r)
		if count == n && h == seg.hash && seg.equalAt(s[tail:end]) {
			return end, true
		}
	}
	return 0, false
}

// equalAt reports whether s, of exactly len(seg.runes) characters, equals
// the segment (which has no _).
func (seg *likeSegment) equalAt(s string) bool {
	i := 0
	for _, want := range seg.runes {
		r, size := decodeFolded(s[i:])
		if r != want {
			return false
		}
		i += size
	}
	return true
}

// The rolling hash is a polynomial in a base chosen at random when vigil
// starts, modulo the Mersenne prime 2^61-1: two different texts of one
// length collide with probability below length/2^61, whatever text a
// stranger writes, since the base is not known in advance.
const hashMod = 1<<61 - 1

var likeBase = 1 + rand.Uint64N(hashMod-2)

// hashAdd appends r to the hash h.
func hashAdd(h uint64, r rune) uint64 {
	return addMod(mulMod(h, likeBase), uint64(r))
}

func addMod(a, b uint64) uint64 {
	s := a + b
	if s >= hashMod {
		s -= hashMod
	}
	return s
}

func subMod(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + hashMod - b
}

// mulMod multiplies modulo 2^61-1, for a and b below it.
func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// a*b = hi*2^64 + lo = (hi<<3 | lo>>61)*2^61 + lo&m, and 2^61 = 1.
	s := (hi<<3 | lo>>61) + lo&hashMod
	if s >= hashMod {
		s -= hashMod
	}
	return s
}

// shiftAnd finds a segment with _ in a text: bit i of the state is set
// when the last i+1 characters read match the segment's first i+1.
type shiftAnd struct {
	n     int
	words int
	// wild has the bits of the _ positions.
	wild []uint64
	// dense has the bits of each rune that fills many positions; sparse
	// the positions of each other rune, so that memory stays linear in the
	// segment's length.
	dense  map[rune][]uint64
	sparse map[rune][]int32
}

// sparseMax is how many positions a rune may have before it gets a
// bitmap of its own.
const sparseMax = 64

func newShiftAnd(runes []rune) *shiftAnd {
	words := (len(runes) + 63) / 64
	a := &shiftAnd{n: len(runes), words: words, wild: make([]uint64, words),
		dense: map[rune][]uint64{}, sparse: map[rune][]int32{}}
	for i, r := range runes {
		if r == anyRune {
			a.wild[i/64] |= 1 << (i % 64)
			continue
		}
		a.sparse[r] = append(a.sparse[r], int32(i))
	}
	for r, pos := range a.sparse {
		if len(pos) > sparseMax {
			bm := make([]uint64, words)
			for _, i := range pos {
				bm[i/64] |= 1 << (i % 64)
			}
			a.dense[r] = bm
			delete(a.sparse, r)
		}
	}
	return a
}

// find returns the end of the leftmost match in s. Each character costs
// the words of the state that can hold a set bit (all of them, at worst:
// the value's length times the segment's / 64 in all).
func (a *shiftAnd) find(s string) (int, bool) {
	state := make([]uint64, a.words)
	// live is the number of leading words of state that may be non-zero.
	live := 0
	lastWord, lastBit := (a.n-1)/64, uint((a.n-1)%64)
	var gathered []int32
	for i := 0; i < len(s); {
		r, size := decodeFolded(s[i:])
		i += size
		// The sparse positions of r whose previous position matched
		// (or that are the first) stay set; read them before state
		// changes.
		gathered = gathered[:0]
		for _, p := range a.sparse[r] {
			if p == 0 || state[(p-1)/64]>>((p-1)%64)&1 != 0 {
				gathered = append(gathered, p)
			}
		}
		// state = (state<<1 | 1) & (wild | dense[r]), over the live words
		// and the one the shift may carry into.
		live = min(live+1, a.words)
		st, wild := state[:live], a.wild[:live]
		carry := uint64(1)
		if dense := a.dense[r]; dense != nil {
			dense = dense[:live]
			for w, x := range st {
				st[w] = (x<<1 | carry) & (wild[w] | dense[w])
				carry = x >> 63
			}
		} else {
			for w, x := range st {
				st[w] = (x<<1 | carry) & wild[w]
				carry = x >> 63
			}
		}
		for _, p := range gathered {
			state[p/64] |= 1 << (p % 64)
			live = max(live, int(p/64)+1)
		}
		for live > 0 && state[live-1] == 0 {
			live--
		}
		if state[lastWord]>>lastBit&1 != 0 {
			return i, true
		}
	}
	return 0, false
}
