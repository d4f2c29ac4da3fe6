package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/text/ and docs/entities.md")

// scanTime matches the time of a scan in its report's header.
var scanTime = regexp.MustCompile(`scan at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)

// scanExamples runs "vigil scan examples/terraform examples/aws-inventory.json"
// from the root of the repository, as the README does, with COLUMNS set to
// columns, and returns its report with the scan's time replaced by TIME.
func scanExamples(t *testing.T, columns string, args ...string) string {
	t.Helper()
	t.Chdir("../..")
	t.Setenv("COLUMNS", columns)
	code, out, stderr := run(t, "", append(append([]string{"scan"}, args...), "examples/terraform", "examples/aws-inventory.json")...)
	if code != ExitFailed || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	return scanTime.ReplaceAllString(out, "scan at TIME")
}

// TestExamplesTextGolden pins the text report of the bundled examples in
// the default layout at 120 and 80 columns and in the compact one, and
// checks that no line is wider than the width in terminal columns.
func TestExamplesTextGolden(t *testing.T) {
	cases := []struct {
		name, columns string
		args          []string
		width         int
	}{
		{"examples-120.txt", "120", nil, 120},
		{"examples-80.txt", "80", nil, 80},
		{"examples-compact.txt", "120", []string{"--compact"}, 80},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := scanExamples(t, tc.columns, tc.args...)
			checkWidth(t, out, tc.width)
			path := filepath.Join("internal", "cli", "testdata", "text", tc.name) // from the repository's root
			if *update {
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./internal/cli -run TestExamplesTextGolden -update writes it)", err)
			}
			if diff := cmp.Diff(string(want), out); diff != "" {
				t.Errorf("%s differs (-want +got; -update rewrites it):\n%s", path, diff)
			}
		})
	}
}

// TestExamplesFrameworkWidth: the compliance view of a framework keeps to
// the width too; a table too wide gives way to a line per control.
func TestExamplesFrameworkWidth(t *testing.T) {
	for _, columns := range []string{"120", "80"} {
		t.Run(columns, func(t *testing.T) {
			out := scanExamples(t, columns, "--framework", "CIS AWS Foundations 3")
			width, _ := strconv.Atoi(columns)
			checkWidth(t, out, width)
			if !strings.Contains(out, "Compliance: CIS AWS Foundations v3.0.0") || !strings.Contains(out, "Score: 0/32 controls (0%) passing") {
				t.Errorf("the compliance view is missing:\n%s", out)
			}
		})
	}
}

// checkWidth fails the test for each line of out wider than width
// terminal columns.
func checkWidth(t *testing.T, out string, width int) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	for n := 1; sc.Scan(); n++ {
		if w := text.StringWidthWithoutEscSequences(sc.Text()); w > width {
			t.Errorf("line %d is %d columns wide, more than %d:\n%s", n, w, width, sc.Text())
		}
	}
}

// TestTextWidth: the width of a text report is the terminal's, else
// COLUMNS, else 120.
func TestTextWidth(t *testing.T) {
	for _, tc := range []struct {
		terminal int
		columns  string
		want     int
	}{
		{0, "", 120},
		{0, "80", 80},
		{0, " 100 ", 100},
		{0, "wide", 120},
		{0, "-5", 120},
		{90, "80", 90},
	} {
		if got := textWidth(tc.terminal, tc.columns); got != tc.want {
			t.Errorf("textWidth(%d, %q) = %d, want %d", tc.terminal, tc.columns, got, tc.want)
		}
	}
}

// TestLoneTrailOnOneScreen: the default ruleset on a lone
// resource "aws_cloudtrail" "x" {} reports each concern once, and the text
// report fits on one screen: at most 45 lines of at most 120 columns (the
// access logging of the trail's bucket is UNKNOWN until code's buckets are
// mapped, and its explanation takes four lines).
func TestLoneTrailOnOneScreen(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"aws_cloudtrail\" \"x\" {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("COLUMNS", "")
	code, out, stderr := run(t, "", "scan", dir)
	if code != ExitFailed || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	checkWidth(t, out, 120)
	if n := strings.Count(out, "\n"); n > 45 {
		t.Errorf("%d lines, want at most 45:\n%s", n, out)
	}
	for _, want := range []string{"18 findings: 17 FAIL, 1 UNKNOWN", `1 │ resource "aws_cloudtrail" "x" {}`, "D9.TF.AWS.LOG.03", "VIGIL.AWS.LOG.01", "VIGIL.AWS.MON.15"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// TestExamplesSARIFLocations: in the SARIF of the bundled examples every
// finding on Terraform code has a physical location whose URI is relative
// to %SRCROOT%, the directory vigil ran in; the document is valid SARIF
// 2.1.0, and a file that does not parse makes the execution unsuccessful.
func TestExamplesSARIFLocations(t *testing.T) {
	t.Chdir("../..")
	schema := sarifSchema(t, "report/testdata/schema/sarif-schema-2.1.0.json")
	scan := func(inputs ...string) ([]byte, sarifLog) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "out.sarif")
		code, _, stderr := run(t, "", append([]string{"scan", "--format", "sarif", "--output", out}, inputs...)...)
		if code == ExitOK {
			t.Fatalf("exit 0, stderr %q", stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("not valid SARIF 2.1.0: %v", err)
		}
		var doc sarifLog
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		return data, doc
	}

	_, doc := scan("examples/terraform", "examples/aws-inventory.json")
	run := doc.Runs[0]
	wd, _ := os.Getwd()
	if got, want := run.OriginalURIBaseIDs["%SRCROOT%"].URI, "file://"+filepath.ToSlash(wd)+"/"; got != want {
		t.Errorf("%%SRCROOT%% = %q, want %q", got, want)
	}
	terraform, located := 0, 0
	for _, r := range run.Results {
		if r.Properties.Scope != "examples/terraform" {
			continue
		}
		terraform++
		pl := r.Locations[0].PhysicalLocation
		if pl == nil {
			t.Errorf("%s on %s: no physical location", r.RuleID, r.Properties.Scope)
			continue
		}
		a := pl.ArtifactLocation
		if a.URIBaseID != "%SRCROOT%" || !strings.HasPrefix(a.URI, "examples/terraform/") || !strings.HasSuffix(a.URI, ".tf") {
			t.Errorf("%s: artifact %+v, want a .tf file relative to %%SRCROOT%%", r.RuleID, a)
			continue
		}
		if pl.Region == nil || pl.Region.StartLine < 1 {
			t.Errorf("%s: no region", r.RuleID)
			continue
		}
		located++
	}
	if terraform < 15 || located != terraform {
		t.Errorf("%d of %d findings on Terraform code located", located, terraform)
	}

	// A file that does not parse: the execution was not successful.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.tf"), []byte("resource \"aws_cloudtrail\" \"x\" {\n  name = \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, broken := scan(dir)
	if inv := broken.Runs[0].Invocations[0]; inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) == 0 {
		t.Errorf("invocation %+v, want an unsuccessful execution with a notification", inv)
	}
}

// sarifLog is the part of a SARIF log TestExamplesSARIFLocations reads.
type sarifLog struct {
	Runs []struct {
		OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
		Invocations        []struct {
			ExecutionSuccessful        bool
			ToolExecutionNotifications []struct{ Level string }
		}
		Results []struct {
			RuleID    string
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string
						URIBaseID string `json:"uriBaseId"`
					}
					Region *struct{ StartLine int }
				}
			}
			Properties struct{ Scope string }
		}
	}
}

// sarifSchema compiles the OASIS SARIF 2.1.0 schema the report package
// vendors.
func sarifSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}
