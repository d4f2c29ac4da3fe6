package e2e

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestSecretsStayOutOfReports: Terraform code that reads the secrets of
// the machine that runs the scan, the AWS credentials in its home
// directory and the environment of the scanning process, with every file
// function, gets an error for each read, and neither secret reaches the
// report, in any format, nor stderr. Before the boundary, every report
// format carried them.
func TestSecretsStayOutOfReports(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/environ")
	}
	const (
		credentialsMarker = "CREDENTIALS-MARKER-5b7e1d"
		environMarker     = "ENVIRON-MARKER-c0a4f2"
	)
	home := t.TempDir()
	credentials := credentialsMarker + "\n[default]\naws_secret_access_key = " + credentialsMarker + "\n"
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(credentials), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "LISTED-MARKER-e91b"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	input := filepath.Join(work, "input")
	if err := os.Mkdir(input, 0o755); err != nil {
		t.Fatal(err)
	}
	// Each read names a trail of its own, which every report shows.
	reads := []string{
		`file("~/.aws/credentials")`,
		`file("/proc/self/environ")`,
		`filebase64("~/.aws/credentials")`,
		`filebase64("/proc/self/environ")`,
		`templatefile("~/.aws/credentials", {})`,
		`templatefile("/proc/self/environ", {})`,
		`join(",", fileset(pathexpand("~/.aws"), "*"))`,
		`join(",", fileset("/proc/self", "environ"))`,
	}
	var tf strings.Builder
	for i, r := range reads {
		fmt.Fprintf(&tf, "resource \"aws_cloudtrail\" \"t%d\" {\n  name                  = %s\n  s3_bucket_name        = \"logs\"\n  is_multi_region_trail = true\n}\n", i, r)
	}
	if err := os.WriteFile(filepath.Join(input, "main.tf"), []byte(tf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	secrets := []string{
		credentialsMarker, environMarker,
		base64.StdEncoding.EncodeToString([]byte(credentials))[:24],
		"LISTED-MARKER-e91b", // a name fileset would list
		"PATH=/",             // the environment's first variable: the text table cuts long values
	}
	env := []string{"HOME=" + home, "VIGIL_TEST_SECRET=" + environMarker}
	for _, format := range []string{"text", "json", "sarif", "junit", "csv", "html", "compliance"} {
		t.Run(format, func(t *testing.T) {
			out := t.TempDir()
			report := filepath.Join(out, "report."+format)
			r := runVigil(t, work, env, defaultLimits, "scan", "--format", format, "--output", report, "input")
			if r.killed != "" {
				t.Fatal(r.killed)
			}
			if r.exit != 2 {
				t.Errorf("exit status %d, want 2: the input has errors\nstderr:\n%s", r.exit, clip(r.stderr))
			}
			data, err := os.ReadFile(report)
			if err != nil {
				t.Fatalf("no report: %v\nstderr:\n%s", err, clip(r.stderr))
			}
			if len(data) == 0 {
				t.Error("empty report")
			}
			for name, text := range map[string][]byte{"stdout": r.stdout, "stderr": r.stderr, "report." + format: data} {
				for _, s := range secrets {
					if bytes.Contains(text, []byte(s)) {
						t.Errorf("%s contains the secret %q", name, s)
					}
				}
			}
			stderr := string(r.stderr)
			if n := strings.Count(stderr, "Error: File outside the scanned tree"); n != len(reads) {
				t.Errorf("%d errors %q, want %d, one for each read:\n%s", n, "File outside the scanned tree", len(reads), clip(r.stderr))
			}
			for _, want := range []string{
				`file("~/.aws/credentials") reads ` + home + `/.aws/credentials, which is outside the scanned tree and the modules it calls; vigil does not read it`,
				`file("/proc/self/environ") reads /proc/self/environ, which leads to /proc/`,
				`templatefile: templatefile("~/.aws/credentials") reads ` + home + `/.aws/credentials, which is outside`,
				`fileset("` + home + `/.aws", "*") lists ` + home + `/.aws, which is outside`,
				`fileset("/proc/self", "environ") lists /proc/self, which leads to /proc/`,
				"vigil: input: Terraform: 8 Terraform error(s), shown above; the rest of the input was scanned",
			} {
				// The text writer wraps lines at 100 columns.
				if !strings.Contains(strings.Join(strings.Fields(stderr), " "), want) {
					t.Errorf("stderr lacks %q:\n%s", want, clip(r.stderr))
				}
			}
		})
	}
}
