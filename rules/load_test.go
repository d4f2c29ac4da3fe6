package rules

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"vigil/entity"
)

const goodRule = `id: TEST.LOG.01
title: Trails are multi-region
severity: high
entity: CloudTrail
logic: CloudTrail should have isMultiRegionTrail=true
category: Logging
description: Every trail covers all regions.
remediation:
  cli: |-
    aws cloudtrail update-trail --region {{.Region}} --name {{.Name}} --is-multi-region-trail
  terraform: |-
    # {{.ID}} in account {{.Account}}
    log_group = "{{.Attr "cloudWatchLogsLogGroupArn"}}"
references:
  - https://example.com/trails
frameworks:
  - framework: CIS AWS Foundations
    version: 3.0.0
    control: "3.1"
  - framework: HIPAA
`

func TestParseGoodRule(t *testing.T) {
	r, err := Parse("rule.yaml", []byte(goodRule))
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "TEST.LOG.01" || r.Severity != High || r.Entity != "CloudTrail" || r.Category != "Logging" {
		t.Errorf("got %+v", r)
	}
	if r.Logic != "CloudTrail should have isMultiRegionTrail=true" || r.LogicLine != 5 || r.LogicCol != 8 {
		t.Errorf("logic %q at %d:%d", r.Logic, r.LogicLine, r.LogicCol)
	}
	want := []FrameworkRef{{Framework: CISAWSFoundations, Version: "3.0.0", Control: "3.1"}, {Framework: "HIPAA"}}
	if len(r.Frameworks) != 2 || r.Frameworks[0] != want[0] || r.Frameworks[1] != want[1] {
		t.Errorf("frameworks %+v", r.Frameworks)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		// edit turns goodRule into the bad input.
		edit func(string) string
		// want is the whole error text.
		want string
	}{
		{"misspelt field", func(s string) string { return strings.Replace(s, "severity:", "sevrity:", 1) },
			"rule.yaml:3:1: field \"sevrity\" is not a rule field (did you mean \"severity\"?)\n" +
				"rule.yaml:1:1: field \"severity\" is required"},
		{"bad severity", func(s string) string { return strings.Replace(s, "severity: high", "severity: urgent", 1) },
			`rule.yaml:3:11: severity: severity "urgent" is not one of Informational, Low, Medium, High, Critical`},
		{"missing logic", func(s string) string {
			return strings.Replace(s, "logic: CloudTrail should have isMultiRegionTrail=true\n", "", 1)
		}, `rule.yaml:1:1: field "logic" is required`},
		{"duplicate field", func(s string) string { return s + "title: again\n" },
			`rule.yaml:21:1: field "title" is given twice`},
		{"list instead of string", func(s string) string {
			return strings.Replace(s, "category: Logging", "category: [Logging]", 1)
		}, `rule.yaml:6:11: field "category" must be a string, found a list`},
		{"entity differs from logic", func(s string) string {
			return strings.Replace(s, "entity: CloudTrail", "entity: aws_cloudtrail", 1)
		}, `rule.yaml:4:1: entity: entity "aws_cloudtrail" does not match the logic, which is about "CloudTrail"`},
		{"unknown remediation field", func(s string) string { return strings.Replace(s, "  cli:", "  shell:", 1) },
			`rule.yaml:9:3: field "remediation.shell" is not a remediation field (known fields: console, cli, terraform)`},
		{"unknown message field", func(s string) string {
			return strings.Replace(s, "remediation:\n", "message:\n  fial: Trail {{.Name}} is regional.\n  pass: Trail {{.Name}} is not.\nremediation:\n", 1)
		}, "rule.yaml:9:3: field \"message.fial\" is not a message field (did you mean \"fail\"?)\n" +
			"rule.yaml:9:3: message: a message needs both fail and pass"},
		{"bad CIS version", func(s string) string { return strings.Replace(s, "version: 3.0.0", "version: 3.0", 1) },
			`rule.yaml:17:5: frameworks: CIS AWS Foundations version "3.0" is not one of 1.0.0, 1.1.0, 1.2.0, 1.3.0, 1.4.0, 1.5.0, 2.0.0, 3.0.0, 4.0.0, 5.0.0, 6.0.0, 7.0.0`},
		{"template with unknown field", func(s string) string { return strings.Replace(s, "{{.Name}}", "{{.Nmae}}", 1) },
			`rule.yaml:10:62: remediation.cli: bad template: executing "cli" at <.Nmae>: can't evaluate field Nmae in type rules.Target`},
		{"template syntax on line 2", func(s string) string { return strings.Replace(s, `{{.Attr "cloudWatchLogsLogGroupArn"}}`, "{{if}}", 1) },
			`rule.yaml:13:5: remediation.terraform: bad template: missing value for if`},
		{"bad id", func(s string) string { return strings.Replace(s, "id: TEST.LOG.01", "id: TEST LOG", 1) },
			`rule.yaml:1:5: id: rule id "TEST LOG" may contain only letters, digits, '.', '_' and '-'`},
		{"not a mapping", func(string) string { return "- a\n- b\n" },
			`rule.yaml:1:1: a rule file is a mapping of fields (id, title, severity, ...), found a list`},
		{"empty file", func(string) string { return "" }, `rule.yaml: rule file is empty`},
		{"bad YAML", func(string) string { return "id: [x\n" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("rule.yaml", []byte(tt.edit(goodRule)))
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want == "" {
				if !strings.HasPrefix(err.Error(), "rule.yaml:") {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tt.want)
			}
		})
	}
}

func TestParseRejectsHugeFile(t *testing.T) {
	data := []byte(goodRule + "description: " + strings.Repeat("x", MaxRuleFileBytes) + "\n")
	_, err := Parse("big.yaml", data)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(err.Error(), "more than the limit") {
		t.Errorf("got %v", err)
	}
}

// TestLoadFSRejectsDevices: a rule file that links to a device is an
// error naming it, not a read that never ends (a link to /dev/zero ran
// vigil out of memory), and a file over the limit is reported without
// being read whole. The other files are still loaded.
func TestLoadFSRejectsDevices(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "good.yaml"), []byte(goodRule), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "huge.yaml"), make([]byte, MaxRuleFileBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
		t.Skipf("cannot make a link here: %v", err)
	}
	_, err := LoadFS(os.DirFS(dir), ".", "rules")
	want := fmt.Sprintf("rules/huge.yaml: rule file is %d bytes, more than the limit of %d\nrules/zero.yaml: not a regular file (Dc---------)", MaxRuleFileBytes+1, MaxRuleFileBytes)
	if err == nil || err.Error() != want {
		t.Errorf("LoadFS error:\n got: %v\nwant: %s", err, want)
	}
}

func TestSeverityCaseInsensitive(t *testing.T) {
	for _, s := range []string{"critical", "CRITICAL", "Critical"} {
		if got, err := ParseSeverity(s); err != nil || got != Critical {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, got, err)
		}
	}
}

func TestRender(t *testing.T) {
	r, err := Parse("rule.yaml", []byte(goodRule))
	if err != nil {
		t.Fatal(err)
	}
	trail := &entity.Entity{Type: "CloudTrail", ID: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/audit", Name: "audit",
		Scope: "111122223333", Region: "eu-west-1",
		Attrs: map[string]any{"cloudWatchLogsLogGroupArn": "arn:aws:logs:eu-west-1:111122223333:log-group:audit:*"}}
	got := r.Render(Target{Entity: trail, Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "111122223333"}})
	if want := "aws cloudtrail update-trail --region eu-west-1 --name audit --is-multi-region-trail"; got.CLI != want {
		t.Errorf("CLI\n got %q\nwant %q", got.CLI, want)
	}
	if want := "# arn:aws:cloudtrail:eu-west-1:111122223333:trail/audit in account 111122223333\nlog_group = \"arn:aws:logs:eu-west-1:111122223333:log-group:audit:*\""; got.Terraform != want {
		t.Errorf("Terraform\n got %q\nwant %q", got.Terraform, want)
	}
	// A scope finding (List<E>) has no entity: names fall back to the
	// scope and unknown values to placeholders.
	got = r.Render(Target{Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "111122223333", Regions: []string{"us-east-1", "eu-west-1"}}})
	if want := "aws cloudtrail update-trail --region '<region>' --name 111122223333 --is-multi-region-trail"; got.CLI != want {
		t.Errorf("scope CLI\n got %q\nwant %q", got.CLI, want)
	}
	if !strings.Contains(got.Terraform, `log_group = "<cloudWatchLogsLogGroupArn>"`) {
		t.Errorf("scope Terraform %q", got.Terraform)
	}
}

func TestLoadFSReportsEveryFileAndDuplicates(t *testing.T) {
	fsys := fstest.MapFS{
		"rules/a.yaml":      {Data: []byte(goodRule)},
		"rules/sub/b.yaml":  {Data: []byte(goodRule)},
		"rules/c.yml":       {Data: []byte("id: X\n")},
		"rules/notes.txt":   {Data: []byte("ignored")},
		"rules/d.yaml":      {Data: []byte(strings.Replace(goodRule, "TEST.LOG.01", "TEST.LOG.02", 1))},
		"rules/e.yaml":      {Data: []byte(strings.Replace(goodRule, "sevrity", "", 1))},
		"rules/sub/f.yaml":  {Data: []byte(strings.Replace(goodRule, "TEST.LOG.01", "TEST.LOG.06", 1))},
		"rules/sub/g.yamlx": {Data: []byte("not a rule")},
	}
	_, err := LoadFS(fsys, "rules", "my-rules")
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		`my-rules/c.yml:1:1: field "title" is required`,
		`my-rules/sub/b.yaml: id: rule id "TEST.LOG.01" is already used by my-rules/a.yaml`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	delete(fsys, "rules/c.yml")
	delete(fsys, "rules/sub/b.yaml")
	delete(fsys, "rules/e.yaml")
	rs, err := LoadFS(fsys, "rules", "my-rules")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.ID+"@"+r.File)
	}
	if got := strings.Join(ids, " "); got != "TEST.LOG.01@my-rules/a.yaml TEST.LOG.02@my-rules/d.yaml TEST.LOG.06@my-rules/sub/f.yaml" {
		t.Errorf("loaded %s", got)
	}
}

func TestMergeRejectsDuplicateIDs(t *testing.T) {
	a := []*Rule{{ID: "X", File: "catalog/x.yaml"}}
	b := []*Rule{{ID: "X", File: "mine/x.yaml"}}
	_, err := Merge(a, b)
	if err == nil || err.Error() != `mine/x.yaml: id: rule id "X" is already used by catalog/x.yaml` {
		t.Errorf("got %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(goodRule))
	f.Add([]byte("id: x\n"))
	f.Add([]byte("- [\n"))
	f.Add([]byte("remediation:\n  cli: '{{'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("fuzz.yaml", data)
		if err == nil && (r.ID == "" || r.Logic == "" || r.Severity == 0) {
			t.Fatalf("accepted a rule without id, logic or severity: %+v", r)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}

func TestLoadFSRejectsTooManyFiles(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := range MaxRulesPerDir + 1 {
		fsys[fmt.Sprintf("r/%05d.yaml", i)] = &fstest.MapFile{Data: []byte("id: X\n")}
	}
	_, err := LoadFS(fsys, "r", "r")
	if err == nil || !strings.Contains(err.Error(), "more than 10000 rule files") {
		t.Errorf("got %v", err)
	}
}

const variantRule = `id: TEST.MON.01
title: t
severity: medium
concern: monitor-things
entity: CloudTrail
logic: CloudTrail should have isMultiRegionTrail=true
variants:
  old: |-
    CloudTrail should have isLogging=true
frameworks:
  - framework: "CIS AWS Foundations"
    version: "1.2.0"
    control: "3.1"
    variant: old
  - framework: "CIS AWS Foundations"
    version: "7.0.0"
    control: "5.1"
  - framework: "HIPAA"
`

func TestRuleVariants(t *testing.T) {
	r, err := Parse("v.yaml", []byte(variantRule))
	if err != nil {
		t.Fatal(err)
	}
	if r.Concern != "monitor-things" || len(r.Variants) != 1 || r.Variants["old"].Logic != "CloudTrail should have isLogging=true" ||
		r.Variants["old"].LogicLine != 9 || r.Variants["old"].LogicCol != 5 {
		t.Fatalf("got concern %q, variants %+v", r.Concern, r.Variants["old"])
	}
	refs := func(r *Rule) string {
		var out []string
		for _, f := range r.Frameworks {
			out = append(out, f.String())
		}
		return strings.Join(out, "; ")
	}
	old := r.ForFramework(CISAWSFoundations, "1.2.0")
	if old.Logic != "CloudTrail should have isLogging=true" || old.LogicLine != 9 || old.Variants != nil ||
		refs(old) != "CIS AWS Foundations 1.2.0 3.1" {
		t.Errorf("judged for 1.2.0: %q at %d, %s", old.Logic, old.LogicLine, refs(old))
	}
	for _, fw := range [][2]string{{CISAWSFoundations, "7.0.0"}, {"", ""}, {"HIPAA", ""}, {"PCI-DSS", "4.0"}} {
		own := r.ForFramework(fw[0], fw[1])
		if own.Logic != r.Logic || own.LogicLine != 6 || refs(own) != "CIS AWS Foundations 7.0.0 5.1; HIPAA" {
			t.Errorf("judged for %v: %q at %d, %s", fw, own.Logic, own.LogicLine, refs(own))
		}
	}
	if r.ForFramework(CISAWSFoundations, "1.2.0").ID != r.ID || r.Logic != "CloudTrail should have isMultiRegionTrail=true" {
		t.Errorf("ForFramework changed the rule")
	}
	plain := &Rule{ID: "X", Logic: "CloudTrail should have a=1"}
	if plain.ForFramework(CISAWSFoundations, "1.2.0") != plain {
		t.Errorf("a rule without variants is not returned as it is")
	}

	back, err := Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("again.yaml", back)
	if err != nil {
		t.Fatalf("%v\n%s", err, back)
	}
	if again.Variants["old"].Logic != r.Variants["old"].Logic || again.Frameworks[0].Variant != "old" || again.Concern != r.Concern {
		t.Errorf("round trip lost the variants:\n%s", back)
	}
}

func TestRuleVariantErrors(t *testing.T) {
	tests := []struct {
		name, from, to, want string
	}{
		{"unknown variant", "    variant: old\n", "    variant: olf\n", `is judged with variant "olf", which the rule does not define (did you mean "old"?)`},
		{"unused variant", "    variant: old\n", "", `variant "old" is named by no framework reference`},
		{"variant about another entity", "    CloudTrail should have isLogging=true", "    aws_cloudtrail should have enable_logging=true",
			`variant "old" is about "aws_cloudtrail", not the rule's entity "CloudTrail"`},
		{"empty variant", "    CloudTrail should have isLogging=true", "    ", `the logic of variant "old" is empty`},
		{"bad variant name", "  old: |-", "  Old Logic: |-", `variant name "Old Logic" is not lower-case words`},
		{"bad concern", "concern: monitor-things", "concern: Monitor things", `concern "Monitor things" is not lower-case words joined by hyphens`},
		{"variants not a mapping", "variants:\n  old: |-\n    CloudTrail should have isLogging=true\n", "variants: old\n",
			`field "variants" must be a mapping of variant names to logic, found a str`},
	}
	for _, tt := range tests {
		src := strings.Replace(variantRule, tt.from, tt.to, 1)
		if src == variantRule {
			t.Fatalf("%s: the replacement changed nothing", tt.name)
		}
		_, err := Parse("v.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestCheckEntity: vigil models its normalised types and every Terraform
// resource type; another type is named, with the closest vigil models.
func TestCheckEntity(t *testing.T) {
	for typ, want := range map[string]string{
		"CloudTrail":              "",
		"aws_cloudtrail":          "",
		"aws_s3_bucket":           "",
		"azurerm_storage_account": "",
		"CloudTral":               `entity type "CloudTral" is not one vigil models (did you mean "CloudTrail"?)`,
		"cloudtrail":              `entity type "cloudtrail" is not one vigil models (did you mean "CloudTrail"?)`,
		"Aws_cloudtrail":          `entity type "Aws_cloudtrail" is not one vigil models (did you mean "aws_cloudtrail"?)`,
		"VirtualMachine":          `entity type "VirtualMachine" is not one vigil models: it models CloudTrail, EFS, Iam, IamPolicy, IamRole, IamServerCertificate, IamUser, Instance, KMS, RDS, Region, S3Bucket, Volume, and Terraform resources by their type (aws_cloudtrail); the rule applies to nothing vigil reads`,
	} {
		if got := CheckEntity(typ); got != want {
			t.Errorf("CheckEntity(%q) = %q, want %q", typ, got, want)
		}
		// A typo is one with a suggestion; another cloud's type is not.
		if want, got := strings.Contains(want, "did you mean"), EntityTypo(typ) != ""; got != want {
			t.Errorf("EntityTypo(%q) = %q", typ, EntityTypo(typ))
		}
	}
}

// TestLoadFSRejectsUnmodelledEntity: a rule file vigil loads to run must be
// about a type it models, an error at the entity's position; the same file
// converted (Parse, as ImportCloudGuard does) is fine.
func TestLoadFSRejectsUnmodelledEntity(t *testing.T) {
	typo := strings.ReplaceAll(goodRule, "CloudTrail", "CloudTral")
	_, err := LoadFS(fstest.MapFS{"r/typo.yaml": &fstest.MapFile{Data: []byte(typo)}}, "r", "rules")
	want := `rules/typo.yaml:4:9: entity: entity type "CloudTral" is not one vigil models (did you mean "CloudTrail"?)`
	if err == nil || err.Error() != want {
		t.Errorf("LoadFS: %v, want %s", err, want)
	}
	if _, err := Parse("typo.yaml", []byte(typo)); err != nil {
		t.Errorf("Parse: %v", err)
	}
}
