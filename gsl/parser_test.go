package gsl

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"vigil/diag"
)

// corpusRule is one line of testdata/gsl-corpus.jsonl.
type corpusRule struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Logic string `json:"logic"`
}

func loadCorpus(t testing.TB) []corpusRule {
	t.Helper()
	f, err := os.Open("testdata/gsl-corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusRule
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r corpusRule
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if len(out) != 42 {
		t.Fatalf("corpus has %d rules, want 42", len(out))
	}
	return out
}

// astEqual compares rules ignoring spans.
var astEqual = cmp.Options{
	cmpopts.IgnoreUnexported(Rule{}, Logical{}, Not{}, Paren{}, Path{}, Self{}, Literal{}, Compare{}, In{}, Like{}, Regex{}, ListOp{}, Call{}),
	cmpopts.IgnoreFields(Rule{}, "EntitySpan"),
}

// TestCorpusRoundTrip: every published rule parses, compiles, prints
// canonically, and reads back to the same tree; printing is idempotent.
func TestCorpusRoundTrip(t *testing.T) {
	for _, c := range loadCorpus(t) {
		t.Run(c.ID+" "+c.Name, func(t *testing.T) {
			r, err := Parse(c.Logic)
			if err != nil {
				t.Fatalf("parse %q: %v", c.Logic, err)
			}
			if _, err := Compile(c.Logic, WithPatterns(stubPatterns{})); err != nil {
				t.Fatalf("compile %q: %v", c.Logic, err)
			}
			s := Format(r)
			r2, err := Parse(s)
			if err != nil {
				t.Fatalf("reparse %q: %v", s, err)
			}
			if d := cmp.Diff(r, r2, astEqual); d != "" {
				t.Errorf("Parse(Format(r)) differs (-want +got):\n%s", d)
			}
			if s2 := Format(r2); s2 != s {
				t.Errorf("Format not idempotent:\n%s\n%s", s, s2)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CloudTrail should have isMultiRegionTrail=true", "CloudTrail should have isMultiRegionTrail = true"},
		// D22: keywords are case-insensitive and print in lower case.
		{"CloudTrail SHOULD NOT Have a=1 AND b OR NOT c", "CloudTrail should not have a = 1 and b or not c"},
		{"list<CloudTrail> should items Contain-All [x]", "List<CloudTrail> should have items contain-all [x]"},
		// D34: a trailing where prints as a leading one.
		{"PostgreSQL should have logsConfiguration with [value='ON'] where name='connection_throttling'",
			"PostgreSQL where name = 'connection_throttling' should have logsConfiguration with [value = 'ON']"},
		{"Instance should have vpc exclude name='test'", "Instance should have vpc exclude name = 'test'"},
		// Double quotes and escapes (D23) print single-quoted.
		{`X should have a="it's" and b='c:\\d\e'`, `X should have a = 'it\'s' and b = 'c:\\d\\e'`},
		{"X should have a regexMatch /a\\/b/i", "X should have a regexMatch /a\\/b/i"},
		{"X should have a=-1.50 and b=1e3 and c=0.000001", "X should have a = -1.5 and b = 1000 and c = 0.000001"},
		{"X should have ( a or b ) and c", "X should have (a or b) and c"},
		{"X should have a groupBy [b] contain-all [values length() > 3]", "X should have a groupBy [b] contain-all [values length() > 3]"},
		{"X should have policy.Statement contain [Condition.Bool.aws:SecureTransport='false']", "X should have policy.Statement contain [Condition.Bool.aws:SecureTransport = 'false']"},
		{"X", "X"},
		{"VPC should fail", "VPC should have fail"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := Format(r); got != tt.want {
				t.Errorf("Format = %q, want %q", got, tt.want)
			}
			r2, err := Parse(Format(r))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(r, r2, astEqual); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
		})
	}
}

// TestFormatHandBuilt: Format adds the parentheses a hand-built tree needs.
func TestFormatHandBuilt(t *testing.T) {
	a, b, c := &Path{Segments: []string{"a"}}, &Path{Segments: []string{"b"}}, &Path{Segments: []string{"c"}}
	r := &Rule{Entity: "X", Should: true, Cond: &Logical{Op: And, Operands: []Expr{
		&Logical{Op: Or, Operands: []Expr{a, b}}, &Not{X: &Logical{Op: And, Operands: []Expr{b, c}}}}}}
	if got, want := Format(r), "X should have (a or b) and not (b and c)"; got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
}

// TestParseTree pins the shape of precedence and chaining.
func TestParseTree(t *testing.T) {
	r, err := Parse("X should have a or b and c")
	if err != nil {
		t.Fatal(err)
	}
	or, ok := r.Cond.(*Logical)
	if !ok || or.Op != Or || len(or.Operands) != 2 {
		t.Fatalf("want or at the top: %#v", r.Cond)
	}
	if and, ok := or.Operands[1].(*Logical); !ok || and.Op != And {
		t.Errorf("and binds tighter than or: %#v", or.Operands[1])
	}
	r, err = Parse("X should have metricFilters with [p] length() > 0")
	if err != nil {
		t.Fatal(err)
	}
	cmpNode := r.Cond.(*Compare)
	call := cmpNode.X.(*Call)
	if call.Name != "length" || call.X.(*ListOp).Op != With {
		t.Errorf("chaining: %#v", cmpNode)
	}
}

// malformed are rules with their exact compile errors (line:col: message).
var malformed = []struct{ src, want string }{
	{"", "1:1: expected an entity type such as CloudTrail or List<CloudTrail>, found end of rule"},
	{"true", "1:1: expected an entity type such as CloudTrail or List<CloudTrail>, found keyword 'true'"},
	{"CloudTrail should", "1:18: expected a condition: a field name, '$', '(', 'not' or a value, found end of rule"},
	{"CloudTrail should have isMultiRegionTrail=", "1:43: expected a value after '=', found end of rule"},
	{"CloudTrail should have (a or b", "1:31: expected ')' to close the '(' at 1:24, found end of rule"},
	{"CloudTrail should have items with [a = 1", "1:41: expected ']' to close the '[' at 1:35, found end of rule"},
	{"CloudTrail should have x in ('a', 'b'", "1:38: expected ')' to close the '(' at 1:29, found end of rule"},
	{"CloudTrail should have x = 'abc", "1:28: unterminated string: no closing ' for the quote opened at 1:28"},
	{"CloudTrail should have x regexMatch /abc", "1:37: unterminated regular expression: no closing / for the one at 1:37"},
	{"CloudTrail should have x regexMatch /abc/g", "1:42: unknown regular expression flag 'g': the only flag is 'i'"},
	{"CloudTrail should have x regexMatch 'abc'", "1:37: expected a regular expression /.../ after 'regexMatch', found string 'abc'"},
	{"CloudTrail should have x like 5", "1:31: expected a quoted pattern after 'like', found number 5"},
	{"CloudTrail should have x isEmptyy()", "1:26: unknown function isEmptyy(): did you mean isEmpty()?"},
	{"CloudTrail should have x isEmpty(1)", "1:26: isEmpty() takes no arguments, found 1"},
	{"CloudTrail should have x after(-1)", "1:26: after() takes 2 arguments (amount, unit), found 1"},
	{"CloudTrail should have x after('x', 'days')", "1:32: after() amount: want a whole number, found 'x'"},
	{"CloudTrail should have x after(-1, 'fortnights')", "1:36: after() unit: unknown time unit 'fortnights': use seconds, minutes, hours, days, weeks, months or years"},
	{"CloudTrail should have x after(1.5, 'days')", "1:32: after() amount: want a whole number, found 1.5"},
	{"CloudTrail should have x inCIDR('10.0.0.0')", "1:33: inCIDR() cidr: '10.0.0.0' is not a CIDR block such as '10.0.0.0/8'"},
	{"CloudTrail should have x regexMatch /a(b/", "1:37: invalid regular expression: missing closing ): `a(b`"},
	{"CloudTrail should have x with a = 1", "1:31: expected '[' after 'with', found name 'a'"},
	{"CloudTrail should have x contain-some [a]", "1:26: expected 'contain-any', 'contain-all' or 'contain-none' after 'contain-'"},
	{"CloudTrail should have a & b", "1:26: unexpected character '&'"},
	{"CloudTrail should have a ! b", "1:26: unexpected '!': did you mean '!=' or 'not'?"},
	{"List<CloudTrail should have x", "1:16: expected '>' to close 'List<CloudTrail', found a space"},
	{"CloudTrail where a should have b where c", "1:34: a rule may have only one 'where': this one follows a leading 'where'"},
	{"CloudTrail should have a b", "1:26: expected an operator, 'and', 'or' or end of rule, found name 'b'"},
	{"CloudTrail should have x = 1e999", "1:28: number 1e999 is out of range"},
	{"CloudTrail should have status. = 1", "1:30: expected a field name after '.' in path 'status', found a space"},
	{"CloudTrail should have x isFilterPatternEqual('a')", "1:26: isFilterPatternEqual() needs the filter-pattern functions, which are not available here"},
	{"CloudTrail should have items with []", "1:36: expected a condition inside '[ ]', found ']'"},
	{"CloudTrail should have x in ()", "1:30: expected a quoted string, number, true or false in the list after 'in', found ')'"},
	{"CloudTrail should not", "1:22: expected a condition: a field name, '$', '(', 'not' or a value, found end of rule"},
	{"cloudtrail where", "1:17: expected a condition: a field name, '$', '(', 'not' or a value, found end of rule"},
	{"CloudTrail should have x lenght() > 0", "1:26: unknown function lenght(): did you mean length()?"},
	{"CloudTrail should have x = y.z.", "1:31: expected a field name after '.' in path 'y.z', found end of rule"},
	{"CloudTrail should have x =\n  (y", "2:3: expected a value after '=', found '('"},
	{"CloudTrail should have not", "1:27: expected a condition: a field name, '$', '(', 'not' or a value, found end of rule"},
	{"CloudTrail have x", "1:12: expected 'where', 'should' or end of rule, found keyword 'have'"},
	{"CloudTrail should have x = 1 where", "1:35: expected a condition: a field name, '$', '(', 'not' or a value, found end of rule"},
	{"status.isLogging should have x", "1:1: expected an entity type such as CloudTrail or List<CloudTrail>, found name 'status.isLogging'"},
	{"CloudTrail should have x after(-1, 5)", "1:36: after() unit: want a quoted string, found 5"},
	{"CloudTrail should have x inCIDR(10)", "1:33: inCIDR() cidr: want a quoted string, found 10"},
	{"CloudTrail should have x foo(1) and y bar()", "1:26: unknown function foo()\n1:39: unknown function bar()"},
}

func TestMalformed(t *testing.T) {
	if len(malformed) < 25 {
		t.Fatalf("only %d malformed cases", len(malformed))
	}
	for _, tt := range malformed {
		t.Run(tt.src, func(t *testing.T) {
			_, err := Compile(tt.src)
			if err == nil {
				t.Fatal("compiled")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n got %q\nwant %q", got, tt.want)
			}
			var d *Diagnostic
			if !errors.As(err, &d) {
				t.Errorf("error %T is not a *Diagnostic", err)
			}
		})
	}
}

// TestDepthLimit (D25): nesting beyond MaxDepth is a positioned error even
// for balanced input, for parentheses, brackets and not.
func TestDepthLimit(t *testing.T) {
	n := MaxDepth + 1
	tests := []struct{ src, want string }{
		{"X should have " + strings.Repeat("(", n) + "a" + strings.Repeat(")", n), "1:271: nesting deeper than 256"},
		{"X should have " + strings.Repeat("a with [", n) + "b" + strings.Repeat("]", n), "1:2070: nesting deeper than 256"},
		{"X should have " + strings.Repeat("not ", n) + "a", "1:1039: nesting deeper than 256"},
		{"X should have " + strings.Repeat("(", 15000), "1:271: nesting deeper than 256"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%.30q...) = %v, want %s", tt.src, err, tt.want)
		}
	}
	ok := "X should have " + strings.Repeat("(", MaxDepth) + "a" + strings.Repeat(")", MaxDepth)
	if _, err := Parse(ok); err != nil {
		t.Errorf("depth %d: %v", MaxDepth, err)
	}
}

func TestSizeLimits(t *testing.T) {
	_, err := Parse("X should have a = '" + strings.Repeat("x", MaxSourceBytes) + "'")
	if err == nil || !strings.Contains(err.Error(), "rule is longer than 65536 bytes") {
		t.Errorf("long rule: %v", err)
	}
	_, err = Parse("X should have " + strings.Repeat("a and ", 6000) + "a")
	if err == nil || !strings.Contains(err.Error(), "more than 10000 nodes") {
		t.Errorf("many nodes: %v", err)
	}
}

func TestRender(t *testing.T) {
	_, err := Compile("CloudTrail should have\n\tstatus.isLogging = true and\n\t(a or b")
	want := `rule.gsl:3:9: expected ')' to close the '(' at 3:2, found end of rule
 | 	(a or b
 | ........^`
	want = strings.Replace(want, "\t", " ", 1)
	if got := diag.AsList(err).In("rule.gsl", Pos{}).Render(); got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
	_, err = Compile("X should have a foo() and b bar()")
	want = `r:1:17: unknown function foo()
 | X should have a foo() and b bar()
 | ................^
r:1:29: unknown function bar()
 | X should have a foo() and b bar()
 | ............................^`
	if got := diag.AsList(err).In("r", Pos{}).Render(); got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
}

func TestIn(t *testing.T) {
	_, err := Compile("X should have a isEmty()")
	got := diag.AsList(err)[0].In("rules.txt", Pos{Offset: 40, Line: 3, Col: 1}).Render()
	want := "rules.txt:3:17: unknown function isEmty(): did you mean isEmpty()?\n | X should have a isEmty()\n | ................^"
	if got != want {
		t.Errorf("In(...).Render():\n%s\nwant:\n%s", got, want)
	}
}

// TestInShiftsOpening: the position where an unclosed bracket or quote
// opened moves with the rule.
func TestInShiftsOpening(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"X should have (a and b", "f:8:23: expected ')' to close the '(' at 8:15, found end of rule"},
		{"X should have a = 'b", "f:8:19: unterminated string: no closing ' for the quote opened at 8:19"},
		{"X should have a regexMatch /b", "f:8:28: unterminated regular expression: no closing / for the one at 8:28"},
	} {
		_, err := Parse(tt.src)
		if got := diag.AsList(err)[0].In("f", Pos{Line: 8, Col: 1}).Error(); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

// TestErrorCap: one compile reports at most maxErrors errors.
func TestErrorCap(t *testing.T) {
	src := "X should have " + strings.Repeat("a nope() and ", 14) + "a nope()"
	_, err := Compile(src)
	l := diag.AsList(err)
	if len(l) != maxErrors || strings.Count(err.Error(), "\n") != maxErrors-1 {
		t.Errorf("%d errors: %v", len(l), err)
	}
}

// TestTraceLineCap: an explanation stops at maxTraceLines lines.
func TestTraceLineCap(t *testing.T) {
	// Nested lists of 10 traced elements each: 10*10*10 leaves.
	inner := []any{}
	for range 10 {
		inner = append(inner, map[string]any{"c": 1})
	}
	mid := []any{}
	for range 10 {
		mid = append(mid, map[string]any{"b": inner})
	}
	outer := []any{}
	for range 10 {
		outer = append(outer, map[string]any{"a2": mid})
	}
	p := MustCompile("X should have a with [a2 with [b with [c = 2]]]")
	ex := p.Explain(map[string]any{"a": outer}, testNow)
	if len(ex.Lines) != maxTraceLines+1 || ex.Lines[maxTraceLines] != "... (trace cut at 500 lines)" {
		t.Errorf("%d lines, last %q", len(ex.Lines), ex.Lines[len(ex.Lines)-1])
	}
}
