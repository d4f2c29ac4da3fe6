package rules

import (
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"

	"go.yaml.in/yaml/v4"

	"vigil/diag"
	"vigil/entity"
)

// Target is what a remediation template is rendered for: one entity, or for
// a List<E> rule, one scope. Templates read its fields and methods:
//
//	{{.ID}}       the entity's ID (ARN, Terraform address) or the scope's ID
//	{{.Name}}     the entity's name, or the scope's name
//	{{.Region}}   the entity's region
//	{{.Account}}  the AWS account (the scope of a live entity)
//	{{.Where}}    the scope, for a sentence ("account 123456789012", "module envs/prod")
//	{{.ResourceType}}  the type label of the Terraform resource block ("aws_cloudtrail")
//	{{.ResourceName}}  the name label of the Terraform resource block ("this")
//	{{.Attr "cloudWatchLogsLogGroupArn"}}  an attribute at a dotted path
//
// A value that is not known renders as a placeholder in angle brackets
// ("<region>", "<resource_name>", "<cloudWatchLogsLogGroupArn>"), so a
// rendered command still reads as a command to complete. Every value, placeholders included, is
// quoted or escaped for where the template pastes it (see the package
// documentation).
type Target struct {
	Entity *entity.Entity
	// Scope is the scope the finding is about; for an entity finding, the
	// entity's scope.
	Scope entity.Scope
}

// ID is the entity's ID, or the scope's for a scope finding.
func (t Target) ID() string {
	id := t.Scope.ID
	if t.Entity != nil {
		id = t.Entity.ID
	}
	if id == "" {
		return "<id>"
	}
	return id
}

// Name is the entity's name, falling back to its ID; for a scope finding,
// the scope's name or ID.
func (t Target) Name() string {
	name, id := t.Scope.Name, t.Scope.ID
	if t.Entity != nil {
		name, id = t.Entity.Name, t.Entity.ID
	}
	switch {
	case name != "":
		return name
	case id != "":
		return id
	}
	return "<name>"
}

// Region is the entity's region; for a scope with exactly one region, that
// region.
func (t Target) Region() string {
	if t.Entity != nil {
		if t.Entity.Region != "" {
			return t.Entity.Region
		}
		return "<region>"
	}
	if len(t.Scope.Regions) == 1 {
		return t.Scope.Regions[0]
	}
	return "<region>"
}

// Account is the AWS account ID of a live entity or scope.
func (t Target) Account() string {
	if t.Scope.Kind == entity.ScopeAWSAccount {
		if t.Scope.ID != "" {
			return t.Scope.ID
		}
		return "<account>"
	}
	if t.Entity != nil {
		if v, ok := t.Entity.Lookup("accountNumber"); ok {
			if s, ok := v.(string); ok && s != "" {
				return s
			}
		}
	}
	return "<account>"
}

// ResourceType is the type of the Terraform resource block that declares
// the entity, read from its address ("module.audit.aws_cloudtrail.this[0]"
// gives "aws_cloudtrail"), so that the normalised CloudTrail of a trail in
// code names its aws_cloudtrail block too. It is "<resource_type>" for an
// entity not read from Terraform code, and for a scope.
func (t Target) ResourceType() string {
	if typ, _, ok := t.resourceLabels(); ok {
		return typ
	}
	return "<resource_type>"
}

// ResourceName is the name label of the Terraform resource block that
// declares the entity: "this" for "module.audit.aws_cloudtrail.this[0]".
// It is "<resource_name>" for an entity not read from Terraform code, and
// for a scope.
func (t Target) ResourceName() string {
	if _, name, ok := t.resourceLabels(); ok {
		return name
	}
	return "<resource_name>"
}

// resourceLabels reads the labels of the resource block of an entity from
// Terraform code out of its address; ok is false for a live entity, a
// scope, a data source and any ID that is not a resource address.
func (t Target) resourceLabels() (typ, name string, ok bool) {
	if t.Entity == nil || t.Scope.Kind == entity.ScopeAWSAccount {
		return "", "", false
	}
	return resourceAddress(t.Entity.ID)
}

// resourceAddress splits a Terraform resource instance address
// (module.a["x"].module.b.aws_cloudtrail.this[0]) into the type and
// name labels of its resource block. Data sources ("data.aws_x.y") and
// anything else are not resource addresses.
func resourceAddress(addr string) (typ, name string, ok bool) {
	s := addr
	for strings.HasPrefix(s, "module.") {
		var mod string
		if mod, s = terraformIdentifier(s[len("module."):]); mod == "" {
			return "", "", false
		}
		if s, ok = skipInstanceKey(s); !ok || !strings.HasPrefix(s, ".") {
			return "", "", false
		}
		s = s[1:]
	}
	if typ, s = terraformIdentifier(s); typ == "" || typ == "data" || !strings.HasPrefix(s, ".") {
		return "", "", false
	}
	if name, s = terraformIdentifier(s[1:]); name == "" {
		return "", "", false
	}
	if s, ok = skipInstanceKey(s); !ok || s != "" {
		return "", "", false
	}
	return typ, name, true
}

// terraformIdentifier returns the Terraform name at the start of s and
// the rest of s; the name is "" when s does not start with one.
func terraformIdentifier(s string) (name, rest string) {
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '-')) {
			break
		}
	}
	return s[:i], s[i:]
}

// isTerraformName reports whether s is a name Terraform accepts for a
// resource or module: a letter or underscore, then letters, digits,
// underscores and dashes.
func isTerraformName(s string) bool {
	name, rest := terraformIdentifier(s)
	return name != "" && rest == ""
}

// skipInstanceKey skips the instance key at the start of s, if any: [0]
// or ["key"], the key quoted as Terraform quotes it. ok is false when a
// key is started but not well formed.
func skipInstanceKey(s string) (rest string, ok bool) {
	if !strings.HasPrefix(s, "[") {
		return s, true
	}
	i := 1
	switch {
	case i < len(s) && s[i] == '"':
		for i++; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\\' {
				i++
			}
		}
		i++
	default:
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		if i == 1 {
			return "", false
		}
	}
	if i >= len(s) || s[i] != ']' {
		return "", false
	}
	return s[i+1:], true
}

// Attr returns the entity's attribute at a dotted path as text; strings
// are returned as they are, other known values in their canonical form.
func (t Target) Attr(path string) string {
	if s, ok := t.attrText(path); ok {
		return s
	}
	return "<" + path + ">"
}

// attrText is Attr without the placeholder: ok is false when the value is
// missing, empty, unknown or not a scalar.
func (t Target) attrText(path string) (s string, ok bool) {
	if t.Entity == nil {
		return "", false
	}
	v, ok := t.Entity.Lookup(path)
	if !ok {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, x != ""
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

// remediationTemplates are the parsed forms of a rule's remediation texts.
type remediationTemplates struct {
	console, cli, terraform *template.Template
	// fastConsole, fastCLI and fastTerraform are the compiled forms of the
	// templates that only paste fields into text (see render.go); nil for
	// the others.
	fastConsole, fastCLI, fastTerraform *compiledTemplate
	// slots are the values the compiled templates read, in slot order.
	slots []slot
	memo  renderMemo
}

// templateLine finds the line and column in a text/template error message
// ("template: cli:3:14: ...").
var templateLine = regexp.MustCompile(`^template: [a-z]+:(\d+):(?:(\d+):)? ?`)

// parseTemplates parses the remediation texts, finds where each of their
// actions pastes a value (console text, a shell word, a quoted Terraform
// string, ...; see lex.go), and renders each once for a sample target, so
// that a misspelt field or a value pasted where it cannot be quoted is a
// load error, not a failure when a finding is rendered.
func parseTemplates(p *parser, r *Rule, nodes map[string]*yaml.Node) (*remediationTemplates, ErrorList) {
	var errs ErrorList
	sample := Target{Entity: &entity.Entity{ID: "id", Name: "name", Region: "region", Attrs: map[string]any{}},
		Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "123456789012"}}
	contexts := map[*parse.ActionNode]pasteContext{}
	parseText := func(name, text string, lang language) *template.Template {
		t, err := newTemplate(name, text)
		if err == nil {
			var cs map[*parse.ActionNode]pasteContext
			cs, err = templateContexts(t, lang)
			maps.Copy(contexts, cs)
		}
		if err != nil {
			errs = append(errs, p.templateError(nodes[name], name, err))
			return nil
		}
		return t
	}
	t := &remediationTemplates{
		console:   parseText("console", r.Remediation.Console, langProse),
		cli:       parseText("cli", r.Remediation.CLI, langShell),
		terraform: parseText("terraform", r.Remediation.Terraform, langHCL),
	}
	// The fast forms read the actions as written; text/template runs
	// them with the calls to paste added.
	t.compile(r.Remediation, contexts)
	addPasteCalls(contexts)
	for _, tt := range []*template.Template{t.console, t.cli, t.terraform} {
		if tt == nil {
			continue
		}
		if err := tt.Execute(discard{}, sample); err != nil {
			errs = append(errs, p.templateError(nodes[tt.Name()], tt.Name(), err))
		}
	}
	return t, errs
}

// newTemplate parses a remediation text.
func newTemplate(name, text string) (*template.Template, error) {
	return template.New(name).Funcs(pasteFuncs).Option("missingkey=error").Parse(text)
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

func (p *parser) templateError(n *yaml.Node, name string, err error) *Error {
	field := "remediation." + name
	msg := err.Error()
	var at diag.Pos // where the text starts in the file
	if n != nil {
		at.Line, at.Col = p.contentStart(n)
	}
	if m := templateLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		if at.Line > 0 {
			at = diag.Pos{Line: line, Col: max(col, 1)}.ShiftBlock(at)
		}
		msg = msg[len(m[0]):]
	}
	return &Error{Name: p.file, Line: at.Line, Col: at.Col, Field: field,
		Msg: "bad template: " + strings.TrimPrefix(msg, "template: ")}
}

// Render fills the rule's remediation texts in for one target. A rule read
// by Parse always renders; a Rule built in Go without templates is returned
// as written. Render is safe for concurrent use, and findings whose targets
// have the same values share the rendered strings.
func (r *Rule) Render(t Target) Remediation {
	if r.templates == nil {
		return r.Remediation
	}
	return r.templates.render(t, r.Remediation)
}

func execute(t *template.Template, target Target, raw string) string {
	if t == nil {
		return raw
	}
	var b strings.Builder
	if err := t.Execute(&b, target); err != nil {
		return raw + fmt.Sprintf("\n(could not fill in the template: %v)", err)
	}
	return b.String()
}
