package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/engine"
	"vigil/rules"
)

func TestControlStatus(t *testing.T) {
	cases := []struct {
		name   string
		counts Counts
		want   ControlStatus
	}{
		{"all pass", Counts{Pass: 3}, ControlPass},
		{"one fail among passes", Counts{Pass: 3, Fail: 1}, ControlFail},
		{"fail beats error", Counts{Fail: 1, Error: 2}, ControlFail},
		{"error with passes never passes", Counts{Pass: 5, Error: 1}, ControlError},
		{"unknown with passes never passes", Counts{Pass: 5, Unknown: 1}, ControlUnknown},
		{"error beats unknown", Counts{Unknown: 1, Error: 1}, ControlError},
		{"excluded fail does not fail passes", Counts{Pass: 2, Excluded: 1}, ControlPass},
		{"only excluded", Counts{Excluded: 2}, ControlExcluded},
		{"nothing", Counts{}, ControlNotApplicable},
	}
	for _, tc := range cases {
		if got := statusOf(tc.counts); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestComplianceScoreNeverCountsMissingData builds a framework whose
// controls see every result and checks the score: ERROR and UNKNOWN are in
// the denominator and not the numerator; excluded-only and not applicable
// controls are outside both.
func TestComplianceScoreNeverCountsMissingData(t *testing.T) {
	ref := func(ctl string) []rules.FrameworkRef {
		return []rules.FrameworkRef{{Framework: "CIS AWS Foundations", Version: "3.0.0", Control: ctl}}
	}
	rule := func(id, ctl string) *rules.Rule {
		return &rules.Rule{ID: id, Severity: rules.High, Frameworks: ref(ctl)}
	}
	pass, fail, errR, unk, excl, na := rule("R.PASS", "1.1"), rule("R.FAIL", "1.2"), rule("R.ERROR", "1.3"), rule("R.UNKNOWN", "1.4"), rule("R.EXCL", "1.5"), rule("R.NA", "1.10")
	run := &engine.Run{
		Findings: []*engine.Finding{
			{Rule: pass, Result: engine.Pass, Scope: account},
			{Rule: fail, Result: engine.Fail, Scope: account},
			{Rule: errR, Result: engine.Error, Scope: account},
			{Rule: unk, Result: engine.Unknown, Scope: account},
			{Rule: excl, Result: engine.Excluded, Underlying: engine.Fail, Scope: account},
		},
		NotApplicable: []*rules.Rule{na},
	}
	v, err := newView(run, Options{Framework: "CIS AWS Foundations v3.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	c := v.compliances()[0]
	var ids []string
	statuses := map[string]ControlStatus{}
	for _, ctl := range c.Controls {
		ids = append(ids, ctl.ID)
		statuses[ctl.ID] = ctl.Status
	}
	if diff := cmp.Diff([]string{"1.1", "1.2", "1.3", "1.4", "1.5", "1.10"}, ids); diff != "" {
		t.Errorf("control order (-want +got):\n%s", diff)
	}
	want := map[string]ControlStatus{"1.1": ControlPass, "1.2": ControlFail, "1.3": ControlError, "1.4": ControlUnknown, "1.5": ControlExcluded, "1.10": ControlNotApplicable}
	if diff := cmp.Diff(want, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	score, ok := c.Score()
	if !ok || score != 0.25 || c.Evaluated() != 4 || c.Passing != 1 || c.Incomplete != 2 || c.NotEvaluated != 2 {
		t.Errorf("score %v (%v), evaluated %d, passing %d, incomplete %d, not evaluated %d; want 0.25 over 4 with 2 incomplete and 2 not evaluated",
			score, ok, c.Evaluated(), c.Passing, c.Incomplete, c.NotEvaluated)
	}
	if got := c.ScoreText(); got != "1/4 controls (25%)" {
		t.Errorf("ScoreText = %q", got)
	}
}

func TestComplianceWithoutEvaluatedControls(t *testing.T) {
	na := &rules.Rule{ID: "R.NA", Frameworks: []rules.FrameworkRef{{Framework: "F", Version: "1", Control: "1"}}}
	v, err := newView(&engine.Run{NotApplicable: []*rules.Rule{na}}, Options{Framework: "F v1"})
	if err != nil {
		t.Fatal(err)
	}
	c := v.compliances()[0]
	if _, ok := c.Score(); ok {
		t.Error("a framework with nothing evaluated has a score")
	}
	if got := c.ScoreText(); got != "n/a (no control evaluated)" {
		t.Errorf("ScoreText = %q", got)
	}
}
