package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema's versions, oldest first: migrations[i]
// brings a store from version i to version i+1. Open applies the missing
// ones in one transaction and records the version reached in
// schema_version. A released migration is never edited: a change to the
// schema is a new migration appended here.
//
// Times are Unix milliseconds (UTC) in BIGINT columns, the one time type
// that both databases store and compare the same way. Lists and small
// structures that no query filters on (a run's inputs, a finding's trace)
// are JSON text.
var migrations = [][]string{
	// Version 1: runs, rule versions, finding keys with their lifecycle,
	// findings, their texts, failures, and the per-run summary that the
	// overview reads.
	{
		`CREATE TABLE runs (
			id {{identity}},
			started BIGINT NOT NULL,
			recorded BIGINT NOT NULL,
			tool TEXT NOT NULL,
			inputs TEXT NOT NULL,
			scopes TEXT NOT NULL,
			not_applicable TEXT NOT NULL,
			total INTEGER NOT NULL,
			pass INTEGER NOT NULL,
			fail INTEGER NOT NULL,
			unknown INTEGER NOT NULL,
			error INTEGER NOT NULL,
			excluded INTEGER NOT NULL,
			failures INTEGER NOT NULL)`,
		`CREATE INDEX runs_started ON runs (started)`,
		`CREATE TABLE run_scopes (
			run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			scope TEXT NOT NULL,
			PRIMARY KEY (run_id, scope))`,
		`CREATE INDEX run_scopes_scope ON run_scopes (scope, run_id)`,
		`CREATE TABLE rule_versions (
			id {{identity}},
			hash TEXT NOT NULL UNIQUE,
			rule_id TEXT NOT NULL,
			title TEXT NOT NULL,
			severity SMALLINT NOT NULL,
			entity TEXT NOT NULL,
			file TEXT NOT NULL)`,
		`CREATE TABLE rule_controls (
			rule_version BIGINT NOT NULL REFERENCES rule_versions (id) ON DELETE CASCADE,
			framework TEXT NOT NULL,
			control TEXT NOT NULL,
			PRIMARY KEY (rule_version, framework, control))`,
		`CREATE INDEX rule_controls_framework ON rule_controls (framework, rule_version)`,
		`CREATE TABLE run_rules (
			run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			rule_version BIGINT NOT NULL REFERENCES rule_versions (id),
			PRIMARY KEY (run_id, rule_version))`,
		`CREATE INDEX run_rules_version ON run_rules (rule_version)`,
		`CREATE TABLE finding_keys (
			id {{identity}},
			rule_id TEXT NOT NULL,
			scope TEXT NOT NULL,
			entity TEXT NOT NULL,
			entity_type TEXT NOT NULL,
			entity_name TEXT NOT NULL,
			region TEXT NOT NULL,
			state TEXT NOT NULL,
			state_since BIGINT NOT NULL,
			first_seen BIGINT NOT NULL,
			last_seen BIGINT NOT NULL,
			UNIQUE (scope, rule_id, entity))`,
		`CREATE TABLE details (
			id {{identity}},
			hash TEXT NOT NULL UNIQUE,
			message TEXT NOT NULL,
			explanation TEXT NOT NULL,
			trace TEXT NOT NULL,
			unknowns TEXT NOT NULL,
			related TEXT NOT NULL,
			fix_console TEXT NOT NULL,
			fix_cli TEXT NOT NULL,
			fix_terraform TEXT NOT NULL,
			exclusion_reason TEXT NOT NULL,
			exclusion_expires BIGINT NOT NULL,
			exclusion_source TEXT NOT NULL)`,
		`CREATE TABLE findings (
			run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			key_id BIGINT NOT NULL REFERENCES finding_keys (id),
			rule_version BIGINT NOT NULL REFERENCES rule_versions (id),
			severity SMALLINT NOT NULL,
			result TEXT NOT NULL,
			underlying TEXT NOT NULL,
			state TEXT NOT NULL,
			changed SMALLINT NOT NULL,
			detail_id BIGINT REFERENCES details (id),
			PRIMARY KEY (run_id, key_id)){{clustered}}`,
		`CREATE INDEX findings_key ON findings (key_id, run_id)`,
		`CREATE INDEX findings_detail ON findings (detail_id)`,
		`CREATE TABLE failures (
			run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			position INTEGER NOT NULL,
			failure TEXT NOT NULL,
			PRIMARY KEY (run_id, position))`,
		`CREATE TABLE run_summary (
			framework TEXT NOT NULL,
			scope TEXT NOT NULL,
			run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
			pass INTEGER NOT NULL,
			fail INTEGER NOT NULL,
			unknown INTEGER NOT NULL,
			error INTEGER NOT NULL,
			excluded INTEGER NOT NULL,
			PRIMARY KEY (framework, scope, run_id)){{clustered}}`,
		`CREATE INDEX run_summary_run ON run_summary (run_id)`,
	},
}

// SchemaVersion is the schema version this vigil writes and reads.
var SchemaVersion = len(migrations)

// migrate brings the schema up to SchemaVersion, in one transaction, and
// refuses a store written by a newer vigil.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.d.lockForMigrate != "" {
		if _, err := conn.ExecContext(ctx, s.d.lockForMigrate); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), s.d.unlockForMigrate)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("creating schema_version: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	version, err := currentVersion(ctx, tx)
	if err != nil {
		return err
	}
	if version > SchemaVersion {
		return fmt.Errorf("the store's schema is version %d, newer than this vigil's (%d): upgrade vigil", version, SchemaVersion)
	}
	if version == SchemaVersion {
		return tx.Commit()
	}
	for v := version; v < SchemaVersion; v++ {
		for _, stmt := range migrations[v] {
			if _, err := tx.ExecContext(ctx, s.d.ddl(stmt)); err != nil {
				return fmt.Errorf("migration to schema version %d: %w", v+1, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
		return err
	}
	if _, err := s.exec(ctx, tx, `INSERT INTO schema_version (version) VALUES (?)`, SchemaVersion); err != nil {
		return err
	}
	return tx.Commit()
}

// currentVersion reads the schema version; 0 for a new store.
func currentVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	var v sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading schema_version: %w", err)
	}
	return int(v.Int64), nil
}
