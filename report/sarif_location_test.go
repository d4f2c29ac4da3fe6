package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// sarifLocations is the part of a SARIF log TestSARIFLocations reads.
type sarifLocations struct {
	Runs []struct {
		OriginalURIBaseIDs map[string]struct {
			URI         string
			Description *struct{ Text string }
		} `json:"originalUriBaseIds"`
		Invocations []struct {
			ToolExecutionNotifications []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
					}
				}
			}
		}
		Results []struct {
			RuleID    string
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string
						URIBaseID string `json:"uriBaseId"`
					}
					Region *struct{ StartLine, StartColumn, EndLine int }
				}
				LogicalLocations []struct{ Name, FullyQualifiedName, Kind string }
			}
			Properties struct{ Scope string }
		}
	}
}

// locationsRun is a scan run from /work/src of a root module (whose
// files are named relative to it, one absolutely), a module outside it, a
// root module that declares nothing, a plan and a live account.
func locationsRun() *engine.Run {
	tfRule := &rules.Rule{ID: "TF.01", Severity: rules.High, Entity: "aws_cloudtrail"}
	listRule := &rules.Rule{ID: "LIST.01", Severity: rules.High, Entity: "CloudTrail"}
	liveRule := &rules.Rule{ID: "LIVE.01", Severity: rules.High, Entity: "CloudTrail"}
	at := func(file string, line int) entity.Origin {
		return entity.Origin{File: file, Start: entity.Pos{Line: line, Col: 1}, End: entity.Pos{Line: line + 4, Col: 2}}
	}
	tfTrail := &entity.Entity{Type: "aws_cloudtrail", ID: "aws_cloudtrail.b", Name: "b", Scope: "infra", Origin: at("infra/main.tf", 20)}
	tfTrail2 := &entity.Entity{Type: "aws_cloudtrail", ID: "aws_cloudtrail.a", Name: "a", Scope: "infra", Origin: at("/work/src/infra/a.tf", 3)}
	// The normalised CloudTrail twins of the trails, as the loader gives them.
	ctB := &entity.Entity{Type: "CloudTrail", ID: "aws_cloudtrail.b", Name: "b", Scope: "infra", Origin: at("infra/main.tf", 20)}
	ctA := &entity.Entity{Type: "CloudTrail", ID: "aws_cloudtrail.a", Name: "a", Scope: "infra", Origin: at("/work/src/infra/a.tf", 3)}
	outside := &entity.Entity{Type: "aws_cloudtrail", ID: "module.m.aws_cloudtrail.c", Name: "c", Scope: "infra", Origin: at("../shared/m/c.tf", 1)}
	elsewhere := &entity.Entity{Type: "aws_cloudtrail", ID: "aws_cloudtrail.d", Name: "d", Scope: "/opt/other", Origin: at("/opt/other/d.tf", 7)}
	planned := &entity.Entity{Type: "aws_cloudtrail", ID: "aws_cloudtrail.p", Name: "p", Scope: "plan.json",
		Origin: entity.Origin{File: "plans/plan.json", Start: entity.Pos{Line: 42, Col: 9}, End: entity.Pos{Line: 42, Col: 9}}}
	live := &entity.Entity{Type: "CloudTrail", ID: "arn:aws:cloudtrail:eu-west-1:123456789012:trail/main", Name: "main",
		Scope: "123456789012", Region: "eu-west-1", Origin: entity.Origin{API: []string{"cloudtrail:DescribeTrails"}}}
	fail := func(r *rules.Rule, e *entity.Entity, scope string) *engine.Finding {
		return &engine.Finding{Rule: r, Result: engine.Fail, Underlying: engine.Fail, Entity: e, Scope: scope}
	}
	return &engine.Run{
		Started: started,
		Scopes: []entity.Scope{{Kind: entity.ScopeTerraformModule, ID: "infra"}, {Kind: entity.ScopeTerraformModule, ID: "infra/empty"},
			{Kind: entity.ScopeTerraformModule, ID: "/opt/other"}, {Kind: entity.ScopeTerraformModule, ID: "plan.json"},
			{Kind: entity.ScopeAWSAccount, ID: "123456789012"}},
		Findings: []*engine.Finding{
			fail(listRule, nil, "123456789012"),
			fail(listRule, nil, "infra"),
			fail(listRule, nil, "infra/empty"),
			fail(liveRule, live, "123456789012"),
			{Rule: liveRule, Result: engine.Pass, Underlying: engine.Pass, Entity: ctA, Scope: "infra"},
			{Rule: liveRule, Result: engine.Pass, Underlying: engine.Pass, Entity: ctB, Scope: "infra"},
			fail(tfRule, elsewhere, "/opt/other"),
			fail(tfRule, tfTrail2, "infra"),
			fail(tfRule, tfTrail, "infra"),
			fail(tfRule, outside, "infra"),
			fail(tfRule, planned, "plan.json"),
		},
		Failures: []entity.Failure{{Kind: entity.FailureParse, Type: entity.AnyType, Scope: "infra", File: "infra/bad.tf", Line: 2, Col: 3, Error: "Invalid expression"}},
	}
}

// TestSARIFLocations: every finding with a file has a physical location,
// relative to %SRCROOT% when the file lies under the directory vigil ran
// in; a List<E> finding on a root module is placed at its first entity of
// the rule's type; live resources have logical locations for their ARN,
// region and account.
func TestSARIFLocations(t *testing.T) {
	out := write(t, "sarif", locationsRun(), Options{SourceRoot: "/work/src"})
	if err := validateSARIF(t, out); err != nil {
		t.Fatalf("not valid SARIF: %v", err)
	}
	var doc sarifLocations
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if base := run.OriginalURIBaseIDs["%SRCROOT%"]; base.URI != "file:///work/src/" {
		t.Errorf("%%SRCROOT%% is %+v, want file:///work/src/", base)
	}
	type place struct {
		Rule, Scope, URI, Base string
		Region                 [3]int
		Logical                []string
	}
	var got []place
	for _, r := range run.Results {
		p := place{Rule: r.RuleID, Scope: r.Properties.Scope}
		loc := r.Locations[0]
		if pl := loc.PhysicalLocation; pl != nil {
			p.URI, p.Base = pl.ArtifactLocation.URI, pl.ArtifactLocation.URIBaseID
			if pl.Region != nil {
				p.Region = [3]int{pl.Region.StartLine, pl.Region.StartColumn, pl.Region.EndLine}
			}
		}
		for _, l := range loc.LogicalLocations {
			p.Logical = append(p.Logical, l.Kind+":"+l.FullyQualifiedName)
		}
		got = append(got, p)
	}
	want := []place{
		{Rule: "LIST.01", Scope: "123456789012", Logical: []string{"namespace:123456789012"}},
		// The first CloudTrail of the module, in file order: a.tf, named
		// absolutely, is under /work/src.
		{Rule: "LIST.01", Scope: "infra", URI: "infra/a.tf", Base: "%SRCROOT%", Region: [3]int{3, 1, 7}, Logical: []string{"module:infra"}},
		{Rule: "LIST.01", Scope: "infra/empty", URI: "infra/empty/", Base: "%SRCROOT%", Logical: []string{"module:infra/empty"}},
		{Rule: "LIVE.01", Scope: "123456789012", Logical: []string{
			"resource:arn:aws:cloudtrail:eu-west-1:123456789012:trail/main", "namespace:123456789012/eu-west-1", "namespace:123456789012"}},
		{Rule: "TF.01", Scope: "/opt/other", URI: "file:///opt/other/d.tf", Region: [3]int{7, 1, 11},
			Logical: []string{"resource:aws_cloudtrail.d", "module:/opt/other"}},
		{Rule: "TF.01", Scope: "infra", URI: "infra/a.tf", Base: "%SRCROOT%", Region: [3]int{3, 1, 7},
			Logical: []string{"resource:aws_cloudtrail.a", "module:infra"}},
		{Rule: "TF.01", Scope: "infra", URI: "infra/main.tf", Base: "%SRCROOT%", Region: [3]int{20, 1, 24},
			Logical: []string{"resource:aws_cloudtrail.b", "module:infra"}},
		{Rule: "TF.01", Scope: "infra", URI: "file:///work/shared/m/c.tf", Region: [3]int{1, 1, 5},
			Logical: []string{"resource:module.m.aws_cloudtrail.c", "module:infra"}},
		{Rule: "TF.01", Scope: "plan.json", URI: "plans/plan.json", Base: "%SRCROOT%", Region: [3]int{42, 9, 42},
			Logical: []string{"resource:aws_cloudtrail.p", "module:plan.json"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
	notes := run.Invocations[0].ToolExecutionNotifications
	if len(notes) != 1 || notes[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "infra/bad.tf" {
		t.Errorf("notifications %+v, want one at infra/bad.tf", notes)
	}
}

// TestSARIFWithoutSourceRoot: without the directory vigil ran in,
// relative files stay relative to %SRCROOT%, which is described but has no
// URI, and absolute ones are file URIs.
func TestSARIFWithoutSourceRoot(t *testing.T) {
	out := write(t, "sarif", locationsRun(), Options{})
	if err := validateSARIF(t, out); err != nil {
		t.Fatalf("not valid SARIF: %v", err)
	}
	var doc sarifLocations
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if base := run.OriginalURIBaseIDs["%SRCROOT%"]; base.URI != "" || base.Description == nil {
		t.Errorf("%%SRCROOT%% is %+v, want a description and no URI", base)
	}
	var uris []string
	for _, r := range run.Results {
		if pl := r.Locations[0].PhysicalLocation; pl != nil {
			uris = append(uris, pl.ArtifactLocation.URIBaseID+" "+pl.ArtifactLocation.URI)
		}
	}
	want := []string{" file:///work/src/infra/a.tf", "%SRCROOT% infra/empty/", " file:///opt/other/d.tf", " file:///work/src/infra/a.tf",
		"%SRCROOT% infra/main.tf", " ../shared/m/c.tf", "%SRCROOT% plans/plan.json"}
	if diff := cmp.Diff(want, uris); diff != "" {
		t.Errorf("URIs (-want +got):\n%s", diff)
	}
}

// TestSARIFRelatedLocations: a List<E> finding whose message names
// entities is placed at the first of them that has a file, rather than at
// the module's first entity, and lists them all as related locations,
// each with its ID as message: at its file region, or live, at its
// logical location.
func TestSARIFRelatedLocations(t *testing.T) {
	run := locationsRun()
	var ctA, ctB, live *entity.Entity
	for _, f := range run.Findings {
		switch e := f.Entity; {
		case e == nil:
		case e.ID == "aws_cloudtrail.a" && e.Type == "CloudTrail":
			ctA = e
		case e.ID == "aws_cloudtrail.b" && e.Type == "CloudTrail":
			ctB = e
		case e.Origin.File == "":
			live = e
		}
	}
	run.Findings[0].Related = []*entity.Entity{live}
	run.Findings[1].Related = []*entity.Entity{ctB, ctA}
	out := write(t, "sarif", run, Options{SourceRoot: "/work/src"})
	if err := validateSARIF(t, out); err != nil {
		t.Fatalf("not valid SARIF: %v", err)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID           string
				Locations        []sarifRelated
				RelatedLocations []sarifRelated
				Properties       struct{ Scope string }
			}
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	type place struct {
		Scope, At string
		Related   []string
	}
	var got []place
	for _, r := range doc.Runs[0].Results {
		if r.RuleID != "LIST.01" {
			continue
		}
		p := place{Scope: r.Properties.Scope, At: r.Locations[0].String()}
		for _, rl := range r.RelatedLocations {
			p.Related = append(p.Related, rl.String())
		}
		got = append(got, p)
	}
	want := []place{
		{Scope: "123456789012", At: "namespace:123456789012",
			Related: []string{"1 arn:aws:cloudtrail:eu-west-1:123456789012:trail/main: resource:arn:aws:cloudtrail:eu-west-1:123456789012:trail/main"}},
		{Scope: "infra", At: "infra/main.tf:20 module:infra",
			Related: []string{"1 aws_cloudtrail.b: infra/main.tf:20", "2 aws_cloudtrail.a: infra/a.tf:3"}},
		{Scope: "infra/empty", At: "infra/empty/:0 module:infra/empty"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
}

// sarifRelated is a SARIF location as TestSARIFRelatedLocations reads it.
type sarifRelated struct {
	ID               int
	Message          *struct{ Text string }
	PhysicalLocation *struct {
		ArtifactLocation struct{ URI string }
		Region           *struct{ StartLine int }
	}
	LogicalLocations []struct{ FullyQualifiedName, Kind string }
}

// String is the location in short: "[id message: ]file:line kind:name".
func (l sarifRelated) String() string {
	var parts []string
	if l.Message != nil {
		parts = append(parts, fmt.Sprintf("%d %s:", l.ID, l.Message.Text))
	}
	if pl := l.PhysicalLocation; pl != nil {
		line := 0
		if pl.Region != nil {
			line = pl.Region.StartLine
		}
		parts = append(parts, fmt.Sprintf("%s:%d", pl.ArtifactLocation.URI, line))
	}
	for _, ll := range l.LogicalLocations {
		parts = append(parts, ll.Kind+":"+ll.FullyQualifiedName)
	}
	return strings.Join(parts, " ")
}
