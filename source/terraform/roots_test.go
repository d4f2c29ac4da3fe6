package terraform

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"vigil/entity"
)

// rootsOf returns the roots of a load of dir alone.
func rootsOf(t *testing.T, dir string) *allowedRoots {
	t.Helper()
	r, diags := newAllowedRoots(dir, nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return r
}

// The secrets of the machine that runs a scan, which no load may show.
const (
	outsideSecret = "OUTSIDE-SECRET-4f1c"
	homeSecret    = "HOME-SECRET-9d2e"
)

// boundaryFixture is a scan's surroundings: a directory outside the
// scanned tree holding a secret, a template and a Terraform module, and a
// home directory with AWS credentials.
type boundaryFixture struct {
	out, home string
}

func newBoundaryFixture(t *testing.T) boundaryFixture {
	t.Helper()
	f := boundaryFixture{out: writeTree(t, map[string]string{
		"secret.txt":    outsideSecret + "\n",
		"outside.tpl":   "tpl " + outsideSecret,
		"mod/main.tf":   "resource \"aws_s3_bucket\" \"outside\" {\n  bucket = \"" + outsideSecret + "\"\n}\n",
		"secret.tf":     "this does not parse " + outsideSecret + "\n",
		"secret.tfvars": "name = \"" + outsideSecret + "\"\n",
	}), home: writeTree(t, map[string]string{
		".aws/credentials": "[default]\naws_secret_access_key = " + homeSecret + "\n",
	})}
	t.Setenv("HOME", f.home)
	return f
}

// expand replaces $OUT with the outside directory, and $REL with the same
// relative to dir.
func (f boundaryFixture) expand(t *testing.T, s, dir string) string {
	t.Helper()
	rel, err := filepath.Rel(dir, f.out)
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer("$OUT", f.out, "$REL", filepath.ToSlash(rel)).Replace(s)
}

// assertNoSecret fails when a secret of f reaches the diagnostics, the
// inventory or the files kept for snippets.
func assertNoSecret(t *testing.T, l *Loader, inv *entity.Inventory, diags hcl.Diagnostics) {
	t.Helper()
	inventory, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	var files strings.Builder
	for _, f := range l.Files() {
		files.Write(f.Bytes)
	}
	for what, text := range map[string]string{"diagnostics": diags.Error(), "inventory": string(inventory), "files": files.String()} {
		for _, secret := range []string{outsideSecret, homeSecret} {
			if strings.Contains(text, secret) {
				t.Errorf("the %s show %s", what, secret)
			}
		}
	}
}

// TestFileFunctionsStayInTree: each file function, given a path that
// leads outside the scanned tree and the modules it calls, however
// written, is an error naming the call and where it leads, and its value
// is Unknown; nothing of the file reaches a diagnostic or the inventory.
// Before the boundary, file("~/.aws/credentials") put the credentials of
// the machine that runs the scan into the report.
func TestFileFunctionsStayInTree(t *testing.T) {
	tests := []struct {
		name string
		expr string
		// files and links (name → target) are added to the tree.
		files map[string]string
		links map[string]string
		// detail is what the diagnostic's detail starts with, after
		// "/abs/tree/" is dropped; the rest is the boundary's sentence.
		detail string
	}{
		{name: "file absolute", expr: `file("$OUT/secret.txt")`,
			detail: `file("$OUT/secret.txt") reads $OUT/secret.txt, which is outside`},
		{name: "file home", expr: `file("~/.aws/credentials")`,
			detail: `file("~/.aws/credentials") reads $HOME/.aws/credentials, which is outside`},
		{name: "file dot-dot", expr: `file("$REL/secret.txt")`,
			detail: `file("$REL/secret.txt") reads $OUT/secret.txt, which is outside`},
		{name: "file dot-dot through a subdirectory", expr: `file("sub/../$REL/secret.txt")`,
			files:  map[string]string{"sub/x.txt": "x"},
			detail: `file("sub/../$REL/secret.txt") reads $OUT/secret.txt, which is outside`},
		{name: "file link in the tree", expr: `file("link.txt")`,
			links:  map[string]string{"link.txt": "$OUT/secret.txt"},
			detail: `file("link.txt") reads link.txt, which leads to $OUT/secret.txt, outside`},
		{name: "file relative link in the tree", expr: `file("sub/link.txt")`,
			links:  map[string]string{"sub/link.txt": "$REL/secret.txt"},
			detail: `file("sub/link.txt") reads sub/link.txt, which leads to $OUT/secret.txt, outside`},
		{name: "file through a linked directory", expr: `file("linkdir/secret.txt")`,
			links:  map[string]string{"linkdir": "$OUT"},
			detail: `file("linkdir/secret.txt") reads linkdir/secret.txt, which leads to $OUT/secret.txt, outside`},
		{name: "file through a .terraform that links out", expr: `file(".terraform/modules/vpc/secret.txt")`,
			links:  map[string]string{".terraform/modules/vpc": "$OUT"},
			detail: `file(".terraform/modules/vpc/secret.txt") reads .terraform/modules/vpc/secret.txt, which leads to $OUT/secret.txt, outside`},
		{name: "file of a link that leads nowhere outside", expr: `file("dangling.txt")`,
			links:  map[string]string{"dangling.txt": "$OUT/missing.txt"},
			detail: `file("dangling.txt") reads dangling.txt, which leads to $OUT/missing.txt, outside`},
		{name: "file of a loop of links", expr: `file("loop.txt")`,
			links:  map[string]string{"loop.txt": "loop.txt"},
			detail: `file("loop.txt") reads loop.txt, which leads where vigil cannot tell`},
		{name: "file of proc", expr: `file("/proc/self/environ")`,
			detail: `file("/proc/self/environ") reads /proc/self/environ, which leads to /proc/`},
		{name: "filebase64 absolute", expr: `filebase64("$OUT/secret.txt")`,
			detail: `filebase64("$OUT/secret.txt") reads $OUT/secret.txt, which is outside`},
		{name: "filebase64 home", expr: `filebase64("~/.aws/credentials")`,
			detail: `filebase64("~/.aws/credentials") reads $HOME/.aws/credentials, which is outside`},
		{name: "templatefile outside", expr: `templatefile("$OUT/outside.tpl", {})`,
			detail: `templatefile: templatefile("$OUT/outside.tpl") reads $OUT/outside.tpl, which is outside`},
		{name: "templatefile inside reading outside", expr: `templatefile("inner.tpl", {})`,
			files:  map[string]string{"inner.tpl": "x ${file(\"~/.aws/credentials\")} ${file(\"$OUT/secret.txt\")}"},
			detail: `templatefile: at inner.tpl:1:5, file("~/.aws/credentials") reads $HOME/.aws/credentials, which is outside`},
		{name: "templatefile inside with a fileset outside", expr: `templatefile("inner.tpl", {})`,
			files:  map[string]string{"inner.tpl": "%{ for f in fileset(\"/\", \"*\") }${f}%{ endfor }"},
			detail: `templatefile: at inner.tpl:1:13, fileset("/", "*") lists /, which is outside`},
		{name: "fileset root", expr: `fileset("/", "**")`,
			detail: `fileset("/", "**") lists /, which is outside`},
		{name: "fileset parent", expr: `fileset("..", "*")`,
			detail: `fileset("..", "*") lists `},
		{name: "fileset home", expr: `fileset(pathexpand("~"), "**")`,
			detail: `fileset("$HOME", "**") lists $HOME, which is outside`},
		{name: "fileset linked directory", expr: `fileset("linkdir", "*")`,
			links:  map[string]string{"linkdir": "$OUT"},
			detail: `fileset("linkdir", "*") lists linkdir, which leads to $OUT, outside`},
		{name: "fileset finds a link out", expr: `fileset(".", "**/*.txt")`,
			files:  map[string]string{"sub/in.txt": "in"},
			links:  map[string]string{"sub/link.txt": "$OUT/secret.txt"},
			detail: `fileset(".", "**/*.txt") finds sub/link.txt, which links to $OUT/secret.txt, outside`},
		{name: "fileexists absolute", expr: `fileexists("$OUT/secret.txt")`,
			detail: `fileexists("$OUT/secret.txt") looks at $OUT/secret.txt, which is outside`},
		{name: "fileexists home", expr: `fileexists("~/.aws/credentials")`,
			detail: `fileexists("~/.aws/credentials") looks at $HOME/.aws/credentials, which is outside`},
		{name: "fileexists of a missing file outside", expr: `fileexists("/nonexistent/x")`,
			detail: `fileexists("/nonexistent/x") looks at /nonexistent/x, which is outside`},
		{name: "try does not fall back", expr: `try(file("$OUT/secret.txt"), "fallback")`,
			detail: `file("$OUT/secret.txt") reads $OUT/secret.txt, which is outside`},
		{name: "can does not answer", expr: `can(file("~/.aws/credentials"))`,
			detail: `file("~/.aws/credentials") reads $HOME/.aws/credentials, which is outside`},
		{name: "nested in another function", expr: `jsondecode(file("$OUT/secret.txt"))`,
			detail: `file("$OUT/secret.txt") reads $OUT/secret.txt, which is outside`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newBoundaryFixture(t)
			files := map[string]string{"main.tf": "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  value  = " + tc.expr + "\n}\n"}
			for n, c := range tc.files {
				files[n] = c
			}
			tree := writeTree(t, files)
			for n, c := range files {
				if err := os.WriteFile(filepath.Join(tree, n), []byte(f.expand(t, c, tree)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for n, target := range tc.links {
				p := filepath.Join(tree, filepath.FromSlash(n))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(filepath.FromSlash(f.expand(t, target, filepath.Dir(p))), p); err != nil {
					t.Fatal(err)
				}
			}
			l := NewLoader(Options{})
			start := time.Now()
			inv, diags := l.Load(tree)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Load took %v", d)
			}
			assertNoSecret(t, l, inv, diags)
			got := describe(diags, tree)
			detail := strings.NewReplacer("$OUT", f.out, "$HOME", f.home).Replace(f.expand(t, tc.detail, tree))
			prefix := "error main.tf:3,"
			if len(got) != 1 || !strings.HasPrefix(got[0], prefix) || !strings.Contains(got[0], ": File outside the scanned tree: "+detail) ||
				!strings.HasSuffix(got[0], "; vigil does not read it (use --allow-path DIR to allow a directory).") {
				t.Fatalf("diagnostics:\n%s\nwant one: %s…: File outside the scanned tree: %s…", strings.Join(got, "\n"), prefix, detail)
			}
			bucket := find(t, inv, "aws_s3_bucket", "aws_s3_bucket.b")
			unknown(t, "value", attr(t, bucket, "value"), entity.UnknownMaybeNull, "File outside the scanned tree")
		})
	}
}

// TestFileFunctionsInAllowedRoots: what a configuration may read: the
// tree, through links that stay in it; a local module called from outside
// the tree (envs/prod calling ../../modules/x), by path.module; what
// terraform init installed under .terraform/modules; and an
// --allow-path directory.
func TestFileFunctionsInAllowedRoots(t *testing.T) {
	f := newBoundaryFixture(t)
	repo := writeTree(t, map[string]string{
		"envs/prod/main.tf": `module "x" {
  source = "../../modules/x"
}
resource "aws_s3_bucket" "root" {
  bucket   = "root"
  linked   = file("linked.json")
  via_dir  = file("linkdir/policy.json")
  exists   = [fileexists("linked.json"), fileexists("missing.json")]
  installed = file(".terraform/modules/vpc/policy.json")
  allowed  = file("$OUT/secret.txt")
  allowed_set = fileset("$OUT", "*.txt")
  tried    = try(file("missing.json"), "fallback")
}
`,
		"envs/prod/shared/policy.json":                 `{"linked": true}`,
		"envs/prod/.terraform/modules/vpc/policy.json": `{"installed": true}`,
		"modules/x/main.tf": `resource "aws_s3_bucket" "x" {
  bucket   = "x"
  policy   = file("${path.module}/x.json")
  rendered = templatefile("${path.module}/t.tpl", { name = "n", dir = path.module })
  listed   = fileset(path.module, "*.json")
}
`,
		"modules/x/x.json": `{"module": true}`,
		"modules/x/t.tpl":  `${name}: ${file("${dir}/x.json")}`,
	})
	prod := filepath.Join(repo, "envs/prod")
	main := filepath.Join(prod, "main.tf")
	src, _ := os.ReadFile(main)
	if err := os.WriteFile(main, []byte(f.expand(t, string(src), prod)), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"linked.json": "shared/policy.json", "linkdir": "shared"} {
		if err := os.Symlink(target, filepath.Join(prod, link)); err != nil {
			t.Fatal(err)
		}
	}
	l := NewLoader(Options{AllowPaths: []string{f.out}})
	inv, diags := l.Load(prod)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", strings.Join(describe(diags, prod), "\n"))
	}
	root := find(t, inv, "aws_s3_bucket", "aws_s3_bucket.root")
	x := find(t, inv, "aws_s3_bucket", "module.x.aws_s3_bucket.x")
	for _, c := range []struct {
		e    *entity.Entity
		attr string
		want any
	}{
		{root, "linked", `{"linked": true}`},
		{root, "via_dir", `{"linked": true}`},
		{root, "exists", []any{true, false}},
		{root, "installed", `{"installed": true}`},
		{root, "allowed", outsideSecret + "\n"},
		{root, "allowed_set", []any{"secret.txt"}},
		{root, "tried", "fallback"},
		{x, "policy", `{"module": true}`},
		{x, "rendered", `n: {"module": true}`},
		{x, "listed", []any{"x.json"}},
	} {
		if diff := cmp.Diff(c.want, attr(t, c.e, c.attr)); diff != "" {
			t.Errorf("%s.%s (-want +got):\n%s", c.e.ID, c.attr, diff)
		}
	}
	// Without --allow-path, the same directory is outside.
	_, diags = Load(prod, Options{})
	if got := describe(diags, prod); len(got) != 2 || !strings.Contains(got[0], "File outside the scanned tree") || !strings.Contains(got[1], "File outside the scanned tree") {
		t.Errorf("without AllowPaths: %q, want the two reads of $OUT refused", got)
	}
}

// TestFoundFilesStayInTree: a .tf or variable file found in the tree that
// is a link leading outside it is reported by name and not read (its
// content reached the snippet of the parse error); a linked directory
// leading out is not walked, nor loaded as a module; links that stay in
// the tree, and a loop of directory links, are as before.
func TestFoundFilesStayInTree(t *testing.T) {
	f := newBoundaryFixture(t)
	tree := writeTree(t, map[string]string{
		"main.tf": `resource "aws_s3_bucket" "main" {
  bucket = var.name
}
variable "name" {
  default = "main"
}
module "outside" {
  source = "./linkmod"
}
module "inside" {
  source = "./mods/current"
}
`,
		"common/shared.txt":  "resource \"aws_s3_bucket\" \"shared\" {\n  bucket = \"shared\"\n}\n",
		"mods/v2/main.tf":    "resource \"aws_s3_bucket\" \"v2\" {\n  bucket = \"v2\"\n}\n",
		"sub/main.tf":        "resource \"aws_s3_bucket\" \"sub\" {\n  bucket = \"sub\"\n}\n",
		"sub/inner/keep.txt": "",
	})
	links := map[string]string{
		"env.tf":           "$OUT/secret.tf",
		"terraform.tfvars": "$OUT/secret.tfvars",
		"linkmod":          "$OUT/mod",
		"linkdir":          "$OUT",
		"shared.tf":        "common/shared.txt",
		"mods/current":     "v2",
		"sub/inner/loop":   "..",
	}
	if runtime.GOOS == "linux" {
		links["proc.tf"] = "/proc/self/environ"
	}
	for n, target := range links {
		p := filepath.Join(tree, filepath.FromSlash(n))
		if err := os.Symlink(filepath.FromSlash(f.expand(t, target, filepath.Dir(p))), p); err != nil {
			t.Fatal(err)
		}
	}
	l := NewLoader(Options{})
	inv, diags := l.Load(tree)
	assertNoSecret(t, l, inv, diags)
	tail := ", outside the scanned tree and the modules it calls; vigil does not read it (use --allow-path DIR to allow a directory)."
	want := []string{
		"error env.tf:1,1-1: File outside the scanned tree: env.tf links to $OUT/secret.tf" + tail,
		"error main.tf:8,12-23: Module directory outside the scanned tree: Module \"outside\" has source \"./linkmod\", but linkmod leads through a symbolic link to $OUT/mod, which is outside the scanned tree; vigil does not follow it (use --allow-path DIR to allow a directory).",
		"error terraform.tfvars:1,1-1: File outside the scanned tree: terraform.tfvars links to $OUT/secret.tfvars" + tail,
	}
	if runtime.GOOS == "linux" {
		want = append(want, "error proc.tf:1,1-1: File outside the scanned tree: proc.tf links to /proc/")
	}
	got := describe(diags, tree)
	for i := range want {
		want[i] = strings.ReplaceAll(want[i], "$OUT", f.out)
	}
	// /proc/self leads to the process's own directory, whose number
	// changes.
	for i := range got {
		if strings.HasPrefix(got[i], "error proc.tf:") && strings.HasSuffix(got[i], "/environ"+tail) {
			got[i] = got[i][:strings.Index(got[i], "/proc/")+len("/proc/")]
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	var ids []string
	for _, e := range inv.Entities {
		if e.Type == "aws_s3_bucket" {
			ids = append(ids, e.Scope+" "+e.ID)
		}
	}
	slices.Sort(ids)
	if diff := cmp.Diff([]string{". aws_s3_bucket.main", ". aws_s3_bucket.shared", ". module.inside.aws_s3_bucket.v2", "mods/v2 aws_s3_bucket.v2", "sub aws_s3_bucket.sub"}, ids); diff != "" {
		t.Errorf("buckets (-want +got):\n%s", diff)
	}
	if got := attr(t, find(t, inv, "aws_s3_bucket", "aws_s3_bucket.main"), "bucket"); got != "main" {
		t.Errorf("bucket = %v, want the default: the linked terraform.tfvars is not read", got)
	}
}

// TestAllowPathsFoundFiles: with the outside directory allowed, the links
// to it are read.
func TestAllowPathsFoundFiles(t *testing.T) {
	f := newBoundaryFixture(t)
	tree := writeTree(t, map[string]string{"main.tf": "variable \"name\" {}\nresource \"aws_s3_bucket\" \"main\" {\n  bucket = var.name\n}\n"})
	if err := os.Symlink(filepath.Join(f.out, "secret.tfvars"), filepath.Join(tree, "terraform.tfvars")); err != nil {
		t.Fatal(err)
	}
	inv, diags := Load(tree, Options{AllowPaths: []string{f.out}})
	if len(diags) > 0 {
		t.Fatal(diags.Error())
	}
	if got := attr(t, find(t, inv, "aws_s3_bucket", "aws_s3_bucket.main"), "bucket"); got != outsideSecret {
		t.Errorf("bucket = %v, want the allowed terraform.tfvars's", got)
	}
	_, diags = Load(tree, Options{AllowPaths: []string{filepath.Join(f.out, "missing")}})
	if got := describe(diags, tree); len(got) == 0 || !strings.Contains(got[0], "Cannot resolve directory") {
		t.Errorf("a missing allowed path: %q", got)
	}
}

// TestVarFileNamedByUser: a --var-file the user names is read wherever it
// is: the user chose it.
func TestVarFileNamedByUser(t *testing.T) {
	f := newBoundaryFixture(t)
	tree := writeTree(t, map[string]string{"main.tf": "variable \"name\" {}\nresource \"aws_s3_bucket\" \"main\" {\n  bucket = var.name\n}\n"})
	inv, diags := Load(tree, Options{VarFiles: []string{filepath.Join(f.out, "secret.tfvars")}})
	if len(diags) > 0 {
		t.Fatal(diags.Error())
	}
	if got := attr(t, find(t, inv, "aws_s3_bucket", "aws_s3_bucket.main"), "bucket"); got != outsideSecret {
		t.Errorf("bucket = %v, want the --var-file's", got)
	}
}

// TestResolve: where paths lead, existing or not.
func TestResolve(t *testing.T) {
	dir := writeTree(t, map[string]string{"a/b.txt": "b"})
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"l": "a", "dangling": "a/missing/c", "loop": "loop", "up": "../x"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ path, want string }{
		{"a/b.txt", "a/b.txt"},
		{"l/b.txt", "a/b.txt"},
		{"l/missing/x", "a/missing/x"},
		{"a/../l/b.txt", "a/b.txt"},
		{"dangling", "a/missing/c"},
		{"up", "../x"},
		{"loop", ""},
	} {
		got, err := resolve(filepath.Join(dir, c.path))
		want := ""
		if c.want != "" {
			want = filepath.Join(real, c.want)
		}
		if got != want || (err != nil) != (want == "") {
			t.Errorf("resolve(%s) = %q, %v; want %q", c.path, got, err, want)
		}
	}
}

// TestOutsidePathSensitive: a path outside the tree that is a sensitive
// value is refused without showing it.
func TestOutsidePathSensitive(t *testing.T) {
	f := newBoundaryFixture(t)
	tree := writeTree(t, map[string]string{"main.tf": `variable "p" {
  default   = "` + filepath.Join(f.out, "secret.txt") + `"
  sensitive = true
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
  value  = file(var.p)
}
`})
	l := NewLoader(Options{})
	inv, diags := l.Load(tree)
	assertNoSecret(t, l, inv, diags)
	got := describe(diags, tree)
	if len(got) != 1 || !strings.HasPrefix(got[0], "error main.tf:7,12-") || !strings.Contains(got[0], ": File outside the scanned tree: ") ||
		strings.Contains(got[0], f.out) {
		t.Errorf("diagnostics %q, want the refusal without the sensitive path", got)
	}
}

// TestModulesStayInTheCheckout scans one root of a git checkout: a module
// of the same checkout, reached by "..", loads; one reached by climbing
// out of the checkout is refused, so that its directory does not become
// readable by the configuration's file functions.
func TestModulesStayInTheCheckout(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"other/secrets/main.tf":          `output "x" { value = 1 }`,
		"other/secrets/terraform.tfvars": `password = "hunter2-other-repo"`,
		"repo/.git/HEAD":                 "ref: refs/heads/main\n",
		"repo/modules/x/main.tf":         `resource "aws_s3_bucket" "x" { bucket = "x" }`,
		"repo/envs/prod/main.tf": `
module "x" {
  source = "../../modules/x"
}
module "out" {
  source = "../../../other/secrets"
}
resource "aws_s3_bucket" "read" {
  bucket = file("../../../other/secrets/terraform.tfvars")
}
`,
	})
	l := NewLoader(Options{})
	inv, diags := l.Load(filepath.Join(dir, "repo/envs/prod"))
	if e := find(t, inv, "aws_s3_bucket", "module.x.aws_s3_bucket.x"); e == nil {
		t.Fatal("the checkout's own module was not loaded")
	}
	var summaries []string
	for _, d := range diags {
		summaries = append(summaries, d.Summary+": "+d.Detail)
	}
	got := strings.Join(summaries, "\n")
	for _, want := range []string{"Module directory outside the scanned tree", "File outside the scanned tree"} {
		if !strings.Contains(got, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, got)
		}
	}
	read := attr(t, find(t, inv, "aws_s3_bucket", "aws_s3_bucket.read"), "bucket")
	if strings.Contains(got, "hunter2") || strings.Contains(fmt.Sprint(read), "hunter2") {
		t.Errorf("a file of another checkout was read: bucket = %v", read)
	}
}
