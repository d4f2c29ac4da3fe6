package filterpattern

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is a parse error at a position of a pattern. It renders as
// "col N: message" for single-line patterns and "line L, col N: message" for
// patterns that span lines.
type Error struct {
	// Pattern is the source text of the pattern that failed to parse.
	Pattern string
	// offset is the byte offset of the error in Pattern.
	offset int
	// Line and Col are 1-based; Col counts characters, not bytes.
	Line, Col int
	// Msg says what was expected.
	Msg string
}

func newError(src string, offset int, format string, args ...any) *Error {
	if offset > len(src) {
		offset = len(src)
	}
	line, lineStart := 1, 0
	for i := 0; i < offset; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return &Error{
		Pattern: src,
		offset:  offset,
		Line:    line,
		Col:     utf8.RuneCountInString(src[lineStart:offset]) + 1,
		Msg:     fmt.Sprintf(format, args...),
	}
}

// Offset returns the byte offset of the error in the pattern, so that a
// caller holding the pattern inside a larger text (a GSL string literal) can
// point at the same place.
func (e *Error) Offset() int { return e.offset }

func (e *Error) Error() string {
	if strings.Contains(e.Pattern, "\n") {
		return fmt.Sprintf("line %d, col %d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("col %d: %s", e.Col, e.Msg)
}

// Snippet renders the line of the pattern that holds the error with a caret
// under the error's column:
//
//	| { $.eventName = }
//	| ................^
//
// as GSL diagnostics render. Tabs become single spaces so the caret lines
// up.
func (e *Error) Snippet() string {
	lines := strings.Split(e.Pattern, "\n")
	if e.Line < 1 || e.Line > len(lines) {
		return ""
	}
	text := strings.ReplaceAll(lines[e.Line-1], "\t", " ")
	return " | " + text + "\n | " + strings.Repeat(".", e.Col-1) + "^"
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
