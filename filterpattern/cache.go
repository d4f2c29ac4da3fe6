package filterpattern

import (
	"fmt"
	"sync"
)

// MaxCacheEntries bounds the patterns, and separately the (a, b) pairs, a
// Cache keeps. A scan sees a few dozen distinct patterns; when a cache fills
// up it starts again empty.
const MaxCacheEntries = 4096

// Cache parses and normalises each distinct pattern once and remembers
// Covers answers, for callers that compare the same few patterns many times
// (the GSL functions isFilterPatternEqual and filterPatternCovers). It is
// safe for concurrent use. The zero value is not usable; call NewCache.
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
// "col 14: expected …, in filter pattern "{ … }"".
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
