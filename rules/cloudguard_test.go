package rules

import (
	"os"
	"strings"
	"testing"
)

func TestImportCloudGuard(t *testing.T) {
	data, err := os.ReadFile("testdata/cloudguard-ruleset.json")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := ImportCloudGuard("cloudguard-ruleset.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 {
		t.Fatalf("%d rules, want 3", len(rs))
	}
	tests := []struct {
		id, title, entity string
		sev               Severity
		control           string
	}{
		{"D9.AWS.LOG.01", "Ensure multi-regions trail exists for each AWS CloudTrail", "CloudTrail", Low, "3.1"},
		{"D9.AWS.MON.05", "Ensure CloudTrail configuration changes are monitored", "CloudTrail", Low, "4.5"},
		{"CUSTOM.3", "Trails must validate log files", "CloudTrail", High, ""},
	}
	for i, tt := range tests {
		r := rs[i]
		if r.ID != tt.id || r.Title != tt.title || r.Entity != tt.entity || r.Severity != tt.sev {
			t.Errorf("rule %d: got %s %q %s %v", i, r.ID, r.Title, r.Entity, r.Severity)
		}
		if tt.control != "" && (len(r.Frameworks) != 1 || r.Frameworks[0].Control != tt.control ||
			r.Frameworks[0].Framework != "CloudGuard ruleset: Team CloudTrail rules") {
			t.Errorf("rule %d frameworks %+v", i, r.Frameworks)
		}
		// Every imported rule writes out as a rule file that reads back
		// to the same rule.
		out, err := Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(r.ID+".yaml", out)
		if err != nil {
			t.Fatalf("written rule does not parse: %v\n%s", err, out)
		}
		if back.ID != r.ID || back.Logic != r.Logic || back.Severity != r.Severity || back.Description != r.Description {
			t.Errorf("round trip changed the rule:\n%s", out)
		}
		// Literal "{{trail-name}}" in CloudGuard text is kept as text.
		if got := back.Render(Target{}).Console; strings.Contains(r.Remediation.Console, "{{") && !strings.Contains(got, "{{trail-name}}") {
			t.Errorf("remediation lost its literal braces: %q", got)
		}
	}
}

func TestImportCloudGuardErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not JSON", "{", "x.json: not a CloudGuard ruleset export"},
		{"no rules", `{"name": "empty", "rules": []}`, "x.json: the ruleset has no rules"},
		{"bad severity", `[{"name": "a", "severity": "Severe", "logic": "CloudTrail should have x", "ruleId": "A.1"}]`,
			`x.json: rules[0] (A.1): severity "Severe" is not one of`},
		{"no logic", `[{"name": "a", "severity": "Low", "ruleId": "A.1"}]`, "x.json: rules[0] (A.1): the rule has no logic"},
		{"too many rules", "[" + strings.Repeat(`{"severity": "Low", "logic": "A should have x"},`, MaxImportRules) + `{"severity": "Low", "logic": "A should have x"}]`,
			"10001 rules, more than the limit of 10000"},
		{"duplicate ids", `[{"severity": "Low", "logic": "A should have x", "ruleId": "A.1"}, {"severity": "Low", "logic": "A should have y", "ruleId": "A.1"}]`,
			`rule id "A.1" is already used`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ImportCloudGuard("x.json", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func FuzzImportCloudGuard(f *testing.F) {
	data, err := os.ReadFile("testdata/cloudguard-ruleset.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`[{"severity":"Low","logic":"A should have x","ruleId":"A.1","remediation":"{{x}}"}]`))
	f.Add([]byte(`{"rules":[{"severity":"high","logic":"List<A> should have items","complianceTag":"CIS AWS Foundations"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ImportCloudGuard("f.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.json") && !strings.Contains(err.Error(), "already used") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// Every imported rule must write out as a rule file that reads back.
		for _, r := range rs {
			out, err := Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse("r.yaml", out)
			if err != nil {
				// Imported text that cannot make a valid rule file must be
				// rejected by the importer, not written.
				t.Fatalf("imported rule does not read back: %v\n%s", err, out)
			}
			if back.ID != r.ID || back.Logic != r.Logic {
				t.Fatalf("round trip changed %q/%q to %q/%q", r.ID, r.Logic, back.ID, back.Logic)
			}
		}
	})
}
