package diag

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  Error
		want string
	}{
		{"everything", Error{Name: "r.yaml", Line: 3, Col: 11, Field: "severity", Msg: "not a severity"},
			"r.yaml:3:11: severity: not a severity"},
		{"field the message names", Error{Name: "r.yaml", Line: 4, Col: 1, Field: "sevrity", Msg: `field "sevrity" is not a rule field`},
			`r.yaml:4:1: field "sevrity" is not a rule field`},
		{"no name", Error{Line: 1, Col: 26, Msg: "expected a value"}, "1:26: expected a value"},
		{"whole file", Error{Name: "r.yaml", Msg: "rule file is empty"}, "r.yaml: rule file is empty"},
		{"line only", Error{Name: "r.yaml", Line: 2, Msg: "invalid YAML"}, "r.yaml:2: invalid YAML"},
		{"message only", Error{Msg: "no position"}, "no position"},
		{"field only", Error{Field: "where", Msg: "bad"}, "where: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		err  Error
		want string
	}{
		{"caret under the column", Error{Name: "rule", Line: 1, Col: 27, Msg: "expected a value after '=', found end of rule",
			Source: "CloudTrail should have x ="},
			"rule:1:27: expected a value after '=', found end of rule\n | CloudTrail should have x =\n | ..........................^"},
		{"tabs become spaces", Error{Line: 2, Col: 3, Msg: "m", Source: "\t\tx"}, "2:3: m\n |   x\n | ..^"},
		{"column counts characters", Error{Line: 1, Col: 3, Msg: "m", Source: "éé!"}, "1:3: m\n | éé!\n | ..^"},
		{"column past the end", Error{Line: 1, Col: 40, Msg: "m", Source: "ab"}, "1:40: m\n | ab\n | ..^"},
		{"column unknown", Error{Line: 2, Msg: "m", Source: "ab"}, "2: m\n | ab\n | ^"},
		{"no source line", Error{Name: "f", Line: 1, Col: 2, Msg: "m"}, "f:1:2: m"},
		{"no position", Error{Name: "f", Msg: "m", Source: "ab"}, "f: m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Render(); got != tt.want {
				t.Errorf("Render() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestShift(t *testing.T) {
	base := Pos{Offset: 100, Line: 7, Col: 10}
	tests := []struct {
		name         string
		p            Pos
		base         Pos
		shift, block Pos
	}{
		{"first line", Pos{Offset: 5, Line: 1, Col: 6}, base, Pos{Offset: 105, Line: 7, Col: 15}, Pos{Offset: 105, Line: 7, Col: 15}},
		{"later line", Pos{Offset: 30, Line: 2, Col: 3}, base, Pos{Offset: 130, Line: 8, Col: 3}, Pos{Offset: 139, Line: 8, Col: 12}},
		{"third line", Pos{Offset: 40, Line: 3, Col: 1}, base, Pos{Offset: 140, Line: 9, Col: 1}, Pos{Offset: 158, Line: 9, Col: 10}},
		{"zero base", Pos{Offset: 30, Line: 2, Col: 3}, Pos{}, Pos{Offset: 30, Line: 2, Col: 3}, Pos{Offset: 30, Line: 2, Col: 3}},
		{"start of a file", Pos{Offset: 30, Line: 2, Col: 3}, Pos{Line: 1, Col: 1}, Pos{Offset: 30, Line: 2, Col: 3}, Pos{Offset: 30, Line: 2, Col: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Shift(tt.base); got != tt.shift {
				t.Errorf("Shift = %+v, want %+v", got, tt.shift)
			}
			if got := tt.p.ShiftBlock(tt.base); got != tt.block {
				t.Errorf("ShiftBlock = %+v, want %+v", got, tt.block)
			}
		})
	}
}

func TestIn(t *testing.T) {
	unclosed := &Error{Line: 1, Col: 23, Offset: 22, Msg: "expected ')' to close the '(' at 1:15, found end of rule",
		Source: "X should have (a and b", Ref: Pos{Offset: 14, Line: 1, Col: 15}}
	later := &Error{Line: 2, Col: 3, Offset: 10, Msg: "unknown function f()", Source: "  f()"}
	tests := []struct {
		name string
		got  *Error
		want string
	}{
		{"named only", unclosed.In("rule", Pos{}),
			"rule:1:23: expected ')' to close the '(' at 1:15, found end of rule\n | X should have (a and b\n | ......................^"},
		{"a line of a list", unclosed.In("rules.gsl", Pos{Offset: 40, Line: 8, Col: 1}),
			"rules.gsl:8:23: expected ')' to close the '(' at 8:15, found end of rule\n | X should have (a and b\n | ......................^"},
		{"after a prefix", unclosed.In("f.yaml", Pos{Line: 3, Col: 8}),
			"f.yaml:3:30: expected ')' to close the '(' at 3:22, found end of rule\n |        X should have (a and b\n | .............................^"},
		{"later line after a prefix", later.In("f.yaml", Pos{Line: 3, Col: 8}),
			"f.yaml:4:3: unknown function f()\n |   f()\n | ..^"},
		{"later line of a block", later.InBlock("f.yaml", Pos{Line: 3, Col: 5}),
			"f.yaml:4:7: unknown function f()\n |       f()\n | ......^"},
		{"no position", (&Error{Msg: "m"}).In("f", Pos{Line: 3, Col: 5}), "f: m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got.Render(); got != tt.want {
				t.Errorf("Render() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	if unclosed.Name != "" || unclosed.Line != 1 || unclosed.Ref.Line != 1 {
		t.Errorf("In changed the error it was called on: %+v", unclosed)
	}
}

func TestSourceLine(t *testing.T) {
	tests := []struct {
		text string
		n    int
		want string
	}{
		{"a\nb\r\nc", 1, "a"},
		{"a\nb\r\nc", 2, "b"},
		{"a\nb\r\nc", 3, "c"},
		{"a\nb\r\nc", 4, ""},
		{"a\n", 2, ""},
		{"a", 0, ""},
		{"", 1, ""},
	}
	for _, tt := range tests {
		if got := SourceLine(tt.text, tt.n); got != tt.want {
			t.Errorf("SourceLine(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
		}
	}
}

func TestPosOf(t *testing.T) {
	tests := []struct {
		text string
		off  int
		want Pos
	}{
		{"{ $.a = }", 8, Pos{Offset: 8, Line: 1, Col: 9}},
		{"{\n  $.a = \n}", 11, Pos{Offset: 11, Line: 3, Col: 1}},
		{"{\n  $.a = \n}", 9, Pos{Offset: 9, Line: 2, Col: 8}},
		{"é = x", 3, Pos{Offset: 3, Line: 1, Col: 3}},
		{"ab", 0, Pos{Offset: 0, Line: 1, Col: 1}},
		{"ab", 9, Pos{Offset: 2, Line: 1, Col: 3}},
	}
	for _, tt := range tests {
		if got := PosOf(tt.text, tt.off); got != tt.want {
			t.Errorf("PosOf(%q, %d) = %+v, want %+v", tt.text, tt.off, got, tt.want)
		}
	}
}

func TestList(t *testing.T) {
	a := &Error{Name: "f", Line: 1, Col: 2, Msg: "first", Source: "xy"}
	b := &Error{Name: "f", Line: 3, Col: 1, Msg: "second"}
	l := List{a, b}
	if got, want := l.Error(), "f:1:2: first\nf:3:1: second"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := l.Render(), "f:1:2: first\n | xy\n | .^\nf:3:1: second"; got != want {
		t.Errorf("Render() = %q, want %q", got, want)
	}
	if got, want := l.In("g", Pos{Line: 10, Col: 1}).Error(), "g:10:2: first\ng:12:1: second"; got != want {
		t.Errorf("In(...).Error() = %q, want %q", got, want)
	}
	if got := (List{a}).Error(); got != a.Error() {
		t.Errorf("one error: %q", got)
	}
	if (List{}).Err() != nil || (List(nil)).Err() != nil || l.Err() == nil {
		t.Error("Err is nil only for an empty list")
	}
	wrapped := fmt.Errorf("loading: %w", l)
	var e *Error
	if !errors.As(wrapped, &e) || e != a {
		t.Errorf("errors.As found %v, want the first error", e)
	}
	if !errors.Is(wrapped, b) {
		t.Error("errors.Is does not find the second error")
	}
}

func TestAsList(t *testing.T) {
	a := &Error{Msg: "a"}
	l := List{a, {Msg: "b"}}
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"a list", l, 2},
		{"a wrapped list", fmt.Errorf("x: %w", l), 2},
		{"one error", a, 1},
		{"one wrapped error", fmt.Errorf("x: %w", a), 1},
		{"no position", errors.New("plain"), 0},
		{"nil", nil, 0},
	}
	for _, tt := range tests {
		if got := AsList(tt.err); len(got) != tt.want {
			t.Errorf("%s: AsList = %v, want %d errors", tt.name, got, tt.want)
		}
	}
}
