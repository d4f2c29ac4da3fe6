package gsl

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// likeRegexp is how like patterns were matched before likeMatcher: an
// anchored, case-insensitive regular expression. It is the reference the
// tests compare likeMatcher with.
func likeRegexp(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?is)\A`)
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		switch {
		case r == '\\' && i+1 < len(p) && (p[i+1] == '%' || p[i+1] == '_'):
			b.WriteString(regexp.QuoteMeta(p[i+1 : i+2]))
			i += 2
			continue
		case r == '%':
			b.WriteString(".*")
		case r == '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
		i += size
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String())
}

// likePieces are what random patterns and values are made of: wildcards,
// escapes, letters in both cases, runes whose case orbits have three
// members (k K U+212A, s S U+017F), a rune folding changes in length (ß),
// a newline, and bytes that are not UTF-8.
var likePieces = []string{"%", "_", `\%`, `\_`, `\`, "a", "A", "b", "k", "K", "\u212a", "s", "\u017f", "ß", "\n", "\xff", "é", "É", "\ufffd"}

func randomLike(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range rng.IntN(n) {
		b.WriteString(likePieces[rng.IntN(len(likePieces))])
	}
	return b.String()
}

func TestLikeMatchesRegexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		p, v := randomLike(rng, 8), randomLike(rng, 12)
		if utf8.ValidString(p) {
			checkLike(t, p, v)
		}
	}
	// Patterns that repeat what they look for, where the leftmost place
	// matters.
	for _, tc := range [][2]string{
		{"%aab%", "aaab"}, {"%a_b%", "aaab"}, {"%ab%ab", "abab"}, {"%ab%ab", "aab"}, {"a%a", "a"}, {"%%", ""},
		{"_%_", "x"}, {"%_a_%", "bab"}, {"abc", "ABC"}, {"%k%", "\u212a"}, {"%\u212a_", "ks"},
	} {
		checkLike(t, tc[0], tc[1])
	}
}

func checkLike(t *testing.T, p, v string) {
	t.Helper()
	if got, want := compileLike(p).MatchString(v), likeRegexp(p).MatchString(v); got != want {
		t.Fatalf("%q like %q = %v, want %v", v, p, got, want)
	}
}

func FuzzLike(f *testing.F) {
	f.Add("%a_b\\%c%", "xxAzB%cyy")
	f.Add("%\u212a%ß_", "k\u017fßx")
	f.Fuzz(func(t *testing.T, p, v string) {
		if !utf8.ValidString(p) || len(p) > 64 || len(v) > 256 {
			return
		}
		checkLike(t, p, v)
	})
}

// hugeLikeCases are patterns of about 30 KB against values of 1 MB, each
// the worst case of one part of the matcher; RE2 takes the pattern's length
// for each character of the value on them (minutes each).
func hugeLikeCases() []struct {
	name, pattern, value string
	want                 bool
} {
	const patternLen, valueLen = 30 << 10, 1 << 20
	as := strings.Repeat("a", valueLen)
	return []struct {
		name, pattern, value string
		want                 bool
	}{
		// A literal segment found at the very end, after almost matching
		// everywhere.
		{"literal segment", "%" + strings.Repeat("a", patternLen-1) + "b%", as + "b", true},
		{"literal segment absent", "%" + strings.Repeat("a", patternLen-1) + "b%", as, false},
		// A segment with _ that almost matches everywhere.
		{"segment with _", "%" + strings.Repeat("a_", patternLen/2) + "c%", strings.Repeat("ab", valueLen/2) + "c", true},
		{"segment with _ absent", "%" + strings.Repeat("a_", patternLen/2) + "c%", strings.Repeat("ab", valueLen/2), false},
		// Many short segments.
		{"many segments", strings.Repeat("%a", patternLen/2) + "%", strings.Repeat("b", valueLen) + strings.Repeat("a", patternLen/2), true},
		{"many segments absent", strings.Repeat("%a", patternLen/2) + "%", strings.Repeat("ba", patternLen/2-1) + strings.Repeat("b", valueLen), false},
		// Anchored at both ends, case-folded.
		{"prefix and suffix", strings.Repeat("A", patternLen/2) + "%" + strings.Repeat("_", patternLen/2), as, true},
		{"whole value", strings.Repeat("_", valueLen-1) + "b", as, false},
	}
}

// TestLikeHugePatternAndValue runs the worst cases: each finishes in well
// under a second (see BenchmarkLikeHuge), where the regular expression took
// more than a minute; a quadratic matcher would exceed the test timeout.
func TestLikeHugePatternAndValue(t *testing.T) {
	for _, tc := range hugeLikeCases() {
		if got := compileLike(tc.pattern).MatchString(tc.value); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestLikeCompiledIsBounded checks that a pattern's compiled form grows
// linearly with the pattern, even when it has many distinct characters and
// a _: each character's positions are kept as a list, not a bitmap the
// length of the segment.
func TestLikeCompiledIsBounded(t *testing.T) {
	var b strings.Builder
	for r := rune(0x4e00); b.Len() < MaxSourceBytes-3; r++ {
		b.WriteRune(r)
	}
	b.WriteString("_")
	m := compileLike(b.String())
	sa := m.segments[0].shiftAnd
	if sa == nil || len(sa.dense) != 0 || len(sa.sparse) < 20000 {
		t.Fatalf("segment: %d dense, %d sparse runes", len(sa.dense), len(sa.sparse))
	}
	if !m.MatchString(strings.TrimSuffix(b.String(), "_") + "x") {
		t.Errorf("no match")
	}
}

// BenchmarkLikeHuge times the worst cases; "regexp" is the matcher before
// likeMatcher, on patterns and values a tenth and a hundredth of the size
// (it takes minutes on the full ones).
func BenchmarkLikeHuge(b *testing.B) {
	for _, tc := range hugeLikeCases() {
		b.Run(tc.name, func(b *testing.B) {
			m := compileLike(tc.pattern)
			for b.Loop() {
				m.MatchString(tc.value)
			}
		})
	}
	for _, tc := range hugeLikeCases()[:4] {
		b.Run("regexp/"+tc.name, func(b *testing.B) {
			re := likeRegexp(tc.pattern[:len(tc.pattern)/10])
			v := tc.value[:len(tc.value)/100]
			for b.Loop() {
				re.MatchString(v)
			}
		})
	}
}

// BenchmarkLike times the patterns rules use on short values.
func BenchmarkLike(b *testing.B) {
	for _, tc := range []struct{ pattern, value string }{
		{"arn:aws:iam::%:role/%", "arn:aws:iam::111122223333:role/VigilAudit"},
		{"%-prod", "payments-prod"},
		{"default", "Default"},
		{"sg-________", "sg-0a1b2c3d"},
	} {
		b.Run(tc.pattern+"/like", func(b *testing.B) {
			m := compileLike(tc.pattern)
			for b.Loop() {
				m.MatchString(tc.value)
			}
		})
		b.Run(tc.pattern+"/regexp", func(b *testing.B) {
			re := likeRegexp(tc.pattern)
			for b.Loop() {
				re.MatchString(tc.value)
			}
		})
	}
}
