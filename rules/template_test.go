package rules

import (
	"testing"

	"vigil/entity"
)

func TestResourceAddress(t *testing.T) {
	tests := []struct {
		addr, typ, name string
	}{
		{"aws_cloudtrail.this", "aws_cloudtrail", "this"},
		{"aws_cloudtrail.app_debug", "aws_cloudtrail", "app_debug"},
		{"aws_cloudtrail.this[0]", "aws_cloudtrail", "this"},
		{`aws_cloudtrail.this["eu-west-1"]`, "aws_cloudtrail", "this"},
		{`aws_cloudtrail.this["a.b] \"c\""]`, "aws_cloudtrail", "this"},
		{"module.audit_trail.aws_cloudtrail.this", "aws_cloudtrail", "this"},
		{`module.a["x.y"].module.b[2].aws_cloudtrail.org-trail`, "aws_cloudtrail", "org-trail"},
		{"_x.y-2", "_x", "y-2"},
		// Not the address of a resource block.
		{"data.aws_cloudtrail.this", "", ""},
		{"module.x.data.aws_cloudtrail.this", "", ""},
		{"arn:aws:cloudtrail:us-east-1:111122223333:trail/main", "", ""},
		{"#0", "", ""},
		{"", "", ""},
		{"aws_cloudtrail", "", ""},
		{"aws_cloudtrail.", "", ""},
		{"aws_cloudtrail.this.extra", "", ""},
		{"aws_cloudtrail.this[", "", ""},
		{"aws_cloudtrail.this[]", "", ""},
		{"aws_cloudtrail.this[x]", "", ""},
		{`aws_cloudtrail.this["x]`, "", ""},
		{"aws_cloudtrail.this[0]x", "", ""},
		{"aws_cloudtrail.2this", "", ""},
		{`aws_cloudtrail."this"`, "", ""},
		{"module.aws_cloudtrail", "", ""},
		{"module..aws_cloudtrail.this", "", ""},
		{"aws_cloudtrail.th is", "", ""},
		{"aws_cloudtrail.this\n", "", ""},
	}
	for _, tt := range tests {
		typ, name, ok := resourceAddress(tt.addr)
		if ok != (tt.typ != "") || typ != tt.typ || name != tt.name {
			t.Errorf("resourceAddress(%q) = %q, %q, %v; want %q, %q", tt.addr, typ, name, ok, tt.typ, tt.name)
		}
	}
}

func TestTargetResourceLabels(t *testing.T) {
	targets := renderTargets()
	tests := []struct {
		target, typ, name string
	}{
		{"terraform entity", "aws_cloudtrail", "this"},
		{"terraform entity with account", "aws_cloudtrail", "main"},
		// Live entities and scopes have no resource block.
		{"live entity", "<resource_type>", "<resource_name>"},
		{"hostile entity", "<resource_type>", "<resource_name>"},
		{"terraform scope", "<resource_type>", "<resource_name>"},
		{"zero", "<resource_type>", "<resource_name>"},
	}
	for _, tt := range tests {
		target := targets[tt.target]
		if got := target.ResourceType(); got != tt.typ {
			t.Errorf("%s: ResourceType() = %q, want %q", tt.target, got, tt.typ)
		}
		if got := target.ResourceName(); got != tt.name {
			t.Errorf("%s: ResourceName() = %q, want %q", tt.target, got, tt.name)
		}
	}
	// An entity of an account whose ID happens to read as an address is
	// still a live one.
	live := Target{Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "111122223333"},
		Entity: &entity.Entity{Type: "CloudTrail", ID: "aws_cloudtrail.x"}}
	if got := live.ResourceName(); got != "<resource_name>" {
		t.Errorf("live entity with an address for ID: ResourceName() = %q", got)
	}
}

// TestRenderResourceBlock renders a Terraform fix that names the resource
// block, compiled and through text/template: the labels of the block the
// entity was read from, placeholders for a live trail, and a placeholder
// for a name pasted in a label that Terraform would not take.
func TestRenderResourceBlock(t *testing.T) {
	const fix = "# In {{.ID}}:\nresource \"{{.ResourceType}}\" \"{{.ResourceName}}\" {\n  name = \"{{.Name}}\"\n}\n" +
		"resource \"aws_cloudwatch_log_group\" \"{{.Name}}\" {\n  name = \"cloudtrail/{{.Name}}\"\n}"
	compiled := &Rule{Remediation: Remediation{Terraform: fix}}
	executed := &Rule{Remediation: Remediation{Terraform: "{{with .Entity}}{{end}}" + fix}}
	for _, r := range []*Rule{compiled, executed} {
		rt, errs := parseTemplates(&parser{file: "rule.yaml"}, r, nil)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		r.templates = rt
	}
	if compiled.templates.fastTerraform == nil || executed.templates.fastTerraform != nil {
		t.Fatal("the templates are not compiled as expected")
	}
	module := entity.Scope{Kind: entity.ScopeTerraformModule, ID: "envs/prod"}
	tests := []struct {
		name   string
		target Target
		want   string
	}{
		{"terraform", Target{Scope: module, Entity: &entity.Entity{Type: "aws_cloudtrail", ID: `module.audit.aws_cloudtrail.this["x"]`, Name: "audit-trail"}},
			"# In module.audit.aws_cloudtrail.this[\"x\"]:\nresource \"aws_cloudtrail\" \"this\" {\n  name = \"audit-trail\"\n}\n" +
				"resource \"aws_cloudwatch_log_group\" \"audit-trail\" {\n  name = \"cloudtrail/audit-trail\"\n}"},
		{"live", renderTargets()["live entity"],
			"# In arn:aws:cloudtrail:eu-west-1:111122223333:trail/audit:\nresource \"<resource_type>\" \"<resource_name>\" {\n  name = \"audit\"\n}\n" +
				"resource \"aws_cloudwatch_log_group\" \"audit\" {\n  name = \"cloudtrail/audit\"\n}"},
		{"name that is no label", Target{Scope: module, Entity: &entity.Entity{Type: "aws_cloudtrail", ID: "aws_cloudtrail.x", Name: `my "trail" ${x}`}},
			"# In aws_cloudtrail.x:\nresource \"aws_cloudtrail\" \"x\" {\n  name = \"my \\\"trail\\\" $${x}\"\n}\n" +
				"resource \"aws_cloudwatch_log_group\" \"<name that is not a Terraform name>\" {\n  name = \"cloudtrail/my \\\"trail\\\" $${x}\"\n}"},
	}
	for _, tt := range tests {
		for what, r := range map[string]*Rule{"compiled": compiled, "executed": executed} {
			if got := r.Render(tt.target).Terraform; got != tt.want {
				t.Errorf("%s, %s:\n got %q\nwant %q", tt.name, what, got, tt.want)
			}
		}
	}
}
