package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"vigil/engine"
	"vigil/rules"
)

var (
	sarifSchemaOnce sync.Once
	sarifSchema     *jsonschema.Schema
	sarifSchemaErr  error
)

// loadSARIFSchema compiles the vendored OASIS schema, with format
// assertions on (uri, uri-reference, date-time are checked too).
func loadSARIFSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	sarifSchemaOnce.Do(func() {
		sarifSchema, sarifSchemaErr = compileSchema("testdata/schema/sarif-schema-2.1.0.json")
	})
	if sarifSchemaErr != nil {
		t.Fatalf("SARIF schema: %v", sarifSchemaErr)
	}
	return sarifSchema
}

func validateSARIF(t testing.TB, out []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		return err
	}
	return loadSARIFSchema(t).Validate(inst)
}

func TestSARIFValidAgainstSchema(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			if err := validateSARIF(t, write(t, "sarif", tc.run(), tc.opts)); err != nil {
				t.Errorf("SARIF output is not valid SARIF 2.1.0:\n%v", err)
			}
		})
	}
	t.Run("empty run", func(t *testing.T) {
		if err := validateSARIF(t, write(t, "sarif", &engine.Run{Started: started}, Options{})); err != nil {
			t.Errorf("SARIF of an empty run is not valid: %v", err)
		}
	})
	t.Run("absolute and odd paths", func(t *testing.T) {
		run := fixtureRun()
		run.Findings[8].Entity.Origin.File = "/home/ci/work/infra prod/main.tf"
		run.Findings[9].Entity.Origin.File = "C:/weird:dir/%41 #1.tf"
		out := write(t, "sarif", run, Options{})
		if err := validateSARIF(t, out); err != nil {
			t.Errorf("not valid: %v", err)
		}
		for _, want := range []string{`"file:///home/ci/work/infra%20prod/main.tf"`, `"./C:/weird:dir/%2541%20%231.tf"`} {
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("output lacks the URI %s", want)
			}
		}
	})
}

// TestSARIFSchemaCatchesBadLevel makes sure the validation above can fail:
// the schema must reject a level outside its enum, which go-sarif's README
// example ("high") would produce.
func TestSARIFSchemaCatchesBadLevel(t *testing.T) {
	out := write(t, "sarif", fixtureRun(), Options{})
	bad := bytes.Replace(out, []byte(`"level": "warning"`), []byte(`"level": "high"`), 1)
	if bytes.Equal(bad, out) {
		t.Fatal("fixture has no warning-level result to corrupt")
	}
	if err := validateSARIF(t, bad); err == nil {
		t.Error("schema accepted level \"high\"")
	}
}

// sarifDoc is the part of a SARIF log the tests read back.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name, Version string
				Rules         []struct {
					ID                   string
					Help                 struct{ Text, Markdown string }
					DefaultConfiguration struct{ Level string }
					Properties           map[string]any
				}
			}
		}
		Invocations []struct {
			ToolExecutionNotifications []struct{ Level string }
		}
		Results []struct {
			RuleID    string
			RuleIndex int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct{ URI string }
					Region           *struct{ StartLine, StartColumn, EndLine int }
				}
				LogicalLocations []struct{ FullyQualifiedName, Kind string }
			}
			Suppressions []struct{ Kind, Status, Justification string }
			Properties   map[string]any
		}
	}
}

func TestSARIFContent(t *testing.T) {
	var doc sarifDoc
	if err := json.Unmarshal(write(t, "sarif", fixtureRun(), Options{Tool: tool}), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if run.Tool.Driver.Name != "vigil" || run.Tool.Driver.Version != "0.1.0" {
		t.Errorf("driver = %s %s", run.Tool.Driver.Name, run.Tool.Driver.Version)
	}
	type got struct {
		Rule, Level, Subject, URI string
		Region                    [3]int
		Suppression               string
	}
	var results []got
	for _, r := range run.Results {
		if rule := run.Tool.Driver.Rules[r.RuleIndex]; rule.ID != r.RuleID {
			t.Errorf("result %s: ruleIndex %d points at %s", r.RuleID, r.RuleIndex, rule.ID)
		}
		g := got{Rule: r.RuleID, Level: r.Level}
		loc := r.Locations[0]
		if pl := loc.PhysicalLocation; pl != nil {
			g.URI = pl.ArtifactLocation.URI
			g.Region = [3]int{pl.Region.StartLine, pl.Region.StartColumn, pl.Region.EndLine}
		}
		g.Subject = loc.LogicalLocations[0].Kind + ":" + loc.LogicalLocations[0].FullyQualifiedName
		if len(r.Suppressions) == 1 {
			s := r.Suppressions[0]
			g.Suppression = s.Kind + "/" + s.Status + ": " + s.Justification
		}
		results = append(results, g)
	}
	// No PASS; FAIL of a Low rule is a warning, UNKNOWN and ERROR are
	// warnings; excluded findings carry a suppression.
	want := []got{
		{Rule: "D9.AWS.LOG.01", Level: "warning", Subject: "resource:" + euTrailARN},
		{Rule: "D9.AWS.LOG.01", Level: "warning", Subject: "resource:" + oldTrailARN, Suppression: "external/accepted: dev account trail, replaced by org-main"},
		{Rule: "D9.AWS.MON.05", Level: "warning", Subject: "namespace:" + account},
		{Rule: "D9.TF.AWS.LOG.03", Level: "warning", Subject: "resource:aws_cloudtrail.legacy", URI: "infra/prod/main.tf", Region: [3]int{31, 1, 36},
			Suppression: "inSource/accepted: trail is deleted in the next release"},
		{Rule: "D9.TF.AWS.LOG.03", Level: "warning", Subject: "resource:aws_cloudtrail.main", URI: "infra/prod/main.tf", Region: [3]int{12, 1, 24}},
		{Rule: "D9.TF.AWS.LOG.03", Level: "warning", Subject: "resource:module.audit.aws_cloudtrail.this[0]", URI: "infra/modules/audit/trail.tf", Region: [3]int{3, 1, 15}},
		// A List<E> finding on a module is placed at the first trail its
		// message names.
		{Rule: "VIGIL.AWS.LOG.01", Level: "error", Subject: "module:" + tfScope, URI: "infra/prod/main.tf", Region: [3]int{12, 1, 24}},
	}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	rule := run.Tool.Driver.Rules[0]
	for _, s := range []string{"aws cloudtrail update-trail", "is_multi_region_trail = true", "Attackers favour unused regions"} {
		if !strings.Contains(rule.Help.Text, s) || !strings.Contains(rule.Help.Markdown, s) {
			t.Errorf("rule help lacks %q", s)
		}
	}
	if fw, _ := rule.Properties["frameworks"].([]any); len(fw) != 3 || fw[1] != "CIS AWS Foundations v3.0.0 3.1" {
		t.Errorf("rule frameworks property = %v", rule.Properties["frameworks"])
	}
	if n := len(run.Invocations[0].ToolExecutionNotifications); n != 2 {
		t.Errorf("%d notifications, want 2 (collection failure, expired exclusion)", n)
	}
}

func TestSARIFLevels(t *testing.T) {
	cases := []struct {
		severity rules.Severity
		result   engine.Result
		under    engine.Result
		want     string
	}{
		{rules.Critical, engine.Fail, engine.Fail, "error"},
		{rules.High, engine.Fail, engine.Fail, "error"},
		{rules.Medium, engine.Fail, engine.Fail, "warning"},
		{rules.Low, engine.Fail, engine.Fail, "warning"},
		{rules.Informational, engine.Fail, engine.Fail, "note"},
		{rules.Severity(0), engine.Fail, engine.Fail, "error"},
		{rules.Critical, engine.Unknown, engine.Unknown, "warning"},
		{rules.Critical, engine.Error, engine.Error, "warning"},
		{rules.High, engine.Excluded, engine.Fail, "error"},
		{rules.Low, engine.Excluded, engine.Unknown, "warning"},
	}
	for _, tc := range cases {
		f := &engine.Finding{Rule: &rules.Rule{ID: "X", Severity: tc.severity}, Result: tc.result, Underlying: tc.under}
		if got := sarifLevel(f); got != tc.want {
			t.Errorf("%v %s (%s): level %q, want %q", tc.severity, tc.result, tc.under, got, tc.want)
		}
	}
}
