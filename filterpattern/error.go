package filterpattern

import (
	"fmt"
	"unicode/utf8"

	"vigil/diag"
)

// Error is a parse error at a position of a pattern. It has no Name (a
// pattern is not a file), so that it renders as "line:col: message"; its
// Source is the pattern's line at fault, for Snippet, and its Offset is the
// byte offset of the fault in the pattern, so that a caller holding the
// pattern inside a larger text (a GSL string literal) can point at the same
// place.
type Error = diag.Error

func newError(src string, offset int, format string, args ...any) *Error {
	at := diag.PosOf(src, offset)
	return &Error{Line: at.Line, Col: at.Col, Offset: at.Offset, Msg: fmt.Sprintf(format, args...),
		Source: diag.SourceLine(src, at.Line)}
}

// quoteShort quotes a pattern for an error message, shortening long ones.
func quoteShort(s string) string {
	const maxShown = 80
	if utf8.RuneCountInString(s) <= maxShown {
		return fmt.Sprintf("%q", s)
	}
	r := []rune(s)
	return fmt.Sprintf("%q…", string(r[:maxShown]))
}
