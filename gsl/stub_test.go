package gsl

import (
	"strings"
	"sync/atomic"
)

// stubPatterns stands in for the filterpattern package in gsl's tests and
// benchmarks: two patterns are equal when they are the same string, and a
// pattern that starts with '!' does not parse. Covering is EqualTo.
type stubPatterns struct{}

// stubParseError is the stub's parse error; it knows its offset in the
// pattern, as filter-pattern errors may.
type stubParseError struct{}

func (stubParseError) Error() string { return "unexpected '!'" }
func (stubParseError) Offset() int   { return 0 }

func stubParses(s string) bool { return !strings.HasPrefix(s, "!") }

func (stubPatterns) EqualTo(want string) (func(string) (bool, error), error) {
	if !stubParses(want) {
		return nil, stubParseError{}
	}
	return func(s string) (bool, error) {
		if !stubParses(s) {
			return false, stubParseError{}
		}
		return s == want, nil
	}, nil
}

func (s stubPatterns) Covering(want string) (func(string) (bool, error), error) {
	return s.EqualTo(want)
}

// countingPatterns is stubPatterns counting how often a rule's pattern is
// compiled and how often the compiled test runs.
type countingPatterns struct {
	compiled, tested atomic.Int64
}

func (c *countingPatterns) EqualTo(want string) (func(string) (bool, error), error) {
	c.compiled.Add(1)
	test, err := stubPatterns{}.EqualTo(want)
	return func(s string) (bool, error) { c.tested.Add(1); return test(s) }, err
}

func (c *countingPatterns) Covering(want string) (func(string) (bool, error), error) {
	return c.EqualTo(want)
}
