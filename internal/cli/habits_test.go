package cli

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"vigil/rules"
)

// ruleIDs returns the distinct rule IDs of findings as jsonFindings gives
// them.
func ruleIDs(findings []string) []string {
	var ids []string
	for _, f := range findings {
		id, _, _ := strings.Cut(f, " ")
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// TestScanSelectionFlags: the flags people bring from Trivy and Checkov
// choose the rules as they do there, and every name they take is checked.
func TestScanSelectionFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		// rules are the rule IDs with findings, when code is not 2.
		rules []string
		// stderr must contain this.
		stderr string
	}{
		{"severity list (Trivy)", []string{"--severity", "HIGH,CRITICAL", exampleInv}, ExitFailed,
			[]string{"VIGIL.AWS.EFS.01", "VIGIL.AWS.IAM.01", "VIGIL.AWS.IAM.02", "VIGIL.AWS.IAM.05", "VIGIL.AWS.IAM.11", "VIGIL.AWS.IAM.12",
				"VIGIL.AWS.IAM.15", "VIGIL.AWS.LOG.01", "VIGIL.AWS.MON.03", "VIGIL.AWS.RDS.01", "VIGIL.AWS.RDS.03", "VIGIL.AWS.S3.03", "VIGIL.AWS.S3.04"}, ""},
		{"severity repeated", []string{"--severity", "low", "--severity", "high", "--only", "D9.AWS.LOG.01,VIGIL.AWS.LOG.*", exampleInv}, ExitFailed,
			[]string{"D9.AWS.LOG.01", "VIGIL.AWS.LOG.01", "VIGIL.AWS.LOG.02", "VIGIL.AWS.LOG.09"}, ""},
		{"severity that is no severity", []string{"--severity", "HIGH,SEVERE", exampleInv}, ExitBadUsage, nil,
			`--severity: severity "SEVERE" is not one of Informational, Low, Medium, High, Critical`},
		{"check is --only (Checkov)", []string{"--check", "D9.AWS.LOG.01", exampleInv}, ExitFailed, []string{"D9.AWS.LOG.01"}, ""},
		{"skip-check is --skip (Checkov)", []string{"--only", "VIGIL.AWS.LOG.01,VIGIL.AWS.LOG.02", "--skip-check", "VIGIL.AWS.LOG.02", exampleInv}, ExitFailed,
			[]string{"VIGIL.AWS.LOG.01"}, ""},
		{"unknown --skip id", []string{"--skip", "NOPE", exampleInv}, ExitBadUsage, nil, "--skip NOPE: no rule has this ID"},
		{"unknown --skip-check id, with a suggestion", []string{"--skip-check", "VIGIL.AWS.LOG.10", exampleInv}, ExitBadUsage, nil,
			"--skip VIGIL.AWS.LOG.10: no rule has this ID (did you mean VIGIL.AWS.LOG.01?)"},
		{"unknown --check id", []string{"--check", "D9.AWS.LOG.99", exampleInv}, ExitBadUsage, nil, "--only D9.AWS.LOG.99: no rule has this ID"},
		{"--only runs a rule of another ruleset", []string{"--only", "D9.AWS.MON.05", exampleInv}, ExitFailed, []string{"D9.AWS.MON.05"}, ""},
		{"--only and --ruleset", []string{"--only", "D9.AWS.MON.05", "--ruleset", "cloudguard", exampleInv}, ExitBadUsage, nil,
			"--only and --ruleset cannot be used together"},
		{"cloudguard ruleset", []string{"--ruleset", "cloudguard", "--severity", "high", exampleInv}, ExitFailed, []string{"D9.AWS.MON.03"}, ""},
		{"two rulesets, comma list", []string{"--ruleset", "cloudguard,default", "--severity", "high", exampleInv}, ExitFailed,
			[]string{"D9.AWS.MON.03", "VIGIL.AWS.EFS.01", "VIGIL.AWS.IAM.05", "VIGIL.AWS.IAM.11", "VIGIL.AWS.IAM.12", "VIGIL.AWS.IAM.15",
				"VIGIL.AWS.LOG.01", "VIGIL.AWS.MON.03", "VIGIL.AWS.RDS.01", "VIGIL.AWS.RDS.03", "VIGIL.AWS.S3.03", "VIGIL.AWS.S3.04"}, ""},
		{"unknown ruleset", []string{"--ruleset", "defualt", exampleInv}, ExitBadUsage, nil,
			`--ruleset: no ruleset "defualt" (did you mean "default"?); the rulesets are all, cloudguard, default`},
		{"user rules join the ruleset", []string{"--rules", "testdata/scan/custom-rules", "--severity", "medium", "--ruleset", "cloudguard", smallInv}, ExitFailed,
			nil, ""},
		{"framework by a prefix", []string{"--framework", "cis aws foundations 7", "--severity", "high", exampleInv}, ExitFailed,
			[]string{"VIGIL.AWS.EFS.01", "VIGIL.AWS.IAM.05", "VIGIL.AWS.IAM.11", "VIGIL.AWS.IAM.12", "VIGIL.AWS.IAM.15", "VIGIL.AWS.LOG.01",
				"VIGIL.AWS.MON.03", "VIGIL.AWS.RDS.01", "VIGIL.AWS.RDS.03", "VIGIL.AWS.S3.03"}, ""},
		{"ambiguous framework", []string{"--framework", "cis", exampleInv}, ExitBadUsage, nil,
			`--framework: framework "cis" is ambiguous: it could be "CIS AWS Foundations v1.0.0", `},
		{"unknown framework", []string{"--framework", "fedramp", exampleInv}, ExitBadUsage, nil, `--framework: unknown framework "fedramp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var code int
			var got []string
			var stderr string
			if tt.code == ExitBadUsage {
				code, _, stderr = run(t, "", append([]string{"scan"}, tt.args...)...)
			} else {
				code, got, stderr = jsonFindings(t, tt.args...)
			}
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
			if tt.rules != nil && !slices.Equal(ruleIDs(got), tt.rules) {
				t.Errorf("rules %v, want %v", ruleIDs(got), tt.rules)
			}
		})
	}
}

// TestScanUserRulesRunInAnyRuleset: --rules DIR adds its rules to whatever
// ruleset runs.
func TestScanUserRulesRunInAnyRuleset(t *testing.T) {
	for _, ruleset := range []string{"default", "cloudguard", "all"} {
		_, got, stderr := jsonFindings(t, "--rules", "testdata/scan/custom-rules", "--ruleset", ruleset, smallInv)
		if !slices.Contains(ruleIDs(got), "TEAM.LOG.01") {
			t.Errorf("%s: no TEAM.LOG.01 finding; stderr %s", ruleset, stderr)
		}
	}
}

// TestScanFrameworkJudgesItsVersion: with --framework, a rule is judged as
// that version asks. The example's production account has the unauthorized
// API calls filter of CIS v1.4.0 and of v4.0.0, not that of v1.2.0.
func TestScanFrameworkJudgesItsVersion(t *testing.T) {
	for version, want := range map[string]string{
		"": "PASS", "CIS AWS Foundations 7.0.0": "PASS", "CIS AWS Foundations 4.0.0": "PASS",
		"CIS AWS Foundations 1.4.0": "PASS", "CIS AWS Foundations 1.2.0": "FAIL",
	} {
		args := []string{"--only", "VIGIL.AWS.MON.01", exampleInv}
		if version != "" {
			args = append(args, "--framework", version)
		}
		_, got, stderr := jsonFindings(t, args...)
		if !slices.Contains(got, "VIGIL.AWS.MON.01 111111111111 - "+want) {
			t.Errorf("%q: %v, want production %s; stderr %s", version, got, want, stderr)
		}
	}
}

// TestScanQuiet: --quiet leaves the notes and warnings out of stderr, and
// the errors in.
func TestScanQuiet(t *testing.T) {
	dir := t.TempDir()
	tf := "# vigil:ignore:D9.TF.AWS.LOG.01:exp:2027-13-45 a date that does not exist\n" +
		"resource \"aws_cloudtrail\" \"a\" {\n  name = \"a\"\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"scan", "--exclusions", "testdata/scan/exclusions.yaml", "--format", "json", "--output", filepath.Join(dir, "out.json"), dir, smallInv}
	_, _, loud := run(t, "", args...)
	for _, note := range []string{"Warning: Invalid vigil:ignore comment", "exclusions.yaml:6 expired"} {
		if !strings.Contains(loud, note) {
			t.Errorf("without --quiet, stderr lacks %q:\n%s", note, loud)
		}
	}
	code, _, quiet := run(t, "", append([]string{"scan", "--quiet"}, args[1:]...)...)
	if code != ExitFailed || quiet != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, quiet)
	}
	// Errors still print.
	code, _, quiet = run(t, "", "scan", "-q", "--format", "json", "--output", filepath.Join(dir, "out.json"), "nope.json", smallInv)
	if code != ExitBadUsage || !strings.Contains(quiet, "nope.json") {
		t.Errorf("--quiet with a missing input: exit %d, stderr %q", code, quiet)
	}
}

// TestScanReportOptions: --compact and --no-color reach the report.
func TestScanReportOptions(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	for _, tc := range []struct {
		o                     scanOptions
		terminal              bool
		wantCompact, wantColr bool
	}{
		{scanOptions{}, true, false, true},
		{scanOptions{noColor: true}, true, false, false},
		{scanOptions{compact: true}, false, true, false},
		{scanOptions{compact: true, noColor: true}, true, true, false},
	} {
		opts := tc.o.reportOptions(nil, tc.terminal, 100)
		if opts.Compact != tc.wantCompact || opts.Color != tc.wantColr {
			t.Errorf("%+v on terminal %v: compact %v, color %v", tc.o, tc.terminal, opts.Compact, opts.Color)
		}
	}
	fw := rules.FrameworkVersion{Name: rules.CISAWSFoundations, Version: "3.0.0"}
	if got := (&scanOptions{}).reportOptions(&fw, false, 0).Framework; got != "CIS AWS Foundations v3.0.0" {
		t.Errorf("framework %q", got)
	}
	// The flags parse.
	code, _, stderr := run(t, "", "scan", "--compact", "--no-color", "--only", "D9.AWS.LOG.01", smallInv)
	if code != ExitFailed || stderr != "" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestUsageErrorsPointToTheCommandsHelp(t *testing.T) {
	tests := []struct {
		args []string
		code int
		// hint is the help command named, "" for none.
		hint string
	}{
		{[]string{"scan", "--format", "yaml", smallInv}, ExitBadUsage, "vigil scan"},
		{[]string{"scan", "--bogus", smallInv}, ExitBadUsage, "vigil scan"},
		{[]string{"scan"}, ExitBadUsage, "vigil scan"},
		{[]string{"scan", "aws", "--region", "US East"}, ExitBadUsage, "vigil scan aws"},
		// Before any AWS call: no credentials are needed to say so.
		{[]string{"scan", "aws", "--skip", "NOPE"}, ExitBadUsage, "vigil scan aws"},
		{[]string{"rules", "show", "NOPE"}, ExitBadUsage, "vigil rules show"},
		{[]string{"rules", "--severity", "severe"}, ExitBadUsage, "vigil rules"},
		{[]string{"frobnicate"}, ExitBadUsage, "vigil"},
		// An input that cannot be read is no misuse of the command.
		{[]string{"scan", "nope.json"}, ExitBadUsage, ""},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, "", tt.args...)
		hint := "Run '" + tt.hint + " --help' for usage."
		if code != tt.code || tt.hint != "" && !strings.HasSuffix(stderr, hint+"\n") || tt.hint == "" && strings.Contains(stderr, "--help") {
			t.Errorf("%v: exit %d, stderr %q, want the hint %q", tt.args, code, stderr, tt.hint)
		}
	}
}

func TestHelpOfAnUnknownCommandIsAnError(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"merge", "--help"}, ExitBadUsage, "vigil: unknown command \"merge\" for \"vigil\"\nRun 'vigil --help' for usage.\n"},
		{[]string{"merge", "-h"}, ExitBadUsage, "unknown command \"merge\" for \"vigil\""},
		{[]string{"rules", "frobnicate", "--help"}, ExitBadUsage, "unknown command \"frobnicate\" for \"vigil rules\""},
		{[]string{"--help"}, ExitOK, ""},
		{[]string{"scan", "--help"}, ExitOK, ""},
		{[]string{"scan", "some/dir", "--help"}, ExitOK, ""},
		{[]string{"rules", "show", "--help"}, ExitOK, ""},
		{[]string{"scan", "aws", "--help"}, ExitOK, ""},
	} {
		code, _, stderr := run(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.stderr) || tt.stderr == "" && stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", tt.args, code, stderr)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, _ := run(t, "", "version")
	code2, out2, _ := run(t, "", "--version")
	if code != 0 || code2 != 0 || out != out2 || !strings.HasPrefix(out, "vigil "+Version+" (commit ") {
		t.Errorf("version: %d %q; --version: %d %q", code, out, code2, out2)
	}
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Settings: []debug.BuildSetting{
		{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "56668bc3a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"},
		{Key: "vcs.time", Value: "2026-12-07T18:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	for _, tc := range []struct {
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{info, true, "vigil " + Version + " (commit 56668bc3a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5, 2026-12-07T18:00:00Z, with local changes; go1.26.8)\n"},
		{&debug.BuildInfo{GoVersion: "go1.26.8"}, true, "vigil " + Version + " (commit unknown: built without version control information; go1.26.8)\n"},
		{nil, false, "vigil " + Version + "\n"},
	} {
		if got := versionText(tc.info, tc.ok); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

// TestRulesHelpListsTheRulesets, and only when asked: listing them loads
// the catalog.
func TestRulesHelpListsTheRulesets(t *testing.T) {
	for _, args := range [][]string{{"rules", "--help"}, {"help", "rules"}} {
		code, out, _ := run(t, "", args...)
		if code != ExitOK || !strings.Contains(out, "  default     One rule per concern") || !strings.Contains(out, "  cloudguard  The CloudGuard-compatible rules") {
			t.Errorf("%v: exit %d:\n%s", args, code, out)
		}
	}
	if _, out, _ := run(t, "", "rules", "show", "--help"); strings.Contains(out, "One rule per concern") {
		t.Errorf("rules show --help lists the rulesets:\n%s", out)
	}
}
