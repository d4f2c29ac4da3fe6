package store

import (
	"context"
	"fmt"
	"time"
)

// PruneOptions says which runs Prune keeps. With both set, a run is
// deleted when either says so.
type PruneOptions struct {
	// Keep keeps the Keep runs recorded last; 0 for no limit by count.
	Keep int
	// OlderThan deletes the runs started before it; zero for no limit by
	// age.
	OlderThan time.Time
}

// PruneResult says what Prune deleted.
type PruneResult struct {
	Runs     int `json:"runs"`
	Findings int `json:"findings"`
}

// Prune deletes runs, with their findings, failures and summaries, in one
// transaction, then the finding keys and texts no run refers to any more
// (rule versions, a few hundred rows, stay). The keys that remain keep
// their state: a key's state depends on the runs recorded, not on the runs
// kept. A key with no row left is forgotten: should it fail again, it is
// new.
func (s *Store) Prune(ctx context.Context, o PruneOptions) (PruneResult, error) {
	var res PruneResult
	if o.Keep < 0 {
		return res, fmt.Errorf("prune: keep %d runs: want 0 or more", o.Keep)
	}
	if o.Keep == 0 && o.OlderThan.IsZero() {
		return res, fmt.Errorf("prune: say which runs to delete (a number of runs to keep, or an age)")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	if s.d.lockForRecord != "" {
		if _, err := tx.ExecContext(ctx, s.d.lockForRecord); err != nil {
			return res, err
		}
	}
	where := `started < ?`
	args := []any{millis(o.OlderThan)}
	if o.OlderThan.IsZero() {
		where, args = `1 = 0`, nil
	}
	if o.Keep > 0 {
		where += ` OR id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?)`
		args = append(args, o.Keep)
	}
	if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM findings WHERE run_id IN (SELECT id FROM runs WHERE `+where+`)`, args...).Scan(&res.Findings); err != nil {
		return res, err
	}
	r, err := s.exec(ctx, tx, `DELETE FROM runs WHERE `+where, args...)
	if err != nil {
		return res, err
	}
	n, _ := r.RowsAffected()
	res.Runs = int(n)
	for _, q := range []string{
		`DELETE FROM finding_keys WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.key_id = finding_keys.id)`,
		`DELETE FROM details WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.detail_id = details.id)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return res, err
		}
	}
	return res, tx.Commit()
}
