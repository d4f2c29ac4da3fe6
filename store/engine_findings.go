package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// EngineFindings returns a stored run's findings as the engine gave them,
// in the engine's order (rule, scope, entity), for the code that compares
// runs ("vigil diff"). Each finding's rule holds what the store keeps of
// it (ID, title, severity, entity type), and its entity the entity's
// type, ID, name, scope and region. Keys fixed by absence are left out:
// the run had no finding for them.
func (s *Store) EngineFindings(ctx context.Context, runID int64) ([]*engine.Finding, error) {
	if _, err := s.Run(ctx, runID); err != nil {
		return nil, err
	}
	ruleOf := map[int64]*rules.Rule{}
	var out []*engine.Finding
	err := s.scanAll(ctx, s.db, `SELECT f.rule_version, rv.rule_id, rv.title, rv.severity, rv.entity,
		k.scope, k.entity, k.entity_type, k.entity_name, k.region, f.result, f.underlying,
		COALESCE(d.message, ''), COALESCE(d.explanation, ''), COALESCE(d.trace, '[]'),
		COALESCE(d.fix_console, ''), COALESCE(d.fix_cli, ''), COALESCE(d.fix_terraform, '')
		FROM findings f JOIN finding_keys k ON k.id = f.key_id JOIN rule_versions rv ON rv.id = f.rule_version
		LEFT JOIN details d ON d.id = f.detail_id
		WHERE f.run_id = ? AND f.result <> 'ABSENT' ORDER BY rv.rule_id, k.scope, k.entity`, []any{runID},
		func(rows *sql.Rows) error {
			f, err := scanEngineFinding(rows, ruleOf)
			out = append(out, f)
			return err
		})
	return out, err
}

// scanEngineFinding reads a row of EngineFindings' query; ruleOf shares
// one rules.Rule per rule version.
func scanEngineFinding(rows *sql.Rows, ruleOf map[int64]*rules.Rule) (*engine.Finding, error) {
	var version int64
	var r rules.Rule
	var severity int
	var e entity.Entity
	var result, underlying, trace string
	f := &engine.Finding{}
	err := rows.Scan(&version, &r.ID, &r.Title, &severity, &r.Entity, &f.Scope, &e.ID, &e.Type, &e.Name, &e.Region,
		&result, &underlying, &f.Message, &f.Explanation, &trace,
		&f.Remediation.Console, &f.Remediation.CLI, &f.Remediation.Terraform)
	if err != nil {
		return nil, err
	}
	if ruleOf[version] == nil {
		r.Severity = rules.Severity(severity)
		ruleOf[version] = &r
	}
	f.Rule = ruleOf[version]
	f.Result, f.Underlying = engine.Result(result), engine.Result(underlying)
	if e.ID != "" {
		e.Scope = f.Scope
		f.Entity = &e
	}
	if err := json.Unmarshal([]byte(trace), &f.Trace); err != nil {
		return nil, err
	}
	return f, nil
}
