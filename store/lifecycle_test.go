package store

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"testing"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// TestNext pins every transition of the lifecycle.
func TestNext(t *testing.T) {
	obsNames := map[observation]string{notJudged: "not judged", absent: "absent", clean: "clean", problem: "problem", excludedProblem: "excluded problem"}
	tests := []struct {
		before State
		obs    observation
		// after and record are next's results.
		after  State
		record bool
	}{
		{StateNone, problem, StateNew, true},
		{StateNone, clean, StateNone, true},
		{StateNone, absent, StateNone, false},
		{StateNone, excludedProblem, StateExcluded, true},
		{StateNone, notJudged, StateNone, false},
		{StateNew, problem, StateOpen, true},
		{StateOpen, problem, StateOpen, true},
		{StateReopened, problem, StateOpen, true},
		{StateExpired, problem, StateOpen, true},
		{StateNew, clean, StateFixed, true},
		{StateOpen, absent, StateFixed, true},
		{StateExcluded, clean, StateFixed, true},
		{StateExcluded, absent, StateFixed, true},
		{StateExpired, absent, StateFixed, true},
		{StateFixed, clean, StateFixed, true},
		{StateFixed, absent, StateFixed, false},
		{StateFixed, problem, StateReopened, true},
		{StateFixed, excludedProblem, StateExcluded, true},
		{StateOpen, excludedProblem, StateExcluded, true},
		{StateExcluded, excludedProblem, StateExcluded, true},
		{StateExcluded, problem, StateExpired, true},
		{StateOpen, notJudged, StateOpen, false},
		{StateExcluded, notJudged, StateExcluded, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s then %s", cmp.Or(string(tt.before), "none"), obsNames[tt.obs]), func(t *testing.T) {
			after, record := next(tt.before, tt.obs)
			if after != tt.after || record != tt.record {
				t.Errorf("next(%q, %s) = %q, %v; want %q, %v", tt.before, obsNames[tt.obs], after, record, tt.after, tt.record)
			}
		})
	}
}

// lifecycleStep is one run of a lifecycle sequence, as seen by the key of
// trailRule on the trail "main":
//
//	FAIL, PASS, ERROR, UNKNOWN  a finding with that result
//	EXCLUDED                    an excluded FAIL
//	EXCLUDED-PASS               an excluded PASS
//	absent                      no finding, the account scanned
//	unscanned                   another account scanned
//	rule-not-run                the account scanned without the rule
//	scope-error                 the rule's ERROR about the whole account
//	list-failure                CloudTrail could not be listed in the trail's region
func lifecycleStep(day int, step string) (*engine.Run, RunInfo) {
	main := trail("main", "us-east-1")
	info := RunInfo{Tool: "vigil test", Rules: []*rules.Rule{trailRule, listRule}}
	// Another trail passes in every run, so that a run is never empty.
	other := finding(trail("other", "eu-west-1"), engine.Pass)
	run := newRun(day, other)
	switch step {
	case "FAIL", "PASS", "ERROR", "UNKNOWN":
		run.Findings = append(run.Findings, finding(main, engine.Result(step)))
	case "EXCLUDED":
		run.Findings = append(run.Findings, excluded(finding(main, engine.Fail)))
	case "EXCLUDED-PASS":
		run.Findings = append(run.Findings, excluded(finding(main, engine.Pass)))
	case "absent":
	case "unscanned":
		run.Scopes = []entity.Scope{{Kind: entity.ScopeAWSAccount, ID: "210987654321"}}
		run.Findings = nil
	case "rule-not-run":
		info.Rules = []*rules.Rule{listRule}
		run.Findings = nil
	case "scope-error":
		run.Findings = append(run.Findings, &engine.Finding{Rule: trailRule, Result: engine.Error, Underlying: engine.Error,
			Scope: account, Message: "The trails of us-east-1 could not be listed."})
	case "list-failure":
		run.Failures = []entity.Failure{{Type: "CloudTrail", Scope: account, Region: "us-east-1",
			Call: "cloudtrail:DescribeTrails", Error: "AccessDenied"}}
	default:
		panic("unknown step " + step)
	}
	return run, info
}

// TestLifecycleAcrossRuns records sequences of runs and checks the state
// of one key after each, and that runs that do not judge it store no row
// ("-").
func TestLifecycleAcrossRuns(t *testing.T) {
	tests := []struct {
		name  string
		steps string
		// want is the key's row in each run: its state, or "-" for none,
		// "none" for StateNone.
		want string
	}{
		{"fails then is fixed", "FAIL FAIL PASS PASS", "new open fixed fixed"},
		{"fixed by deletion", "FAIL absent absent", "new fixed -"},
		{"reopened", "FAIL PASS FAIL FAIL", "new fixed reopened open"},
		{"reopened after deletion", "FAIL absent FAIL", "new fixed reopened"},
		{"always passes", "PASS PASS absent PASS", "none none - none"},
		{"unscanned scope is untouched", "FAIL unscanned FAIL", "new - open"},
		{"rule not run is untouched", "FAIL rule-not-run PASS", "new - fixed"},
		{"whole-scope error is not a fix", "FAIL scope-error FAIL", "new - open"},
		{"listing failure is not a fix", "FAIL list-failure PASS", "new - fixed"},
		{"error is a problem", "ERROR UNKNOWN FAIL PASS", "new open open fixed"},
		{"fail then error stays open", "FAIL ERROR", "new open"},
		{"excluded then expired", "FAIL EXCLUDED EXCLUDED FAIL FAIL", "new excluded excluded expired open"},
		{"excluded from the start", "EXCLUDED FAIL", "excluded expired"},
		{"excluded then fixed", "EXCLUDED PASS", "excluded fixed"},
		{"excluded pass is clean", "FAIL EXCLUDED-PASS", "new fixed"},
	}
	storeKinds(t, func(t *testing.T, dsn string) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := openStore(t, dsn)
				if _, err := s.db.Exec(`DELETE FROM runs`); err != nil {
					t.Fatal(err)
				}
				if _, err := s.db.Exec(`DELETE FROM finding_keys`); err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				var ids []int64
				for day, step := range strings.Fields(tt.steps) {
					run, info := lifecycleStep(day, step)
					id, err := s.Record(ctx, info, run)
					if err != nil {
						t.Fatal(err)
					}
					ids = append(ids, id)
				}
				keyID, err := s.KeyID(ctx, Key{Rule: trailRule.ID, Scope: account, Entity: trail("main", "us-east-1").ID})
				if err != nil {
					t.Fatal(err)
				}
				history, err := s.History(ctx, keyID)
				if err != nil {
					t.Fatal(err)
				}
				byRun := map[int64]State{}
				for _, h := range history {
					byRun[h.RunID] = h.State
				}
				var got []string
				for _, id := range ids {
					st, ok := byRun[id]
					switch {
					case !ok:
						got = append(got, "-")
					case st == StateNone:
						got = append(got, "none")
					default:
						got = append(got, string(st))
					}
				}
				if g := strings.Join(got, " "); g != tt.want {
					t.Errorf("steps %s: states %s, want %s", tt.steps, g, tt.want)
				}
			})
		}
	})
}
