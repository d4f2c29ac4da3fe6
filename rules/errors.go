package rules

import (
	"strings"

	"github.com/agext/levenshtein"

	"vigil/diag"
)

// Error is a problem in a rule or ruleset file, at a position: its Name
// is the file, and its Field the rule field at fault ("severity",
// "remediation.cli") when there is one. Line and Col are 0 when the
// problem concerns the whole file.
type Error = diag.Error

// ErrorList is every problem found in one or more rule files, in the order
// found. It is returned as an error only when it is not empty (see Err).
type ErrorList = diag.List

// asErrors flattens err into rule errors; errors of other kinds are named
// after file.
func asErrors(file string, err error) ErrorList {
	if l := diag.AsList(err); l != nil {
		return l
	}
	return ErrorList{{Name: file, Msg: err.Error()}}
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
