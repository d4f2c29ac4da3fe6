package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vigil/engine"
	"vigil/rules"
)

// Finding is one row of a run's findings, with its key's description and
// lifecycle.
type Finding struct {
	// KeyID identifies the key in the store (History takes it).
	KeyID int64 `json:"key_id"`
	Key
	RunID      int64          `json:"run_id"`
	RuleTitle  string         `json:"rule_title"`
	Severity   rules.Severity `json:"severity"`
	EntityType string         `json:"entity_type"`
	EntityName string         `json:"entity_name,omitempty"`
	Region     string         `json:"region,omitempty"`
	// Result is the finding's result, or Absent for a key fixed by its
	// absence; Underlying is what an excluded finding's rule gave (Result
	// otherwise).
	Result     engine.Result `json:"result"`
	Underlying engine.Result `json:"underlying_result"`
	// State is the key's lifecycle state after this run; Changed says
	// whether this run changed it other than to open (a key stays fixed
	// while it passes, and open while it fails).
	State   State `json:"state"`
	Changed bool  `json:"changed"`
	// StateSince, FirstSeen and LastSeen describe the key now (after the
	// latest run that judged it), not as of this run.
	StateSince time.Time `json:"state_since"`
	FirstSeen  time.Time `json:"first_seen"`
	LastSeen   time.Time `json:"last_seen"`
	Message    string    `json:"message,omitempty"`
	// Detail is filled in by Store.Finding only.
	Detail *Detail `json:"detail,omitempty"`
}

// Detail is the rest of a finding's text.
type Detail struct {
	Explanation string            `json:"explanation,omitempty"`
	Trace       []string          `json:"trace,omitempty"`
	Unknowns    []string          `json:"unknowns,omitempty"`
	Related     []Related         `json:"related,omitempty"`
	Fix         rules.Remediation `json:"fix"`
	Exclusion   *Exclusion        `json:"exclusion,omitempty"`
}

// FindingQuery selects, sorts and pages the findings of one run. Empty
// filters select everything; the filters of different fields all apply.
type FindingQuery struct {
	// Run is the run's id (required).
	Run     int64
	Results []engine.Result // Absent selects the keys fixed by absence
	States  []State
	// Changed keeps the findings whose state this run changed, other than
	// to open: what changed since the run before (see isNews).
	Changed    bool
	Severities []rules.Severity
	Rules      []string // rule IDs
	Scopes     []string
	Regions    []string
	// Framework keeps the rules mapped to this framework version, named as
	// rules.FrameworkVersion.String writes it ("CIS AWS Foundations
	// v3.0.0"; see Frameworks).
	Framework string
	// Sort is one of SortSeverity (the default), SortRule, SortScope,
	// SortEntity, SortState, SortResult; Desc reverses it. Ties are broken
	// by rule, scope and entity.
	Sort string
	Desc bool
	// Limit is the page size (DefaultPageSize when 0); Offset the number
	// of findings before the page.
	Limit, Offset int
}

// The sort orders of FindingQuery.
const (
	SortSeverity = "severity"
	SortRule     = "rule"
	SortScope    = "scope"
	SortEntity   = "entity"
	SortState    = "state"
	SortResult   = "result"
)

// DefaultPageSize is the page size of a FindingQuery without Limit.
const DefaultPageSize = 50

// sortColumns maps each sort order to its column. Severity sorts the most
// severe first unless Desc.
var sortColumns = map[string]string{
	SortSeverity: "f.severity DESC", SortRule: "k.rule_id", SortScope: "k.scope",
	SortEntity: "k.entity", SortState: "f.state", SortResult: "f.result",
}

// FindingPage is one page of a FindingQuery.
type FindingPage struct {
	// Total counts every finding the query selects, on all pages.
	Total    int       `json:"total"`
	Findings []Finding `json:"findings"`
}

const findingColumns = `k.id, k.rule_id, k.scope, k.entity, f.run_id, rv.title, f.severity, k.entity_type, k.entity_name,
	k.region, f.result, f.underlying, f.state, f.changed, k.state_since, k.first_seen, k.last_seen, COALESCE(d.message, '')`

const findingJoins = ` FROM findings f
	JOIN finding_keys k ON k.id = f.key_id
	JOIN rule_versions rv ON rv.id = f.rule_version
	LEFT JOIN details d ON d.id = f.detail_id`

// Findings returns a page of a run's findings.
func (s *Store) Findings(ctx context.Context, q FindingQuery) (FindingPage, error) {
	where, args, err := q.where()
	if err != nil {
		return FindingPage{}, err
	}
	var page FindingPage
	err = s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM findings f JOIN finding_keys k ON k.id = f.key_id`+where, args...).Scan(&page.Total)
	if err != nil {
		return page, err
	}
	order, ok := sortColumns[q.Sort]
	if q.Sort == "" {
		order = sortColumns[SortSeverity]
	} else if !ok {
		return page, fmt.Errorf("sort %q: want severity, rule, scope, entity, state or result", q.Sort)
	}
	if q.Desc {
		order = reverse(order)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	query := `SELECT ` + findingColumns + findingJoins + where + ` ORDER BY ` + order + `, k.rule_id, k.scope, k.entity
		LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(max(q.Offset, 0))
	err = s.scanAll(ctx, s.db, query, args, func(rows *sql.Rows) error {
		f, err := scanFinding(rows)
		page.Findings = append(page.Findings, f)
		return err
	})
	return page, err
}

// reverse turns an ORDER BY term around.
func reverse(term string) string {
	if t, ok := strings.CutSuffix(term, " DESC"); ok {
		return t
	}
	return term + " DESC"
}

// where builds the WHERE clause of a FindingQuery, over findings f and
// finding_keys k.
func (q FindingQuery) where() (string, []any, error) {
	if q.Run <= 0 {
		return "", nil, fmt.Errorf("findings query: no run")
	}
	clause := ` WHERE f.run_id = ?`
	args := []any{q.Run}
	in := func(column string, values []any) {
		if len(values) > 0 {
			clause += ` AND ` + column + ` IN (` + placeholders(len(values)) + `)`
			args = append(args, values...)
		}
	}
	in("f.result", anySlice(stringsOf(q.Results)))
	in("f.state", anySlice(stringsOf(q.States)))
	if q.Changed {
		clause += ` AND f.changed = 1`
	}
	sev := make([]any, len(q.Severities))
	for i, s := range q.Severities {
		sev[i] = int(s)
	}
	in("f.severity", sev)
	in("k.rule_id", anySlice(q.Rules))
	in("k.scope", anySlice(q.Scopes))
	in("k.region", anySlice(q.Regions))
	if q.Framework != "" {
		clause += ` AND EXISTS (SELECT 1 FROM rule_controls c WHERE c.rule_version = f.rule_version AND c.framework = ?)`
		args = append(args, q.Framework)
	}
	return clause, args, nil
}

// stringsOf converts string-typed values to strings.
func stringsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// findingScan receives a row of findingColumns.
type findingScan struct {
	f                         Finding
	result, underlying, state string
	severity, changed         int
	since, first, last        int64
}

// dest are the scan destinations of findingColumns, in order.
func (s *findingScan) dest() []any {
	f := &s.f
	return []any{&f.KeyID, &f.Rule, &f.Scope, &f.Entity, &f.RunID, &f.RuleTitle, &s.severity, &f.EntityType, &f.EntityName,
		&f.Region, &s.result, &s.underlying, &s.state, &s.changed, &s.since, &s.first, &s.last, &f.Message}
}

// finding is the finding scanned.
func (s *findingScan) finding() Finding {
	f := s.f
	f.Severity, f.Result, f.Underlying, f.State = rules.Severity(s.severity), engine.Result(s.result), engine.Result(s.underlying), State(s.state)
	f.StateSince, f.FirstSeen, f.LastSeen = fromMillis(s.since), fromMillis(s.first), fromMillis(s.last)
	f.Changed = s.changed != 0
	return f
}

// scanFinding reads a row of findingColumns.
func scanFinding(rows *sql.Rows) (Finding, error) {
	var s findingScan
	err := rows.Scan(s.dest()...)
	return s.finding(), err
}

// Finding returns one finding of a run, with its detail; ErrNotFound when
// the run has no row for the key.
func (s *Store) Finding(ctx context.Context, runID, keyID int64) (Finding, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+findingColumns+`, COALESCE(d.explanation, ''), COALESCE(d.trace, '[]'),
		COALESCE(d.unknowns, '[]'), COALESCE(d.related, '[]'), COALESCE(d.fix_console, ''), COALESCE(d.fix_cli, ''),
		COALESCE(d.fix_terraform, ''), COALESCE(d.exclusion_reason, ''), COALESCE(d.exclusion_expires, 0),
		COALESCE(d.exclusion_source, '')`+findingJoins+` WHERE f.run_id = ? AND f.key_id = ?`, runID, keyID)
	if err != nil {
		return Finding{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Finding{}, err
		}
		return Finding{}, fmt.Errorf("finding %d of run %d: %w", keyID, runID, ErrNotFound)
	}
	return scanFindingDetail(rows)
}
