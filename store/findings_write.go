package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"vigil/engine"
	"vigil/rules"
)

// detail is the text of a finding: what the details table holds. Most of a
// key's findings say the same from run to run, so each distinct detail is
// stored once, by hash, and findings point at it.
type detail struct {
	Message     string            `json:"message"`
	Explanation string            `json:"explanation"`
	Trace       []string          `json:"trace"`
	Unknowns    []string          `json:"unknowns"`
	Related     []Related         `json:"related"`
	Fix         rules.Remediation `json:"fix"`
	Exclusion   *Exclusion        `json:"exclusion"`
}

// Related is an entity a finding's message names (engine.Finding.Related).
type Related struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Region string `json:"region,omitempty"`
}

// Exclusion is why a finding was excluded (engine.Exclusion).
type Exclusion struct {
	Reason  string `json:"reason"`
	Expires int64  `json:"expires,omitempty"` // Unix milliseconds; 0 for never
	Source  string `json:"source,omitempty"`
}

// detailOf is the text of a finding, and false when it has none.
func detailOf(f *engine.Finding) (detail, bool) {
	d := detail{Message: f.Message, Explanation: f.Explanation, Trace: f.Trace, Unknowns: f.Unknowns, Fix: f.Remediation}
	for _, e := range f.Related {
		d.Related = append(d.Related, Related{Type: e.Type, ID: e.ID, Name: e.Name, Region: e.Region})
	}
	if x := f.Exclusion; x != nil {
		d.Exclusion = &Exclusion{Reason: x.Reason, Expires: millis(x.Expires), Source: x.Source}
	}
	empty := d.Message == "" && d.Explanation == "" && len(d.Trace) == 0 && len(d.Unknowns) == 0 &&
		len(d.Related) == 0 && d.Fix == (rules.Remediation{}) && d.Exclusion == nil
	return d, !empty
}

// hash identifies a detail's content.
func (d detail) hash() string {
	sum := sha256.Sum256([]byte(jsonText(d)))
	return hex.EncodeToString(sum[:])
}

// row is the detail as the columns of the details table, after hash.
func (d detail) row(hash string) []any {
	x := Exclusion{}
	if d.Exclusion != nil {
		x = *d.Exclusion
	}
	return []any{hash, d.Message, d.Explanation, jsonText(nonNil(d.Trace)), jsonText(nonNil(d.Unknowns)), jsonText(nonNil(d.Related)),
		d.Fix.Console, d.Fix.CLI, d.Fix.Terraform, x.Reason, x.Expires, x.Source}
}

// nonNil is s, or an empty slice for nil, so that JSON says [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

var detailColumns = []string{"hash", "message", "explanation", "trace", "unknowns", "related",
	"fix_console", "fix_cli", "fix_terraform", "exclusion_reason", "exclusion_expires", "exclusion_source"}

// insertDetails stores the details of the rows not yet in the store and
// returns the detail id of each finding (absent when it has none).
func (r *recorder) insertDetails(ctx context.Context, rows []findingRow) (map[*engine.Finding]int64, error) {
	hashOf := map[*engine.Finding]string{}
	byHash := map[string]detail{}
	var hashes []string
	for _, row := range rows {
		if row.finding == nil {
			continue
		}
		d, ok := detailOf(row.finding)
		if !ok {
			continue
		}
		h := d.hash()
		hashOf[row.finding] = h
		if _, seen := byHash[h]; !seen {
			byHash[h] = d
			hashes = append(hashes, h)
		}
	}
	ids := map[string]int64{}
	err := inBatches(hashes, func(batch []string) error {
		return r.s.scanAll(ctx, r.tx, `SELECT id, hash FROM details WHERE hash IN (`+placeholders(len(batch))+`)`,
			anySlice(batch), scanIDByString(ids))
	})
	if err != nil {
		return nil, err
	}
	var missing [][]any
	for _, h := range hashes {
		if _, ok := ids[h]; !ok {
			missing = append(missing, byHash[h].row(h))
		}
	}
	if err := r.s.insertReturning(ctx, r.tx, "details", detailColumns, missing, "id, hash", scanIDByString(ids)); err != nil {
		return nil, err
	}
	out := make(map[*engine.Finding]int64, len(hashOf))
	for f, h := range hashOf {
		out[f] = ids[h]
	}
	return out, nil
}

// insertFindings writes the run's rows of the findings table, then marks
// the keys it has a finding for as last seen in this run.
func (r *recorder) insertFindings(ctx context.Context, rows []findingRow) error {
	details, err := r.insertDetails(ctx, rows)
	if err != nil {
		return err
	}
	var values [][]any
	for _, row := range rows {
		v := r.versions[row.key.Rule]
		result, underlying := Absent, Absent
		var detailID any
		if f := row.finding; f != nil {
			result, underlying = f.Result, f.Underlying
			if underlying == "" {
				underlying = result
			}
			if id, ok := details[f]; ok {
				detailID = id
			}
		}
		changed := 0
		if row.changed {
			changed = 1
		}
		values = append(values, []any{r.id, r.known[row.key].id, v.id, int(v.severity), string(result), string(underlying),
			string(row.state), changed, detailID})
	}
	cols := []string{"run_id", "key_id", "rule_version", "severity", "result", "underlying", "state", "changed", "detail_id"}
	if err := r.s.insertRows(ctx, r.tx, "findings", cols, values); err != nil {
		return err
	}
	_, err = r.s.exec(ctx, r.tx, `UPDATE finding_keys SET last_seen = ?
		WHERE last_seen < ? AND id IN (SELECT key_id FROM findings WHERE run_id = ? AND result <> 'ABSENT')`,
		r.started, r.started, r.id)
	return err
}
