package rules

import (
	"errors"
	"fmt"
	"strings"

	"github.com/agext/levenshtein"
)

// Error is a problem in a rule file, at a position.
type Error struct {
	File string
	// Line and Col count from 1; both are 0 when the problem concerns the
	// whole file.
	Line, Col int
	// Field is the rule field at fault ("severity", "remediation.cli"), or
	// empty.
	Field string
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	b.WriteString(": ")
	if e.Field != "" && !strings.Contains(e.Msg, `"`+e.Field+`"`) {
		fmt.Fprintf(&b, "%s: ", e.Field)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in one or more rule files, in the order
// found. It is returned as an error only when it is not empty (see Err).
type ErrorList []*Error

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap lets errors.As find the individual errors.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// asErrors flattens err into rule errors; errors of other kinds are named
// after file.
func asErrors(file string, err error) ErrorList {
	var list ErrorList
	if errors.As(err, &list) {
		return list
	}
	var one *Error
	if errors.As(err, &one) {
		return ErrorList{one}
	}
	return ErrorList{{File: file, Msg: err.Error()}}
}

// Suggest returns the candidate closest to s, ignoring case, when it is
// close enough (fewer than three edits) to be a likely typo, else "".
func Suggest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(strings.ToLower(s), strings.ToLower(c), nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
