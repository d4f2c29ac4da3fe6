package filterpattern

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		// want is the whole rendered error.
		want string
	}{
		{"missing value", `{ $.eventName = }`, `1:17: expected a value after "=", found "}"`},
		{"double equals", `{ $.eventName == a }`, `1:16: only one comparison operator is allowed, found "=" after "="`},
		{"not-equals then equals", `{ $.eventName !== a }`, `1:17: only one comparison operator is allowed, found "=" after "!="`},
		{"operator after value", `{ $.eventName != a !=}`, `1:20: expected "&&", "||" or "}", found "!="`},
		{"extra closing parenthesis", `{ ( $.a = b )) }`, `1:14: unbalanced parentheses: found ")" with no "(" before it`},
		{"unclosed parenthesis", `{ ($.a = b }`, `1:12: expected "&&", "||" or ")" to close the "(" at 1:3, found "}"`},
		{"missing closing brace", `{ $.a = b`, `1:10: expected "&&", "||" or "}", found end of pattern`},
		{"no selector", `{ eventName = b }`, `1:3: expected a selector starting with "$.", found "eventName"`},
		{"bare dollar", `{ $ = b }`, `1:5: expected "." and a property name after "$", found "="`},
		{"bad index", `{ $.a[x] = b }`, `1:7: expected an array index (a number) after "[", found "x"`},
		{"unclosed index", `{ $.a[0 = b }`, `1:9: expected "]" after the array index, found "="`},
		{"no operator", `{ $.a b }`, `1:7: expected a comparison (=, !=, <, <=, >, >=, IS or NOT EXISTS), found "b"`},
		{"IS what", `{ $.a IS MAYBE }`, `1:10: expected NULL, TRUE or FALSE after IS, found "MAYBE"`},
		{"NOT what", `{ $.a NOT THERE }`, `1:11: expected EXISTS after NOT, found "THERE"`},
		{"ordering needs a number", `{ $.a > abc }`, `1:9: expected a number after ">", found "abc"`},
		{"ordering with wildcard", `{ $.a >= 4* }`, `1:10: expected a number after ">=", found "4*"`},
		{"unterminated string", `{ $.a = "abc }`, `1:9: unterminated string: expected a closing "`},
		{"bad regex", `{ $.a = %a(b% }`, "1:10: bad regular expression: error parsing regexp: missing closing ): `a(b`"},
		{"empty braces", `{ }`, `1:3: expected a condition such as $.eventName = CreateTrail, found "}"`},
		{"trailing text", `{ $.a = b } x`, `1:13: expected the end of the pattern after "}", found "x"`},
		{"dangling &&", `{ $.a = b && }`, `1:14: expected a selector starting with "$.", found "}"`},
		{"term prefix alone", `ERROR -`, `1:7: expected a term after "-"`},
		{"unterminated term", `ERROR "abc`, `1:7: unterminated string: expected a closing "`},
		{"delimited empty", `[]`, `1:2: expected a field name or "...", found "]"`},
		{"delimited unclosed", `[a, b`, `1:6: expected "," or "]", found end of pattern`},
		{"delimited unknown field", `[a, b = 1 && c = 2]`, `1:14: "c" is not a field of this pattern`},
		{"delimited duplicate", `[a, a = 1]`, `1:5: field "a" is named twice`},
		{"delimited IS", `[a IS NULL]`, `1:4: expected a comparison (=, !=, <, <=, >, >=), "," or "]" after the field name, found "IS"`},
		{"multi-line", "{\n  $.a = \n}", `3:1: expected a value after "=", found "}"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.pattern)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded", tt.pattern)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse(%q):\n got  %s\n want %s", tt.pattern, err, tt.want)
			}
			var perr *Error
			if !errors.As(err, &perr) || perr.Line < 1 || perr.Source != strings.Split(tt.pattern, "\n")[perr.Line-1] {
				t.Errorf("error is not an *Error carrying the pattern's line: %#v", err)
			}
		})
	}
}

func TestErrorSnippet(t *testing.T) {
	_, err := Parse("{ $.eventName =\t}")
	want := " | { $.eventName = }\n | ................^"
	if got := err.(*Error).Snippet(); got != want {
		t.Errorf("Snippet:\n%s\nwant\n%s", got, want)
	}
}

func TestParseAccepts(t *testing.T) {
	for _, src := range []string{
		``, `""`, `" "`, `ERROR`, `?ERROR ?WARN`, `ERROR -DEBUG`, `"Failed authentication"`, `%ERR[A-Z]+%`,
		`{ $.latency >= 500 }`, `{ $.numbers[0] < 10e3 }`, `{ $.numbers[0] < 10e-3 }`,
		`{ $.processes[4].averageRuntime <= 55.5 }`, `{ $.errorCode != 500 }`, `{ $.latency > +1000 }`,
		`{ $.latency = * }`, `{ $.ThisFlag IS FALSE }`, `{ $.a = %^ab+c$% }`, `{ $.coordinates[0][1] = nonmatch }`,
		`{((((((((((((($.a=b)&&($.a=b))&&($.a=b))&&($.a=b))&&($.a=b))&&($.a=b))&&($.a=b))&&($.a=b))&&($.a=b))&&($.a=b))&&($.a=b))&&($.a=b)))}`,
		`[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]`,
		`[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]`,
		`[..., request=*.html*, status_code=4*,]`, `[ip, user, ...]`, `[w1!=ERROR&&w1!=WARN, w2]`,
		`[a, (b = 1 || b = 2) && b != 3]`,
	} {
		if _, err := Parse(src); err != nil {
			t.Errorf("Parse(%q): %v", src, err)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{($.eventName=CreateTrail) || ($.eventName="UpdateTrail")}`,
			`{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) }`},
		{`{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }`,
			`{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }`},
		{`{ $.a = "x y" && $.b = "q\"r" && $.c = "" }`, `{ ($.a = "x y") && ($.b = "q\"r") && ($.c = "") }`},
		{`{ $.errorMessage = Failed authentication }`, `{ $.errorMessage = "Failed authentication" }`},
		{`{ $.n > +1e3 }`, `{ $.n > 1000 }`},
		{`{ $.a is null }`, `{ $.a IS NULL }`},
		{`-DEBUG "ERROR" ?b ?a "x y"`, `"x y" ERROR ?a ?b -DEBUG`},
		{`[ ip ,user, ... , status_code = 4* && bytes > 1000, bytes ]`, `[ip, user, ..., status_code = 4*, bytes > 1000]`},
		{`[a, b = 2 || b = 1, c]`, `[a, b = 1 || b = 2, c]`},
		{`[a, b = 2 || a = 1 && b != 3]`, `[a, b = 2 || (a = 1 && b != 3)]`},
	}
	for _, tt := range tests {
		p := mustParse(t, tt.in)
		if got := Format(p); got != tt.want {
			t.Errorf("Format(%s)\n got  %s\n want %s", tt.in, got, tt.want)
		}
		if q := mustParse(t, Format(p)); !Equal(p, q) {
			t.Errorf("Format(%s) = %s does not parse back to an equal pattern", tt.in, Format(p))
		}
	}
}

func TestLimits(t *testing.T) {
	t.Run("MaxPatternBytes", func(t *testing.T) {
		_, err := Parse(strings.Repeat("a", MaxPatternBytes+1))
		if err == nil || !strings.Contains(err.Error(), "pattern longer than") {
			t.Errorf("err = %v", err)
		}
		if _, err := Parse(strings.Repeat("a", MaxPatternBytes)); err != nil {
			t.Errorf("a pattern of exactly MaxPatternBytes: %v", err)
		}
	})
	t.Run("MaxDepth", func(t *testing.T) {
		deep := "{ " + strings.Repeat("(", MaxDepth+1) + "$.a = 1" + strings.Repeat(")", MaxDepth+1) + " }"
		_, err := Parse(deep)
		if err == nil || !strings.Contains(err.Error(), "nesting deeper than 64") {
			t.Errorf("err = %v", err)
		}
		ok := "{ " + strings.Repeat("(", MaxDepth) + "$.a = 1" + strings.Repeat(")", MaxDepth) + " }"
		if _, err := Parse(ok); err != nil {
			t.Errorf("nesting of exactly MaxDepth: %v", err)
		}
	})
	t.Run("MaxFields", func(t *testing.T) {
		_, err := Parse("[" + strings.Repeat("...,", MaxFields) + "a]")
		if err == nil || !strings.Contains(err.Error(), "more than 256 fields") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("MaxMatchSteps", func(t *testing.T) {
		// Forty ellipses and a last field that never matches: without the
		// step budget this search is astronomically long.
		p := mustParse(t, "["+strings.Repeat("...,", 40)+"x = nomatch]")
		event := strings.Repeat("w ", 200)
		if p.Match(event) {
			t.Error("matched")
		}
	})
	t.Run("invalid UTF-8", func(t *testing.T) {
		_, err := Parse("{ $.a = \xff }")
		if err == nil || err.Error() != "1:9: invalid UTF-8" {
			t.Errorf("err = %v", err)
		}
	})
}
