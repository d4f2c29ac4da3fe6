package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"vigil/engine"
)

// HistoryEntry is a key's row in one run.
type HistoryEntry struct {
	RunID      int64         `json:"run_id"`
	Started    time.Time     `json:"started"`
	Result     engine.Result `json:"result"`
	Underlying engine.Result `json:"underlying_result"`
	State      State         `json:"state"`
	Message    string        `json:"message,omitempty"`
}

// History returns a key's rows in every run that stored one, in the order
// the runs were recorded (the order their states follow). Runs that did not judge the key, and runs after it was fixed in
// which it stayed absent, have no row.
func (s *Store) History(ctx context.Context, keyID int64) ([]HistoryEntry, error) {
	var out []HistoryEntry
	err := s.scanAll(ctx, s.db, `SELECT r.id, r.started, f.result, f.underlying, f.state, COALESCE(d.message, '')
		FROM findings f JOIN runs r ON r.id = f.run_id LEFT JOIN details d ON d.id = f.detail_id
		WHERE f.key_id = ? ORDER BY r.id`, []any{keyID}, func(rows *sql.Rows) error {
		var h HistoryEntry
		var started int64
		var result, underlying, state string
		if err := rows.Scan(&h.RunID, &started, &result, &underlying, &state, &h.Message); err != nil {
			return err
		}
		h.Started, h.Result, h.Underlying, h.State = fromMillis(started), engine.Result(result), engine.Result(underlying), State(state)
		out = append(out, h)
		return nil
	})
	return out, err
}

// KeyID returns the store's id of a key; ErrNotFound when no run
// recorded it.
func (s *Store) KeyID(ctx context.Context, k Key) (int64, error) {
	var id int64
	err := s.queryRow(ctx, s.db, `SELECT id FROM finding_keys WHERE scope = ? AND rule_id = ? AND entity = ?`,
		k.Scope, k.Rule, k.Entity).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("finding %s/%s/%s: %w", k.Rule, k.Scope, k.Entity, ErrNotFound)
	}
	return id, err
}

// OverviewQuery selects the summary rows Overview returns.
type OverviewQuery struct {
	// Framework is a framework version (see Frameworks), or AllRules.
	Framework string
	// Scope keeps one account or root module; "" for all, each apart.
	Scope string
	// Since and Until keep the runs started in [Since, Until); zero for no
	// bound.
	Since, Until time.Time
}

// OverviewPoint counts one run's findings in one scope, for the rules of
// one framework version.
type OverviewPoint struct {
	RunID   int64     `json:"run_id"`
	Started time.Time `json:"started"`
	Scope   string    `json:"scope"`
	Counts  Counts    `json:"counts"`
}

// Overview returns, for each run and scope, the counts of findings of a
// framework's rules, oldest run first: posture over time, per framework
// and account. It reads the summary Record stores, not the findings.
func (s *Store) Overview(ctx context.Context, q OverviewQuery) ([]OverviewPoint, error) {
	query := `SELECT r.id, r.started, s.scope, s.pass, s.fail, s.unknown, s.error, s.excluded
		FROM run_summary s JOIN runs r ON r.id = s.run_id WHERE s.framework = ?`
	args := []any{q.Framework}
	if q.Scope != "" {
		query += ` AND s.scope = ?`
		args = append(args, q.Scope)
	}
	if !q.Since.IsZero() {
		query += ` AND r.started >= ?`
		args = append(args, millis(q.Since))
	}
	if !q.Until.IsZero() {
		query += ` AND r.started < ?`
		args = append(args, millis(q.Until))
	}
	query += ` ORDER BY r.started, r.id, s.scope`
	var out []OverviewPoint
	err := s.scanAll(ctx, s.db, query, args, func(rows *sql.Rows) error {
		var p OverviewPoint
		var started int64
		c := &p.Counts
		if err := rows.Scan(&p.RunID, &started, &p.Scope, &c.Pass, &c.Fail, &c.Unknown, &c.Error, &c.Excluded); err != nil {
			return err
		}
		c.Total = c.Pass + c.Fail + c.Unknown + c.Error + c.Excluded
		p.Started = fromMillis(started)
		out = append(out, p)
		return nil
	})
	return out, err
}

// Frameworks lists the framework versions the stored rules map to, by
// name, as Overview and FindingQuery take them.
func (s *Store) Frameworks(ctx context.Context) ([]string, error) {
	var out []string
	err := s.scanAll(ctx, s.db, `SELECT DISTINCT framework FROM rule_controls ORDER BY framework`, nil, func(rows *sql.Rows) error {
		var name string
		err := rows.Scan(&name)
		out = append(out, name)
		return err
	})
	return out, err
}
