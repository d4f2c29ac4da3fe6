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
