package diag

import "strconv"

// Pos is a position in a text.
type Pos struct {
	// Offset is the byte offset from the start of the text, from 0.
	Offset int
	// Line and Col count from 1; Col counts characters (Unicode code
	// points), not bytes.
	Line, Col int
}

// String renders the position as "line:col".
func (p Pos) String() string { return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col) }

// Shift returns p, a position in a text that starts at base in a larger
// text, as a position in the larger text. Columns move only on the text's
// first line: its later lines start at the first column of the larger
// text, as they do for a rule on one line of a list or a quoted YAML
// scalar. The zero base stands for the start of the larger text.
func (p Pos) Shift(base Pos) Pos {
	base = base.orStart()
	if p.Line == 1 {
		p.Col += base.Col - 1
	}
	p.Line += base.Line - 1
	p.Offset += base.Offset
	return p
}

// ShiftBlock returns p, a position in a text whose every line starts at
// column base.Col of the larger text, from line base.Line on, as a
// position in the larger text. That is the shape of a YAML block scalar,
// whose indentation is not part of its text. The offset counts that
// indentation as base.Col-1 bytes on each line before p's, as YAML's
// spaces take. The zero base stands for the start of the larger text.
func (p Pos) ShiftBlock(base Pos) Pos {
	base = base.orStart()
	p.Offset += base.Offset + (p.Line-1)*(base.Col-1)
	p.Col += base.Col - 1
	p.Line += base.Line - 1
	return p
}

// orStart returns p, or the first position of a text for the zero Pos.
func (p Pos) orStart() Pos {
	if p.Line < 1 {
		p.Line = 1
	}
	if p.Col < 1 {
		p.Col = 1
	}
	return p
}
