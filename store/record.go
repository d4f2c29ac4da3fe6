package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// RunInfo is what Record stores about a run besides the engine's output.
type RunInfo struct {
	// Tool names the program and its version ("vigil 1.4.0").
	Tool string
	// Inputs are the inputs scanned, as the user named them (paths,
	// "aws").
	Inputs []string
	// Rules are the rules the run evaluated. A key whose rule is not among
	// them is not judged by the run (see the package documentation). The
	// rules of the run's findings and its not-applicable rules are added
	// to them; when nil, those alone stand in, and a rule that ran and
	// yielded every finding to its twin is then not known to have run.
	Rules []*rules.Rule
}

// Record stores a run with its findings, failures and the lifecycle state
// each of its keys reaches, in one transaction: a run is in the store
// whole or not at all. It returns the run's id. Runs are judged in the
// order they are recorded: record them in the order they ran.
func (s *Store) Record(ctx context.Context, info RunInfo, run *engine.Run) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("history store %s: %w", s.where, err)
	}
	defer tx.Rollback()
	if s.d.lockForRecord != "" {
		if _, err := tx.ExecContext(ctx, s.d.lockForRecord); err != nil {
			return 0, fmt.Errorf("history store %s: %w", s.where, err)
		}
	}
	rec := &recorder{s: s, tx: tx, run: run, info: info, started: millis(run.Started)}
	if err := rec.record(ctx); err != nil {
		return 0, fmt.Errorf("history store %s: recording the run: %w", s.where, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("history store %s: %w", s.where, err)
	}
	return rec.id, nil
}

// recorder is one Record in progress.
type recorder struct {
	s       *Store
	tx      *sql.Tx
	run     *engine.Run
	info    RunInfo
	started int64
	// id is the run's id, once inserted.
	id int64
	// versions maps each rule ID of the run to its rule_versions row.
	versions map[string]ruleVersion
	// present maps each key to the run's finding for it, and known each
	// key of the scanned scopes to its row (see lifecycle).
	present map[Key]*engine.Finding
	known   map[Key]*keyRow
	// scopeSet and errSet cache scopes and scopeErrors.
	scopeSet map[string]bool
	errSet   map[Key]bool
}

// record writes everything, in an order that respects the foreign keys.
func (r *recorder) record(ctx context.Context) error {
	if err := r.insertRun(ctx); err != nil {
		return err
	}
	if err := r.insertRules(ctx); err != nil {
		return err
	}
	rows, err := r.lifecycle(ctx)
	if err != nil {
		return err
	}
	if err := r.insertFindings(ctx, rows); err != nil {
		return err
	}
	if err := r.insertFailures(ctx); err != nil {
		return err
	}
	return r.insertSummary(ctx)
}

// millis is t as Unix milliseconds; 0 for the zero time.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMillis is the inverse of millis, in UTC.
func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// jsonText encodes v as JSON text for a column; nil slices become [].
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only values of the store's own types are encoded here.
		panic(fmt.Sprintf("store: encoding %T: %v", v, err))
	}
	return string(b)
}

// insertRun inserts the runs row and its scopes.
func (r *recorder) insertRun(ctx context.Context) error {
	c := countResults(r.run.Findings)
	notApplicable := []string{}
	for _, rule := range r.run.NotApplicable {
		notApplicable = append(notApplicable, rule.ID)
	}
	inputs, scopes := r.info.Inputs, r.run.Scopes
	if inputs == nil {
		inputs = []string{}
	}
	if scopes == nil {
		scopes = []entity.Scope{}
	}
	err := r.s.queryRow(ctx, r.tx, `INSERT INTO runs (started, recorded, tool, inputs, scopes, not_applicable,
		total, pass, fail, unknown, error, excluded, failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.started, time.Now().UnixMilli(), r.info.Tool, jsonText(inputs), jsonText(scopes), jsonText(notApplicable),
		c.Total, c.Pass, c.Fail, c.Unknown, c.Error, c.Excluded, len(r.run.Failures)).Scan(&r.id)
	if err != nil {
		return err
	}
	var rows [][]any
	for _, sc := range scannedScopes(r.run) {
		rows = append(rows, []any{r.id, sc})
	}
	return r.s.insertRows(ctx, r.tx, "run_scopes", []string{"run_id", "scope"}, rows)
}

// scannedScopes are the IDs of the scopes a run scanned, each once: its
// scopes, and the scope of any finding outside them.
func scannedScopes(run *engine.Run) []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, sc := range run.Scopes {
		add(sc.ID)
	}
	for _, f := range run.Findings {
		add(KeyOf(f).Scope)
	}
	return ids
}

// insertFailures stores the run's failures, in order, each as JSON.
func (r *recorder) insertFailures(ctx context.Context) error {
	var rows [][]any
	for i, f := range r.run.Failures {
		rows = append(rows, []any{r.id, i, jsonText(f)})
	}
	return r.s.insertRows(ctx, r.tx, "failures", []string{"run_id", "position", "failure"}, rows)
}
