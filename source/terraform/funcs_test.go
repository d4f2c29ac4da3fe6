package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-cty-funcs/filesystem"
	"github.com/zclconf/go-cty/cty"
)

// setStrings returns the strings of a known set of strings, sorted.
func setStrings(t *testing.T, v cty.Value) []string {
	t.Helper()
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		out = append(out, e.AsString())
	}
	slices.Sort(out)
	return out
}

// TestFilesetAsGoCtyFuncs: vigil's fileset, which is bounded, finds what
// go-cty-funcs's finds (Terraform's function) on an ordinary tree.
func TestFilesetAsGoCtyFuncs(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"a.json": "{}", "b.txt": "b", ".hidden.json": "{}",
		"sub/c.json": "{}", "sub/deep/d.json": "{}", "sub/deep/e.txt": "e", "sub/.x/f.json": "{}",
		"policies/s3.json": "{}", "policies/iam.json": "{}",
	})
	if err := os.Symlink("a.json", filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	ours, theirs := makeFileSetFunc(dir, rootsOf(t, dir)), filesystem.MakeFileSetFunc(dir)
	for _, tc := range [][2]string{
		{".", "*"}, {".", "*.json"}, {".", "**"}, {".", "**/*.json"}, {".", "sub/*.json"}, {".", "sub/**"},
		{".", "*/*.json"}, {".", "{a,b}.*"}, {".", "?.txt"}, {".", "sub/deep/*"}, {".", "nomatch*"},
		{".", "[ab].json"}, {"policies", "*.json"}, {"sub", "**/*.json"}, {dir, "*.txt"}, {"empty", "*"},
	} {
		args := []cty.Value{cty.StringVal(tc[0]), cty.StringVal(tc[1])}
		want, err := theirs.Call(args)
		if err != nil {
			t.Fatalf("go-cty-funcs fileset(%q, %q): %v", tc[0], tc[1], err)
		}
		got, err := ours.Call(args)
		if err != nil {
			t.Errorf("fileset(%q, %q): %v", tc[0], tc[1], err)
			continue
		}
		if diff := cmp.Diff(setStrings(t, want), setStrings(t, got)); diff != "" {
			t.Errorf("fileset(%q, %q) (-go-cty-funcs +vigil):\n%s", tc[0], tc[1], diff)
		}
	}
}

// TestFilesetLimit: a fileset that would look at more than
// MaxFilesetEntries files and directories is an error, not a walk of the
// whole file system; a pattern without ** does not descend where it cannot
// match, so a large directory beside it costs nothing.
func TestFilesetLimit(t *testing.T) {
	dir := t.TempDir()
	many := filepath.Join(dir, "many")
	if err := os.Mkdir(many, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range MaxFilesetEntries + 1 {
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("f%05d.json", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "top.json"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := fileset(dir, rootsOf(t, dir), ".", "*.json"); err != nil || !slices.Equal(got, []string{"top.json"}) {
		t.Errorf(`fileset(".", "*.json") = %q, %v; want [top.json] without looking into many/`, got, err)
	}
	for _, pattern := range []string{"**/*.json", "many/*.json"} {
		_, err := fileset(dir, rootsOf(t, dir), ".", pattern)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("would look at more than %d files and directories", MaxFilesetEntries)) {
			t.Errorf("fileset(%q): %v, want the limit's error", pattern, err)
		}
	}
}
