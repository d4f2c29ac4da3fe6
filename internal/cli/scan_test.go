package cli

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"vigil/report"
)

const (
	smallInv   = "testdata/scan/small-inventory.json"
	exampleInv = "../../examples/aws-inventory.json"
)

func TestScanExitStatus(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		// stderr must contain this ("" for an empty stderr).
		stderr string
	}{
		{"failing findings", []string{"scan", smallInv}, ExitFailed, ""},
		{"skip everything", []string{"scan", "--only", "D9.AWS.LOG.01", "--skip", "*", smallInv}, ExitBadUsage, "no rule left to run"},
		{"failure excluded", []string{"scan", "--only", "D9.AWS.LOG.01", "--exclusions", "testdata/scan/exclusions.yaml", smallInv}, ExitOK,
			"exclusions.yaml:6 expired"},
		{"bad exclusion file", []string{"scan", "--exclusions", "testdata/scan/not-inventory.json", smallInv}, ExitBadUsage,
			"testdata/scan/not-inventory.json:1:1: an exclusion file is a mapping"},
		{"threshold above the failures", []string{"scan", "--only", "D9.AWS.LOG.01,VIGIL.AWS.LOG.01", "--severity-threshold", "critical", smallInv}, ExitOK, ""},
		{"threshold at the failures", []string{"scan", "--only", "D9.AWS.LOG.01", "--severity-threshold", "LOW", smallInv}, ExitFailed, ""},
		{"soft fail", []string{"scan", "--soft-fail", smallInv}, ExitOK, ""},
		{"no input", []string{"scan"}, ExitBadUsage, "scan needs at least one INPUT"},
		{"bad format", []string{"scan", "--format", "yaml", smallInv}, ExitBadUsage, `unknown report format "yaml"`},
		{"bad threshold", []string{"scan", "--severity-threshold", "severe", smallInv}, ExitBadUsage, `severity "severe" is not one of`},
		{"unknown --only id", []string{"scan", "--only", "D9.AWS.LOG.99", smallInv}, ExitBadUsage, "--only D9.AWS.LOG.99: no rule has this ID"},
		{"missing input still scans the others", []string{"scan", "--only", "D9.AWS.LOG.01", "nope.json", smallInv}, ExitBadUsage,
			"vigil: nope.json: no such file or directory"},
		{"not an inventory", []string{"scan", "testdata/scan/not-inventory.json"}, ExitBadUsage,
			"testdata/scan/not-inventory.json: not an input vigil can read"},
		{"soft fail hides bad input", []string{"scan", "--soft-fail", "nope.json", smallInv}, ExitOK, "vigil: nope.json:"},
		{"bad rule directory", []string{"scan", "--rules", "testdata/scan/bad-rules", smallInv}, ExitBadUsage,
			`testdata/scan/bad-rules/TEAM.LOG.02.yaml:3:1: field "sevrity" is not a rule field (did you mean "severity"?)`},
		{"rule on a type vigil does not model", []string{"scan", "--rules", "testdata/scan/typo-rules", smallInv}, ExitBadUsage,
			`testdata/scan/typo-rules/TEAM.LOG.03.yaml:4:9: entity: entity type "CloudTral" is not one vigil models (did you mean "CloudTrail"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if tt.stderr == "" && stderr != "" || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
		})
	}
}

// jsonFindings runs a scan with --format json and returns rule, entity name
// (or "-") and result of each finding.
func jsonFindings(t *testing.T, args ...string) (int, []string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.json")
	code, stdout, stderr := run(t, "", append([]string{"scan", "--format", "json", "--output", out}, args...)...)
	if stdout != "" {
		t.Errorf("--output: stdout not empty: %q", stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("exit %d, %v; stderr %s", code, err, stderr)
	}
	var doc struct {
		Findings []struct {
			Rule   any    `json:"rule"`
			RuleID string `json:"rule_id"`
			Result string `json:"result"`
			Entity *struct {
				Name string `json:"name"`
			} `json:"entity"`
			Scope string `json:"scope"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	var got []string
	for _, f := range doc.Findings {
		id := f.RuleID
		if m, ok := f.Rule.(map[string]any); ok && id == "" {
			id, _ = m["id"].(string)
		}
		name := "-"
		if f.Entity != nil && f.Entity.Name != "" {
			name = f.Entity.Name
		}
		got = append(got, id+" "+f.Scope+" "+name+" "+f.Result)
	}
	return code, got, stderr
}

func TestScanFindingsAndFlags(t *testing.T) {
	code, got, _ := jsonFindings(t, "--only", "D9.AWS.LOG.01,VIGIL.AWS.LOG.01", smallInv)
	want := []string{
		"D9.AWS.LOG.01 123456789012 main PASS",
		"D9.AWS.LOG.01 123456789012 regional FAIL",
		"VIGIL.AWS.LOG.01 123456789012 - FAIL",
	}
	if code != ExitFailed || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("exit %d, findings:\n%s\nwant:\n%s", code, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestScanUserRulesAndExclusions(t *testing.T) {
	code, got, stderr := jsonFindings(t, "--rules", "testdata/scan/custom-rules", "--exclusions", "testdata/scan/exclusions.yaml",
		"--only", "TEAM.*,D9.AWS.LOG.01,VIGIL.AWS.LOG.01", smallInv)
	want := []string{
		"D9.AWS.LOG.01 123456789012 main PASS",
		"D9.AWS.LOG.01 123456789012 regional EXCLUDED",
		"TEAM.LOG.01 123456789012 main FAIL",
		"TEAM.LOG.01 123456789012 regional FAIL",
		"VIGIL.AWS.LOG.01 123456789012 - FAIL",
	}
	if code != ExitFailed || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("exit %d, findings:\n%s\nwant:\n%s", code, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(stderr, "vigil: exclusion testdata/scan/exclusions.yaml:6 expired on 2026-06-30 and no longer applies (Old waiver.)") {
		t.Errorf("stderr %q", stderr)
	}
}

// TestScanExample runs the README's example inventory through the whole
// pipeline in every format.
func TestScanExample(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif", "junit", "csv", "html"} {
		// The default ruleset runs vigil's rules; cloudguard the published
		// ones.
		for ruleset, rule := range map[string]string{"default": "VIGIL.AWS.MON.05", "cloudguard": "D9.AWS.MON.05"} {
			t.Run(format+"/"+ruleset, func(t *testing.T) {
				code, out, stderr := run(t, "", "scan", "--ruleset", ruleset, "--format", format, exampleInv)
				if code != ExitFailed || stderr != "" || len(out) < 1000 {
					t.Errorf("exit %d, %d bytes out, stderr %q", code, len(out), stderr)
				}
				if !strings.Contains(out, rule) {
					t.Errorf("%s report lacks %s", format, rule)
				}
			})
		}
	}
}

func TestScanOptionsReachSubcommands(t *testing.T) {
	root := newRoot(&streams{})
	scan, _, err := root.Find([]string{"scan"})
	if err != nil {
		t.Fatal(err)
	}
	if err := scan.PersistentFlags().Set("format", "json"); err != nil {
		t.Fatal(err)
	}
	if o := scanOptionsFor(scan); o.format != "json" {
		t.Errorf("format %q", o.format)
	}
}

func TestScanSeveralInputs(t *testing.T) {
	code, got, _ := jsonFindings(t, "--only", "VIGIL.AWS.LOG.01", smallInv, exampleInv)
	want := []string{
		"VIGIL.AWS.LOG.01 111111111111 - PASS",
		"VIGIL.AWS.LOG.01 123456789012 - FAIL",
		"VIGIL.AWS.LOG.01 222222222222 - FAIL",
		"VIGIL.AWS.LOG.01 333333333333 - FAIL",
		"VIGIL.AWS.LOG.01 444444444444 - PASS",
	}
	if code != ExitFailed || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("exit %d, findings:\n%s", code, strings.Join(got, "\n"))
	}
}

// TestScanOutputAlwaysWritten: --output is written whatever the inputs: with
// one that could not be read, with none that could, with --soft-fail or
// without; the report lists each failed input, and the exit status stays 2
// for an input that could not be read unless --soft-fail.
func TestScanOutputAlwaysWritten(t *testing.T) {
	broken := t.TempDir()
	for name, src := range map[string]string{
		"good.tf": "resource \"aws_cloudtrail\" \"good\" {\n  name = \"good\"\n  s3_bucket_name = \"b\"\n  is_multi_region_trail = true\n}\n",
		"bad.tf":  "resource \"aws_cloudtrail\" \"bad\" {\n  name = \n",
	} {
		if err := os.WriteFile(filepath.Join(broken, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		args []string
		code int
		// failures lists "kind file:line:col type" of each failure.
		failures []string
	}{
		{"missing input, soft fail", []string{"--soft-fail", "nope/"}, ExitOK, []string{"read nope/ -"}},
		{"missing input", []string{"nope/"}, ExitBadUsage, []string{"read nope/ -"}},
		{"not an input", []string{"testdata/scan/not-inventory.json"}, ExitBadUsage, []string{"read testdata/scan/not-inventory.json -"}},
		{"a missing input beside one read", []string{"--only", "D9.AWS.LOG.01", "nope.json", smallInv}, ExitBadUsage, []string{"read nope.json -"}},
		{"a broken file, soft fail", []string{"--soft-fail", "--only", "D9.TF.AWS.LOG.01", broken}, ExitOK, []string{
			"parse " + broken + "/bad.tf:2:10 aws_cloudtrail", "parse " + broken + "/bad.tf:2:10 CloudTrail"}},
	}
	for _, tt := range tests {
		for _, format := range []string{"json", "sarif"} {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "report."+format)
				code, stdout, stderr := run(t, "", append([]string{"scan", "--format", format, "--output", out}, tt.args...)...)
				if code != tt.code {
					t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
				}
				if stdout != "" {
					t.Errorf("stdout %q", stdout)
				}
				data, err := os.ReadFile(out)
				if err != nil {
					t.Fatalf("no report: %v", err)
				}
				if format == "sarif" {
					file := strings.Fields(tt.failures[0])[1]
					if !strings.Contains(string(data), `"executionSuccessful": false`) || !strings.Contains(string(data), `"text": "input failed: `+file) {
						t.Errorf("SARIF lacks the failure:\n%s", data)
					}
					return
				}
				var doc struct {
					Failures []struct {
						Kind, Type, File string
						Line, Col        int
					} `json:"failures"`
				}
				if err := json.Unmarshal(data, &doc); err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, f := range doc.Failures {
					loc := f.File
					if f.Line > 0 {
						loc += ":" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Col)
					}
					got = append(got, f.Kind+" "+loc+" "+cmp.Or(f.Type, "-"))
				}
				if strings.Join(got, "\n") != strings.Join(tt.failures, "\n") {
					t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.failures, "\n"))
				}
			})
		}
	}
}

// TestNoRawTemplateInAnyFormat: no report of the bundled examples shows a
// template as written in a rule file ("{{.Region}}"), in any format and
// with every rule of the catalog: the fixes of findings are filled in for
// their entity, the rule-level texts (SARIF help, the JSON and HTML rule
// details) with placeholders.
func TestNoRawTemplateInAnyFormat(t *testing.T) {
	t.Chdir("../..")
	for _, format := range report.Formats() {
		t.Run(format, func(t *testing.T) {
			args := []string{"scan", "--ruleset", "all", "--format", format, "--show-pass"}
			if format == "text" {
				args = append(args, "--explain")
			}
			code, out, stderr := run(t, "", append(args, "examples/terraform", "examples/aws-inventory.json")...)
			if code != ExitFailed || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if i := strings.Index(out, "{{"); i >= 0 {
				t.Errorf("%s report holds a raw template: …%s…", format, out[max(0, i-80):min(len(out), i+80)])
			}
		})
	}
}
