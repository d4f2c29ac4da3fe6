package report

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jedib0t/go-pretty/v6/text"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/<format>/")

// write renders run in format and fails the test on error.
func write(t testing.TB, format string, run *engine.Run, opts Options) []byte {
	t.Helper()
	w, err := Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, run, opts); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/<format>/<name>, or rewrites it with
// -update.
func golden(t *testing.T, format, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", format, name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got; go test ./report -update rewrites it):\n%s", path, diff)
	}
}

var tool = "vigil 0.1.0"

// goldenCases are the runs and options every format is pinned on.
var goldenCases = []struct {
	name string
	run  func() *engine.Run
	opts Options
}{
	{"scan", fixtureRun, Options{Tool: tool}},
	{"cis-3.0.0", fixtureRun, Options{Tool: tool, Framework: "CIS AWS Foundations v3.0.0"}},
	{"hostile", hostileRun, Options{Tool: tool}},
	{"input-failures", inputFailuresRun, Options{Tool: tool}},
}

var extension = map[string]string{
	"text": "txt", "compliance": "txt", "json": "json", "sarif": "sarif",
	"junit": "xml", "csv": "csv", "html": "html",
}

func TestGolden(t *testing.T) {
	for _, format := range Formats() {
		for _, tc := range goldenCases {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				got := write(t, format, tc.run(), tc.opts)
				golden(t, format, tc.name+"."+extension[format], got)
			})
		}
	}
}

func TestGoldenTextOptions(t *testing.T) {
	cases := []struct {
		name string
		opts Options
	}{
		{"color", Options{Tool: tool, Color: true}},
		{"show-pass-narrow", Options{Tool: tool, ShowPass: true, Width: 80}},
		{"width-160", Options{Tool: tool, Width: 160}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, "text", tc.name+".txt", write(t, "text", fixtureRun(), tc.opts))
		})
	}
}

func TestTextColorOnlyWhenAsked(t *testing.T) {
	// go-pretty's global colour switch (set from NO_COLOR, FORCE_COLOR and
	// TERM at start-up) must not matter: only Options.Color does.
	t.Cleanup(text.DisableColors)
	for _, global := range []bool{true, false} {
		if global {
			text.EnableColors()
		} else {
			text.DisableColors()
		}
		if plain := write(t, "text", fixtureRun(), Options{}); bytes.Contains(plain, []byte("\x1b[")) {
			t.Errorf("global colours %v: text without Options.Color contains ANSI escapes", global)
		}
		if colored := write(t, "text", fixtureRun(), Options{Color: true}); !bytes.Contains(colored, []byte("\x1b[1;31mFAIL\x1b[0m")) {
			t.Errorf("global colours %v: text with Options.Color does not colour FAIL:\n%s", global, colored)
		}
	}
}

func TestFormatsAndLookup(t *testing.T) {
	want := []string{"compliance", "csv", "html", "json", "junit", "sarif", "text"}
	if diff := cmp.Diff(want, Formats()); diff != "" {
		t.Errorf("Formats() (-want +got):\n%s", diff)
	}
	for _, f := range want {
		if _, err := Lookup(f); err != nil {
			t.Errorf("Lookup(%q): %v", f, err)
		}
	}
	_, err := Lookup("xml")
	if err == nil || !strings.Contains(err.Error(), `"xml"`) || !strings.Contains(err.Error(), "csv, html, json, junit, sarif, text") {
		t.Errorf("Lookup(xml) error = %v, want it to name the format and list the known ones", err)
	}
}

// TestBadRuns checks that every writer rejects a malformed run with an
// error rather than a panic or an empty report.
func TestBadRuns(t *testing.T) {
	cases := []struct {
		name    string
		run     *engine.Run
		opts    Options
		wantErr string
	}{
		{"nil run", nil, Options{}, "no run to report"},
		{"nil finding", &engine.Run{Findings: []*engine.Finding{nil}}, Options{}, "finding 0 is nil"},
		{"finding without rule", &engine.Run{Findings: []*engine.Finding{{Result: engine.Fail, Scope: account}}}, Options{}, "finding 0 (123456789012) has no rule"},
		{"nil not applicable rule", &engine.Run{NotApplicable: []*rules.Rule{nil}}, Options{}, "not applicable rule 0 is nil"},
		{"unknown framework", fixtureRun(), Options{Framework: "CIS AWS Foundations v9.9.9"},
			`unknown framework "CIS AWS Foundations v9.9.9" (the rules in this run map to "CIS AWS Foundations v1.2.0", "CIS AWS Foundations v3.0.0", "NIST 800-53 Rev 5")`},
		{"framework without mapped rules", &engine.Run{}, Options{Framework: "CIS AWS Foundations v3.0.0"}, "no rule in this run maps to any framework"},
	}
	for _, format := range Formats() {
		w, _ := Lookup(format)
		for _, tc := range cases {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				var buf bytes.Buffer
				err := w.Write(&buf, tc.run, tc.opts)
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error = %v, want one containing %q", err, tc.wantErr)
				}
			})
		}
	}
}

func TestFrameworkNameForms(t *testing.T) {
	for _, name := range []string{"CIS AWS Foundations v3.0.0", "cis aws foundations v3.0.0", "CIS AWS Foundations 3.0.0", "  CIS  AWS Foundations   v3.0.0 "} {
		v, err := newView(fixtureRun(), Options{Framework: name})
		if err != nil {
			t.Errorf("%q: %v", name, err)
			continue
		}
		if got := v.framework.String(); got != "CIS AWS Foundations v3.0.0" {
			t.Errorf("%q resolved to %q", name, got)
		}
		// D9.TF.AWS.LOG.03 maps to CIS 1.2.0 only.
		for _, f := range v.findings {
			if f.Rule.ID == "D9.TF.AWS.LOG.03" {
				t.Errorf("%q: finding of a rule outside the framework reported", name)
			}
		}
	}
}

// TestDeterministic checks that the order of the run's findings and of
// rule framework mappings does not change any output.
func TestDeterministic(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			want := write(t, format, fixtureRun(), Options{Tool: tool})
			for seed := range uint64(5) {
				run := fixtureRun()
				rng := rand.New(rand.NewPCG(seed, 1))
				rng.Shuffle(len(run.Findings), func(i, j int) { run.Findings[i], run.Findings[j] = run.Findings[j], run.Findings[i] })
				if got := write(t, format, run, Options{Tool: tool}); !bytes.Equal(got, want) {
					t.Fatalf("seed %d: output depends on finding order:\n%s", seed, cmp.Diff(string(want), string(got)))
				}
			}
		})
	}
}

func TestPrintableEscapesTerminalControls(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain arn:aws:cloudtrail:us-east-1:1:trail/x", "plain arn:aws:cloudtrail:us-east-1:1:trail/x"},
		{"clear\x1b[2Jscreen", `clear\x1b[2Jscreen`},
		{"nul\x00bell\a", `nul\x00bell\a`},
		{"two\nlines", "two\nlines"},
		{"tab\there", `tab\there`},
		{"c1\u009bcsi", `c1\u009bcsi`},
		{"bidi\u202eevil", `bidi\u202eevil`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"real \ufffd", `real \ufffd`},
		{"ünïcödé 名前", "ünïcödé 名前"},
	}
	for _, tc := range cases {
		if got := printable(tc.in); got != tc.want {
			t.Errorf("printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	out := write(t, "text", hostileRun(), Options{})
	if bytes.ContainsAny(out, "\x1b\x00") {
		t.Errorf("text output carries raw control characters from the run")
	}
}

func TestCompareVersions(t *testing.T) {
	sorted := []string{"1.2", "1.2.0", "2.1", "3.1", "3.2", "3.9", "3.10", "4.5", "10.1", "AU-12", "AU-2"}
	got := slices.Clone(sorted)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
	slices.SortFunc(got, compareVersions)
	if diff := cmp.Diff(sorted, got); diff != "" {
		t.Errorf("sorted (-want +got):\n%s", diff)
	}
}

// BenchmarkWrite measures each format on a run of 1,000 findings.
func BenchmarkWrite(b *testing.B) {
	run := bigRun(1000)
	for _, format := range Formats() {
		w, _ := Lookup(format)
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var buf bytes.Buffer
				if err := w.Write(&buf, run, Options{Tool: tool, Framework: "CIS AWS Foundations v1.2.0"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteLarge writes each format of an 18,000-finding scan whose
// findings that do not pass carry a trace of 19 lines, the average of the
// 10,000-resource corpus (source/terraform's BenchmarkScanWithTraces).
func BenchmarkWriteLarge(b *testing.B) {
	run := largeRun(18_000)
	for i, f := range run.Findings {
		if f.Result == engine.Pass {
			continue
		}
		g := *f
		g.Trace = make([]string, 19)
		for j := range g.Trace {
			g.Trace[j] = fmt.Sprintf("%*smetricFilters[%d]: filterPattern is '{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }' <%d>", 2*(j%4), "", j, i%500)
		}
		run.Findings[i] = &g
	}
	for _, format := range Formats() {
		w, _ := Lookup(format)
		b.Run(format, func(b *testing.B) {
			var out countingWriter
			b.ReportAllocs()
			for b.Loop() {
				out = 0
				if err := w.Write(&out, run, Options{Tool: tool}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out), "bytes")
		})
	}
}

// bigRun repeats the fixture's findings on n distinct entities.
func bigRun(n int) *engine.Run {
	run := fixtureRun()
	base := run.Findings
	run.Findings = nil
	for i := range n {
		f := *base[i%len(base)]
		if f.Entity != nil {
			e := *f.Entity
			e.ID = e.ID + "-" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strconv.Itoa(i)
			f.Entity = &e
		}
		run.Findings = append(run.Findings, &f)
	}
	return run
}

// TestTextCapsHugeCells feeds a megabyte message: the text table shows the
// first maxCellRunes characters and says how many it left out.
func TestTextCapsHugeCells(t *testing.T) {
	run := fixtureRun()
	run.Findings[0].Message = strings.Repeat("é", 1<<20)
	out := string(write(t, "text", run, Options{}))
	if want := "… (" + strconv.Itoa(1<<20-maxCellRunes) + " more characters)"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q", want)
	}
	if len(out) > 100_000 {
		t.Errorf("text output is %d bytes for one huge message", len(out))
	}
}

// TestTextHeaderCountsManyScopes: a scan of hundreds of scopes names the
// first few in the header and counts the rest.
func TestTextHeaderCountsManyScopes(t *testing.T) {
	run := fixtureRun()
	run.Scopes = nil
	for i := range 12 {
		run.Scopes = append(run.Scopes, entity.Scope{Kind: entity.ScopeTerraformModule, ID: fmt.Sprintf("envs/team%02d", i)})
	}
	var out bytes.Buffer
	if err := (textFormat{}).Write(&out, run, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "Scopes: envs/team00 (terraform-module), envs/team01 (terraform-module), envs/team02 (terraform-module), " +
		"envs/team03 (terraform-module), envs/team04 (terraform-module), and 7 more\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("header:\n%s\nwant the line\n%s", out.String()[:min(out.Len(), 400)], want)
	}
}
