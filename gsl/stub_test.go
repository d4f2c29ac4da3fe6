package gsl

import (
	"strings"
	"sync/atomic"

	"vigil/diag"
)

// stubPatterns stands in for the filterpattern package in gsl's tests and
// benchmarks: two patterns are equal when they are the same string, and a
// pattern that starts with '!' does not parse. Covering is EqualTo.
type stubPatterns struct{}

// stubParseError is the stub's parse error of pattern s: a *diag.Error at
// its first character, as filter-pattern errors are.
func stubParseError(s string) error {
	return &diag.Error{Line: 1, Col: 1, Msg: "unexpected '!'", Source: s}
}

func stubParses(s string) bool { return !strings.HasPrefix(s, "!") }

func (stubPatterns) EqualTo(want string) (func(string) (bool, error), error) {
	if !stubParses(want) {
		return nil, stubParseError(want)
	}
	return func(s string) (bool, error) {
		if !stubParses(s) {
			return false, stubParseError(s)
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
