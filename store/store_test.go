package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// TestRecordAndRead records two runs of a small account and reads them
// back through every part of the read API.
func TestRecordAndRead(t *testing.T) {
	storeKinds(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn)
		east, west, gone := trail("main", "us-east-1"), trail("audit", "eu-west-1"), trail("old", "us-east-1")
		first := record(t, s, newRun(0, finding(east, engine.Fail), finding(west, engine.Pass), finding(gone, engine.Fail)))
		list := &engine.Finding{Rule: listRule, Result: engine.Fail, Underlying: engine.Fail, Scope: account,
			Message: "No trail of 123456789012 has an alarm.", Related: []*entity.Entity{east}}
		run := newRun(1, finding(east, engine.Fail), excluded(finding(west, engine.Fail)), list)
		run.Failures = []entity.Failure{{Type: "CloudTrail", Attr: "metricFilters", Scope: account, Region: "eu-west-1",
			Call: "logs:DescribeMetricFilters", Error: "AccessDenied: not allowed"}}
		second := record(t, s, run)

		runs, err := s.Runs(ctx, RunFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 2 || runs[0].ID != second || runs[1].ID != first {
			t.Fatalf("runs %+v: want the two runs, the last recorded first", runs)
		}
		wantCounts := Counts{Total: 3, Fail: 2, Excluded: 1}
		if r := runs[0]; r.Counts != wantCounts || r.Failures != 1 || !r.Started.Equal(day0.AddDate(0, 0, 1)) ||
			!slices.Equal(r.Inputs, []string{"snapshot.json"}) || len(r.Scopes) != 1 || r.Scopes[0].ID != account {
			t.Errorf("second run %+v: want counts %+v, one failure, its start, inputs and scope", r, wantCounts)
		}
		failures, err := s.Failures(ctx, second)
		if err != nil || !cmp.Equal(failures, run.Failures) {
			t.Errorf("failures = %+v, %v; want %+v", failures, err, run.Failures)
		}

		page, err := s.Findings(ctx, FindingQuery{Run: second, Sort: SortEntity})
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			entity, result, underlying string
			state                      State
		}
		var got []row
		for _, f := range page.Findings {
			got = append(got, row{f.EntityName, string(f.Result), string(f.Underlying), f.State})
		}
		want := []row{
			{"", "FAIL", "FAIL", StateNew},               // the List<E> finding, about the account
			{"audit", "EXCLUDED", "FAIL", StateExcluded}, // passed, then failed under an exclusion
			{"main", "FAIL", "FAIL", StateOpen},          // failed twice
			{"old", "ABSENT", "ABSENT", StateFixed},      // failed, then gone
		}
		if page.Total != 4 || !cmp.Equal(got, want, cmp.AllowUnexported(row{})) {
			t.Errorf("findings of the second run (total %d):\n%v\nwant:\n%v", page.Total, got, want)
		}
		checkFilters(t, s, second)
		checkDetail(t, s, second, east)
		checkOverview(t, s, first, second)
	})
}

// checkFilters checks that each filter of FindingQuery selects the
// findings it says, and paging.
func checkFilters(t *testing.T, s *Store, runID int64) {
	t.Helper()
	tests := []struct {
		name string
		q    FindingQuery
		// want are the entity names of the findings selected, in order.
		want []string
	}{
		{"result", FindingQuery{Results: []engine.Result{engine.Fail}}, []string{"main", ""}},
		{"state", FindingQuery{States: []State{StateFixed, StateNew}}, []string{"old", ""}},
		{"changed", FindingQuery{Changed: true, Sort: SortEntity}, []string{"", "audit", "old"}},
		{"severity", FindingQuery{Severities: []rules.Severity{rules.Medium}}, []string{""}},
		{"rule", FindingQuery{Rules: []string{trailRule.ID}}, []string{"audit", "main", "old"}},
		{"region", FindingQuery{Regions: []string{"eu-west-1"}}, []string{"audit"}},
		{"scope", FindingQuery{Scopes: []string{"210987654321"}}, nil},
		{"framework", FindingQuery{Framework: "CIS AWS Foundations v3.0.0"}, []string{"audit", "main", "old"}},
		{"severity sort", FindingQuery{}, []string{"audit", "main", "old", ""}},
		{"reversed", FindingQuery{Sort: SortEntity, Desc: true}, []string{"old", "main", "audit", ""}},
		{"page", FindingQuery{Sort: SortEntity, Limit: 2, Offset: 1}, []string{"audit", "main"}},
	}
	for _, tt := range tests {
		tt.q.Run = runID
		page, err := s.Findings(context.Background(), tt.q)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var got []string
		for _, f := range page.Findings {
			got = append(got, f.EntityName)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: findings %q, want %q", tt.name, got, tt.want)
		}
	}
	if _, err := s.Findings(context.Background(), FindingQuery{Run: runID, Sort: "name; DROP TABLE runs"}); err == nil {
		t.Error("an unknown sort order was accepted")
	}
}

// checkDetail checks one finding's detail and its key's history.
func checkDetail(t *testing.T, s *Store, runID int64, e *entity.Entity) {
	t.Helper()
	ctx := context.Background()
	keyID, err := s.KeyID(ctx, Key{Rule: trailRule.ID, Scope: account, Entity: e.ID})
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.Finding(ctx, runID, keyID)
	if err != nil {
		t.Fatal(err)
	}
	want := finding(e, engine.Fail)
	if f.Message != want.Message || f.Detail.Explanation != want.Explanation || !slices.Equal(f.Detail.Trace, want.Trace) ||
		f.Detail.Fix != want.Remediation || f.RuleTitle != trailRule.Title || f.Severity != rules.High ||
		!f.FirstSeen.Equal(day0) || !f.LastSeen.Equal(day0.AddDate(0, 0, 1)) || !f.StateSince.Equal(day0.AddDate(0, 0, 1)) {
		t.Errorf("finding %+v, detail %+v: want the text of %+v, first seen on day 0, open and last seen on day 1", f, f.Detail, want)
	}
	history, err := s.History(ctx, keyID)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 2 || history[0].State != StateNew || history[1].State != StateOpen {
		t.Errorf("history %+v: want new, then open", history)
	}
	if _, err := s.Finding(ctx, runID, keyID+1000); !errors.Is(err, ErrNotFound) {
		t.Errorf("a finding not in the store: error %v, want ErrNotFound", err)
	}
}

// checkOverview checks the counts per framework and scope over time.
func checkOverview(t *testing.T, s *Store, first, second int64) {
	t.Helper()
	ctx := context.Background()
	all, err := s.Overview(ctx, OverviewQuery{Framework: AllRules})
	if err != nil {
		t.Fatal(err)
	}
	want := []OverviewPoint{
		{RunID: first, Started: day0, Scope: account, Counts: Counts{Total: 3, Pass: 1, Fail: 2}},
		{RunID: second, Started: day0.AddDate(0, 0, 1), Scope: account, Counts: Counts{Total: 3, Fail: 2, Excluded: 1}},
	}
	if !cmp.Equal(all, want) {
		t.Errorf("overview of all rules: %s", cmp.Diff(want, all))
	}
	cis, err := s.Overview(ctx, OverviewQuery{Framework: "CIS AWS Foundations v3.0.0", Scope: account, Since: day0.AddDate(0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(cis) != 1 || cis[0].Counts != (Counts{Total: 2, Fail: 1, Excluded: 1}) {
		t.Errorf("CIS overview since day 1: %+v, want the second run's trail findings alone", cis)
	}
	fws, err := s.Frameworks(ctx)
	if err != nil || !slices.Equal(fws, []string{"CIS AWS Foundations v2.0.0", "CIS AWS Foundations v3.0.0"}) {
		t.Errorf("frameworks = %q, %v", fws, err)
	}
}

// TestEngineFindingsKeyAsDiffDoes: a stored run's findings come back with
// the keys, results and texts the engine gave, so that "vigil diff" can
// compare a stored run with a scan.
func TestEngineFindingsKeyAsDiffDoes(t *testing.T) {
	storeKinds(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		list := &engine.Finding{Rule: listRule, Result: engine.Fail, Underlying: engine.Fail, Scope: account, Message: "No alarm."}
		run := newRun(0, finding(trail("main", "us-east-1"), engine.Fail), excluded(finding(trail("audit", "eu-west-1"), engine.Fail)), list)
		id := record(t, s, run)
		record(t, s, newRun(1)) // fixes every key: absent rows, left out below
		got, err := s.EngineFindings(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(run.Findings) {
			t.Fatalf("%d findings, want %d", len(got), len(run.Findings))
		}
		byKey := map[Key]*engine.Finding{}
		for _, f := range got {
			byKey[KeyOf(f)] = f
		}
		for _, w := range run.Findings {
			g := byKey[KeyOf(w)]
			if g == nil || g.Result != w.Result || g.Underlying != w.Underlying || g.Message != w.Message || g.Rule.ID != w.Rule.ID ||
				g.Rule.Severity != w.Rule.Severity || (w.Entity != nil && (g.Entity == nil || g.Entity.Name != w.Entity.Name)) {
				t.Errorf("finding %+v: stored as %+v", w, g)
			}
		}
		latest, err := s.ResolveRun(context.Background(), "LATEST~1")
		if err != nil || latest != id {
			t.Errorf("LATEST~1 = %d, %v; want %d", latest, err, id)
		}
	})
}

// TestConcurrentRecords records the runs of several shards at once, each
// from its own connection as separate processes would: every run is
// recorded whole, and each shard's keys are its own.
func TestConcurrentRecords(t *testing.T) {
	storeKinds(t, func(t *testing.T, dsn string) {
		const shards = 4
		errs := make(chan error, shards)
		for i := range shards {
			go func() {
				s, err := Open(context.Background(), dsn)
				if err != nil {
					errs <- err
					return
				}
				defer s.Close()
				run := bigRun(0, 2000)
				acct := fmt.Sprintf("55555555555%d", i)
				run.Scopes[0].ID = acct
				for _, f := range run.Findings {
					e := *f.Entity
					e.Scope, e.ID = acct, e.ID+"/"+acct
					f.Entity, f.Scope = &e, acct
				}
				_, err = s.Record(context.Background(), RunInfo{Tool: "shard"}, run)
				errs <- err
			}()
		}
		for range shards {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		s := openStore(t, dsn)
		var runs, rows, keys int
		s.db.QueryRow(`SELECT COUNT(*) FROM runs`).Scan(&runs)
		s.db.QueryRow(`SELECT COUNT(*) FROM findings`).Scan(&rows)
		s.db.QueryRow(`SELECT COUNT(*) FROM finding_keys WHERE state = 'new'`).Scan(&keys)
		if runs != shards || rows != shards*2000 || keys != shards*667 {
			t.Errorf("%d runs, %d finding rows, %d new keys; want %d, %d, %d", runs, rows, keys, shards, shards*2000, shards*667)
		}
	})
}
