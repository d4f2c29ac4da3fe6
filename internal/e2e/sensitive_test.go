package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// reportFormats are every format vigil scan writes.
var reportFormats = []string{"text", "json", "sarif", "junit", "csv", "html", "compliance"}

// marker matches the marker secrets of testdata/sensitive: every value
// there that holds MARKER is sensitive.
var marker = regexp.MustCompile(`MARKER[-A-Za-z]*`)

// TestSensitiveValuesInNoOutput scans Terraform with sensitive variables
// (one given through TF_VAR_), a sensitive module output, sensitive(), a
// function that fails on a sensitive argument, and a plan whose
// after_sensitive, sensitive_values and sensitive variables mark values,
// in every format: no marker reaches the report or stderr, and the rules
// still judge the values (the trails fail, they are not skipped).
func TestSensitiveValuesInNoOutput(t *testing.T) {
	dir, err := filepath.Abs("testdata/sensitive")
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"TF_VAR_kms_key_id=MARKER-from-environment"}
	for _, format := range reportFormats {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "report")
			r := runVigil(t, dir, env, defaultLimits, "scan", "--format", format, "--output", out, "tf", "plan/plan.json")
			if r.killed != "" {
				t.Fatal(r.killed)
			}
			report, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			// One file fails to evaluate (the sensitive tonumber call):
			// exit 2 says an input was not fully read.
			if r.exit != 2 {
				t.Errorf("exit %d, want 2\n%s", r.exit, clip(r.stderr))
			}
			for name, data := range map[string][]byte{"report": report, "stdout": r.stdout, "stderr": r.stderr} {
				if m := marker.Find(data); m != nil {
					t.Errorf("%s shows the sensitive value %q", name, m)
				}
			}
			if !bytes.Contains(r.stderr, []byte("failed on a sensitive argument")) {
				t.Errorf("stderr lacks the diagnostic of the failed call:\n%s", clip(r.stderr))
			}
			if format != "compliance" && !bytes.Contains(report, []byte("(sensitive)")) {
				t.Errorf("the report names no trail (sensitive): are the trails still judged?")
			}
		})
	}
}
