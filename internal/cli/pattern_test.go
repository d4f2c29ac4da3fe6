package cli

import (
	"strings"
	"testing"
)

func TestPatternCommand(t *testing.T) {
	const cis45 = "@testdata/pattern/cis-4.5.txt"
	tests := []struct {
		name  string
		stdin string
		args  []string
		// code is the exit code; out the whole standard output; errHas a
		// part of standard error.
		code   int
		out    string
		errHas string
	}{
		{name: "fmt", args: []string{"fmt", `{($.eventName="DeleteTrail")||($.eventName=CreateTrail)}`},
			out: "{ ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) }\n"},
		{name: "fmt from a file", args: []string{"fmt", cis45},
			out: "{ ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) || ($.eventName = UpdateTrail) }\n"},
		{name: "fmt parse error", args: []string{"fmt", `{ $.eventName = }`}, code: 2,
			errHas: "vigil: pattern: 1:17: expected a value after \"=\", found \"}\"\n | { $.eventName = }\n | ................^\n"},
		{name: "fmt missing file", args: []string{"fmt", "@testdata/pattern/nope.txt"}, code: 2, errHas: "pattern: open testdata/pattern/nope.txt"},
		{name: "equal", args: []string{"equal", cis45,
			`{($.eventName=StopLogging)||($.eventName="StartLogging")||($.eventName=DeleteTrail)||($.eventName=UpdateTrail)||($.eventName=CreateTrail)}`},
			out: "equal\n"},
		{name: "not equal names the clauses", args: []string{"equal", cis45,
			`{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = DeleteEventDataStore) }`},
			code: 1, out: "not equal\n  only in A: $.eventName = StopLogging\n  only in B: $.eventName = DeleteEventDataStore\n"},
		{name: "equal, B does not parse", args: []string{"equal", cis45, `{ $.a = 1 `}, code: 2,
			errHas: "vigil: pattern B: 1:11: expected \"&&\", \"||\" or \"}\", found end of pattern"},
		{name: "equal, A from a file does not parse", args: []string{"equal", "@testdata/pattern/bad.txt", cis45}, code: 2,
			errHas: "vigil: pattern A: testdata/pattern/bad.txt:1:34: expected a selector starting with \"$.\", found \"}\""},
		{name: "covers", args: []string{"covers",
			`{ ($.eventName = *Trail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`, cis45},
			out: "covers\n"},
		{name: "does not cover", args: []string{"covers", `{ $.eventName = *Trail }`, cis45}, code: 1,
			out: "does not cover\n  not covered: $.eventName = StartLogging\n  not covered: $.eventName = StopLogging\n"},
		{name: "match a file", args: []string{"match", cis45, "testdata/pattern/events.jsonl"},
			out: "UpdateTrail"},
		{name: "match stdin", stdin: "ERROR one\nWARN two\nERROR three\n", args: []string{"match", "ERROR -three", "-"},
			out: "ERROR one\n"},
		{name: "match stdin by default", stdin: "x 404 1\nx 200 2\n", args: []string{"match", "[a, status = 4*, b]"},
			out: "x 404 1\n"},
		{name: "match nothing", stdin: "INFO\n", args: []string{"match", "ERROR"}, code: 1, out: ""},
		{name: "match missing file", args: []string{"match", "ERROR", "testdata/pattern/nope.jsonl"}, code: 2,
			errHas: "nope.jsonl"},
		{name: "match line too long", stdin: strings.Repeat("x", maxEventBytes+1), args: []string{"match", "ERROR"}, code: 2,
			errHas: "standard input:1: event longer than 1048576 bytes"},
		{name: "wrong argument count", args: []string{"equal", "ERROR"}, code: 2, errHas: "accepts 2 arg(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := run(t, tt.stdin, append([]string{"pattern"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			if tt.name == "match a file" {
				if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 1 || !strings.Contains(out, `"eventName":"UpdateTrail"`) {
					t.Errorf("out %q, want the one UpdateTrail event", out)
				}
			} else if out != tt.out {
				t.Errorf("out:\n%s\nwant:\n%s", out, tt.out)
			}
			if !strings.Contains(stderr, tt.errHas) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.errHas)
			}
		})
	}
}

// TestPatternMatchConsoleLoginFailures runs the CIS 4.6 pattern over the
// CloudTrail examples: two of them are failed console sign-ins.
func TestPatternMatchConsoleLoginFailures(t *testing.T) {
	code, out, stderr := run(t, "", "pattern", "match",
		`{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`, "testdata/pattern/events.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(out, "\n"); n != 2 || strings.Count(out, `"errorMessage":"Failed authentication"`) != 2 {
		t.Errorf("got %d events:\n%s", n, out)
	}
}
