package entity

import (
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	long := strings.Repeat("a", 198)
	for _, tt := range []struct {
		in   any
		want string
	}{
		{"", "''"},
		{"main", "'main'"},
		{"it's", `'it\'s'`},
		{long, "'" + long + "'"},               // 200 bytes: not cut
		{long + "b", "'" + long[:196] + "..."}, // 201 bytes: cut at 197
		{strings.Repeat("'", 100), "'" + strings.Repeat(`\'`, 98) + "..."},
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
