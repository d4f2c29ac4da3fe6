package store

import (
	"context"
	"testing"
	"time"

	"vigil/engine"
)

// TestPrune deletes runs by count and by age, and the keys and texts no
// run refers to any more.
func TestPrune(t *testing.T) {
	tests := []struct {
		name string
		o    PruneOptions
		// wantRuns are the days of the runs left, the last recorded first.
		wantRuns []int
		// wantKeys is how many finding keys are left.
		wantKeys int
	}{
		{"keep 2", PruneOptions{Keep: 2}, []int{3, 2}, 2},
		{"older than day 1", PruneOptions{OlderThan: day0.AddDate(0, 0, 1)}, []int{3, 2, 1}, 3},
		{"either", PruneOptions{Keep: 3, OlderThan: day0.AddDate(0, 0, 3)}, []int{3}, 1},
		{"keep more than there are", PruneOptions{Keep: 10}, []int{3, 2, 1, 0}, 3},
	}
	storeKinds(t, func(t *testing.T, dsn string) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := openStore(t, dsn)
				ctx := context.Background()
				for _, table := range []string{"runs", "finding_keys", "details"} {
					if _, err := s.db.Exec(`DELETE FROM ` + table); err != nil {
						t.Fatal(err)
					}
				}
				// Day 0: a, b fail; day 1: b fails; day 2: c fails; day 3: c passes.
				a, b, c := trail("a", "us-east-1"), trail("b", "us-east-1"), trail("c", "us-east-1")
				record(t, s, newRun(0, finding(a, engine.Fail), finding(b, engine.Fail)))
				record(t, s, newRun(1, finding(b, engine.Fail)))
				record(t, s, newRun(2, finding(c, engine.Fail)))
				record(t, s, newRun(3, finding(c, engine.Pass)))
				if _, err := s.Prune(ctx, tt.o); err != nil {
					t.Fatal(err)
				}
				runs, err := s.Runs(ctx, RunFilter{})
				if err != nil {
					t.Fatal(err)
				}
				var days []int
				for _, r := range runs {
					days = append(days, int(r.Started.Sub(day0)/(24*time.Hour)))
				}
				var keys, orphans int
				s.db.QueryRow(`SELECT COUNT(*) FROM finding_keys`).Scan(&keys)
				s.db.QueryRow(`SELECT COUNT(*) FROM details WHERE id NOT IN (SELECT detail_id FROM findings WHERE detail_id IS NOT NULL)`).Scan(&orphans)
				if len(days) != len(tt.wantRuns) || keys != tt.wantKeys || orphans != 0 {
					t.Errorf("after prune: runs of days %v, %d keys, %d texts of no finding; want days %v, %d keys, none",
						days, keys, orphans, tt.wantRuns, tt.wantKeys)
				}
				for i := range min(len(days), len(tt.wantRuns)) {
					if days[i] != tt.wantRuns[i] {
						t.Errorf("runs of days %v, want %v", days, tt.wantRuns)
						break
					}
				}
			})
		}
	})
	if _, err := (&Store{}).Prune(context.Background(), PruneOptions{}); err == nil {
		t.Error("Prune with no limit was accepted")
	}
}

// TestOpenRefusesNewerSchema: a store written by a newer vigil is not
// read as if it were this one's, and opening twice migrates once.
func TestOpenRefusesNewerSchema(t *testing.T) {
	storeKinds(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		s.Close()
		s = openStore(t, dsn) // a second open finds the schema up to date
		if _, err := s.db.Exec(`UPDATE schema_version SET version = 99`); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if _, err := Open(context.Background(), dsn); err == nil {
			t.Error("a store of schema version 99 was opened")
		}
	})
}
