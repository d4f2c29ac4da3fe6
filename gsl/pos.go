package gsl

import "fmt"

// Pos is a position in a rule's text.
type Pos struct {
	// Offset is the byte offset from the start of the rule text, from 0.
	Offset int
	// Line and Col count from 1; Col counts characters (Unicode code points).
	Line, Col int
}

// String renders the position as "line:col".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Span is a range of a rule's text; End is exclusive.
type Span struct {
	Start, End Pos
}

// Shift returns the position moved by a prefix: base is where the rule text
// starts in a larger file (a YAML rule file). Columns move only on the rule's
// first line.
func (p Pos) Shift(base Pos) Pos {
	if p.Line == 1 {
		p.Col += base.Col - 1
	}
	p.Line += base.Line - 1
	p.Offset += base.Offset
	return p
}
