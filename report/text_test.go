package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/text"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// fakeCode is a CodeReader over files held in memory.
type fakeCode map[string]string

func (c fakeCode) Lines(file string, first, last int) []string {
	src, ok := c[file]
	if !ok {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if first < 1 || first > len(lines) {
		return nil
	}
	return lines[first-1 : min(last, len(lines))]
}

// fixtureCode holds the Terraform files of the fixture: main.tf with the
// blocks of aws_cloudtrail.main (lines 12 to 24, longer than the report
// shows) and aws_cloudtrail.legacy (31 to 36), and the module's trail.tf
// with a tab, wide characters and a line longer than any terminal.
var fixtureCode = fakeCode{
	"infra/prod/main.tf": strings.Repeat("\n", 11) + `resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = aws_s3_bucket.trail.id
  is_multi_region_trail = true
  enable_logging        = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }

  tags = local.tags
}
` + strings.Repeat("\n", 5) + `# vigil:ignore:D9.TF.AWS.LOG.03 trail is deleted in the next release
resource "aws_cloudtrail" "legacy" {
  name           = "legacy"
  s3_bucket_name = "legacy-trail-logs"
}
`,
	"infra/modules/audit/trail.tf": "\n\nresource \"aws_cloudtrail\" \"this\" {\n\tcount = var.enabled ? 1 : 0\n" +
		"  name  = \"監査ログ-" + strings.Repeat("x", 300) + "\"\n  cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\"\n}\n",
}

func TestGoldenTextLayouts(t *testing.T) {
	cases := []struct {
		name string
		run  func() *engine.Run
		opts Options
	}{
		{"code-80", fixtureRun, Options{Tool: tool, Width: 80, Code: fixtureCode}},
		{"code-120", fixtureRun, Options{Tool: tool, Width: 120, Code: fixtureCode}},
		{"compact", fixtureRun, Options{Tool: tool, Compact: true, Code: fixtureCode}},
		{"compact-show-pass-60", fixtureRun, Options{Tool: tool, Compact: true, ShowPass: true, Width: 60}},
		{"input-failures-80", inputFailuresRun, Options{Tool: tool, Width: 80}},
		{"families-120", familiesRun, Options{Tool: tool, Width: 120}},
		{"explain-80", fixtureRun, Options{Tool: tool, Width: 80, Explain: true}},
		{"explain-compact", fixtureRun, Options{Tool: tool, Compact: true, Explain: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, "text", tc.name+".txt", write(t, "text", tc.run(), tc.opts))
		})
	}
}

// familiesRun is a scan of two accounts with the CIS monitoring rules: on
// one the fifteen findings say the same thing, on the other they differ
// in the event each rule watches, and on a third they differ more.
func familiesRun() *engine.Run {
	events := []string{"unauthorized API calls", "sign-in without MFA", "usage of the root account", "IAM policy changes"}
	run := &engine.Run{Started: started, Scopes: []entity.Scope{
		{Kind: entity.ScopeAWSAccount, ID: "111111111111"}, {Kind: entity.ScopeAWSAccount, ID: "222222222222"},
		{Kind: entity.ScopeAWSAccount, ID: "333333333333"}}}
	for i, event := range events {
		r := &rules.Rule{ID: fmt.Sprintf("VIGIL.AWS.MON.%02d", i+1), Title: "Ensure " + event + " are monitored",
			Severity: rules.Medium, Entity: "CloudTrail", Category: "Monitoring",
			References:  []string{"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html"},
			Remediation: rules.Remediation{CLI: "aws logs put-metric-filter --filter-name " + strings.ReplaceAll(event, " ", "-")}}
		if i == 2 {
			r.Severity = rules.High
		}
		run.Findings = append(run.Findings,
			&engine.Finding{Rule: r, Result: engine.Fail, Underlying: engine.Fail, Scope: "111111111111",
				Message: "No trail of account 111111111111 has a metric filter with an alarm: the account has no trail."},
			&engine.Finding{Rule: r, Result: engine.Fail, Underlying: engine.Fail, Scope: "222222222222",
				Message: "No trail of account 222222222222 has a metric filter for " + event +
					" with an alarm that notifies a confirmed subscriber. Closest: main (us-east-1) has no such filter."},
			&engine.Finding{Rule: r, Result: engine.Fail, Underlying: engine.Fail, Scope: "333333333333",
				Message: fmt.Sprintf("Trail %d of %d in account 333333333333 lacks %s", i, 4*i+1, strings.Repeat("a filter ", i+1))},
		)
	}
	return run
}

// TestTextLinesFitTheWidth writes every fixture at several widths, in
// both layouts, with and without PASS, colour and explanations, and checks that no line
// is wider than the width in terminal columns (wide characters count two,
// escape sequences none), and that the compact layout keeps to 80.
func TestTextLinesFitTheWidth(t *testing.T) {
	runs := map[string]func() *engine.Run{"fixture": fixtureRun, "hostile": hostileRun, "input-failures": inputFailuresRun,
		"families": familiesRun, "large": func() *engine.Run { return largeRun(400) }}
	for name, run := range runs {
		for _, width := range []int{50, 80, 100, 120, 200} {
			for _, compact := range []bool{false, true} {
				for _, showPass := range []bool{false, true} {
					opts := Options{Tool: tool, Width: width, Compact: compact, ShowPass: showPass, Color: showPass, Explain: !showPass, Code: fixtureCode}
					out := write(t, "text", run(), opts)
					limit := width
					if compact {
						limit = min(width, 80)
					}
					checkWidth(t, fmt.Sprintf("%s at %d (compact %v, show-pass %v, explain %v)", name, width, compact, showPass, opts.Explain), out, limit)
					if name == "fixture" {
						opts.Framework = "CIS AWS Foundations v3.0.0"
						checkWidth(t, fmt.Sprintf("CIS 3.0.0 at %d (compact %v)", width, compact), write(t, "text", run(), opts), limit)
					}
				}
			}
		}
	}
}

// checkWidth fails the test for each line of out wider than width.
func checkWidth(t *testing.T, what string, out []byte, width int) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if w := text.StringWidthWithoutEscSequences(sc.Text()); w > width {
			t.Errorf("%s: line %d is %d columns wide:\n%s", what, n, w, sc.Text())
		}
	}
}

// TestTextDetailShowsCode: a finding on Terraform code shows the first
// lines of its block, numbered, tabs expanded, each cut to the width.
func TestTextDetailShowsCode(t *testing.T) {
	out := string(write(t, "text", fixtureRun(), Options{Width: 100, Code: fixtureCode}))
	for _, want := range []string{
		"aws_cloudtrail.main · infra/prod/main.tf:12\n  12 │ resource \"aws_cloudtrail\" \"main\" {\n",
		"  19 │     read_write_type           = \"All\"\n     │ … 5 more lines\n",
		"module.audit.aws_cloudtrail.this[0] · infra/modules/audit/trail.tf:3 · root module infra/prod\n" +
			"  3 │ resource \"aws_cloudtrail\" \"this\" {\n  4 │     count = var.enabled ? 1 : 0\n  5 │   name  = \"監査ログ-xxx",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Live resources have no code, and without a CodeReader there is none.
	if plain := string(write(t, "text", fixtureRun(), Options{Width: 100})); strings.Contains(plain, "│ resource") {
		t.Errorf("code shown without a CodeReader:\n%s", plain)
	}
}

func TestFamilyMessages(t *testing.T) {
	cases := []struct {
		name     string
		messages []string
		// want is the message each finding shows.
		want []string
	}{
		{"one", []string{"a b"}, []string{"a b"}},
		{"equal", []string{"a b c", "a b c", "a b c"}, []string{"a b c", "a b c", "a b c"}},
		{"the event differs", []string{
			"No trail has a metric filter for unauthorized API calls with an alarm. Closest: main has no such filter.",
			"No trail has a metric filter for root account usage with an alarm. Closest: main has no such filter.",
		}, []string{
			"No trail has a metric filter for … with an alarm. Closest: main has no such filter.",
			"No trail has a metric filter for … with an alarm. Closest: main has no such filter.",
		}},
		{"too much differs", []string{"the trail main has 3 filters and no alarm", "the trail main has 0 filters and 2 alarms on other metrics"},
			[]string{"the trail main has 3 filters and no alarm", "the trail main has 0 filters and 2 alarms on other metrics"}},
		{"nothing shared", []string{"a b c", "d e f"}, []string{"a b c", "d e f"}},
		{"a middle too long", []string{strings.Repeat("x ", 200) + strings.Repeat("y", 101) + " z", strings.Repeat("x ", 200) + "w z"},
			[]string{strings.Repeat("x ", 200) + strings.Repeat("y", 101) + " z", strings.Repeat("x ", 200) + "w z"}},
		{"a third or more differs", []string{"x " + strings.Repeat("y", 61) + " z", "x w z"}, []string{"x " + strings.Repeat("y", 61) + " z", "x w z"}},
		{"one is a prefix of the other", []string{"a b c d e f", "a b c d e f g"}, []string{"a b c d e f …", "a b c d e f …"}},
		{"punctuation stays", []string{"No trail alerts on root usage: none is multi-region, and nothing else is wrong here",
			"No trail alerts on VPC changes: none is multi-region, and nothing else is wrong here"},
			[]string{"No trail alerts on …: none is multi-region, and nothing else is wrong here",
				"No trail alerts on …: none is multi-region, and nothing else is wrong here"}},
		{"runs", []string{
			"No trail alerts on root usage: staging-main is not logging, and nothing else is wrong with it at all",
			"No trail alerts on VPC changes: staging-main is not logging and has no such filter, and nothing else",
			"No trail alerts on IAM changes: staging-main is not logging and has no such filter, and nothing else",
			"something else",
		}, []string{
			"No trail alerts on root usage: staging-main is not logging, and nothing else is wrong with it at all",
			"No trail alerts on … changes: staging-main is not logging and has no such filter, and nothing else",
			"No trail alerts on … changes: staging-main is not logging and has no such filter, and nothing else",
			"something else",
		}},
	}
	for _, tc := range cases {
		var fs []*engine.Finding
		for _, m := range tc.messages {
			fs = append(fs, &engine.Finding{Message: m})
		}
		if got := familyMessages(fs); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestTextFamilies: the findings of one account that share result,
// category and link are written as one family, with one message, fix and
// link, and a message that differs is written after its own headline.
func TestTextFamilies(t *testing.T) {
	out := string(write(t, "text", familiesRun(), Options{}))
	if n := strings.Count(out, "See https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html"); n != 3 {
		t.Errorf("%d links, want one per account:\n%s", n, out)
	}
	for _, want := range []string{
		"No trail of account 111111111111 has a metric filter with an alarm: the account has no trail.\n    See",
		"No trail of account 222222222222 has a metric filter for … with an alarm that notifies a confirmed subscriber. Closest: main",
		"VIGIL.AWS.MON.03  Ensure usage of the root account are monitored\n    Trail 2 of 9 in account 333333333333",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The fixes differ: none is shown.
	if strings.Contains(out, "Fix:") {
		t.Errorf("a family whose fixes differ shows one:\n%s", out)
	}
}

// TestTextFixOfTheRightKind: a finding on code gets the Terraform fix, a
// live one the command line, an ERROR how to restore the data (or nothing,
// when the engine knows no way); a fix of more than one line is left to the
// formats that have room for it.
func TestTextFixOfTheRightKind(t *testing.T) {
	rule := &rules.Rule{ID: "R", Title: "T", Severity: rules.High, Entity: "CloudTrail"}
	fix := rules.Remediation{Console: "Open the console", CLI: "aws cloudtrail update-trail --name x", Terraform: "is_multi_region_trail = true"}
	run := &engine.Run{Started: started, Scopes: []entity.Scope{{Kind: entity.ScopeTerraformModule, ID: "infra"}, {Kind: entity.ScopeAWSAccount, ID: "1"}},
		Findings: []*engine.Finding{
			{Rule: rule, Result: engine.Fail, Entity: &entity.Entity{ID: "aws_cloudtrail.x", Scope: "infra", Origin: entity.Origin{File: "infra/main.tf", Start: entity.Pos{Line: 1}}}, Remediation: fix},
			{Rule: rule, Result: engine.Fail, Scope: "infra", Remediation: fix},
			{Rule: rule, Result: engine.Fail, Entity: &entity.Entity{ID: "arn:x", Scope: "1", Region: "eu-west-1"}, Remediation: fix},
			{Rule: rule, Result: engine.Fail, Scope: "1", Remediation: rules.Remediation{Console: "Open the console"}},
			{Rule: rule, Result: engine.Fail, Entity: &entity.Entity{ID: "arn:y", Scope: "1"}, Remediation: rules.Remediation{CLI: "line one\nline two"}},
			{Rule: rule, Result: engine.Error, Entity: &entity.Entity{ID: "arn:z", Scope: "1"},
				Remediation: rules.Remediation{Console: "Allow cloudtrail:GetTrail to the identity vigil runs as, then scan again."}},
			{Rule: rule, Result: engine.Error, Entity: &entity.Entity{ID: "arn:zz", Scope: "1"}},
		}}
	out := string(write(t, "text", run, Options{}))
	for _, want := range []string{
		"aws_cloudtrail.x · infra/main.tf:1\n  High  FAIL   R  T\n    Fix: is_multi_region_trail = true\n",
		"root module infra\n  High  FAIL   R  T\n    Fix: is_multi_region_trail = true\n",
		"arn:x · account 1 · eu-west-1\n  High  FAIL   R  T\n    Fix: aws cloudtrail update-trail --name x\n",
		"account 1\n  High  FAIL   R  T\n    Fix: Open the console\n",
		"arn:y · account 1\n  High  FAIL   R  T\n    See vigil rules show R\n",
		"arn:z · account 1\n  High  ERROR  R  T\n    Fix: Allow cloudtrail:GetTrail to the identity vigil runs as, then scan again.\n",
		"arn:zz · account 1\n  High  ERROR  R  T\n    See vigil rules show R\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestWrapLine(t *testing.T) {
	cases := []struct {
		line        string
		first, rest int
		want        []string
	}{
		{"short", 10, 10, []string{"short"}},
		{"no limit at all here", 0, 0, []string{"no limit at all here"}},
		{"one two three four", 9, 9, []string{"one two", "three", "four"}},
		{"one two three four", 7, 9, []string{"one two", "three", "four"}},
		{"abcdefghij", 4, 4, []string{"abcd", "efgh", "ij"}},
		{"  name  = \"x\"  # aligned", 12, 20, []string{"  name  =", "\"x\"  # aligned"}},
		{"監査ログ監査ログ", 5, 5, []string{"監査", "ログ", "監査", "ログ"}},
		{"a       b", 3, 3, []string{"a", "b"}},
		{"word", 1, 1, []string{"w", "o", "r", "d"}},
	}
	for _, tc := range cases {
		if got := wrapLine(tc.line, tc.first, tc.rest); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapLine(%q, %d, %d) = %q, want %q", tc.line, tc.first, tc.rest, got, tc.want)
		}
	}
}

// TestWrapLineKeepsTheText wraps random text: every piece fits (but a
// character wider than the room), and the pieces hold the words of the
// line in order.
func TestWrapLineKeepsTheText(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "bb", "cccccccccccccccc", " ", "  ", "é", "監", "😀", "e\u0301", "x-y"}
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		line := b.String()
		first, rest := 1+rng.IntN(20), 1+rng.IntN(20)
		got := wrapLine(line, first, rest)
		for i, p := range got {
			room := rest
			if i == 0 {
				room = first
			}
			if w := stringWidth(p); w > room && stringWidth(strings.TrimSpace(p)) > 2 {
				t.Fatalf("wrapLine(%q, %d, %d): piece %q is %d wide", line, first, rest, p, w)
			}
		}
		if a, b := strings.Join(strings.Fields(line), ""), strings.Join(strings.Fields(strings.Join(got, "")), ""); a != b {
			t.Fatalf("wrapLine(%q, %d, %d) = %q lost text", line, first, rest, got)
		}
	}
}

func TestCutLine(t *testing.T) {
	for _, tc := range []struct {
		line  string
		width int
		want  string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"監査ログ", 5, "監査…"},
		{"abc", 0, "abc"},
	} {
		if got := cutLine(tc.line, tc.width); got != tc.want {
			t.Errorf("cutLine(%q, %d) = %q, want %q", tc.line, tc.width, got, tc.want)
		}
		if got := cutLeft(tc.line, tc.width); stringWidth(got) > max(tc.width, stringWidth(tc.line)*boolInt(tc.width <= 0)) {
			t.Errorf("cutLeft(%q, %d) = %q is too wide", tc.line, tc.width, got)
		}
	}
	if got := cutLeft("arn:aws:cloudtrail:eu-west-1:1:trail/main", 12); got != "…:trail/main" {
		t.Errorf("cutLeft = %q", got)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestPrintableRun puts every byte at every place of a string of
// printable ASCII.
func TestPrintableRun(t *testing.T) {
	const n = 19 // two words of eight bytes and a tail
	for c := range 256 {
		printable := c >= ' ' && c <= '~'
		for i := range n {
			s := []byte(strings.Repeat("~", n))
			s[i] = byte(c)
			want := i
			if printable {
				want = n
			}
			if got := printableRun(string(s)); got != want {
				t.Errorf("printableRun(%q) = %d, want %d", s, got, want)
			}
		}
	}
}

// TestWidthsMatchGoPretty compares the widths the text formats compute with
// go-pretty's, with East Asian ambiguous characters narrow and wide.
func TestWidthsMatchGoPretty(t *testing.T) {
	pieces := []string{"a", " ", "\n", "\t", "\x1b[1;31m", "\x1b[0m", "é", "e\u0301", "監査", "😀", "±§", "\u200b", "\x00", "\x7f", "\u3000"}
	for _, eastAsian := range []bool{false, true} {
		was := text.RuneWidth('±') == 2 // an ambiguous-width rune
		text.OverrideRuneWidthEastAsianWidth(eastAsian)
		rng := rand.New(rand.NewPCG(7, 8))
		for range 5000 {
			var b strings.Builder
			for range rng.IntN(12) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			s := b.String()
			if got, want := stringWidth(s), text.StringWidthWithoutEscSequences(s); got != want {
				t.Errorf("east asian %v: stringWidth(%q) = %d, want %d", eastAsian, s, got, want)
			}
			if got, want := printable(s), entity.Printable(s, "\n"); got != want {
				t.Errorf("printable(%q) = %q, want %q", s, got, want)
			}
		}
		text.OverrideRuneWidthEastAsianWidth(was)
	}
}

// failingWriter accepts limit bytes, then fails.
type failingWriter struct{ limit int }

var errWriteFailed = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		n := w.limit
		w.limit = 0
		return n, errWriteFailed
	}
	w.limit -= len(p)
	return len(p), nil
}

// TestTextReportsWriteErrors: a writer that fails at the start, inside
// and near the end of the report makes Write fail with its error, in both
// layouts.
func TestTextReportsWriteErrors(t *testing.T) {
	run := largeRun(2000)
	for _, compact := range []bool{false, true} {
		var full countingWriter
		if err := (textFormat{}).Write(&full, run, Options{Width: 120, Compact: compact}); err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{0, 100, textBufferSize + 1, int(full) / 2, int(full) - 1} {
			err := (textFormat{}).Write(&failingWriter{limit: limit}, run, Options{Width: 120, Compact: compact})
			if !errors.Is(err, errWriteFailed) {
				t.Errorf("compact %v: writer failing after %d of %d bytes: error %v", compact, limit, full, err)
			}
		}
	}
}

// TestTextCompactRows: the compact layout gives each finding a row and a
// line of message, cut to 80 columns.
func TestTextCompactRows(t *testing.T) {
	out := string(write(t, "text", fixtureRun(), Options{Compact: true, Width: 200}))
	row := regexp.MustCompile(`(?m)^Low       FAIL      D9\.TF\.AWS\.LOG\.03  aws_cloudtrail\.main +…prod/main\.tf:12\n  Trail aws_cloudtrail\.main does not send its events to CloudWatch Logs\. It set…$`)
	if !row.MatchString(out) {
		t.Errorf("compact output lacks the row of aws_cloudtrail.main:\n%s", out)
	}
	if !strings.Contains(out, "\n  Excluded (FAIL): dev account trail, replaced by org-main (until 2027-01-31) […\n") {
		t.Errorf("compact output lacks the exclusion, cut to 80 columns:\n%s", out)
	}
}
