package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSharedConstants checks that an expression of a called module that
// references nothing is shared between the module's instances only when
// its value cannot differ: file() reads relative to each root module.
func TestSharedConstants(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"modules/m/main.tf": `resource "aws_sns_topic" "t" {
  name   = "fixed"
  policy = jsonencode({ Version = "2012-10-17" })
  note   = file("note.txt")
}
`,
		"a/main.tf":  "module \"m\" {\n  source = \"../modules/m\"\n}\n",
		"a/note.txt": "from a",
		"b/main.tf":  "module \"m\" {\n  source = \"../modules/m\"\n}\n",
		"b/note.txt": "from b",
	})
	inv := load(t, dir, Options{})
	got := map[string]any{}
	for _, e := range inv.Entities {
		got[e.Scope+" "+e.ID] = []any{e.Attrs["policy"], e.Attrs["note"]}
	}
	want := map[string]any{
		"a module.m.aws_sns_topic.t": []any{`{"Version":"2012-10-17"}`, "from a"},
		"b module.m.aws_sns_topic.t": []any{`{"Version":"2012-10-17"}`, "from b"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestBoundedForDirectives checks that for directives, in a heredoc and in
// a templatefile() template, still give their values once bounded.
func TestBoundedForDirectives(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf": `variable "names" {
  default = ["a", "b"]
}
resource "aws_sns_topic" "t" {
  name   = <<EOT
%{ for n in var.names }${n};%{ endfor }
EOT
  policy = templatefile("policy.tpl", { names = var.names })
}
`,
		"policy.tpl": "%{ for i, n in names }${i}=${n} %{ endfor }",
	})
	inv := load(t, dir, Options{})
	got := inv.Entities[0].Attrs
	if got["name"] != "a;b;\n" || got["policy"] != "0=a 1=b " {
		t.Errorf("name %q, policy %q", got["name"], got["policy"])
	}
}

// TestObjectLiterals checks that object literals, which vigil builds
// itself when their keys and values are plain, give what HCL gives: the
// same object through merge(), which HCL evaluates.
func TestObjectLiterals(t *testing.T) {
	obj := `{
    Name         = "n"
    "quoted key" = var.v
    "${var.k}-x" = 3
    dup          = 1
    dup          = aws_sns_topic.t.arn
    nested       = { list = [var.v, true] }
  }`
	dir := writeTree(t, map[string]string{"main.tf": `variable "v" {
  default = "value"
}
variable "k" {
  default = "key"
}
resource "aws_sns_topic" "t" {
  name = "t"
}
resource "aws_s3_bucket" "plain" {
  tags = ` + obj + `
}
resource "aws_s3_bucket" "hcl" {
  tags = merge(` + obj + `)
}
`})
	inv := load(t, dir, Options{})
	plain := find(t, inv, "aws_s3_bucket", "aws_s3_bucket.plain").Attrs["tags"]
	viaHCL := find(t, inv, "aws_s3_bucket", "aws_s3_bucket.hcl").Attrs["tags"]
	if diff := cmp.Diff(viaHCL, plain); diff != "" {
		t.Errorf("(-HCL +plain):\n%s", diff)
	}
	if m, _ := plain.(map[string]any); m["key-x"] != 3.0 || m["quoted key"] != "value" {
		t.Errorf("tags %v", plain)
	}
}
