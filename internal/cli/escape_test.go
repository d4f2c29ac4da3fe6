package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"vigil/entity"
)

// hostileText is what an input can carry to rewrite a terminal or a CI log:
// a green "ALL CHECKS PASSED" drawn with escape sequences after a carriage
// return and a clear-line, a NUL, a right-to-left override and bytes that
// are not UTF-8.
const hostileText = "\r\x1b[2K\x1b[32mALL CHECKS PASSED\x1b[0m\x00\u202eevil\xff\xfe"

// checkPrintableOutput fails when out holds anything but printable text,
// newlines and tabs; and, so that the test cannot pass by printing nothing,
// when it lacks the escaped form of the ESC byte and every one of wants.
func checkPrintableOutput(t *testing.T, name, out string, wants ...string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s is not UTF-8: %q", name, out)
	}
	for _, r := range out {
		if entity.Unprintable(r) && r != '\n' && r != '\t' {
			t.Errorf("%s carries %U raw: %q", name, r, out)
			break
		}
	}
	for _, want := range append([]string{`\x1b[32mALL CHECKS PASSED\x1b[0m`}, wants...) {
		if !strings.Contains(out, want) {
			t.Errorf("%s lacks %q: %q", name, want, out)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestStderrEscapesInput feeds each kind of input whose text vigil echoes
// in its messages (a Terraform file that does not parse, a rule file, a
// CloudGuard ruleset, an exclusion file, GSL) with terminal escapes, NUL, a
// bidi override and invalid UTF-8, and requires that stderr shows them
// escaped.
func TestStderrEscapesInput(t *testing.T) {
	dir := t.TempDir()
	tf := filepath.Join(dir, "tf")
	writeFile(t, filepath.Join(tf, "main.tf"), "resource \"aws_cloudtrail\" \"main\" {\n  name = \"audit\"\n  "+
		hostileText+" = true\n}\n")
	// YAML forbids raw control characters and invalid UTF-8, but its
	// double-quoted escapes make the same text; a file name can carry the
	// same bytes, but a NUL.
	const yamlHostile = `\r\e[2K\e[32mALL CHECKS PASSED\e[0m\0\u202eevil`
	rulesDir := filepath.Join(dir, "rules")
	// (Rule directories are read through io/fs, whose names are UTF-8.)
	writeFile(t, filepath.Join(rulesDir, "bad"+strings.ReplaceAll(hostileText, "\x00\u202eevil\xff\xfe", "\u202eevil")+".yaml"), "id: \""+yamlHostile+
		"\"\ntitle: t\nseverity: low\nentity: CloudTrail\nlogic: CloudTrail should have isMultiRegionTrail=true\n")
	// JSON decoding turns invalid UTF-8 into U+FFFD, which is escaped too.
	ruleset, _ := json.Marshal(map[string]any{"name": "set", "rules": []map[string]any{
		{"ruleId": hostileText, "name": "n", "severity": "High", "logic": "CloudTrail should have isMultiRegionTrail=true"},
		{"ruleId": "OK.1", "name": hostileText, "severity": hostileText, "logic": "CloudTrail should have x=1"},
	}})
	writeFile(t, filepath.Join(dir, "ruleset.json"), string(ruleset))
	exclusions := filepath.Join(dir, strings.ReplaceAll(hostileText, "\x00", "")+".yaml")
	writeFile(t, exclusions, "exclusions:\n  - rules: [D9.AWS.LOG.01]\n    reason: r\n    expires: 2027-01-01\n    where: \"name = '"+
		yamlHostile+"' andd\"\n")
	inventory := filepath.Join(dir, "inventory.json")
	writeFile(t, inventory, `{"vigil_inventory": 1, "scopes": [{"kind": "aws-account", "id": "1"}], "entities": []}`)

	tests := []struct {
		name  string
		stdin string
		args  []string
		wants []string
	}{
		{"Terraform parse error", "", []string{"scan", tf}, []string{`\x00`, `\u202e`, `\xff\xfe`, "main.tf line 3"}},
		{"rule file id", "", []string{"scan", "--rules", rulesDir, inventory}, []string{`\u202eevil.yaml:1:5`, `\x00\u202eevil`}},
		{"ruleset import ids", "", []string{"rules", "import", filepath.Join(dir, "ruleset.json"), "-o", filepath.Join(dir, "out")},
			[]string{`\x00\u202eevil\ufffd\ufffd`}},
		{"exclusion file", "", []string{"scan", "--exclusions", exclusions, inventory}, []string{`\u202eevil\xff\xfe.yaml:5:12: where`}},
		{"GSL eval", "", []string{"eval", "CloudTrail should have name='" + strings.ReplaceAll(hostileText, "'", "") + "' and", "--input", inventory}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.stdin, tt.args...)
			if code != ExitBadUsage {
				t.Errorf("exit %d, want %d", code, ExitBadUsage)
			}
			checkPrintableOutput(t, "stderr", stderr, tt.wants...)
			checkPrintableOutput(t, "stdout", stdout+`\x1b[32mALL CHECKS PASSED\x1b[0m`)
		})
	}
}

// TestStdoutTextEscapesInput covers text that commands print on standard
// output for people: GSL lint diagnostics quote the rule line.
func TestStdoutTextEscapesInput(t *testing.T) {
	code, stdout, stderr := run(t, "CloudTrail should have name='"+hostileText+"' and\n", "gsl", "lint", "-")
	if code != ExitBadUsage {
		t.Errorf("exit %d", code)
	}
	checkPrintableOutput(t, "stdout", stdout, `\u202eevil\xff\xfe`)
	checkPrintableOutput(t, "stderr", stderr+`\x1b[32mALL CHECKS PASSED\x1b[0m`)
}

// TestReportsAreNotEscapedTwice checks that the report formats, which
// escape on their own, reach standard output byte for byte: a JSON report
// keeps its own escapes.
func TestReportsAreNotEscapedTwice(t *testing.T) {
	dir := t.TempDir()
	inventory := filepath.Join(dir, "inventory.json")
	name, _ := json.Marshal("trail\x1b[31m\u202e")
	writeFile(t, inventory, `{"vigil_inventory": 1, "scopes": [{"kind": "aws-account", "id": "111122223333"}], "entities": [
	 {"type": "CloudTrail", "id": "arn:aws:cloudtrail:us-east-1:111122223333:trail/x", "name": `+string(name)+`,
	  "scope": "111122223333", "region": "us-east-1", "attrs": {"isMultiRegionTrail": false}}]}`)
	code, stdout, stderr := run(t, "", "scan", "--format", "json", "--only", "D9.AWS.LOG.01", inventory)
	if code != ExitFailed {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var report struct {
		Findings []struct {
			Entity struct{ Name string } `json:"entity"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(report.Findings) != 1 || report.Findings[0].Entity.Name != "trail\x1b[31m\u202e" {
		t.Errorf("findings %+v", report.Findings)
	}
}
