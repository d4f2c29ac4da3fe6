package gsl

import "vigil/diag"

// Pos is a position in a rule's text: its byte offset, line and column.
// Pos.Shift moves it into a larger file that holds the rule.
type Pos = diag.Pos

// Span is a range of a rule's text; End is exclusive.
type Span struct {
	Start, End Pos
}
