package store

import (
	"context"

	"vigil/engine"
)

// Counts counts findings by result.
type Counts struct {
	Total    int `json:"total"`
	Pass     int `json:"pass"`
	Fail     int `json:"fail"`
	Unknown  int `json:"unknown"`
	Error    int `json:"error"`
	Excluded int `json:"excluded"`
}

// add counts one finding.
func (c *Counts) add(r engine.Result) {
	c.Total++
	switch r {
	case engine.Pass:
		c.Pass++
	case engine.Fail:
		c.Fail++
	case engine.Unknown:
		c.Unknown++
	case engine.Error:
		c.Error++
	case engine.Excluded:
		c.Excluded++
	}
}

// Score is the share of the findings judged on full data that pass, from
// 0 to 1: Pass / (Pass + Fail + Unknown + Error); excluded findings are
// left out. ok is false when no finding counts.
func (c Counts) Score() (score float64, ok bool) {
	n := c.Pass + c.Fail + c.Unknown + c.Error
	if n == 0 {
		return 0, false
	}
	return float64(c.Pass) / float64(n), true
}

// countResults counts findings by result.
func countResults(findings []*engine.Finding) Counts {
	var c Counts
	for _, f := range findings {
		c.add(f.Result)
	}
	return c
}

// AllRules is the framework name of the summary rows that count every
// rule of a run, mapped to a framework or not.
const AllRules = ""

// insertSummary stores the run's counts per framework and scope, which
// Overview reads instead of counting findings.
func (r *recorder) insertSummary(ctx context.Context) error {
	type cell struct{ framework, scope string }
	counts := map[cell]*Counts{}
	var order []cell
	add := func(c cell, res engine.Result) {
		if counts[c] == nil {
			counts[c] = &Counts{}
			order = append(order, c)
		}
		counts[c].add(res)
	}
	for _, f := range r.run.Findings {
		scope := KeyOf(f).Scope
		add(cell{AllRules, scope}, f.Result)
		for _, fw := range r.versions[f.Rule.ID].frameworks {
			add(cell{fw, scope}, f.Result)
		}
	}
	var rows [][]any
	for _, c := range order {
		n := counts[c]
		rows = append(rows, []any{c.framework, c.scope, r.id, n.Pass, n.Fail, n.Unknown, n.Error, n.Excluded})
	}
	return r.s.insertRows(ctx, r.tx, "run_summary",
		[]string{"framework", "scope", "run_id", "pass", "fail", "unknown", "error", "excluded"}, rows)
}
