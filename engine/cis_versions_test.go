package engine

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/entity"
	"vigil/filterpattern"
	"vigil/rules"
)

// cisPatterns is testdata/cis-metric-filters.json: the metric-filter
// patterns of each CIS monitoring control, per benchmark version.
type cisPatterns struct {
	Controls map[string]*struct {
		Topic string `json:"topic"`
		// IDs maps the data's versions ("1.2.0", "1.4", "7.0") to the
		// control's number in that version ("3.1", "4.1", "5.1").
		IDs      map[string]string `json:"ids"`
		Versions map[string]struct {
			Pattern     string   `json:"pattern"`
			Audit       []string `json:"audit_patterns"`
			Remediation []string `json:"remediation_patterns"`
		} `json:"patterns_by_version"`
		Distinct []string `json:"distinct_patterns"`
	} `json:"controls"`
}

func loadCISPatterns(t *testing.T) *cisPatterns {
	t.Helper()
	data, err := os.ReadFile("testdata/cis-metric-filters.json")
	if err != nil {
		t.Fatal(err)
	}
	var c cisPatterns
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Controls) != 15 {
		t.Fatalf("%d controls, want 15", len(c.Controls))
	}
	return &c
}

// dataVersion is the data's name of a catalog version: "1.2.0" as it is,
// "1.4.0" as "1.4".
func dataVersion(v string) string {
	if v == "1.2.0" {
		return v
	}
	return strings.TrimSuffix(v, ".0")
}

// cisVersionJudgement is what one CIS version asks of one control: its
// number in that version and the patterns its audit and remediation texts
// accept.
type cisVersionJudgement struct {
	control  string
	accepted []string
}

// judgement returns what version v (as the catalog writes it) asks of the
// control k. The data has no text for v1.0.0, v1.1.0 and v1.3.0: for them
// the control is judged as v1.2.0 and v1.4.0 judge it when those two agree
// (the control's pattern did not change around them), and ok is false when
// they differ or one lacks the control: vigil then does not map the
// version.
func (c *cisPatterns) judgement(t *testing.T, k, v string) (j cisVersionJudgement, ok bool) {
	ctl := c.Controls[k]
	of := func(dv string) ([]string, bool) {
		pv, ok := ctl.Versions[dv]
		if !ok {
			return nil, false
		}
		var out []string
		for _, p := range append(append([]string{pv.Pattern}, pv.Audit...), pv.Remediation...) {
			if p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
		return out, true
	}
	if acc, ok := of(dataVersion(v)); ok {
		return cisVersionJudgement{control: ctl.IDs[dataVersion(v)], accepted: acc}, true
	}
	if !slices.Contains([]string{"1.0.0", "1.1.0", "1.3.0"}, v) {
		// A version the data has, without this control (4.15 first
		// appears in v1.4.0).
		return cisVersionJudgement{}, false
	}
	v12, ok12 := of("1.2.0")
	v14, ok14 := of("1.4")
	if !ok12 || !ok14 || !sameMeaning(t, v12, v14) {
		return cisVersionJudgement{}, false
	}
	id := ctl.IDs["1.2.0"]
	if v == "1.3.0" {
		id = ctl.IDs["1.4"]
	}
	return cisVersionJudgement{control: id, accepted: append(v12, v14...)}, true
}

func parsePattern(t *testing.T, p string) *filterpattern.Pattern {
	t.Helper()
	pp, err := filterpattern.Parse(p)
	if err != nil {
		t.Fatalf("%q: %v", p, err)
	}
	return pp
}

// accepts reports whether pattern p means the same as one of the patterns.
func accepts(t *testing.T, patterns []string, p string) bool {
	pp := parsePattern(t, p)
	return slices.ContainsFunc(patterns, func(q string) bool { return filterpattern.Equal(pp, parsePattern(t, q)) })
}

// sameMeaning reports whether two lists of patterns accept the same
// patterns.
func sameMeaning(t *testing.T, a, b []string) bool {
	for _, p := range a {
		if !accepts(t, b, p) {
			return false
		}
	}
	for _, p := range b {
		if !accepts(t, a, p) {
			return false
		}
	}
	return true
}

// monitoringInventory is one live account whose one trail does everything
// the CIS audit asks (multi-region, logging, read and write management
// events) and has one metric filter with pattern, whose alarm notifies a
// confirmed subscriber.
func monitoringInventory(pattern string) *entity.Inventory {
	inv := &entity.Inventory{CollectedAt: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	inv.AddScope(entity.Scope{Kind: entity.ScopeAWSAccount, ID: "123456789012", Regions: []string{"us-east-1"}})
	inv.Add(&entity.Entity{Type: "CloudTrail", ID: "arn:aws:cloudtrail:us-east-1:123456789012:trail/main", Name: "main",
		Scope: "123456789012", Region: "us-east-1", Attrs: map[string]any{
			"isMultiRegionTrail":           true,
			"status":                       map[string]any{"isLogging": true},
			"hasManagementEventsReadWrite": true,
			"hasSNSSubscriber":             true,
			"metricFilters": []any{map[string]any{
				"filterName": "cis", "filterPattern": pattern, "hasSNSSubscriber": true,
			}},
		}})
	return inv
}

// controlOf finds the CIS control (a key of the data) a monitoring rule
// maps to, from its CIS references; every reference must agree. It is ""
// for a rule that maps to no CIS version.
func (c *cisPatterns) controlOf(t *testing.T, r *rules.Rule) string {
	found := ""
	for _, ref := range r.Frameworks {
		if ref.Framework != rules.CISAWSFoundations {
			continue
		}
		var ks []string
		for k, ctl := range c.Controls {
			if id, ok := ctl.IDs[dataVersion(ref.Version)]; ok && id == ref.Control {
				ks = append(ks, k)
			}
			if _, ok := ctl.IDs[dataVersion(ref.Version)]; !ok {
				// v1.0.0, v1.1.0: section 3 as in v1.2.0; v1.3.0:
				// section 4 as in v1.4.0.
				alt := map[string]string{"1.0.0": "1.2.0", "1.1.0": "1.2.0", "1.3.0": "1.4"}[ref.Version]
				if id, ok := ctl.IDs[alt]; ok && id == ref.Control {
					ks = append(ks, k)
				}
			}
		}
		if len(ks) != 1 {
			t.Fatalf("%s: %s names %d monitoring controls", r.ID, ref, len(ks))
		}
		if found != "" && found != ks[0] {
			t.Fatalf("%s maps to two monitoring controls: %s (%s) and %s (%s)", r.ID,
				c.Controls[found].Topic, found, c.Controls[ks[0]].Topic, ks[0])
		}
		found = ks[0]
	}
	return found
}

// monitoringRules returns the catalog's rules that compare metric filter
// patterns, the CIS monitoring family.
func monitoringRules(t *testing.T) []*rules.Rule {
	rs, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var out []*rules.Rule
	for _, r := range rs {
		if strings.Contains(r.Logic, "isFilterPatternEqual") {
			out = append(out, r)
		}
	}
	if len(out) != 30 {
		t.Fatalf("%d monitoring rules, want 30 (D9.AWS.MON.* and VIGIL.AWS.MON.*)", len(out))
	}
	return out
}

// TestCISVersionMappings checks which CIS versions each monitoring rule
// maps to: only versions whose pattern the data gives (or the neighbouring
// versions agree on), and, for vigil's own rules, every such version.
// The published D9 rules keep their published logic, so they map only to
// the versions that logic judges right.
func TestCISVersionMappings(t *testing.T) {
	c := loadCISPatterns(t)
	for _, r := range monitoringRules(t) {
		k := c.controlOf(t, r)
		if k == "" {
			if strings.HasPrefix(r.ID, "VIGIL.") {
				t.Errorf("%s maps to no CIS version", r.ID)
			}
			continue
		}
		mapped := map[string]string{}
		for _, ref := range r.Frameworks {
			if ref.Framework == rules.CISAWSFoundations {
				mapped[ref.Version] = ref.Control
			}
		}
		for _, v := range rules.CISVersions {
			j, ok := c.judgement(t, k, v)
			got, isMapped := mapped[v]
			switch {
			case isMapped && !ok:
				t.Errorf("%s maps CIS %s %s, but no pattern of that version is known for %s", r.ID, v, got, c.Controls[k].Topic)
			case isMapped && got != j.control:
				t.Errorf("%s maps CIS %s control %s, want %s", r.ID, v, got, j.control)
			case !isMapped && ok && strings.HasPrefix(r.ID, "VIGIL."):
				t.Errorf("%s does not map CIS %s %s (%s), whose patterns are known", r.ID, v, j.control, c.Controls[k].Topic)
			}
		}
	}
}

// TestCISVersionPatterns judges every monitoring rule, as judged for each
// CIS version it maps to (rules.Rule.ForFramework), on an account whose
// only metric filter has one of the patterns any version published for
// the control: the audit and remediation patterns of that version pass,
// and every pattern that means something else fails.
func TestCISVersionPatterns(t *testing.T) {
	c := loadCISPatterns(t)
	cache := filterpattern.NewCache()
	for _, r := range monitoringRules(t) {
		k := c.controlOf(t, r)
		for _, ref := range r.Frameworks {
			if ref.Framework != rules.CISAWSFoundations {
				continue
			}
			t.Run(r.ID+"/"+ref.Version, func(t *testing.T) {
				j, ok := c.judgement(t, k, ref.Version)
				if !ok {
					t.Skip("no known pattern (TestCISVersionMappings reports it)")
				}
				judged := r.ForFramework(rules.CISAWSFoundations, ref.Version)
				plan, err := Compile([]*rules.Rule{judged}, Options{Patterns: cache})
				if err != nil {
					t.Fatal(err)
				}
				for i, p := range c.Controls[k].Distinct {
					want := Fail
					if accepts(t, j.accepted, p) {
						want = Pass
					}
					run := runOn(t, plan, monitoringInventory(p))
					if len(run.Findings) != 1 {
						t.Fatalf("%d findings", len(run.Findings))
					}
					if got := run.Findings[0].Result; got != want {
						t.Errorf("pattern %d %s: %s, want %s (%s)", i, p, got, want, run.Findings[0].Explanation)
					}
				}
				// Every pattern the version accepts passes, as published.
				for _, p := range j.accepted {
					if got := runOn(t, plan, monitoringInventory(p)).Findings[0].Result; got != Pass {
						t.Errorf("CIS %s's own pattern %s: %s", ref.Version, p, got)
					}
				}
			})
		}
	}
}
