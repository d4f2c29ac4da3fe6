package filterpattern

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"
)

type cisFile struct {
	Controls map[string]struct {
		Topic    string `json:"topic"`
		Versions map[string]struct {
			Pattern     string   `json:"pattern"`
			Audit       []string `json:"audit_patterns"`
			Remediation []string `json:"remediation_patterns"`
		} `json:"patterns_by_version"`
		Distinct []string `json:"distinct_patterns"`
	} `json:"controls"`
}

func loadCIS(t testing.TB) cisFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/cis-metric-filters.json")
	if err != nil {
		t.Fatal(err)
	}
	var f cisFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// cisMeaning groups, for each CIS control (numbered as in v1.4–v5.0,
// section 4), the indices of its distinct_patterns that mean the same:
// patterns in one group must be Equal, patterns in different groups must
// not.
var cisMeaning = map[string]struct {
	groups [][]int
	why    string
}{
	"1": {[][]int{{0}, {1, 2}, {3}}, "v1.2 has 2 clauses; v1.4 audit (bare) and remediation (quoted, " +
		"\"*UnauthorizedOperation\" still a wildcard) have 4; v4.0 joins them A || B && C && D, which " +
		"means A || (B && C && D)"},
	"2":  {[][]int{{0, 3}, {1, 2}}, "the basic and the IAMUser/Success forms, each quoted and bare"},
	"3":  {[][]int{{0, 1, 2}}, "spacing and quoting only"},
	"4":  {[][]int{{0, 1}}, "spacing only"},
	"5":  {[][]int{{0, 1}}, "spacing only"},
	"6":  {[][]int{{0, 1, 2}}, "spacing, quoting, and v4.0's bare Failed authentication"},
	"7":  {[][]int{{0, 1}}, "spacing only"},
	"8":  {[][]int{{0, 1}}, "spacing only"},
	"9":  {[][]int{{0, 1}}, "spacing only"},
	"10": {[][]int{{0, 1}, {2}}, "v5.0 adds ModifySecurityGroupRules"},
	"11": {[][]int{{0, 1}}, "spacing only"},
	"12": {[][]int{{0, 1}}, "spacing only"},
	"13": {[][]int{{0, 1}, {2, 3}}, "v3.0+ audit text reads (eventSource && CreateRoute) || CreateRouteTable || …"},
	"14": {[][]int{{0, 1}}, "spacing only"},
	"15": {[][]int{{0, 1}}, "quoting only"},
}

// TestCISVariantsEqual checks every pair of textual variants of each CIS
// control's pattern: Equal exactly when they mean the same.
func TestCISVariantsEqual(t *testing.T) {
	f := loadCIS(t)
	if len(f.Controls) != 15 {
		t.Fatalf("%d controls, want 15", len(f.Controls))
	}
	for id, ctl := range f.Controls {
		m, ok := cisMeaning[id]
		if !ok {
			t.Fatalf("control %s (%s) has no expected grouping", id, ctl.Topic)
		}
		// Every pattern of every version is one of the distinct ones.
		for v, pv := range ctl.Versions {
			all := append(append([]string{pv.Pattern}, pv.Audit...), pv.Remediation...)
			for _, p := range all {
				if p != "" && !slices.Contains(ctl.Distinct, p) {
					t.Errorf("control %s v%s: %q is not in distinct_patterns", id, v, p)
				}
			}
		}
		group := map[int]int{}
		for g, members := range m.groups {
			for _, i := range members {
				group[i] = g
			}
		}
		if len(group) != len(ctl.Distinct) {
			t.Fatalf("control %s: grouping covers %d of %d patterns", id, len(group), len(ctl.Distinct))
		}
		parsed := make([]*Pattern, len(ctl.Distinct))
		for i, src := range ctl.Distinct {
			p, err := Parse(src)
			if err != nil {
				t.Fatalf("control %s pattern %d: %v\n%s", id, i, err, err.(*Error).Snippet())
			}
			parsed[i] = p
		}
		for i := range parsed {
			for j := i + 1; j < len(parsed); j++ {
				want := group[i] == group[j]
				t.Run(fmt.Sprintf("4.%s/%d-vs-%d", id, i, j), func(t *testing.T) {
					if got := Equal(parsed[i], parsed[j]); got != want {
						t.Errorf("Equal = %v, want %v (%s)\n a: %s\n b: %s", got, want, m.why, ctl.Distinct[i], ctl.Distinct[j])
					}
					if got := Equal(parsed[j], parsed[i]); got != want {
						t.Errorf("Equal reversed = %v, want %v", got, want)
					}
				})
			}
		}
	}
}

// TestCISPrecedence pins the 4.1 v4.0 reading: && binds tighter than ||.
func TestCISPrecedence(t *testing.T) {
	v14 := mustParse(t, `{ ($.errorCode = *UnauthorizedOperation) || ($.errorCode = AccessDenied*) || ($.sourceIPAddress!=delivery.logs.amazonaws.com) || ($.eventName!=HeadBucket) }`)
	v40 := mustParse(t, `{ ($.errorCode =*UnauthorizedOperation) || ($.errorCode =AccessDenied*) && ($.sourceIPAddress!=delivery.logs.amazonaws.com) && ($.eventName!=HeadBucket) }`)
	grouped := mustParse(t, `{ ($.errorCode = "*UnauthorizedOperation") || (($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket")) }`)
	if Equal(v14, v40) {
		t.Error("v1.4 and v4.0 patterns are Equal")
	}
	if !Equal(v40, grouped) {
		t.Errorf("v4.0 pattern is not Equal to its explicit grouping:\n %s\n %s", Format(v40), Format(grouped))
	}
	// The v1.4 pattern is broader: it covers the v4.0 one, not the reverse.
	if !Covers(v14, v40) || Covers(v40, v14) {
		t.Errorf("Covers(v1.4, v4.0) = %v, Covers(v4.0, v1.4) = %v; want true, false", Covers(v14, v40), Covers(v40, v14))
	}
	event := `{"errorCode":"AccessDenied","sourceIPAddress":"delivery.logs.amazonaws.com","eventName":"GetObject"}`
	if !v14.Match(event) || v40.Match(event) {
		t.Errorf("on an AccessDenied from delivery.logs: v1.4 %v, v4.0 %v; want true, false", v14.Match(event), v40.Match(event))
	}
}

func mustParse(t testing.TB, src string) *Pattern {
	t.Helper()
	p, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return p
}

// TestCoversSoundOnCorpus checks Covers against Match on real data: for
// every pair of CIS patterns (all variants of all controls) where Covers
// says yes, every corpus event the second matches, the first matches too.
func TestCoversSoundOnCorpus(t *testing.T) {
	f := loadCIS(t)
	var patterns []*Pattern
	for _, ctl := range f.Controls {
		for _, src := range ctl.Distinct {
			patterns = append(patterns, mustParse(t, src))
		}
	}
	events := map[string]bool{}
	readJSONL(t, "testdata/filterpatterns.jsonl", func(_ int, raw []byte) {
		var c matchCase
		if json.Unmarshal(raw, &c) == nil {
			events[c.Event] = true
		}
	})
	proved := 0
	for _, a := range patterns {
		for _, b := range patterns {
			if !Covers(a, b) {
				continue
			}
			proved++
			for e := range events {
				if b.Match(e) && !a.Match(e) {
					t.Errorf("Covers(%s, %s) but only the second matches %.100s", a, b, e)
				}
			}
		}
	}
	if proved <= len(patterns) {
		t.Errorf("Covers proved only %d pairs of %d patterns", proved, len(patterns))
	}
	t.Logf("%d covering pairs checked on %d events", proved, len(events))
}
