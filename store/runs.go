package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vigil/entity"
)

// Run is a recorded run, without its findings.
type Run struct {
	ID       int64     `json:"id"`
	Started  time.Time `json:"started"`
	Recorded time.Time `json:"recorded"`
	Tool     string    `json:"tool"`
	// Inputs are the inputs scanned, as the user named them.
	Inputs []string       `json:"inputs"`
	Scopes []entity.Scope `json:"scopes"`
	// NotApplicable lists the IDs of the rules that had no relevant
	// entity.
	NotApplicable []string `json:"not_applicable"`
	Counts        Counts   `json:"counts"`
	// Failures is how many failures the run had (see Store.Failures).
	Failures int `json:"failures"`
}

// RunFilter selects runs for Runs.
type RunFilter struct {
	// Scope keeps the runs that scanned this scope; "" for all.
	Scope string
	// Since and Until keep the runs started in [Since, Until); zero for no
	// bound.
	Since, Until time.Time
	// Limit caps the number of runs (those recorded last are kept); 0 for
	// all.
	Limit int
}

const runColumns = `id, started, recorded, tool, inputs, scopes, not_applicable,
	total, pass, fail, unknown, error, excluded, failures`

// Runs lists the recorded runs, the last recorded first.
func (s *Store) Runs(ctx context.Context, f RunFilter) ([]Run, error) {
	q := `SELECT ` + runColumns + ` FROM runs WHERE 1 = 1`
	var args []any
	if f.Scope != "" {
		q += ` AND id IN (SELECT run_id FROM run_scopes WHERE scope = ?)`
		args = append(args, f.Scope)
	}
	if !f.Since.IsZero() {
		q += ` AND started >= ?`
		args = append(args, millis(f.Since))
	}
	if !f.Until.IsZero() {
		q += ` AND started < ?`
		args = append(args, millis(f.Until))
	}
	q += ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(f.Limit)
	}
	var runs []Run
	err := s.scanAll(ctx, s.db, q, args, func(rows *sql.Rows) error {
		r, err := scanRun(rows)
		runs = append(runs, r)
		return err
	})
	return runs, err
}

// Run returns one run; ErrNotFound when no run has that id.
func (s *Store) Run(ctx context.Context, id int64) (Run, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+runColumns+` FROM runs WHERE id = ?`, id)
	if err != nil {
		return Run{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Run{}, err
		}
		return Run{}, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	return scanRun(rows)
}

// scanRun reads a row of runColumns.
func scanRun(rows *sql.Rows) (Run, error) {
	var r Run
	var started, recorded int64
	var inputs, scopes, notApplicable string
	c := &r.Counts
	if err := rows.Scan(&r.ID, &started, &recorded, &r.Tool, &inputs, &scopes, &notApplicable,
		&c.Total, &c.Pass, &c.Fail, &c.Unknown, &c.Error, &c.Excluded, &r.Failures); err != nil {
		return r, err
	}
	r.Started, r.Recorded = fromMillis(started), fromMillis(recorded)
	for _, p := range []struct {
		text string
		into any
	}{{inputs, &r.Inputs}, {scopes, &r.Scopes}, {notApplicable, &r.NotApplicable}} {
		if err := json.Unmarshal([]byte(p.text), p.into); err != nil {
			return r, fmt.Errorf("run %d: %w", r.ID, err)
		}
	}
	return r, nil
}

// Failures returns a run's failures, in the order the run had them.
func (s *Store) Failures(ctx context.Context, runID int64) ([]entity.Failure, error) {
	var out []entity.Failure
	err := s.scanAll(ctx, s.db, `SELECT failure FROM failures WHERE run_id = ? ORDER BY position`, []any{runID}, func(rows *sql.Rows) error {
		var text string
		if err := rows.Scan(&text); err != nil {
			return err
		}
		var f entity.Failure
		if err := json.Unmarshal([]byte(text), &f); err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// RunRefSyntax explains the references ResolveRun reads, for help texts.
const RunRefSyntax = `LATEST (the run recorded last), LATEST~N (the Nth run recorded before it), or a run's id`

// ResolveRun finds the id of the run ref names: "LATEST", "LATEST~N" or an
// id (see RunRefSyntax). Runs are ordered as they were recorded, the order
// the lifecycle follows; a run's start time is the time its data was
// collected, which for a replayed snapshot may be long before.
func (s *Store) ResolveRun(ctx context.Context, ref string) (int64, error) {
	back := -1
	switch {
	case strings.EqualFold(ref, "LATEST"):
		back = 0
	case len(ref) > 7 && strings.EqualFold(ref[:7], "LATEST~"):
		n, err := strconv.Atoi(ref[7:])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("run %q: after LATEST~ comes a number of runs back (LATEST~1)", ref)
		}
		back = n
	}
	if back < 0 {
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil || id <= 0 {
			return 0, fmt.Errorf("run %q: want %s", ref, RunRefSyntax)
		}
		if _, err := s.Run(ctx, id); err != nil {
			return 0, err
		}
		return id, nil
	}
	var id int64
	err := s.queryRow(ctx, s.db, `SELECT id FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?`, back).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("run %s: %w (it holds fewer than %d runs)", ref, ErrNotFound, back+1)
	}
	return id, err
}
