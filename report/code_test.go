package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

// TestCodeReaderReadsOnlyTheInputs builds a scanned tree, files beside it
// and links out of it, and checks what NewCodeReader reads: the .tf files
// of the inputs, by the names the loader gives them, and nothing else.
func TestCodeReaderReadsOnlyTheInputs(t *testing.T) {
	base := t.TempDir()
	tree := filepath.Join(base, "infra")
	outside := filepath.Join(base, "secret")
	for dir, files := range map[string]map[string]string{
		tree: {
			"main.tf":          "resource \"aws_cloudtrail\" \"x\" {\n  name = \"x\"\r\n}\n",
			"modules/a/a.tf":   "# module a\nresource \"aws_cloudtrail\" \"a\" {}",
			"notes.txt":        "not terraform\n",
			"terraform.tfvars": "password = \"hunter2\"\n",
		},
		outside: {"creds.tf": "aws_secret_access_key = \"AKIA...\"\n"},
		base:    {"single.tf": "resource \"aws_cloudtrail\" \"single\" {}\n"},
	} {
		for name, src := range files {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Symlink(filepath.Join(outside, "creds.tf"), filepath.Join(tree, "link.tf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(tree, "dirlink")); err != nil {
		t.Fatal(err)
	}
	makeFifo(t, filepath.Join(tree, "fifo.tf"))

	// The working directory is base, as for "vigil scan infra single.tf".
	t.Chdir(base)
	r := NewCodeReader([]string{"infra", "single.tf", "missing"}, nil)
	cases := []struct {
		file        string
		first, last int
		want        []string
	}{
		{"infra/main.tf", 1, 3, []string{`resource "aws_cloudtrail" "x" {`, `  name = "x"`, "}"}},
		{"infra/main.tf", 2, 2, []string{`  name = "x"`}},
		{"infra/main.tf", 3, 10, []string{"}"}},
		{"infra/main.tf", 9, 10, nil},
		{"infra/main.tf", 0, 2, nil},
		{filepath.Join(base, "infra", "main.tf"), 1, 1, []string{`resource "aws_cloudtrail" "x" {`}},
		{"infra/./modules/../main.tf", 1, 1, []string{`resource "aws_cloudtrail" "x" {`}},
		{"infra/modules/a/a.tf", 2, 2, []string{`resource "aws_cloudtrail" "a" {}`}},
		{"single.tf", 1, 1, []string{`resource "aws_cloudtrail" "single" {}`}},
		// Outside the inputs, or not Terraform, or not a regular file.
		{"secret/creds.tf", 1, 1, nil},
		{"infra/../secret/creds.tf", 1, 1, nil},
		{"infra/link.tf", 1, 1, nil},
		{"infra/dirlink/creds.tf", 1, 1, nil},
		{"infra/notes.txt", 1, 1, nil},
		{"infra/terraform.tfvars", 1, 1, nil},
		{"infra/fifo.tf", 1, 1, nil},
		{"infra", 1, 1, nil},
		{"/etc/passwd", 1, 1, nil},
		{"missing/x.tf", 1, 1, nil},
	}
	for _, tc := range cases {
		if got := r.Lines(tc.file, tc.first, tc.last); !cmp.Equal(got, tc.want) {
			t.Errorf("Lines(%q, %d, %d) = %q, want %q", tc.file, tc.first, tc.last, got, tc.want)
		}
	}
}

// TestCodeReaderBounds: a file over the size limit is not read, a long
// line is cut, and sensitive values are redacted.
func TestCodeReaderBounds(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := write("big.tf", "# x\n"+strings.Repeat("x", maxCodeFileBytes))
	long := write("long.tf", "x"+strings.Repeat("é", maxCodeLineBytes)+"\nnext\n")
	// As many lines as the size limit allows: a block at its end is found
	// without keeping a string per line.
	lines := write("lines.tf", strings.Repeat("\n", maxCodeFileBytes-len("resource {}\n"))+"resource {}\n")
	secret := write("secret.tf", "resource \"aws_db_instance\" \"db\" {\n  password = \"correct horse battery\"\n}\n")
	secrets := &entity.Secrets{}
	secrets.Add("correct horse battery")
	r := NewCodeReader([]string{dir}, secrets)

	if got := r.Lines(big, 1, 1); got != nil {
		t.Errorf("a file over %d bytes was read: %q", maxCodeFileBytes, got)
	}
	got := r.Lines(long, 1, 2)
	if len(got) != 2 || len(got[0]) > maxCodeLineBytes || !utf8.ValidString(got[0]) || got[1] != "next" {
		t.Errorf("long line: %d lines, the first of %d bytes (valid UTF-8: %v), then %q", len(got), len(got[0]), utf8.ValidString(got[0]), got[1:])
	}
	n := maxCodeFileBytes - len("resource {}\n") + 1
	if got := r.Lines(lines, n-1, n+5); !cmp.Equal(got, []string{"", "resource {}"}) {
		t.Errorf("the last lines of a file of %d lines: %q", n, got)
	}
	if got := r.Lines(lines, 300, 301); !cmp.Equal(got, []string{"", ""}) {
		t.Errorf("lines 300 and 301: %q", got)
	}
	if got := r.Lines(secret, 2, 2); len(got) != 1 || strings.Contains(got[0], "correct horse") || !strings.Contains(got[0], entity.Redacted) {
		t.Errorf("sensitive value shown: %q", got)
	}
}
