package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// The load benchmark's size, from the environment: VIGIL_STORE_BENCH_RUNS
// runs holding VIGIL_STORE_BENCH_ROWS finding rows in all. The defaults
// are small, for CI; the size is 1000 runs and 10000000 rows.
const (
	benchRunsEnvVar = "VIGIL_STORE_BENCH_RUNS"
	benchRowsEnvVar = "VIGIL_STORE_BENCH_ROWS"
)

// Shape of the generated history: accounts scanned by every run, rules,
// and the framework versions the rules map to.
const (
	benchScopes = 10
	benchRules  = 50
)

var benchFrameworks = []rules.FrameworkRef{
	{Framework: "CIS AWS Foundations", Version: "3.0.0"}, {Framework: "CIS AWS Foundations", Version: "2.0.0"},
	{Framework: "NIST 800-53", Version: "Rev 5"}, {Framework: "PCI-DSS", Version: "4.0"},
}

// envInt reads a positive integer from the environment, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// benchHistory generates findings run after run: every key has a result
// that changes in about 2% of runs, so that lifecycles move as in a real
// estate (most findings stay as they were).
type benchHistory struct {
	rules    []*rules.Rule
	entities [][]*entity.Entity // per scope
	results  []engine.Result    // per key: rule × scope × entity
	rng      *rand.Rand
}

func newBenchHistory(perRun int) *benchHistory {
	h := &benchHistory{rng: rand.New(rand.NewPCG(1, 2))}
	for i := range benchRules {
		r := &rules.Rule{ID: fmt.Sprintf("VIGIL.AWS.BENCH.%02d", i), Title: fmt.Sprintf("Bench rule %d", i),
			Severity: rules.Severity(1 + i%5), Entity: "CloudTrail", Logic: "CloudTrail should have isLogging=true"}
		for j, fw := range benchFrameworks {
			if (i+j)%2 == 0 {
				fw.Control = fmt.Sprintf("%d.%d", j+1, i)
				r.Frameworks = append(r.Frameworks, fw)
			}
		}
		h.rules = append(h.rules, r)
	}
	perScope := max(1, perRun/(benchScopes*benchRules))
	for s := range benchScopes {
		acct := fmt.Sprintf("1000000000%02d", s)
		var es []*entity.Entity
		for e := range perScope {
			region := []string{"us-east-1", "eu-west-1", "ap-southeast-2"}[e%3]
			name := fmt.Sprintf("trail-%05d", e)
			es = append(es, &entity.Entity{Type: "CloudTrail", ID: "arn:aws:cloudtrail:" + region + ":" + acct + ":trail/" + name,
				Name: name, Scope: acct, Region: region})
		}
		h.entities = append(h.entities, es)
	}
	h.results = make([]engine.Result, benchRules*benchScopes*perScope)
	for i := range h.results {
		h.results[i] = h.pick()
	}
	return h
}

// pick draws a result: 70% PASS, 20% FAIL, 5% ERROR, 3% UNKNOWN, 2%
// EXCLUDED.
func (h *benchHistory) pick() engine.Result {
	switch n := h.rng.IntN(100); {
	case n < 70:
		return engine.Pass
	case n < 90:
		return engine.Fail
	case n < 95:
		return engine.Error
	case n < 98:
		return engine.Unknown
	}
	return engine.Excluded
}

// run is the next run, on day.
func (h *benchHistory) run(day int) *engine.Run {
	run := &engine.Run{Started: day0.Add(time.Duration(day) * time.Hour)}
	for s, es := range h.entities {
		run.Scopes = append(run.Scopes, entity.Scope{Kind: entity.ScopeAWSAccount, ID: es[0].Scope})
		for ri, r := range h.rules {
			for ei, e := range es {
				k := (ri*benchScopes+s)*len(es) + ei
				if h.rng.IntN(100) < 2 {
					h.results[k] = h.pick()
				}
				run.Findings = append(run.Findings, benchFinding(r, e, h.results[k]))
			}
		}
	}
	return run
}

// benchFinding is a finding with the texts a real one has.
func benchFinding(r *rules.Rule, e *entity.Entity, res engine.Result) *engine.Finding {
	f := &engine.Finding{Rule: r, Result: res, Underlying: res, Entity: e, Scope: e.Scope}
	if res == engine.Excluded {
		f.Underlying = engine.Fail
		f.Exclusion = &engine.Exclusion{Reason: "accepted risk", Source: "exclusions.yaml:4"}
	}
	if res != engine.Pass {
		f.Message = "Trail " + e.Name + " of account " + e.Scope + " is not logging in " + e.Region + "."
		f.Explanation = "status.isLogging: false (want true)"
		f.Trace = []string{"isLogging=true: FAIL", "  status.isLogging: false"}
		f.Remediation = rules.Remediation{CLI: "aws cloudtrail start-logging --name " + e.ID,
			Console: "Open CloudTrail in " + e.Region + ", choose trail " + e.Name + " and turn logging on."}
	}
	return f
}

// storeBytes is the store's size on disk: the SQLite file after a
// checkpoint, or the PostgreSQL schema's tables with their indexes.
func storeBytes(b *testing.B, s *Store, dsn string) int64 {
	if s.Dialect() == "sqlite" {
		if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		st, err := os.Stat(dsn)
		if err != nil {
			b.Fatal(err)
		}
		return st.Size()
	}
	var n int64
	if err := s.db.QueryRow(`SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
		JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = current_schema() AND c.relkind = 'r'`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkStore generates a history of VIGIL_STORE_BENCH_RUNS runs and
// VIGIL_STORE_BENCH_ROWS finding rows through Record, reports the bytes per
// finding row at half and at full size, then times the dashboard's
// queries, reporting each one's median.
func BenchmarkStore(b *testing.B) {
	runs, rows := envInt(benchRunsEnvVar, 40), envInt(benchRowsEnvVar, 40000)
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			dsn := filepath.Join(b.TempDir(), "history.db")
			if kind == "postgres" {
				dsn = postgresDSN(b)
			}
			s := openStore(b, dsn)
			h := newBenchHistory(rows / runs)
			var stored int
			start := time.Now()
			for i := range runs {
				run := h.run(i)
				if _, err := s.Record(context.Background(), RunInfo{Tool: "vigil bench", Inputs: []string{"aws"}, Rules: h.rules}, run); err != nil {
					b.Fatal(err)
				}
				stored += len(run.Findings)
				if i == runs/2-1 || i == runs-1 {
					var n int
					s.db.QueryRow(`SELECT COUNT(*) FROM findings`).Scan(&n)
					size := storeBytes(b, s, dsn)
					b.Logf("%s: %d runs, %d finding rows, %d bytes: %.1f bytes per finding row (%.0f s so far)",
						kind, i+1, n, size, float64(size)/float64(n), time.Since(start).Seconds())
				}
			}
			b.Logf("%s: recorded %d runs of %d findings in %.0f s (%.0f findings/s)", kind, runs, stored/runs,
				time.Since(start).Seconds(), float64(stored)/time.Since(start).Seconds())
			benchQueries(b, s)
		})
	}
}

// benchQueries times each query the dashboard needs on the latest run.
func benchQueries(b *testing.B, s *Store) {
	ctx := context.Background()
	latest, err := s.ResolveRun(ctx, "LATEST")
	if err != nil {
		b.Fatal(err)
	}
	cis := benchFrameworks[0].Of().String()
	queries := []struct {
		name string
		run  func() (int, error)
	}{
		{"overview-all-rules-every-account", func() (int, error) {
			p, err := s.Overview(ctx, OverviewQuery{Framework: AllRules})
			return len(p), err
		}},
		{"overview-framework-one-account", func() (int, error) {
			p, err := s.Overview(ctx, OverviewQuery{Framework: cis, Scope: "100000000003"})
			return len(p), err
		}},
		{"findings-page-filtered", func() (int, error) {
			p, err := s.Findings(ctx, FindingQuery{Run: latest, Results: []engine.Result{engine.Fail}, Framework: cis,
				Severities: []rules.Severity{rules.High, rules.Critical}, Offset: 100})
			return p.Total, err
		}},
		{"findings-page-changes", func() (int, error) {
			p, err := s.Findings(ctx, FindingQuery{Run: latest, Changed: true, Sort: SortRule})
			return p.Total, err
		}},
		{"findings-page-account-region", func() (int, error) {
			p, err := s.Findings(ctx, FindingQuery{Run: latest, Scopes: []string{"100000000007"}, Regions: []string{"eu-west-1"}, Offset: 50})
			return p.Total, err
		}},
		{"finding-history", func() (int, error) {
			p, err := s.Findings(ctx, FindingQuery{Run: latest, Results: []engine.Result{engine.Fail}, Limit: 1})
			if err != nil || len(p.Findings) == 0 {
				return 0, err
			}
			hist, err := s.History(ctx, p.Findings[0].KeyID)
			return len(hist), err
		}},
		{"runs-list", func() (int, error) {
			r, err := s.Runs(ctx, RunFilter{Limit: 50})
			return len(r), err
		}},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			var times []time.Duration
			var n int
			for b.Loop() {
				t0 := time.Now()
				var err error
				if n, err = q.run(); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(n), "rows")
		})
	}
}
