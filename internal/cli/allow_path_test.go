package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAllowPath: Terraform code reads a file outside the scanned tree only
// when --allow-path names its directory, in vigil scan and in vigil diff;
// an --allow-path that is not a directory is bad usage.
func TestAllowPath(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "name.txt"), []byte("trail-from-outside"), 0o644); err != nil {
		t.Fatal(err)
	}
	tree := t.TempDir()
	tf := `resource "aws_cloudtrail" "t" {
  name                  = file("` + filepath.Join(outside, "name.txt") + `")
  s3_bucket_name        = "logs"
  is_multi_region_trail = true
}
`
	if err := os.WriteFile(filepath.Join(tree, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(outside, "name.txt")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // stdout contains this
		stderr string // stderr contains this ("" for no Terraform error)
	}{
		{"scan refuses", []string{"scan", "--format", "json", "--only", "D9.TF.AWS.LOG.01", tree}, ExitBadUsage, "aws_cloudtrail.t",
			"Error: File outside the scanned tree"},
		{"scan allows", []string{"scan", "--format", "json", "--only", "D9.TF.AWS.LOG.01", "--allow-path", outside, tree}, ExitOK, "trail-from-outside", ""},
		{"diff refuses", []string{"diff", tree, tree}, ExitBadUsage, "", "Error: File outside the scanned tree"},
		{"diff allows", []string{"diff", "--allow-path", outside, tree, tree}, ExitOK, "", ""},
		{"scan missing directory", []string{"scan", "--allow-path", filepath.Join(outside, "nope"), tree}, ExitBadUsage, "",
			"--allow-path " + filepath.Join(outside, "nope") + ": no such file or directory"},
		{"scan not a directory", []string{"scan", "--allow-path", notDir, tree}, ExitBadUsage, "", "--allow-path " + notDir + ": not a directory"},
		{"diff missing directory", []string{"diff", "--allow-path", filepath.Join(outside, "nope"), tree, tree}, ExitBadUsage, "",
			"--allow-path " + filepath.Join(outside, "nope") + ": no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if refused := strings.Contains(tt.stderr, "File outside"); refused && strings.Contains(stdout+stderr, "trail-from-outside") {
				t.Errorf("the file was read:\n%s\n%s", stdout, stderr)
			}
			if tt.stderr == "" && strings.Contains(stderr, "Error:") || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
		})
	}
}
