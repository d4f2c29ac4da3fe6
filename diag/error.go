// Package diag holds errors at a position of a source text: a file or text
// name, a line and column, a message, and the source line to show under
// it.
//
// Every parser of vigil reports through it (GSL rules, rule files,
// CloudWatch Logs filter patterns, exclusion files), so that every error
// reads the same way, "name:line:col: message":
//
//	rules/audit.yaml:4:11: field "severity" must be a string, found a list
//
// and, rendered with its source line, with a caret under the column:
//
//	rule:1:27: expected a value after '=', found end of rule
//	 | CloudTrail should have x =
//	 | ..........................^
//
// An error found in a text that is part of a larger one (a GSL rule in a
// YAML rule file, a filter pattern in a GSL string) is moved into the
// larger text with In or InBlock.
//
// The package imports nothing of vigil and nothing outside the standard
// library, so that every package may use it.
package diag

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a problem at a position of a text.
type Error struct {
	// Name is the file or text the problem is in ("rules/audit.yaml",
	// "rule"); empty when the text has no name.
	Name string
	// Line and Col are where the problem is, counting from 1; Col counts
	// characters. Both are 0 when the problem concerns the whole text, and
	// Col alone is 0 when only the line is known.
	Line, Col int
	// Offset is the byte offset of the problem from the start of the text,
	// from 0, for the callers that point into the text with it; it is 0
	// where no one needs it.
	Offset int
	// Field is the field or part of the text at fault ("severity",
	// "remediation.cli"), or empty. Error names it before the message
	// unless the message names it in double quotes.
	Field string
	// Msg says what is wrong: lower case, no final period.
	Msg string
	// Source is the line of the text the problem is on, without its line
	// end, for Render; empty when it is not at hand.
	Source string
	// Ref is a second position of the same text that Msg names as
	// "at line:col" (where an unclosed bracket opened), or the zero Pos.
	// In and InBlock move it with the error and rewrite Msg to match.
	Ref Pos
}

// Pos returns the error's position.
func (e *Error) Pos() Pos { return Pos{Offset: e.Offset, Line: e.Line, Col: e.Col} }

// Error renders the error on one line as "name:line:col: message", leaving
// out the name when it is empty and the position when it is not known;
// "field: " comes before the message when the message does not name the
// field itself.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Name != "" {
		b.WriteString(e.Name)
		if e.Line > 0 {
			b.WriteByte(':')
		}
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Col))
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" && !strings.Contains(e.Msg, `"`+e.Field+`"`) {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Render renders the error as Error does, then, when its source line is at
// hand, that line and a caret under the column (see Snippet).
func (e *Error) Render() string {
	if s := e.Snippet(); s != "" {
		return e.Error() + "\n" + s
	}
	return e.Error()
}

// Snippet renders the source line and, under it, a caret under the
// error's column, as Render shows them: each line starts with " | ", and
// the caret follows a dot for each column before it. Tabs become single
// spaces so that the caret lines up; a column past the end of the line
// puts the caret just after it. Snippet is empty when the source line is
// not at hand.
func (e *Error) Snippet() string {
	if e.Source == "" || e.Line < 1 {
		return ""
	}
	line := strings.ReplaceAll(e.Source, "\t", " ")
	col := min(max(e.Col, 1), utf8.RuneCountInString(line)+1)
	return " | " + line + "\n | " + strings.Repeat(".", col-1) + "^"
}

// In returns the error as one of the text called name, in which the
// error's own text starts at base (the zero Pos: the error's text is the
// whole of it). Positions move as Pos.Shift moves them, Ref and the
// message that names it included; the source line gets spaces for the
// columns before base, so that the caret still lines up.
func (e *Error) In(name string, base Pos) *Error { return e.moved(name, base, false) }

// InBlock is In for a text whose every line starts at column base.Col of
// the text called name (a YAML block scalar): positions move as
// Pos.ShiftBlock moves them.
func (e *Error) InBlock(name string, base Pos) *Error { return e.moved(name, base, true) }

func (e *Error) moved(name string, base Pos, block bool) *Error {
	out := *e
	out.Name = name
	if e.Line < 1 {
		return &out
	}
	shift := Pos.Shift
	if block {
		shift = Pos.ShiftBlock
	}
	at := shift(e.Pos(), base)
	out.Offset, out.Line, out.Col = at.Offset, at.Line, at.Col
	if pad := base.orStart().Col - 1; pad > 0 && e.Source != "" && (block || e.Line == 1) {
		out.Source = strings.Repeat(" ", pad) + e.Source
	}
	if e.Ref.Line > 0 {
		out.Ref = shift(e.Ref, base)
		out.Msg = strings.Replace(e.Msg, "at "+e.Ref.String(), "at "+out.Ref.String(), 1)
	}
	return &out
}

// SourceLine returns line n (from 1) of text without its line end ("\n" or
// "\r\n"), or "" when text has fewer lines.
func SourceLine(text string, n int) string {
	if n < 1 {
		return ""
	}
	for ; n > 1; n-- {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return ""
		}
		text = text[i+1:]
	}
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	return strings.TrimSuffix(text, "\r")
}

// PosOf returns the position of the byte offset off in text: its line,
// and its column in characters. An offset past the end of text is taken
// as the end.
func PosOf(text string, off int) Pos {
	off = min(max(off, 0), len(text))
	line, lineStart := 1, 0
	for {
		i := strings.IndexByte(text[lineStart:off], '\n')
		if i < 0 {
			break
		}
		line++
		lineStart += i + 1
	}
	return Pos{Offset: off, Line: line, Col: utf8.RuneCountInString(text[lineStart:off]) + 1}
}

// List is the errors of one text or of several, in the order they were
// found (or of their positions, for a parser that sorts them).
type List []*Error

// Error renders every error as Error does, one a line, as errors.Join
// does.
func (l List) Error() string {
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

// Render renders every error as Error.Render does, one after the other.
func (l List) Render() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Render()
	}
	return strings.Join(parts, "\n")
}

// In returns the errors as Error.In does each.
func (l List) In(name string, base Pos) List {
	out := make(List, len(l))
	for i, e := range l {
		out[i] = e.In(name, base)
	}
	return out
}

// Err returns the list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap exposes the errors to errors.As and errors.Is.
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// AsList returns err's errors as a List: the list err is or wraps, the
// single *Error it is or wraps, or nil for an error that carries no
// position.
func AsList(err error) List {
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return List{e}
	}
	return nil
}
