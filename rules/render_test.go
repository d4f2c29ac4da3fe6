package rules

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"vigil/entity"
)

// renderTargets are the kinds of target findings are rendered for.
func renderTargets() map[string]Target {
	account := entity.Scope{Kind: entity.ScopeAWSAccount, ID: "111122223333", Name: "prod",
		Regions: []string{"us-east-1", "eu-west-1"}}
	module := entity.Scope{Kind: entity.ScopeTerraformModule, ID: "envs/prod"}
	return map[string]Target{
		"zero": {},
		"live entity": {Scope: account, Entity: &entity.Entity{Type: "CloudTrail",
			ID: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/audit", Name: "audit", Scope: "111122223333",
			Region: "eu-west-1", Attrs: map[string]any{
				"cloudWatchLogsLogGroupArn": "arn:aws:logs:eu-west-1:111122223333:log-group:audit:*",
				"isMultiRegionTrail":        false,
				"status":                    map[string]any{"isLogging": true},
			}}},
		"live entity without name": {Scope: account, Entity: &entity.Entity{Type: "CloudTrail",
			ID: "arn:aws:cloudtrail:us-east-1:111122223333:trail/x", Region: "us-east-1"}},
		"terraform entity": {Scope: module, Entity: &entity.Entity{Type: "CloudTrail",
			ID: "module.trail.aws_cloudtrail.this[0]", Name: "this", Scope: "envs/prod", Attrs: map[string]any{}}},
		"terraform entity with account": {Scope: module, Entity: &entity.Entity{Type: "CloudTrail",
			ID: "aws_cloudtrail.main", Attrs: map[string]any{"accountNumber": "444455556666"}}},
		"terraform entity with unknowns": {Scope: module, Entity: &entity.Entity{Type: "CloudTrail",
			ID: "aws_cloudtrail.main", Name: "main", Attrs: map[string]any{
				"cloudWatchLogsLogGroupArn": entity.NewUnknown(entity.UnknownSet, "known after apply"),
				"accountNumber":             entity.NewUnknown(entity.UnknownMaybeNull, ""),
				"retentionInDays":           float64(365),
				"ratio":                     0.25,
				"big":                       1e21,
				"kmsKeyId":                  "",
				"tags":                      map[string]any{"team": "sec & ops <core>"},
				"selectors":                 []any{"a"},
				"nothing":                   nil,
				"status":                    map[string]any{"isLogging": true, "latest": map[string]any{"code": "X"}},
			}}},
		"hostile entity": {Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "1111'22"}, Entity: &entity.Entity{Type: "CloudTrail",
			ID: "arn:$(id)", Name: "audit; curl x | sh; echo\n\x1b[31m", Region: "${var.r} \"%{x}\"\\", Attrs: map[string]any{
				"cloudWatchLogsLogGroupArn": "bad\xff\x00`id`", "tags": map[string]any{"team": strings.Repeat("x", MaxPastedBytes+1)},
			}}},
		"entity with empty ID":   {Scope: entity.Scope{Kind: entity.ScopeAWSAccount}, Entity: &entity.Entity{}},
		"scope without regions":  {Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "111122223333"}},
		"scope with one region":  {Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "111122223333", Name: "prod", Regions: []string{"ap-south-1"}}},
		"scope with two regions": {Scope: account},
		"terraform scope":        {Scope: module},
		"scope with empty region": {Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "111122223333",
			Regions: []string{""}}},
	}
}

// textTemplate renders the way Render did before templates were compiled:
// every text through text/template.
func textTemplate(r *Rule, t Target) Remediation {
	return Remediation{
		Console:   execute(r.templates.console, t, r.Remediation.Console),
		CLI:       execute(r.templates.cli, t, r.Remediation.CLI),
		Terraform: execute(r.templates.terraform, t, r.Remediation.Terraform),
	}
}

func diffRemediation(t *testing.T, what string, got, want Remediation) {
	t.Helper()
	for _, f := range []struct{ name, got, want string }{
		{"console", got.Console, want.Console}, {"cli", got.CLI, want.CLI}, {"terraform", got.Terraform, want.Terraform},
	} {
		if f.got != f.want {
			t.Errorf("%s: %s\n got %q\nwant %q", what, f.name, f.got, f.want)
		}
	}
}

func TestCatalogRendersAsTextTemplate(t *testing.T) {
	// A fresh load, so that memos start empty and this test sees both the
	// first (filled) and the second (remembered) rendering.
	rs, err := LoadFS(catalogFS, "catalog", "catalog")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Fatal("empty catalog")
	}
	targets := renderTargets()
	for _, r := range rs {
		t.Run(r.ID, func(t *testing.T) {
			rt := r.templates
			if rt.fastConsole == nil || rt.fastCLI == nil || rt.fastTerraform == nil {
				t.Errorf("a template is not compiled: console %v, cli %v, terraform %v",
					rt.fastConsole != nil, rt.fastCLI != nil, rt.fastTerraform != nil)
			}
			for name, target := range targets {
				want := textTemplate(r, target)
				diffRemediation(t, name, r.Render(target), want)
				diffRemediation(t, name+" (again)", r.Render(target), want)
			}
		})
	}
}

// parseRemediation loads a rule whose three remediation texts are text, the
// way Parse does.
func parseRemediation(t testing.TB, text string) *Rule {
	t.Helper()
	r := &Rule{ID: "TEST", Remediation: Remediation{Console: text, CLI: "cli " + text, Terraform: "# " + text}}
	rt, errs := parseTemplates(&parser{file: "rule.yaml"}, r, nil)
	if len(errs) > 0 {
		t.Fatalf("%q: %v", text, errs)
	}
	r.templates = rt
	return r
}

// templateCases are templates with whether they are compiled (fast) or left
// to text/template.
var templateCases = []struct {
	text string
	fast bool
}{
	{"", true},
	{"plain text with &amp; <b>tags</b>, 'quotes' and \"double quotes\"\n", true},
	{"{{.Region}}", true},
	{"aws cloudtrail update-trail --region {{.Region}} --name {{.Name}} # {{.ID}} in {{.Account}}", true},
	{"{{ .Name }}{{.Name}}{{.ID}}", true},
	{"a  \n {{- .Region -}} \n  b", true},
	{"a {{/* a note */}} b {{- /* trimmed */ -}} c", true},
	{"arn={{.Attr \"cloudWatchLogsLogGroupArn\"}}", true},
	{"{{.Attr `status.isLogging`}} {{.Attr \"status.latest.code\"}} {{.Attr \"status.latest\"}}", true},
	{"{{.Attr \"retentionInDays\"}}/{{.Attr \"ratio\"}}/{{.Attr \"big\"}}/{{.Attr \"isMultiRegionTrail\"}}", true},
	{"{{.Attr \"kmsKeyId\"}} {{.Attr \"selectors\"}} {{.Attr \"nothing\"}} {{.Attr \"tags\"}} {{.Attr \"tags.team\"}}", true},
	{"{{.Attr \"accountNumber\"}} {{.Account}} {{.Attr \"\"}} {{.Attr \"a..b\"}}", true},
	{"{{define \"unused\"}}never{{end}}region {{.Region}}", true},
	{"<{{.Region}}> &lt;{{.Name}}&gt;", true},
	// Anything more is text/template's.
	{"{{if .Entity}}{{.Entity.ID}}{{else}}scope {{.Scope.ID}}{{end}}", false},
	{"{{range .Scope.Regions}}--region {{.}} {{end}}", false},
	{"{{.Region | printf \"%q\"}}", false},
	{"{{printf \"%s-%s\" .Name .Region}}", false},
	{"{{$r := .Region}}{{$r}}", false},
	{"{{\"{{\"}}.Region}}", false},
	{"{{.Entity.Name}}", false},
	{"{{.Scope.ID}}", false},
	{"{{template \"x\" .}}{{define \"x\"}}in {{.Region}}{{end}}", false},
	{"{{with .Entity}}{{.ID}}{{end}}", false},
	{"{{.Attr (print \"status\" \".isLogging\")}}", false},
	{"{{(.Region)}}", false},
	{"{{block \"b\" .}}{{.Name}}{{end}}", false},
}

func TestTemplatesRenderAsTextTemplate(t *testing.T) {
	targets := renderTargets()
	for _, tc := range templateCases {
		t.Run(tc.text, func(t *testing.T) {
			r := parseRemediation(t, tc.text)
			if fast := r.templates.fastConsole != nil; fast != tc.fast {
				t.Errorf("compiled = %v, want %v", fast, tc.fast)
			}
			for name, target := range targets {
				want := textTemplate(r, target)
				diffRemediation(t, name, r.Render(target), want)
				diffRemediation(t, name+" (again)", r.Render(target), want)
			}
		})
	}
}

func TestRenderWithoutActionsReturnsTheText(t *testing.T) {
	raw := "1. Open the CloudTrail console.\n2. Turn on log file validation & save.\n"
	r := parseRemediation(t, raw)
	target := renderTargets()["live entity"]
	got := r.Render(target)
	if unsafe.StringData(got.Console) != unsafe.StringData(r.Remediation.Console) {
		t.Errorf("console %q is a copy of the rule's text", got.Console)
	}
	if n := testing.AllocsPerRun(100, func() { r.Render(target) }); n != 0 {
		t.Errorf("Render allocates %v times", n)
	}
}

func TestRenderMemoSharesStrings(t *testing.T) {
	rs, err := LoadFS(catalogFS, "catalog", "catalog")
	if err != nil {
		t.Fatal(err)
	}
	r := Find(rs, "D9.AWS.MON.05")
	if r == nil {
		t.Fatal("no D9.AWS.MON.05 in the catalog")
	}
	// Two Terraform trails: different entities, same values for the
	// fields the templates read (<region>, <account>).
	a := Target{Scope: entity.Scope{Kind: entity.ScopeTerraformModule, ID: "a"}, Entity: &entity.Entity{ID: "aws_cloudtrail.a"}}
	b := Target{Scope: entity.Scope{Kind: entity.ScopeTerraformModule, ID: "b"}, Entity: &entity.Entity{ID: "aws_cloudtrail.b"}}
	ra, rb := r.Render(a), r.Render(b)
	if ra.CLI != rb.CLI || unsafe.StringData(ra.CLI) != unsafe.StringData(rb.CLI) {
		t.Errorf("equal renderings do not share one string")
	}
	if !strings.Contains(ra.CLI, "--region '<region>'") || !strings.Contains(ra.CLI, "arn:aws:sns:<region>:<account>:") {
		t.Errorf("cli %q", ra.CLI)
	}
	if n := testing.AllocsPerRun(100, func() { r.Render(b) }); n != 0 {
		t.Errorf("a remembered rendering allocates %v times", n)
	}
	// A live trail in another region is a different rendering.
	c := Target{Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "111122223333"}, Entity: &entity.Entity{ID: "arn", Region: "eu-west-1"}}
	if rc := r.Render(c); !strings.Contains(rc.CLI, "--region eu-west-1") || !strings.Contains(rc.CLI, "arn:aws:sns:eu-west-1:111122223333:") {
		t.Errorf("cli %q", rc.CLI)
	}
	if got := r.templates.memo.len(); got != 2 {
		t.Errorf("memo holds %d renderings, want 2", got)
	}
}

func TestRenderMemoIsBounded(t *testing.T) {
	r := parseRemediation(t, "aws cloudtrail update-trail --name {{.Name}} --region {{.Region}} --log-group {{.Attr \"logGroup\"}}")
	target := func(i int) Target {
		return Target{Entity: &entity.Entity{ID: fmt.Sprintf("arn:%d", i), Name: fmt.Sprintf("trail-%d", i), Region: "eu-west-1",
			Attrs: map[string]any{"logGroup": "audit"}}}
	}
	for i := range maxMemoEntries + 100 {
		tg := target(i)
		diffRemediation(t, tg.Entity.Name, r.Render(tg), textTemplate(r, tg))
	}
	if got := r.templates.memo.len(); got != maxMemoEntries {
		t.Errorf("memo holds %d renderings, want the bound %d", got, maxMemoEntries)
	}
	// The first renderings stay; later ones are rendered afresh each time.
	first, last := target(0), target(maxMemoEntries+50)
	again := r.Render(first)
	if unsafe.StringData(again.CLI) != unsafe.StringData(r.Render(first).CLI) {
		t.Errorf("a kept rendering is not shared")
	}
	if got, want := r.Render(last).CLI, "cli aws cloudtrail update-trail --name trail-1074 --region eu-west-1 --log-group audit"; got != want {
		t.Errorf("past the bound\n got %q\nwant %q", got, want)
	}
	if got := r.templates.memo.len(); got != maxMemoEntries {
		t.Errorf("memo grew past its bound to %d", got)
	}
}

func TestRenderDoesNotKeepHugeValues(t *testing.T) {
	for _, n := range []int{maxMemoKeyBytes - 40, maxMemoKeyBytes - 20, maxMemoKeyBytes, 1 << 20} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			r := parseRemediation(t, "aws logs describe-log-groups --log-group-name-prefix {{.Attr \"logGroup\"}} --region {{.Region}}")
			huge := strings.Repeat("g", n)
			tg := Target{Entity: &entity.Entity{ID: "arn", Region: "eu-west-1", Attrs: map[string]any{"logGroup": huge}}}
			got := r.Render(tg)
			diffRemediation(t, "huge attribute", got, textTemplate(r, tg))
			kept := r.templates.memo.len()
			// A key holds each value and its length.
			fits := n+len("eu-west-1")+2*binaryLenMax <= maxMemoKeyBytes
			if fits != (kept == 1) {
				t.Errorf("a value of %d bytes: memo holds %d renderings", n, kept)
			}
		})
	}
}

// binaryLenMax is the room memoKey reserves for a length prefix.
const binaryLenMax = 10

func TestRenderMemoKeyIsUnambiguous(t *testing.T) {
	// Values that concatenate to the same text must not share a
	// rendering.
	r := parseRemediation(t, "{{.Name}}|{{.Region}}")
	a := Target{Entity: &entity.Entity{Name: "ab", Region: "c"}}
	b := Target{Entity: &entity.Entity{Name: "a", Region: "bc"}}
	if got := r.Render(a).Console; got != "ab|c" {
		t.Errorf("a: %q", got)
	}
	if got := r.Render(b).Console; got != "a|bc" {
		t.Errorf("b: %q", got)
	}
}

func TestRenderConcurrently(t *testing.T) {
	rs, err := LoadFS(catalogFS, "catalog", "catalog")
	if err != nil {
		t.Fatal(err)
	}
	targets := renderTargets()
	type job struct {
		r    *Rule
		t    Target
		want Remediation
	}
	var jobs []job
	for _, r := range rs {
		for _, tg := range targets {
			jobs = append(jobs, job{r, tg, textTemplate(r, tg)})
		}
		// Distinct names, so that some rules fill their memo while
		// others read it.
		for i := range 40 {
			tg := Target{Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "111122223333"},
				Entity: &entity.Entity{ID: fmt.Sprintf("arn:trail/%d", i), Name: fmt.Sprintf("trail-%d", i), Region: "us-east-2"}}
			jobs = append(jobs, job{r, tg, textTemplate(r, tg)})
		}
	}
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range jobs {
				j := jobs[(i*7+w*131)%len(jobs)]
				if got := j.r.Render(j.t); got != j.want {
					errs <- fmt.Sprintf("%s: got %+v, want %+v", j.r.ID, got, j.want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func FuzzRender(f *testing.F) {
	for _, tc := range templateCases {
		f.Add(tc.text)
	}
	targets := renderTargets()
	f.Fuzz(func(t *testing.T, text string) {
		// Each field on its own: a text that is not valid in one language
		// is still rendered in the others.
		for _, r := range []*Rule{
			{Remediation: Remediation{Console: text}},
			{Remediation: Remediation{CLI: text}},
			{Remediation: Remediation{Terraform: text}},
		} {
			rt, errs := parseTemplates(&parser{file: "rule.yaml"}, r, nil)
			if len(errs) > 0 {
				continue
			}
			r.templates = rt
			for name, target := range targets {
				want := textTemplate(r, target)
				diffRemediation(t, name, r.Render(target), want)
			}
		}
	})
}

// BenchmarkRender renders one finding per iteration. "repeating" is a
// Terraform scan: every catalog rule for trails without a region or account,
// whose texts repeat. "distinct" renders a rule that names the trail for
// trails that all have different names, so that the memo is of no use.
// "text-template" is the same work through text/template alone, as Render
// did before templates were compiled.
func BenchmarkRender(b *testing.B) {
	const findings = 10000
	terraform := make([]Target, findings)
	for i := range terraform {
		terraform[i] = Target{Scope: entity.Scope{Kind: entity.ScopeTerraformModule, ID: fmt.Sprintf("envs/env%d", i%20)},
			Entity: &entity.Entity{Type: "CloudTrail", ID: fmt.Sprintf("module.trail%d.aws_cloudtrail.this", i), Name: fmt.Sprintf("trail%d", i)}}
	}
	regions := []string{"us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1"}
	live := make([]Target, findings)
	for i := range live {
		account := fmt.Sprintf("1111222233%02d", i%4)
		live[i] = Target{Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: account},
			Entity: &entity.Entity{Type: "CloudTrail", ID: fmt.Sprintf("arn:aws:cloudtrail:x:%s:trail/t%d", account, i),
				Name: fmt.Sprintf("trail-%d", i), Region: regions[i%len(regions)]}}
	}
	for _, bc := range []struct {
		name    string
		rules   func([]*Rule) []*Rule
		targets []Target
	}{
		{"repeating", func(rs []*Rule) []*Rule { return rs }, terraform},
		{"distinct", func(rs []*Rule) []*Rule { return []*Rule{Find(rs, "D9.AWS.LOG.03")} }, live},
	} {
		for _, path := range []string{"compiled", "text-template"} {
			b.Run(bc.name+"/"+path, func(b *testing.B) {
				all, err := LoadFS(catalogFS, "catalog", "catalog")
				if err != nil {
					b.Fatal(err)
				}
				rs := bc.rules(all)
				render := (*Rule).Render
				if path == "text-template" {
					render = textTemplate
				}
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					render(rs[i%len(rs)], bc.targets[i%len(bc.targets)])
					i++
				}
			})
		}
	}
}
