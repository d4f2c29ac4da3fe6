package gsl

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxErrors caps the errors one compile reports.
const maxErrors = 10

// Diagnostic is a problem found in a rule's text (a syntax or check error) or in
// its evaluation (a run-time error such as a path into a list).
type Diagnostic struct {
	// Span is the part of the rule at fault.
	Span Span
	// Msg says what was expected and what was found, lower case, no final
	// period.
	Msg string
	// src is the rule text, kept for Render.
	src string
	// opened, for an unclosed bracket, is where it opened; msgAt rewrites
	// Msg for that position once it is shifted into a larger file.
	opened *Pos
	msgAt  func(opened Pos) string
}

// Error renders the diagnostic as "line:col: message".
func (e *Diagnostic) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Span.Start.Line, e.Span.Start.Col, e.Msg)
}

// Render renders the error as "name:line:col: message", then the rule's line
// and a caret under the column:
//
//	rule.gsl:1:24: expected a value after '=', found end of rule
//	 | CloudTrail should have x=
//	 | .........................^
func (e *Diagnostic) Render(name string) string {
	var b strings.Builder
	if name != "" {
		b.WriteString(name)
		b.WriteByte(':')
	}
	b.WriteString(e.Error())
	if line, ok := sourceLine(e.src, e.Span.Start.Line); ok {
		line = strings.ReplaceAll(line, "\t", " ")
		b.WriteString("\n | ")
		b.WriteString(line)
		b.WriteString("\n | ")
		col := e.Span.Start.Col
		if n := utf8.RuneCountInString(line) + 1; col > n {
			col = n
		}
		b.WriteString(strings.Repeat(".", col-1))
		b.WriteByte('^')
	}
	return b.String()
}

// RenderAt renders the diagnostic as Render does for a rule that starts at
// base in a larger file (a line of a rule list, a field of a YAML file):
// the position is shifted by base and the snippet is still the rule's own
// line.
func (e *Diagnostic) RenderAt(name string, base Pos) string {
	shifted := *e
	shifted.Span = Span{e.Span.Start.Shift(base), e.Span.End.Shift(base)}
	if e.opened != nil && e.msgAt != nil {
		shifted.Msg = e.msgAt(e.opened.Shift(base))
	}
	out := shifted.Render(name)
	// The snippet comes from the rule's own text: render it from there.
	if i := strings.IndexByte(out, '\n'); i >= 0 {
		out = out[:i]
	}
	if line, ok := sourceLine(e.src, e.Span.Start.Line); ok {
		col := shifted.Span.Start.Col
		pad := ""
		if e.Span.Start.Line == 1 && base.Col > 1 {
			pad = strings.Repeat(" ", base.Col-1)
		}
		line = pad + strings.ReplaceAll(line, "\t", " ")
		if n := utf8.RuneCountInString(line) + 1; col > n {
			col = n
		}
		out += "\n | " + line + "\n | " + strings.Repeat(".", col-1) + "^"
	}
	return out
}

// sourceLine returns line n (from 1) of src, without its newline.
func sourceLine(src string, n int) (string, bool) {
	if src == "" || n < 1 {
		return "", false
	}
	for i := 1; i < n; i++ {
		j := strings.IndexByte(src, '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := strings.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(src, "\r"), true
}

// ErrorList is the list of errors of one parse or compile, in the order of
// their positions. It is what Parse and Compile return as their error.
type ErrorList []*Diagnostic

// Error renders the first error and says how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	case 2:
		return l[0].Error() + " (and 1 more error)"
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Unwrap exposes the errors to errors.As and errors.Is.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Render renders every error as Diagnostic.Render does, one after the other.
func (l ErrorList) Render(name string) string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Render(name)
	}
	return strings.Join(parts, "\n")
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// AsList returns err's errors as an ErrorList: the list itself, a single
// *Diagnostic, or nil for an error that carries no position.
func AsList(err error) ErrorList {
	var l ErrorList
	if errors.As(err, &l) {
		return l
	}
	var e *Diagnostic
	if errors.As(err, &e) {
		return ErrorList{e}
	}
	return nil
}
