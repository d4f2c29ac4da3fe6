package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSensitiveValuesNotStored scans the Terraform of testdata/sensitive
// with --store and reads the bytes of the SQLite store (its file and
// write-ahead log): the findings are there, and no marker of a sensitive
// value is.
func TestSensitiveValuesNotStored(t *testing.T) {
	dir, err := filepath.Abs("testdata/sensitive")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "history.db")
	env := []string{"TF_VAR_kms_key_id=MARKER-from-environment"}
	r := runVigil(t, dir, env, defaultLimits, "scan", "--store="+db, "--output", filepath.Join(t.TempDir(), "report"), "tf", "plan/plan.json")
	if r.killed != "" {
		t.Fatal(r.killed)
	}
	if !strings.Contains(string(r.stderr), "recorded as run 1") {
		t.Fatalf("exit %d, the run was not recorded: %s", r.exit, r.stderr)
	}
	var stored []byte
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(db + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		stored = append(stored, b...)
	}
	if !strings.Contains(string(stored), "aws_cloudtrail") {
		t.Fatalf("the store holds no finding about a trail (%d bytes)", len(stored))
	}
	if m := marker.Find(stored); m != nil {
		t.Errorf("the store holds the sensitive value %q", m)
	}
}
