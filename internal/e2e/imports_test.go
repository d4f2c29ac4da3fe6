package e2e

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// allowedImports are the arrows between vigil's packages that DESIGN.md
// allows, tests included: a package may import the packages listed for
// the first pattern it matches ("source/..." matches every package under
// source) and the packages of importableEverywhere, and no other package
// of vigil. "*" allows every package.
var allowedImports = []struct {
	pkg   string
	allow []string
}{
	{"diag", nil},
	{"entity", nil},
	{"filterpattern", nil},
	{"gsl", []string{"entity"}},
	{"rules", []string{"entity", "gsl"}},
	{"engine", []string{"entity", "gsl", "rules", "filterpattern"}},
	// awsfake is source/aws's test double, an in-process AWS that its
	// tests collect from; it imports nothing of vigil.
	{"source/...", []string{"entity", "source/snapshot", "source/aws/awsfake", "source/iampolicy", "source/s3dataevents"}},
	{"report", []string{"engine", "rules", "entity"}},
	{"store", []string{"engine", "rules", "entity", "report"}},
	{"web", []string{"engine", "rules", "entity", "report", "store"}},
	{"fix", []string{"engine", "rules", "entity", "report", "source/terraform"}},
	{"cmd/vigil", []string{"internal/cli"}},
	{"internal/cli", []string{"*"}},
	{"internal/e2e", []string{"*"}},
}

// importableEverywhere are the leaf packages every package of vigil may
// import: diag, the positioned errors every parser reports.
var importableEverywhere = []string{"diag"}

// importProblem says why package pkg may not import imp (both relative to
// the module, "engine", "source/aws"), or "" when it may. Subpackages are
// packages like any other: source/aws/awsfake follows "source/...".
func importProblem(pkg, imp string) string {
	if imp == pkg {
		return "" // an external test package importing its package
	}
	for _, rule := range allowedImports {
		if !matchPackage(rule.pkg, pkg) {
			continue
		}
		if slices.Contains(importableEverywhere, imp) {
			return ""
		}
		for _, a := range rule.allow {
			if a == "*" || matchPackage(a, imp) {
				return ""
			}
		}
		everywhere := strings.Join(importableEverywhere, ", ")
		if len(rule.allow) == 0 {
			return pkg + " may import nothing of vigil but " + everywhere + " (DESIGN.md), but imports " + imp
		}
		return pkg + " may import only " + strings.Join(rule.allow, ", ") + " and " + everywhere + " of vigil (DESIGN.md), but imports " + imp
	}
	return pkg + " is not in DESIGN.md's table of allowed imports (add it there and to allowedImports), and imports " + imp
}

// matchPackage reports whether pkg is pattern, or under it for a pattern
// ending in "/...".
func matchPackage(pattern, pkg string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pattern == pkg
}

// TestImportProblem pins the checker on arrows DESIGN.md allows and
// forbids, so that TestImportsFollowDesign can fail.
func TestImportProblem(t *testing.T) {
	tests := []struct {
		pkg, imp string
		ok       bool
	}{
		{"gsl", "entity", true},
		{"gsl", "rules", false},
		{"gsl", "source/terraform", false},
		{"filterpattern", "entity", false},
		{"engine", "filterpattern", true},
		{"engine", "report", false},
		{"source/terraform", "entity", true},
		{"source/aws", "source/snapshot", true},
		{"source/aws", "source/terraform", false},
		{"source/aws", "source/aws/awsfake", true},
		{"source/aws/awsfake", "rules", false},
		{"report", "gsl", false},
		{"report", "engine", true},
		{"internal/cli", "source/aws", true},
		{"cmd/vigil", "engine", false},
		{"newpkg", "entity", false},
		{"engine", "engine", true},
		{"filterpattern", "diag", true},
		{"entity", "diag", true},
		{"source/aws/awsfake", "diag", true},
		{"diag", "entity", false},
		{"newpkg", "diag", false},
	}
	for _, tt := range tests {
		got := importProblem(tt.pkg, tt.imp)
		if (got == "") != tt.ok {
			t.Errorf("%s importing %s: problem %q, want ok=%v", tt.pkg, tt.imp, got, tt.ok)
		}
	}
}

// TestImportsFollowDesign checks every import between vigil's packages,
// in every Go file of the module (tests included), against DESIGN.md's
// arrows. A test that needs to cross them belongs in internal/e2e.
func TestImportsFollowDesign(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	module := modulePath(t, root)
	fset := token.NewFileSet()
	files := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, spec := range f.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return err
			}
			rest, ok := strings.CutPrefix(imp, module+"/")
			if !ok {
				continue
			}
			if problem := importProblem(pkg, rest); problem != "" {
				t.Errorf("%s: %s", fset.Position(spec.Pos()), problem)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("read %d Go files under %s: the walk missed the module", files, root)
	}
}

// modulePath reads the module path from go.mod.
func modulePath(t *testing.T, root string) string {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if m, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.TrimSpace(m)
		}
	}
	t.Fatal("go.mod has no module line")
	return ""
}
