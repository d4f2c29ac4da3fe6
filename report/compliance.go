package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"vigil/engine"
	"vigil/rules"
)

// ControlStatus is the verdict on one control of a compliance framework.
type ControlStatus string

// Control statuses, from the most to the least severe. A control takes the
// most severe status any of its findings gives it.
const (
	// ControlFail: at least one finding of the control's rules failed.
	ControlFail ControlStatus = "FAIL"
	// ControlError: no failure, but data a rule needed could not be
	// collected or evaluated.
	ControlError ControlStatus = "ERROR"
	// ControlUnknown: no failure or error, but a result depends on values
	// not known before apply.
	ControlUnknown ControlStatus = "UNKNOWN"
	// ControlPass: every counted finding passed, and there was at least one.
	ControlPass ControlStatus = "PASS"
	// ControlExcluded: every finding was excluded.
	ControlExcluded ControlStatus = "EXCLUDED"
	// ControlNotApplicable: the control's rules found nothing to check.
	ControlNotApplicable ControlStatus = "NOT_APPLICABLE"
)

// evaluated reports whether the status counts in the score's denominator.
func (s ControlStatus) evaluated() bool {
	return s != ControlExcluded && s != ControlNotApplicable
}

// Compliance is the compliance view of a run for one framework version:
// every control its rules map to, with the results of those rules.
type Compliance struct {
	// Framework is "CIS AWS Foundations v3.0.0": Name and Version as users
	// write them together.
	Framework     string
	Name, Version string
	Controls      []Control
	// Passing, Failing and Incomplete (ERROR or UNKNOWN) count evaluated
	// controls; NotEvaluated counts EXCLUDED and NOT_APPLICABLE ones.
	Passing, Failing, Incomplete, NotEvaluated int
}

// Evaluated is the number of controls the score is computed over.
func (c *Compliance) Evaluated() int { return c.Passing + c.Failing + c.Incomplete }

// Score is the share of evaluated controls that pass, between 0 and 1. ok
// is false when no control was evaluated, so there is no score.
func (c *Compliance) Score() (score float64, ok bool) {
	if c.Evaluated() == 0 {
		return 0, false
	}
	return float64(c.Passing) / float64(c.Evaluated()), true
}

// ScoreText renders the score as "1/3 controls (33%)", or "n/a".
func (c *Compliance) ScoreText() string {
	if c.Evaluated() == 0 {
		return "n/a (no control evaluated)"
	}
	return fmt.Sprintf("%d/%d controls (%s)", c.Passing, c.Evaluated(), c.percent())
}

// percent is the score as a whole percentage, rounded down so that it never
// overstates compliance ("99%" until every control passes).
func (c *Compliance) percent() string {
	if c.Evaluated() == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%d%%", c.Passing*100/c.Evaluated())
}

// Control is one control of a framework and the rules mapped to it.
type Control struct {
	// ID is the control's identifier in the framework version ("3.1").
	ID     string
	Status ControlStatus
	Rules  []ControlRule
	// Counts adds up the findings of all the control's rules.
	Counts Counts
}

// ControlRule is one rule mapped to a control, with its findings' counts.
type ControlRule struct {
	ID       string
	Title    string
	Severity rules.Severity
	Counts   Counts
	// NotApplicable is set when the rule had no relevant entity.
	NotApplicable bool
}

// complianceOf builds the compliance view of the view's findings for one
// framework version.
func complianceOf(v *view, fw frameworkKey) *Compliance {
	byRule := map[string]*Counts{}
	for _, f := range v.findings {
		c := byRule[f.Rule.ID]
		if c == nil {
			c = &Counts{}
			byRule[f.Rule.ID] = c
		}
		c.add(f.Result)
	}
	notApplicable := map[string]bool{}
	for _, r := range v.notApplicable {
		notApplicable[r.ID] = true
	}

	controls := map[string]*Control{}
	for _, r := range v.rules {
		for _, ref := range r.Frameworks {
			if !fw.matches(ref) {
				continue
			}
			ctl := controls[ref.Control]
			if ctl == nil {
				ctl = &Control{ID: ref.Control}
				controls[ref.Control] = ctl
			}
			if slices.ContainsFunc(ctl.Rules, func(cr ControlRule) bool { return cr.ID == r.ID }) {
				continue
			}
			cr := ControlRule{ID: r.ID, Title: r.Title, Severity: r.Severity, NotApplicable: notApplicable[r.ID]}
			if c := byRule[r.ID]; c != nil {
				cr.Counts = *c
			}
			ctl.Rules = append(ctl.Rules, cr)
		}
	}

	out := &Compliance{Framework: fw.String(), Name: fw.Name, Version: fw.Version}
	for _, ctl := range controls {
		for _, cr := range ctl.Rules {
			ctl.Counts.Pass += cr.Counts.Pass
			ctl.Counts.Fail += cr.Counts.Fail
			ctl.Counts.Unknown += cr.Counts.Unknown
			ctl.Counts.Error += cr.Counts.Error
			ctl.Counts.Excluded += cr.Counts.Excluded
		}
		ctl.Status = statusOf(ctl.Counts)
		switch {
		case ctl.Status == ControlPass:
			out.Passing++
		case ctl.Status == ControlFail:
			out.Failing++
		case ctl.Status.evaluated():
			out.Incomplete++
		default:
			out.NotEvaluated++
		}
		out.Controls = append(out.Controls, *ctl)
	}
	slices.SortFunc(out.Controls, func(a, b Control) int {
		return cmp.Or(compareVersions(a.ID, b.ID), strings.Compare(a.ID, b.ID))
	})
	return out
}

// statusOf gives a control the most severe status of its findings. ERROR
// and UNKNOWN never pass; excluded findings count neither way.
func statusOf(c Counts) ControlStatus {
	switch {
	case c.Fail > 0:
		return ControlFail
	case c.Error > 0:
		return ControlError
	case c.Unknown > 0:
		return ControlUnknown
	case c.Pass > 0:
		return ControlPass
	case c.Excluded > 0:
		return ControlExcluded
	}
	return ControlNotApplicable
}

// compliances returns the compliance view of every framework version the
// view's rules map to, or only of the selected one.
func (v *view) compliances() []*Compliance {
	if v.framework != nil {
		return []*Compliance{complianceOf(v, *v.framework)}
	}
	var out []*Compliance
	for _, fw := range frameworks(v.rules) {
		out = append(out, complianceOf(v, fw))
	}
	return out
}

// complianceWriter writes the compliance view as text: for the selected
// framework, or for every framework the run's rules map to.
type complianceWriter struct{}

func init() { register("compliance", complianceWriter{}) }

func (complianceWriter) Write(w io.Writer, run *engine.Run, opts Options) error {
	v, err := newView(run, opts)
	if err != nil {
		return err
	}
	tw := &textWriter{w: w, opts: opts}
	tw.header(v)
	if inputs, _ := failureNotes(v.run); len(inputs) > 0 {
		tw.printf("%s The scores cover only what was read.\n", incompleteText(len(inputs)))
	}
	cs := v.compliances()
	if len(cs) == 0 {
		tw.printf("\nNo rule in this run maps to a compliance framework.\n")
	}
	for _, c := range cs {
		tw.compliance(c)
	}
	tw.failures(v)
	return tw.err
}

// compliance renders one framework's controls as a table (see columnRow),
// the rules of a control one per line, and its score. A table wider than
// the width gives way to a line per control.
func (tw *textWriter) compliance(c *Compliance) {
	tw.writeLine("")
	tw.para("", "  ", "Compliance: "+c.Framework)
	header := []string{"CONTROL", "STATUS", "RULES", "PASS", "FAIL", "UNKNOWN", "ERROR", "EXCLUDED"}
	ids := make([][]string, len(c.Controls))
	rows := [][]string{header}
	for i, ctl := range c.Controls {
		for _, cr := range ctl.Rules {
			id := cr.ID
			if cr.NotApplicable {
				id += " (n/a)"
			}
			ids[i] = append(ids[i], printable(id))
		}
		counts := ctl.Counts
		row := []string{printable(ctl.ID), string(ctl.Status), "",
			strconv.Itoa(counts.Pass), strconv.Itoa(counts.Fail), strconv.Itoa(counts.Unknown), strconv.Itoa(counts.Error), strconv.Itoa(counts.Excluded)}
		for j, id := range ids[i] {
			if j > 0 {
				row = []string{"", "", "", "", "", "", "", ""}
			}
			row[2] = id
			rows = append(rows, slices.Clone(row))
		}
		if len(ids[i]) == 0 {
			rows = append(rows, row)
		}
	}
	widths := columnWidths(rows...)
	if tw.opts.Width > 0 && rowWidth(widths) > tw.opts.Width {
		for i, ctl := range c.Controls {
			tw.para("  ", "    ", fmt.Sprintf("%s  %s  %s: %s", ctl.ID, ctl.Status, strings.Join(ids[i], ", "), ctl.Counts.String()))
		}
	} else {
		for _, r := range rows {
			if r[1] != "" && r[1] != header[1] {
				r[1] = tw.colorStatus(ControlStatus(r[1]))
			}
			// The counts are numbers: right-aligned under their heading.
			for j := 3; j < len(r); j++ {
				r[j] = spacesFor(widths[j]-len(r[j])) + r[j]
			}
			tw.writeLine(strings.TrimRight(columnRow(0, widths, r...), " "))
		}
	}
	tw.para("", "  ", fmt.Sprintf("Score: %s passing; %d failing, %d with ERROR or UNKNOWN results (never counted as passing), %d not evaluated (excluded or not applicable)",
		c.ScoreText(), c.Failing, c.Incomplete, c.NotEvaluated))
}
