package store

import (
	"context"
	"database/sql"

	"vigil/engine"
	"vigil/entity"
)

// keyRow is a finding key as the store holds it.
type keyRow struct {
	id    int64
	state State
	// entityType and region describe the entity (for a List<E> rule's
	// key, the rule's entity type and no region), to tell whether a
	// failure of a run covers the key.
	entityType, region string
}

// findingRow is one row of the findings table about to be written.
type findingRow struct {
	key   Key
	state State
	// finding is nil for an absent key (result Absent).
	finding *engine.Finding
	// changed says whether the run changed the key's state.
	changed bool
}

// lifecycle computes the state of each key the run judges (see next),
// inserts the new keys, updates the states that changed, and returns the
// rows of the findings table to write.
func (r *recorder) lifecycle(ctx context.Context) ([]findingRow, error) {
	known, err := r.loadKeys(ctx)
	if err != nil {
		return nil, err
	}
	present := presentFindings(r.run.Findings)
	r.present = present
	var rows []findingRow
	var added []Key
	changed := map[int64]State{}
	for _, f := range r.run.Findings {
		k := KeyOf(f)
		if present[k] != f {
			continue // another finding of the run has the same key
		}
		kr, ok := known[k]
		before := StateNone
		if ok {
			before = kr.state
		}
		after, _ := next(before, observe(f))
		rows = append(rows, findingRow{key: k, state: after, finding: f, changed: isNews(before, after)})
		switch {
		case !ok:
			added = append(added, k)
			known[k] = &keyRow{state: after, entityType: entityTypeOf(f), region: regionOf(f)}
		case after != before:
			changed[kr.id] = after
		}
	}
	for k, kr := range known {
		if present[k] != nil || kr.id == 0 {
			continue
		}
		obs := notJudged
		if r.judges(k, kr) {
			obs = absent
		}
		if after, record := next(kr.state, obs); record {
			rows = append(rows, findingRow{key: k, state: after, changed: isNews(kr.state, after)})
			changed[kr.id] = after
		}
	}
	if err := r.insertKeys(ctx, added, known); err != nil {
		return nil, err
	}
	r.known = known
	return rows, r.updateStates(ctx, changed)
}

// presentFindings maps each key to the run's finding for it. Should a run
// hold two findings with one key, the one that says more is kept: a
// problem over an excluded one over a clean one.
func presentFindings(findings []*engine.Finding) map[Key]*engine.Finding {
	m := make(map[Key]*engine.Finding, len(findings))
	for _, f := range findings {
		k := KeyOf(f)
		if old, ok := m[k]; !ok || rank(observe(f)) > rank(observe(old)) {
			m[k] = f
		}
	}
	return m
}

// rank orders observations by how much they say against the key.
func rank(o observation) int {
	switch o {
	case problem:
		return 3
	case excludedProblem:
		return 2
	}
	return 1
}

// entityTypeOf is the type of the finding's entity, or for a finding about
// a scope the rule's entity type.
func entityTypeOf(f *engine.Finding) string {
	if f.Entity != nil {
		return f.Entity.Type
	}
	return f.Rule.Entity
}

// regionOf is the finding's entity's region, if any.
func regionOf(f *engine.Finding) string {
	if f.Entity != nil {
		return f.Entity.Region
	}
	return ""
}

// loadKeys reads the keys of the scopes the run scanned.
func (r *recorder) loadKeys(ctx context.Context) (map[Key]*keyRow, error) {
	known := map[Key]*keyRow{}
	scopes := scannedScopes(r.run)
	err := inBatches(scopes, func(batch []string) error {
		return r.s.scanAll(ctx, r.tx, `SELECT id, rule_id, scope, entity, state, entity_type, region FROM finding_keys
			WHERE scope IN (`+placeholders(len(batch))+`)`, anySlice(batch), func(rows *sql.Rows) error {
			var k Key
			kr := &keyRow{}
			if err := rows.Scan(&kr.id, &k.Rule, &k.Scope, &k.Entity, &kr.state, &kr.entityType, &kr.region); err != nil {
				return err
			}
			known[k] = kr
			return nil
		})
	})
	return known, err
}

// judges reports whether the run judged a key it has no finding for: its
// scope was scanned, its rule ran, the rule has no ERROR about the whole
// scope (the scope's entities could not all be listed), and no failure of
// the run leaves the key's entities possibly unlisted. Otherwise the
// key's absence says nothing, and it keeps its state.
func (r *recorder) judges(k Key, kr *keyRow) bool {
	if _, ok := r.versions[k.Rule]; !ok || !r.scopes()[k.Scope] || r.scopeErrors()[Key{Rule: k.Rule, Scope: k.Scope}] {
		return false
	}
	for _, f := range r.run.Failures {
		if f.Scope != k.Scope || f.Attr != "" {
			continue
		}
		typeCovered := f.Type == "" || f.Type == entity.AnyType || f.Type == kr.entityType
		regionCovered := f.Region == "" || f.Region == kr.region
		entityCovered := f.Entity == "" || f.Entity == k.Entity
		if typeCovered && regionCovered && entityCovered {
			return false
		}
	}
	return true
}

// scopes is the set of the scopes the run scanned.
func (r *recorder) scopes() map[string]bool {
	if r.scopeSet == nil {
		r.scopeSet = map[string]bool{}
		for _, sc := range scannedScopes(r.run) {
			r.scopeSet[sc] = true
		}
	}
	return r.scopeSet
}

// scopeErrors is the set of (rule, scope) keys with an ERROR finding about
// the whole scope in the run, excluded or not.
func (r *recorder) scopeErrors() map[Key]bool {
	if r.errSet == nil {
		r.errSet = map[Key]bool{}
		for _, f := range r.run.Findings {
			if f.Entity == nil && (f.Result == engine.Error || f.Underlying == engine.Error) {
				r.errSet[Key{Rule: f.Rule.ID, Scope: f.Scope}] = true
			}
		}
	}
	return r.errSet
}

// insertKeys inserts the keys first seen in this run and fills in their
// ids in known.
func (r *recorder) insertKeys(ctx context.Context, added []Key, known map[Key]*keyRow) error {
	var rows [][]any
	for _, k := range added {
		kr := known[k]
		f := r.present[k]
		name := ""
		if f.Entity != nil {
			name = f.Entity.Name
		}
		rows = append(rows, []any{k.Rule, k.Scope, k.Entity, kr.entityType, name, kr.region, string(kr.state), r.started, r.started, r.started})
	}
	cols := []string{"rule_id", "scope", "entity", "entity_type", "entity_name", "region", "state", "state_since", "first_seen", "last_seen"}
	return r.s.insertReturning(ctx, r.tx, "finding_keys", cols, rows, "id, rule_id, scope, entity", func(rows *sql.Rows) error {
		var id int64
		var k Key
		if err := rows.Scan(&id, &k.Rule, &k.Scope, &k.Entity); err != nil {
			return err
		}
		known[k].id = id
		return nil
	})
}

// updateStates writes the states that changed, each since the run's start.
func (r *recorder) updateStates(ctx context.Context, changed map[int64]State) error {
	for id, st := range changed {
		if _, err := r.s.exec(ctx, r.tx, `UPDATE finding_keys SET state = ?, state_since = ? WHERE id = ?`, string(st), r.started, id); err != nil {
			return err
		}
	}
	return nil
}
