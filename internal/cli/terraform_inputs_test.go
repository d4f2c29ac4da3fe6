package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeFiles writes files (path → content) under a new temporary
// directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestScanInstalledModules: the modules terraform init installed are
// scanned, their findings at the module's address, and a module that is
// not installed is a warning that says what to do, not an error.
func TestScanInstalledModules(t *testing.T) {
	const dir = "../../source/terraform/testdata/installed"
	code, got, stderr := jsonFindings(t, "--only", "D9.TF.AWS.LOG.01,VIGIL.AWS.LOG.01", dir)
	want := []string{
		"D9.TF.AWS.LOG.01 " + dir + " org-main FAIL",
		"VIGIL.AWS.LOG.01 " + dir + " - FAIL",
	}
	if code != ExitFailed || !slices.Equal(got, want) {
		t.Errorf("exit %d, findings:\n%s\nwant:\n%s\nstderr: %s", code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
	if !strings.Contains(stderr, "Warning: Module not installed") || !strings.Contains(stderr, `Module "vpc" (source "terraform-aws-modules/vpc/aws") is not installed`) ||
		strings.Contains(stderr, "Error") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// TestScanSingleFile: a .tf file is a scope of its own, named by the file;
// the other files of its directory, a broken one among them, are not read.
func TestScanSingleFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.tf":   "resource \"aws_cloudtrail\" \"main\" {\n  name = \"main\"\n  s3_bucket_name = \"logs\"\n}\n",
		"broken.tf": "resource \"aws_cloudtrail\" {\n",
		"other.tf":  "resource \"aws_cloudtrail\" \"other\" {\n  name = \"other\"\n  is_multi_region_trail = true\n}\n",
	})
	file := filepath.Join(dir, "main.tf")
	code, got, stderr := jsonFindings(t, "--only", "D9.TF.AWS.LOG.01", file)
	want := []string{"D9.TF.AWS.LOG.01 " + filepath.ToSlash(file) + " main FAIL"}
	if code != ExitFailed || !slices.Equal(got, want) || stderr != "" {
		t.Errorf("exit %d, findings:\n%s\nwant:\n%s\nstderr: %s", code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
	if !strings.Contains(scanHelp(t), "one Terraform file, as a root module of that file alone") {
		t.Error("--help does not say how a single file is read")
	}
}

func scanHelp(t *testing.T) string {
	t.Helper()
	_, out, _ := run(t, "", "scan", "--help")
	return out
}

// TestScanPlanScopes: two plan files in one directory are two scopes, each
// named by its file (they were one scope, named by the directory).
func TestScanPlanScopes(t *testing.T) {
	plan, err := os.ReadFile("../../source/terraform/testdata/plans/chain.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{"prod.json": string(plan), "staging.json": string(plan)})
	prod, staging := filepath.ToSlash(filepath.Join(dir, "prod.json")), filepath.ToSlash(filepath.Join(dir, "staging.json"))
	code, got, stderr := jsonFindings(t, "--only", "VIGIL.AWS.LOG.01", filepath.Join(dir, "prod.json"), filepath.Join(dir, "staging.json"))
	want := []string{"VIGIL.AWS.LOG.01 " + prod + " - PASS", "VIGIL.AWS.LOG.01 " + staging + " - PASS"}
	if code != ExitOK || !slices.Equal(got, want) {
		t.Errorf("exit %d, findings:\n%s\nwant:\n%s\nstderr: %s", code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
}

// TestScanBrokenPlanPosition: a plan that is not valid JSON is reported at
// the line and column of the offending byte.
func TestScanBrokenPlanPosition(t *testing.T) {
	dir := writeFiles(t, map[string]string{"plan.json": "{\"format_version\": \"1.2\",\n  \"planned_values\": {\"root_module\": {\"resources\": [\n    {\"address\": \"aws_cloudtrail.x\", \"values\": {\"name\": \"x\",}}]}}}\n"})
	code, _, stderr := run(t, "", "scan", filepath.Join(dir, "plan.json"))
	if code != ExitBadUsage || !strings.Contains(stderr, "plan.json:3:60: invalid character") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestScanUndeclaredReferences: a reference to a resource the module does
// not declare is one warning per name and its rules UNKNOWN (exit 0, no
// FAIL), not an error per use with exit 2; --strict makes it an error.
func TestScanUndeclaredReferences(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.tf": `resource "aws_cloudtrail" "t" {
  count                      = 2
  name                       = "t${count.index}"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
}

output "group" {
  value = aws_cloudwatch_log_group.trail.name
}
`})
	code, got, stderr := jsonFindings(t, "--only", "D9.TF.AWS.LOG.03", dir)
	want := []string{"D9.TF.AWS.LOG.03 " + filepath.ToSlash(dir) + " t0 UNKNOWN", "D9.TF.AWS.LOG.03 " + filepath.ToSlash(dir) + " t1 UNKNOWN"}
	if code != ExitOK || !slices.Equal(got, want) {
		t.Errorf("exit %d, findings:\n%s\nwant:\n%s\nstderr: %s", code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
	if n := strings.Count(stderr, "Warning: Reference to undeclared resource"); n != 3 || strings.Contains(stderr, "Error") {
		t.Errorf("%d warnings, want 3 (one per name):\n%s", n, stderr)
	}
	code, _, stderr = run(t, "", "scan", "--strict", "--only", "D9.TF.AWS.LOG.03", dir)
	if code != ExitBadUsage || strings.Count(stderr, "Error: Reference to undeclared resource") != 3 {
		t.Errorf("--strict: exit %d, stderr:\n%s", code, stderr)
	}
}
