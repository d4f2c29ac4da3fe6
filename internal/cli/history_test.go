package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/store"
)

// TestScanStoreAndDiffStoredRuns records two scans and checks that "vigil
// diff" between the stored runs says what it says between the files, and
// that a stored run compares with a file.
func TestScanStoreAndDiffStoredRuns(t *testing.T) {
	oldPath, newPath := diffSnapshots(t)
	db := filepath.Join(t.TempDir(), "history.db")
	for _, p := range []string{oldPath, newPath} {
		code, _, stderr := run(t, "", "scan", "--store="+db, "--only", "D9.AWS.LOG.01", "-f", "json", "-o", filepath.Join(t.TempDir(), "r.json"), p)
		if code != ExitFailed || !strings.Contains(stderr, "vigil: recorded as run") {
			t.Fatalf("scan --store %s: exit %d, stderr %s", p, code, stderr)
		}
	}
	code, stdout, stderr := run(t, "", "history", "runs", "--store", db, "--format", "json")
	var runs []store.Run
	if code != 0 || json.Unmarshal([]byte(stdout), &runs) != nil || len(runs) != 2 || runs[0].Inputs[0] != newPath {
		t.Fatalf("history runs: exit %d, %s %s", code, stdout, stderr)
	}

	_, fromFiles, _ := run(t, "", "diff", "--format", "json", "--only", "D9.AWS.LOG.01", oldPath, newPath)
	tests := [][]string{
		{"run:LATEST~1", "run:LATEST"},
		{"run:1", "run:2"},
		{"run:1", newPath},
	}
	for _, args := range tests {
		code, fromStore, stderr := run(t, "", append([]string{"diff", "--store", db, "--format", "json", "--only", "D9.AWS.LOG.01"}, args...)...)
		if code != ExitFailed {
			t.Errorf("diff %v: exit %d, want 1 (a FAIL appeared); stderr %s", args, code, stderr)
		}
		if d := cmp.Diff(fromFiles, fromStore); d != "" {
			t.Errorf("diff %v differs from the diff of the files (-files +store):\n%s", args, d)
		}
	}
	code, stdout, _ = run(t, "", "diff", "--store", db, "run:LATEST~1", "run:LATEST")
	if code != ExitFailed || !strings.Contains(stdout, "run:LATEST~1 (run 1, ") || !strings.Contains(stdout, "1 appeared, 1 disappeared, 1 changed") {
		t.Errorf("text diff of stored runs: exit %d\n%s", code, stdout)
	}
}

// TestHistoryErrors: a store that cannot be written fails the scan with a
// clear error after the report is written; history and diff errors say
// what to do.
func TestHistoryErrors(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.json")
	code, _, stderr := run(t, "", "scan", "--store="+filepath.Join(notADir, "history.db"), "-f", "json", "-o", report, "../../examples/aws-inventory.json")
	if _, err := os.Stat(report); code != ExitBadUsage || err != nil || !strings.Contains(stderr, "the report was written, but the run was not recorded") {
		t.Errorf("scan with a store that cannot be created: exit %d, report %v, stderr %s", code, err, stderr)
	}
	db := filepath.Join(dir, "history.db")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"history", "prune", "--store", db}, "say which runs to delete"},
		{[]string{"history", "prune", "--store", db, "--older-than", "soon"}, `--older-than: "soon": want a number of days`},
		{[]string{"history", "runs", "--store", db, "--format", "csv"}, "--format: want text or json"},
		{[]string{"diff", "--store", db, "run:LATEST", "run:7"}, "run LATEST: not in the history store"},
		{[]string{"diff", "--store", db, "run:LATEST~x", "run:LATEST"}, "after LATEST~ comes a number"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, "", tt.args...)
		if code != ExitBadUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, stderr, tt.want)
		}
	}
}

// TestHistoryPrune keeps the run recorded last.
func TestHistoryPrune(t *testing.T) {
	db := filepath.Join(t.TempDir(), "history.db")
	for range 3 {
		if code, _, stderr := run(t, "", "scan", "--store="+db, "-q", "-o", os.DevNull, "../../examples/aws-inventory.json"); code == ExitBadUsage {
			t.Fatal(stderr)
		}
	}
	code, stdout, stderr := run(t, "", "history", "prune", "--store", db, "--keep", "1")
	if code != 0 || !strings.HasPrefix(stdout, "deleted 2 runs (") {
		t.Fatalf("prune: exit %d, %s %s", code, stdout, stderr)
	}
	_, stdout, _ = run(t, "", "history", "runs", "--store", db)
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "3 ") {
		t.Errorf("runs after prune --keep 1:\n%s", stdout)
	}
}

func TestParseAge(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"90d", 90 * 24 * time.Hour, true},
		{"12h", 12 * time.Hour, true},
		{"0d", 0, false},
		{"-3d", 0, false},
		{"d", 0, false},
		{"-1h", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, err := parseAge(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseAge(%q) = %v, %v; want %v (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
