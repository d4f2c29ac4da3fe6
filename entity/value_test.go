package entity

import (
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	long := strings.Repeat("a", MaxShown)
	// A string is cut after MaxShown characters, never inside one, and
	// says how long it was; quotes are escaped in what is shown.
	for _, tt := range []struct {
		in   any
		want string
	}{
		{"", "''"},
		{"main", "'main'"},
		{"it's", `'it\'s'`},
		{long, "'" + long + "'"}, // MaxShown characters: not cut
		{long + "b", "'" + long + "…' (257 bytes)"},                // one more: cut
		{long[1:] + "é" + "b", "'" + long[1:] + "é…' (258 bytes)"}, // a two-byte character at the end of what is shown
		{strings.Repeat("a", 1<<20), "'" + long + "…' (1048576 bytes)"},
		{strings.Repeat("'", 300), "'" + strings.Repeat(`\'`, MaxShown) + "…' (300 bytes)"},
		{[]any{long, long, "x"}, "['" + long + "', …]"},
		{map[string]any{long + "k": 1.0}, "{" + long + "… (257 bytes): 1}"},
		{NewUnknown(UnknownSet, "known after apply: "+long), "(unknown: known after apply: " + long[:MaxShown-19] + "… (275 bytes))"},
		{nil, "null"},
		{true, "true"},
		{1.5, "1.5"},
		{-2e21, "-2e+21"},
		{[]any{"a", 2.0}, "['a', 2]"},
		{map[string]any{"b": 1.0, "a": "x"}, "{a: 'x', b: 1}"},
		{NewUnknown(UnknownMaybeNull, "var.x has no value"), "(unknown, maybe null: var.x has no value)"},
	} {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%#v) = %s, want %s", tt.in, got, tt.want)
		}
		if got := string(AppendFormat([]byte("x="), tt.in)); got != "x="+tt.want {
			t.Errorf("AppendFormat(%#v) = %s, want x=%s", tt.in, got, tt.want)
		}
	}
}
