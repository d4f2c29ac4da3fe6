package rules

import (
	"slices"
	"strings"
	"testing"
)

func TestEmbeddedRulesets(t *testing.T) {
	sets, err := Rulesets()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range sets {
		names = append(names, s.Name)
		if strings.TrimSpace(s.Description) == "" {
			t.Errorf("%s: no description", s.Name)
		}
	}
	if want := []string{"all", "cloudguard", "default"}; !slices.Equal(names, want) {
		t.Fatalf("rulesets %v, want %v", names, want)
	}
	catalog, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Ruleset{}
	for _, s := range sets {
		byName[s.Name] = s
	}
	for _, r := range catalog {
		if !byName["all"].Holds(r.ID) {
			t.Errorf("all lacks %s", r.ID)
		}
		if !byName["default"].Holds(r.ID) && !byName["cloudguard"].Holds(r.ID) {
			t.Errorf("%s is in no ruleset but all", r.ID)
		}
		if r.Concern == "" {
			t.Errorf("%s has no concern", r.ID)
		}
	}
	for id, want := range map[string]bool{"VIGIL.AWS.LOG.01": true, "VIGIL.AWS.MON.13": true, "D9.TF.AWS.LOG.03": true,
		"D9.AWS.LOG.01": false, "D9.TF.AWS.LOG.01": false, "D9.AWS.MON.05": false} {
		if got := byName["default"].Holds(id); got != want {
			t.Errorf("default holds %s: %v, want %v", id, got, want)
		}
	}
	if !byName["cloudguard"].Holds("D9.TF.AWS.LOG.01") || byName["cloudguard"].Holds("VIGIL.AWS.LOG.01") {
		t.Errorf("cloudguard holds the wrong rules")
	}
}

// TestRulesetsHoldOneRulePerConcern checks every ruleset but "all": each
// concern of the catalog is checked by one rule of the ruleset, or by a
// live rule and its Terraform twin, which report on different entities.
// The default ruleset covers every concern of the catalog.
func TestRulesetsHoldOneRulePerConcern(t *testing.T) {
	sets, err := Rulesets()
	if err != nil {
		t.Fatal(err)
	}
	catalog, _ := Catalog()
	concerns := map[string]bool{}
	for _, r := range catalog {
		concerns[r.Concern] = true
	}
	for _, s := range sets {
		if s.Name == "all" {
			continue
		}
		held := map[string][]string{}
		for _, r := range catalog {
			if s.Holds(r.ID) {
				held[r.Concern] = append(held[r.Concern], r.ID)
			}
		}
		for concern, ids := range held {
			if len(ids) == 1 {
				continue
			}
			isTwin := len(ids) == 2 && slices.ContainsFunc(s.Twins, func(tw Twin) bool {
				return slices.Contains(ids, tw.Live) && slices.Contains(ids, tw.Terraform)
			})
			if !isTwin {
				t.Errorf("%s: concern %s is checked by %v", s.Name, concern, ids)
			}
		}
		if s.Name == DefaultRuleset {
			for c := range concerns {
				if held[c] == nil {
					t.Errorf("default: no rule checks %s", c)
				}
			}
		}
	}
}

func TestParseRulesetErrors(t *testing.T) {
	tests := []struct {
		name, file, src, want string
	}{
		{"unknown field", "rulesets/x.yaml", "name: x\nrule:\n  - A\n", `rulesets/x.yaml:2:1: field "rule" is not a ruleset field (did you mean "rules"?)`},
		{"name differs from the file", "rulesets/x.yaml", "name: y\nrules: [A]\n", `ruleset "y" must be in a file named y.yaml`},
		{"bad glob", "rulesets/x.yaml", "name: x\nrules: ['[']\n", `"[" is not a rule ID or glob`},
		{"no rules", "rulesets/x.yaml", "name: x\n", "a ruleset needs a name and rules"},
		{"twin without its pair", "rulesets/x.yaml", "name: x\nrules: [A]\ntwins:\n  - live: A\n", "a twin names a live and a terraform rule"},
		{"not a mapping", "rulesets/x.yaml", "- a\n", "a ruleset file is a mapping"},
	}
	for _, tt := range tests {
		_, err := ParseRuleset(tt.file, []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestRulesetCheckAgainstCatalog(t *testing.T) {
	catalog, _ := Catalog()
	tests := []struct {
		src, want string
	}{
		{"name: x\nrules: [NOPE.*]\n", `"NOPE.*" holds no rule of the catalog`},
		{"name: x\nrules: [VIGIL.*]\ntwins:\n  - live: VIGIL.AWS.LOG.02\n    terraform: D9.TF.AWS.LOG.03\n", "both must be rules of the ruleset"},
		{"name: x\nrules: ['*']\ntwins:\n  - live: VIGIL.AWS.LOG.01\n    terraform: D9.TF.AWS.LOG.03\n", "different concerns"},
		{"name: x\nrules: ['*']\ntwins:\n  - live: D9.TF.AWS.LOG.03\n    terraform: VIGIL.AWS.LOG.02\n", "the live rule is on a normalised entity"},
	}
	for _, tt := range tests {
		s, err := ParseRuleset("rulesets/x.yaml", []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		if errs := s.check(catalog); !strings.Contains(errs.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.src, errs, tt.want)
		}
	}
}

func TestFindRuleset(t *testing.T) {
	sets, _ := Rulesets()
	if s, err := FindRuleset(sets, "cloudguard"); err != nil || s.Name != "cloudguard" {
		t.Errorf("got %v, %v", s, err)
	}
	_, err := FindRuleset(sets, "cloudgaurd")
	if err == nil || !strings.Contains(err.Error(), `no ruleset "cloudgaurd" (did you mean "cloudguard"?); the rulesets are all, cloudguard, default`) {
		t.Errorf("got %v", err)
	}
}

func TestMatchFrameworks(t *testing.T) {
	catalog, _ := Catalog()
	known := FrameworkVersions(catalog)
	tests := []struct {
		query string
		want  []string // String() of the matches
	}{
		{"CIS AWS Foundations 3.0.0", []string{"CIS AWS Foundations v3.0.0"}},
		{"cis  aws foundations v3.0.0", []string{"CIS AWS Foundations v3.0.0"}},
		{"cis aws foundations 3", []string{"CIS AWS Foundations v3.0.0"}},
		{"hipaa", []string{"HIPAA"}},
		// "HITRUST" names the version-less framework exactly, although
		// it begins "HITRUST v11.0.0" too.
		{"HITRUST", []string{"HITRUST"}},
		{"nist 800-53", []string{"NIST 800-53 Rev 4", "NIST 800-53 Rev 5"}},
		{"fedramp", nil},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, k := range MatchFrameworks(tt.query, known) {
			got = append(got, k.String())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.query, got, tt.want)
		}
	}
	if got := len(MatchFrameworks("cis", known)); got != 13 {
		t.Errorf("cis matches %d versions, want 13 (12 of CIS AWS Foundations, CIS Controls v8)", got)
	}

	if k, err := ResolveFramework("cis aws foundations 7", known); err != nil || k != (FrameworkVersion{CISAWSFoundations, "7.0.0"}) {
		t.Errorf("got %v, %v", k, err)
	}
	_, err := ResolveFramework("cis aws foundations 1", known)
	if err == nil || !strings.Contains(err.Error(), `framework "cis aws foundations 1" is ambiguous: it could be "CIS AWS Foundations v1.0.0", `) ||
		!strings.Contains(err.Error(), `"CIS AWS Foundations v1.5.0"; name one`) {
		t.Errorf("got %v", err)
	}
	_, err = ResolveFramework("FedRAMP", known)
	if err == nil || !strings.Contains(err.Error(), `unknown framework "FedRAMP" (the rules map to "AWS Foundational Security Best Practices", "CIS AWS Foundations v1.0.0"`) {
		t.Errorf("got %v", err)
	}
}
