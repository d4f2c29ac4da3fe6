//go:build unix

package terraform

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"vigil/entity"
)

// TestSpecialFiles: a named pipe or a device where vigil expects a file, in
// the tree or named by file() or templatefile(), is reported and never
// read. Reading a pipe with no writer blocked the scan forever, and
// file("/dev/zero") read until memory ran out.
func TestSpecialFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "b"
  tags = {
    zero = file("/dev/zero")
    pipe = file("pipe.txt")
    tmpl = templatefile("pipe.txt", {})
    b64  = filebase64("/dev/zero")
  }
}
`})
	for _, name := range []string{"evil.tf", "terraform.tfvars", "pipe.txt"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skipf("cannot make a named pipe here: %v", err)
		}
	}
	if err := os.Symlink("evil.tf", filepath.Join(dir, "link.tf")); err != nil {
		t.Fatal(err)
	}
	var inv *entity.Inventory
	var diags hcl.Diagnostics
	done := make(chan struct{})
	go func() {
		// /dev is allowed, so that the device, not the boundary,
		// is what stops the read.
		inv, diags = Load(dir, Options{AllowPaths: []string{"/dev"}})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Load is still reading after 30 s: it blocked on a named pipe or a device")
	}
	want := []string{
		`error evil.tf:1,1-1: Cannot read file: evil.tf is not a regular file (p---------); vigil reads regular files only, since a pipe or a device could block the scan or never end.`,
		`error link.tf:1,1-1: Cannot read file: link.tf is not a regular file (p---------); vigil reads regular files only, since a pipe or a device could block the scan or never end.`,
		`error terraform.tfvars:1,1-1: Cannot read file: terraform.tfvars is not a regular file (p---------); vigil reads regular files only, since a pipe or a device could block the scan or never end.`,
		`error main.tf:5,12-17: Error in function call: Call to function "file" failed: /dev/zero is not a regular file (Dc---------); vigil reads regular files only, since a pipe or a device could block the scan or never end.`,
		`error main.tf:6,12-17: Error in function call: Call to function "file" failed: pipe.txt is not a regular file (p---------); vigil reads regular files only, since a pipe or a device could block the scan or never end.`,
		`error main.tf:7,12-25: Error in function call: Call to function "templatefile" failed: templatefile: pipe.txt is not a regular file (p---------); vigil reads regular files only, since a pipe or a device could block the scan or never end.`,
		`error main.tf:8,12-23: Error in function call: Call to function "filebase64" failed: /dev/zero is not a regular file (Dc---------); vigil reads regular files only, since a pipe or a device could block the scan or never end.`,
	}
	got := describe(diags, dir)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	var bucket *entity.Entity
	for _, e := range inv.Entities {
		if e.ID == "aws_s3_bucket.b" {
			bucket = e
		}
	}
	if bucket == nil {
		t.Fatalf("the bucket of main.tf was not loaded: %v", inv.Entities)
	}
	// A value that could not be read makes the tags unknown, never empty.
	if _, ok := bucket.Attrs["tags"].(*entity.Unknown); !ok {
		t.Errorf("tags = %#v, want an Unknown", bucket.Attrs["tags"])
	}
}
