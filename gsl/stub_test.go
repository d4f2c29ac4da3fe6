package gsl

import "strings"

// stubPatterns stands in for the filterpattern package in gsl's tests and
// benchmarks: two patterns are equal when they are the same string, and a
// pattern that starts with '!' does not parse. Covers is Equal.
type stubPatterns struct{}

// stubParseError is the stub's parse error; it knows its offset in the
// pattern, as filter-pattern errors may.
type stubParseError struct{}

func (stubParseError) Error() string { return "unexpected '!'" }
func (stubParseError) Offset() int   { return 0 }

func stubParses(s string) bool { return !strings.HasPrefix(s, "!") }

func (stubPatterns) Equal(a, b string) (bool, error) {
	if !stubParses(a) || !stubParses(b) {
		return false, stubParseError{}
	}
	return a == b, nil
}

func (s stubPatterns) Covers(a, b string) (bool, error) { return s.Equal(a, b) }
