package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"vigil/engine"
)

func loadReportSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	s, err := compileSchema("vigil-report-2.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// compileSchema compiles the JSON Schema in the file at path, asserting
// formats (uri, date-time, ...) as well as structure.
func compileSchema(path string) (*jsonschema.Schema, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	name := filepath.Base(path)
	if err := c.AddResource(name, doc); err != nil {
		return nil, err
	}
	return c.Compile(name)
}

// TestJSONMatchesSchema keeps the published schema and the writer in step:
// every output must validate, and the schema forbids unknown fields, so a
// field added to the writer but not to the schema fails here.
func TestJSONMatchesSchema(t *testing.T) {
	schema := loadReportSchema(t)
	cases := append(goldenCases[:len(goldenCases):len(goldenCases)], struct {
		name string
		run  func() *engine.Run
		opts Options
	}{"empty", func() *engine.Run { return &engine.Run{Started: started} }, Options{}},
		struct {
			name string
			run  func() *engine.Run
			opts Options
		}{"explain", fixtureRun, Options{Explain: true}})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(write(t, "json", tc.run(), tc.opts)))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(inst); err != nil {
				t.Errorf("JSON report does not match vigil-report-2.schema.json:\n%v", err)
			}
		})
	}
	t.Run("schema rejects unknown fields", func(t *testing.T) {
		out := bytes.Replace(write(t, "json", fixtureRun(), Options{}), []byte(`"vigil_report": 2,`), []byte(`"vigil_report": 2, "surprise": true,`), 1)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if schema.Validate(inst) == nil {
			t.Error("schema accepted an unknown top-level field")
		}
	})
}

func TestJSONContent(t *testing.T) {
	var doc struct {
		Version  int `json:"vigil_report"`
		Started  string
		Counts   struct{ Total int }
		Findings []struct {
			RuleID     string `json:"rule_id"`
			Result     string
			Underlying string `json:"underlying_result"`
			Scope      string
			Entity     *struct {
				ID     string
				Origin struct {
					File  string
					Start struct{ Line, Col int }
					End   struct{ Line, Col int }
					API   []string
				}
			}
			Exclusion *struct{ Reason, Expires, Source string }
		}
		Compliance *struct {
			Framework string
			Score     *float64
			Controls  []struct{ ID, Status string }
		}
	}
	if err := json.Unmarshal(write(t, "json", fixtureRun(), Options{Framework: "CIS AWS Foundations v3.0.0"}), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != JSONVersion || doc.Started != "2026-11-22T10:00:00Z" || doc.Counts.Total != 7 {
		t.Errorf("version %d, started %s, total %d", doc.Version, doc.Started, doc.Counts.Total)
	}
	var scopeFinding, excluded bool
	for _, f := range doc.Findings {
		if f.RuleID == "D9.AWS.MON.05" && f.Result == "ERROR" {
			scopeFinding = f.Entity == nil && f.Scope == account
		}
		if f.Result == "EXCLUDED" {
			excluded = f.Underlying == "FAIL" && f.Exclusion != nil && f.Exclusion.Expires == "2027-01-31" && f.Exclusion.Source == "exclusions.yaml:12"
		}
	}
	if !scopeFinding {
		t.Error("the List<CloudTrail> ERROR finding is not reported with a null entity and its scope")
	}
	if !excluded {
		t.Error("the excluded finding lacks its underlying result or exclusion")
	}
	c := doc.Compliance
	if c == nil || c.Framework != "CIS AWS Foundations v3.0.0" || c.Score == nil || *c.Score != 1.0/3 {
		t.Fatalf("compliance = %+v", c)
	}
	got := map[string]string{}
	for _, ctl := range c.Controls {
		got[ctl.ID] = ctl.Status
	}
	if diff := cmp.Diff(map[string]string{"3.1": "FAIL", "3.2": "PASS", "4.5": "ERROR"}, got); diff != "" {
		t.Errorf("control statuses (-want +got):\n%s", diff)
	}
}

// TestJSONRemediationOnlyWhenOwn: a finding carries a remediation exactly
// when its own differs from its rule's (in rules[]), and then the one the
// engine rendered for it, so that a reader who falls back on the rule's
// reads the same fix as before.
func TestJSONRemediationOnlyWhenOwn(t *testing.T) {
	run := fixtureRun()
	var doc struct {
		Rules []struct {
			ID          string
			Remediation jsonRemediation
		}
		Findings []struct {
			RuleID      string `json:"rule_id"`
			Entity      *struct{ ID string }
			Scope       string
			Remediation *jsonRemediation
		}
	}
	if err := json.Unmarshal(write(t, "json", run, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	ruleFix := map[string]jsonRemediation{}
	for _, r := range doc.Rules {
		ruleFix[r.ID] = r.Remediation
	}
	if len(doc.Findings) != len(run.Findings) {
		t.Fatalf("%d findings, want %d", len(doc.Findings), len(run.Findings))
	}
	var own, shared int
	v, err := newView(run, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range v.findings {
		got := doc.Findings[i]
		want := jsonRemediation(f.Remediation)
		if want == ruleFix[f.Rule.ID] {
			shared++
			if got.Remediation != nil {
				t.Errorf("%s %s: remediation %+v repeats the rule's", f.Rule.ID, subject(f), *got.Remediation)
			}
			continue
		}
		own++
		if got.Remediation == nil || *got.Remediation != want {
			t.Errorf("%s %s: remediation %+v, want %+v", f.Rule.ID, subject(f), got.Remediation, want)
		}
	}
	if own == 0 || shared == 0 {
		t.Errorf("the fixture has %d findings with a fix of their own and %d with their rule's; the test needs both", own, shared)
	}
}
