package filterpattern

import (
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
)

// MaxCacheEntries bounds what a Cache keeps: the parsed patterns, the
// (a, b) pairs of Covers, and the answers each matcher of EqualTo and
// Covering remembers (a matcher may hold twice as many while it starts a
// new table). A scan sees a few dozen distinct patterns; a table that fills
// up starts again empty.
const MaxCacheEntries = 4096

// Cache parses and normalises each distinct pattern once and remembers
// Covers answers, for callers that compare the same few patterns many times
// (the GSL functions isFilterPatternEqual and filterPatternCovers). It is
// safe for concurrent use. The zero value is not usable; call NewCache.
//
// A caller that compares many patterns with one fixed pattern should ask
// for a matcher (EqualTo, Covering): it parses the fixed pattern once, and
// answers a pattern it has seen before with one lookup, without a lock and
// without allocating.
type Cache struct {
	mu       sync.RWMutex
	patterns map[string]parsed
	covers   map[pair]bool
}

type parsed struct {
	p   *Pattern
	err error
}

type pair struct{ a, b string }

// NewCache returns an empty Cache.
func NewCache() *Cache {
	return &Cache{patterns: map[string]parsed{}, covers: map[pair]bool{}}
}

// Parse returns the parsed pattern for src, parsing it on first use. The
// error is an *Error wrapped with the pattern's text, so that it reads
// "1:14: expected …, in filter pattern "{ … }"".
func (c *Cache) Parse(src string) (*Pattern, error) {
	c.mu.RLock()
	e, ok := c.patterns[src]
	c.mu.RUnlock()
	if ok {
		return e.p, e.err
	}
	p, perr := parse(src)
	e = parsed{p: p}
	if perr != nil {
		e = parsed{err: fmt.Errorf("%w, in filter pattern %s", perr, quoteShort(src))}
	}
	c.mu.Lock()
	if len(c.patterns) >= MaxCacheEntries {
		clear(c.patterns)
	}
	c.patterns[src] = e
	c.mu.Unlock()
	return e.p, e.err
}

// Equal reports whether patterns a and b are Equal. The error says which
// pattern does not parse, and where.
func (c *Cache) Equal(a, b string) (bool, error) {
	pa, pb, err := c.parsePair(a, b)
	if err != nil {
		return false, err
	}
	return Equal(pa, pb), nil
}

// Covers reports whether pattern a Covers pattern b. The error says which
// pattern does not parse, and where.
func (c *Cache) Covers(a, b string) (bool, error) {
	pa, pb, err := c.parsePair(a, b)
	if err != nil {
		return false, err
	}
	k := pair{a, b}
	c.mu.RLock()
	ans, ok := c.covers[k]
	c.mu.RUnlock()
	if ok {
		return ans, nil
	}
	ans = Covers(pa, pb)
	c.mu.Lock()
	if len(c.covers) >= MaxCacheEntries {
		clear(c.covers)
	}
	c.covers[k] = ans
	c.mu.Unlock()
	return ans, nil
}

// parsePair parses a and b through the cache; the error is a's if both fail.
func (c *Cache) parsePair(a, b string) (*Pattern, *Pattern, error) {
	pa, err := c.Parse(a)
	if err != nil {
		return nil, nil, err
	}
	pb, err := c.Parse(b)
	if err != nil {
		return nil, nil, err
	}
	return pa, pb, nil
}

// EqualTo parses want once and returns a test of whether a pattern is
// Equal to it: test(s) answers as c.Equal(s, want) does. The error, Parse's,
// says that want does not parse. The test is safe for concurrent use.
func (c *Cache) EqualTo(want string) (test func(s string) (bool, error), err error) {
	return c.matcher(want, Equal)
}

// Covering parses want once and returns a test of whether a pattern Covers
// it: test(s) answers as c.Covers(s, want) does. The error, Parse's, says
// that want does not parse. The test is safe for concurrent use.
func (c *Cache) Covering(want string) (test func(s string) (bool, error), err error) {
	return c.matcher(want, Covers)
}

func (c *Cache) matcher(want string, decide func(a, b *Pattern) bool) (func(string) (bool, error), error) {
	m, err := c.newMatcher(want, decide)
	if err != nil {
		return nil, err
	}
	return m.test, nil
}

func (c *Cache) newMatcher(want string, decide func(a, b *Pattern) bool) (*matcher, error) {
	pw, err := c.Parse(want)
	if err != nil {
		return nil, err
	}
	m := &matcher{cache: c, want: pw, decide: decide}
	// A closure rather than a method value: the hit path is then one call.
	m.test = func(s string) (bool, error) {
		if a, ok := m.memo.published(s); ok {
			return a.ok, a.err
		}
		return m.miss(s)
	}
	return m, nil
}

// matcher answers whether patterns relate to one fixed pattern, want, and
// remembers each answer by pattern text.
type matcher struct {
	cache  *Cache
	want   *Pattern
	decide func(a, b *Pattern) bool
	memo   memo
	// test answers whether a pattern relates to want (see EqualTo).
	test func(s string) (bool, error)
}

// miss answers s when the published table does not hold it.
func (m *matcher) miss(s string) (bool, error) {
	if a, ok := m.memo.pending(s); ok {
		return a.ok, a.err
	}
	var a answer
	if p, err := m.cache.Parse(s); err != nil {
		a.err = err
	} else {
		a.ok = m.decide(p, m.want)
	}
	m.memo.add(s, a)
	return a.ok, a.err
}

// answer is a matcher's answer for one pattern: the comparison, or the
// pattern's parse error.
type answer struct {
	ok  bool
	err error
}

// memo maps pattern texts to answers. A lookup of a text it holds takes no
// lock and allocates nothing: it reads a map that is never written once
// published (read). New answers go under mu into next, a copy of read plus
// the newer answers, which replaces read once as many lookups have had to
// take mu as next holds entries: each copy of n entries follows n locked
// lookups, so copying costs amortised O(1) per lookup however many texts
// arrive. A text is always answered the same, so a lookup that finds it in
// an older table is still right.
type memo struct {
	read atomic.Pointer[map[string]answer]

	mu     sync.Mutex
	next   map[string]answer // read's entries and newer ones; nil when read is current
	misses int               // lookups that took mu since read was published
}

// published returns the answer for s from the published table: no lock.
func (m *memo) published(s string) (answer, bool) {
	if r := m.read.Load(); r != nil {
		a, ok := (*r)[s]
		return a, ok
	}
	return answer{}, false
}

// pending returns the answer for s from the answers not yet published.
func (m *memo) pending(s string) (answer, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.next[s]
	if ok {
		m.missed()
	}
	return a, ok
}

// add remembers a as the answer for s.
func (m *memo) add(s string, a answer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.next == nil {
		if r := m.read.Load(); r != nil && len(*r) < MaxCacheEntries {
			m.next = maps.Clone(*r)
		} else {
			m.next = map[string]answer{}
		}
	}
	if _, ok := m.next[s]; ok {
		return // another goroutine added it first
	}
	if len(m.next) >= MaxCacheEntries {
		m.next = map[string]answer{}
	}
	m.next[s] = a
	m.missed()
}

// missed counts a lookup that took mu, and publishes next when it has had
// as many as next holds entries. It runs with mu held.
func (m *memo) missed() {
	m.misses++
	if m.misses >= len(m.next) {
		next := m.next
		m.read.Store(&next)
		m.next, m.misses = nil, 0
	}
}
