package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"slices"

	"vigil/engine"
	"vigil/rules"
)

// ruleVersion is one version of a rule in the store.
type ruleVersion struct {
	id       int64
	severity rules.Severity
	// frameworks are the framework versions the rule maps to, as
	// rules.FrameworkVersion.String writes them, each once.
	frameworks []string
	// entity is the rule's entity type.
	entity string
}

// RuleHash identifies a version of a rule: the SHA-256 of everything the
// rule file says (its ID, logic, variants, messages, remediation,
// severity, frameworks and the file it came from), so that any change to
// the file gives a new version.
func RuleHash(r *rules.Rule) string {
	b, err := json.Marshal(r)
	if err != nil {
		panic("store: encoding rule " + r.ID + ": " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// runRules are the rules a run evaluated: info.Rules, and the rules of its
// findings and its not-applicable rules.
func runRules(info RunInfo, run *engine.Run) []*rules.Rule {
	seen := map[string]bool{}
	var out []*rules.Rule
	add := func(r *rules.Rule) {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	for _, r := range info.Rules {
		add(r)
	}
	for _, f := range run.Findings {
		add(f.Rule)
	}
	for _, r := range run.NotApplicable {
		add(r)
	}
	return out
}

// frameworksOf lists the framework versions a rule maps to, each once.
func frameworksOf(r *rules.Rule) []string {
	var out []string
	for _, ref := range r.Frameworks {
		if name := ref.Of().String(); !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// insertRules finds or inserts the version of each rule of the run and
// links them to the run.
func (r *recorder) insertRules(ctx context.Context) error {
	byHash := map[string]*rules.Rule{}
	var hashes []string
	r.versions = map[string]ruleVersion{}
	for _, rule := range runRules(r.info, r.run) {
		h := RuleHash(rule)
		if _, ok := byHash[h]; !ok {
			hashes = append(hashes, h)
		}
		byHash[h] = rule
	}
	ids := map[string]int64{}
	err := inBatches(hashes, func(batch []string) error {
		return r.s.scanAll(ctx, r.tx, `SELECT id, hash FROM rule_versions WHERE hash IN (`+placeholders(len(batch))+`)`,
			anySlice(batch), scanIDByString(ids))
	})
	if err != nil {
		return err
	}
	if err := r.insertMissingRules(ctx, hashes, byHash, ids); err != nil {
		return err
	}
	var links [][]any
	for _, h := range hashes {
		rule := byHash[h]
		r.versions[rule.ID] = ruleVersion{id: ids[h], severity: rule.Severity, frameworks: frameworksOf(rule), entity: rule.Entity}
		links = append(links, []any{r.id, ids[h]})
	}
	return r.s.insertRows(ctx, r.tx, "run_rules", []string{"run_id", "rule_version"}, links)
}

// insertMissingRules inserts the rule versions not yet in the store, with
// their framework controls, and adds their ids to ids.
func (r *recorder) insertMissingRules(ctx context.Context, hashes []string, byHash map[string]*rules.Rule, ids map[string]int64) error {
	var rows [][]any
	for _, h := range hashes {
		if _, ok := ids[h]; !ok {
			rule := byHash[h]
			rows = append(rows, []any{h, rule.ID, rule.Title, int(rule.Severity), rule.Entity, rule.File})
		}
	}
	err := r.s.insertReturning(ctx, r.tx, "rule_versions", []string{"hash", "rule_id", "title", "severity", "entity", "file"},
		rows, "id, hash", scanIDByString(ids))
	if err != nil {
		return err
	}
	var controls [][]any
	for _, row := range rows {
		h := row[0].(string)
		seen := map[[2]string]bool{}
		for _, ref := range byHash[h].Frameworks {
			k := [2]string{ref.Of().String(), ref.Control}
			if !seen[k] {
				seen[k] = true
				controls = append(controls, []any{ids[h], k[0], k[1]})
			}
		}
	}
	return r.s.insertRows(ctx, r.tx, "rule_controls", []string{"rule_version", "framework", "control"}, controls)
}

// scanIDByString returns a scan function for rows of (id, text) that
// fills m[text] = id.
func scanIDByString(m map[string]int64) func(*sql.Rows) error {
	return func(rows *sql.Rows) error {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return err
		}
		m[s] = id
		return nil
	}
}

// anySlice converts values to query arguments.
func anySlice[T any](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}
