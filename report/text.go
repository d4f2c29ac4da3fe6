package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"vigil/engine"
	"vigil/rules"
)

// textWriter writes the text report: a table of the findings that need
// attention, summaries per severity and per framework, and the compliance
// view when a framework is selected.
type textWriter struct {
	w    io.Writer
	opts Options
	err  error
}

type textFormat struct{}

func init() { register("text", textFormat{}) }

// Minimum widths the wrapped columns keep however narrow the terminal.
const (
	minMessageWidth = 30
	minEntityWidth  = 24
)

// maxCellRunes caps the text of one table cell: a message or entity ID
// from a hostile or broken source can be megabytes long, which would make
// the table unreadable. The JSON, CSV and SARIF formats keep the full text.
const maxCellRunes = 2000

func (textFormat) Write(w io.Writer, run *engine.Run, opts Options) error {
	v, err := newView(run, opts)
	if err != nil {
		return err
	}
	tw := &textWriter{w: w, opts: opts}
	tw.header(v)
	tw.findings(v)
	tw.summary(v)
	if v.framework != nil {
		for _, c := range v.compliances() {
			tw.compliance(c)
		}
	}
	tw.notes(v)
	return tw.err
}

func (tw *textWriter) printf(format string, args ...any) {
	if tw.err == nil {
		_, tw.err = fmt.Fprintf(tw.w, format, args...)
	}
}

// maxHeaderScopes is how many scopes the text report's header names.
const maxHeaderScopes = 5

func (tw *textWriter) header(v *view) {
	tool := cmp.Or(tw.opts.Tool, "vigil")
	tw.printf("%s scan at %s\n", printable(tool), v.run.Started.UTC().Format(time.RFC3339))
	if len(v.run.Scopes) > 0 {
		// A scan of a whole organisation or monorepo has hundreds of
		// scopes: name the first few and count the rest.
		var scopes []string
		for _, s := range v.run.Scopes[:min(len(v.run.Scopes), maxHeaderScopes)] {
			scopes = append(scopes, fmt.Sprintf("%s (%s)", s.ID, s.Kind))
		}
		if more := len(v.run.Scopes) - maxHeaderScopes; more > 0 {
			scopes = append(scopes, fmt.Sprintf("and %d more", more))
		}
		tw.printf("Scopes: %s\n", printable(strings.Join(scopes, ", ")))
	}
	if v.framework != nil {
		tw.printf("Framework: %s (only rules mapped to it are reported)\n", printable(v.framework.String()))
	}
}

// resultRank orders the table's rows: the results that most need a reader
// first.
var resultRank = map[engine.Result]int{engine.Fail: 0, engine.Error: 1, engine.Unknown: 2, engine.Excluded: 3, engine.Pass: 4}

func rank(r engine.Result) int {
	if n, ok := resultRank[r]; ok {
		return n
	}
	return 1 // an unknown result is treated like ERROR
}

func (tw *textWriter) findings(v *view) {
	var rows []*engine.Finding
	for _, f := range v.findings {
		if f.Result != engine.Pass || tw.opts.ShowPass {
			rows = append(rows, f)
		}
	}
	slices.SortStableFunc(rows, func(a, b *engine.Finding) int {
		return cmp.Or(cmp.Compare(b.Rule.Severity, a.Rule.Severity), cmp.Compare(rank(a.Result), rank(b.Result)))
	})
	tw.printf("\n")
	if len(rows) == 0 {
		if len(v.findings) == 0 {
			tw.printf("No findings.\n")
		} else {
			tw.printf("No findings need attention: all %d passed.\n", len(v.findings))
		}
		return
	}
	header := table.Row{"SEVERITY", "RULE", "RESULT", "ENTITY", "LOCATION", "MESSAGE"}
	t := tw.newTable()
	t.AppendHeader(header)
	// widths[i] is the widest cell of column i, to fit the table to the
	// terminal below.
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = text.StringWidthWithoutEscSequences(h.(string))
	}
	for _, f := range rows {
		result := tw.colorResult(f.Result)
		if f.Result == engine.Excluded {
			result += " (" + string(underlying(f)) + ")"
		}
		msg := f.Message
		if x := f.Exclusion; x != nil {
			msg = strings.TrimSpace(msg + "\nexcluded: " + exclusionText(x))
		}
		row := table.Row{
			tw.colorSeverity(f.Rule.Severity), cell(f.Rule.ID), result,
			cell(subject(f)), cell(location(f)), cell(msg),
		}
		for i, c := range row {
			for line := range strings.SplitSeq(c.(string), "\n") {
				widths[i] = max(widths[i], text.StringWidthWithoutEscSequences(line))
			}
		}
		t.AppendRow(row)
	}
	if tw.opts.Width > 0 {
		t.SetColumnConfigs(fitColumns(widths, tw.opts.Width))
	}
	tw.render(t)
}

// Columns of the findings table that wrap when the terminal is too narrow.
const (
	entityColumn  = 4
	messageColumn = 6
)

// fitColumns wraps the entity and message columns so that the table fits
// in width terminal columns where it can: the entity column takes at most a
// quarter of the width, the message what is left; neither goes below its
// minimum, so a very narrow terminal gets a wider table rather than an
// unreadable one.
func fitColumns(widths []int, width int) []table.ColumnConfig {
	border := 3*len(widths) + 1 // "│ " before each cell, " " after, final "│"
	entity := min(widths[entityColumn-1], max(minEntityWidth, width/4))
	fixed := border + entity
	for i, w := range widths {
		if i != entityColumn-1 && i != messageColumn-1 {
			fixed += w
		}
	}
	message := max(minMessageWidth, width-fixed)
	return []table.ColumnConfig{
		{Number: entityColumn, WidthMax: entity, WidthMaxEnforcer: text.WrapHard},
		{Number: messageColumn, WidthMax: message, WidthMaxEnforcer: text.WrapSoft},
	}
}

// exclusionText describes an exclusion on one line.
func exclusionText(x *engine.Exclusion) string {
	s := cmp.Or(x.Reason, "no reason given")
	if !x.Expires.IsZero() {
		s += " (until " + expiresText(x.Expires) + ")"
	}
	if x.Source != "" {
		s += " [" + x.Source + "]"
	}
	return s
}

func (tw *textWriter) summary(v *view) {
	total := v.counts()
	tw.printf("\nSummary: %d findings", total.Total())
	if len(v.notApplicable) > 0 {
		tw.printf(", %d not applicable %s", len(v.notApplicable), plural(len(v.notApplicable), "rule", "rules"))
	}
	tw.printf("\n")
	t := tw.newTable()
	t.AppendHeader(table.Row{"SEVERITY", "FAIL", "ERROR", "UNKNOWN", "EXCLUDED", "PASS", "TOTAL"})
	for _, sc := range v.countsBySeverity() {
		c := sc.Counts
		t.AppendRow(table.Row{tw.colorSeverity(sc.Severity), c.Fail, c.Error, c.Unknown, c.Excluded, c.Pass, c.Total()})
	}
	t.AppendFooter(table.Row{"TOTAL", total.Fail, total.Error, total.Unknown, total.Excluded, total.Pass, total.Total()})
	tw.render(t)

	if v.framework != nil {
		return // the compliance view follows
	}
	cs := v.compliances()
	if len(cs) == 0 {
		return
	}
	tw.printf("\nFrameworks (controls; ERROR and UNKNOWN never count as passing)\n")
	ft := tw.newTable()
	ft.AppendHeader(table.Row{"FRAMEWORK", "CONTROLS", "PASS", "FAIL", "ERROR/UNKNOWN", "NOT EVALUATED", "SCORE"})
	for _, c := range cs {
		ft.AppendRow(table.Row{printable(c.Framework), len(c.Controls), c.Passing, c.Failing, c.Incomplete, c.NotEvaluated, c.percent()})
	}
	tw.render(ft)
}

// notes lists what the tables leave out: rules with nothing to check,
// exclusions that expired and data that could not be collected.
func (tw *textWriter) notes(v *view) {
	if len(v.notApplicable) > 0 {
		tw.printf("\nNot applicable (no relevant entity in any scope):\n")
		for _, r := range v.notApplicable {
			tw.printf("  %s  %s\n", printable(r.ID), printable(r.Title))
		}
	}
	if len(v.run.ExpiredExclusions) > 0 {
		tw.printf("\nExpired exclusions (no longer applied):\n")
		for _, x := range v.run.ExpiredExclusions {
			tw.printf("  %s\n", printable(exclusionText(&x)))
		}
	}
	if len(v.run.Failures) > 0 {
		tw.printf("\nCollection failures (rules needing this data report ERROR):\n")
		for _, f := range v.run.Failures {
			tw.printf("  %s\n", printable(f.String()))
		}
	}
}

func (tw *textWriter) newTable() table.Writer {
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	return t
}

func (tw *textWriter) render(t table.Writer) {
	tw.printf("%s\n", t.Render())
}

var (
	severityColors = map[rules.Severity]text.Colors{
		rules.Critical:      {text.Bold, text.FgHiRed},
		rules.High:          {text.FgRed},
		rules.Medium:        {text.FgYellow},
		rules.Low:           {text.FgCyan},
		rules.Informational: {text.Faint},
	}
	resultColors = map[engine.Result]text.Colors{
		engine.Pass:     {text.FgGreen},
		engine.Fail:     {text.Bold, text.FgRed},
		engine.Error:    {text.FgMagenta},
		engine.Unknown:  {text.FgYellow},
		engine.Excluded: {text.Faint},
	}
	statusColors = map[ControlStatus]text.Colors{
		ControlPass:          {text.FgGreen},
		ControlFail:          {text.Bold, text.FgRed},
		ControlError:         {text.FgMagenta},
		ControlUnknown:       {text.FgYellow},
		ControlExcluded:      {text.Faint},
		ControlNotApplicable: {text.Faint},
	}
)

// paint colours s when colour is on. It uses text.Escape directly rather
// than Colors.Sprint, whose output depends on go-pretty's global reading of
// NO_COLOR and TERM: the caller alone decides.
func (tw *textWriter) paint(s string, c text.Colors) string {
	if !tw.opts.Color || len(c) == 0 {
		return s
	}
	return text.Escape(s, c.EscapeSeq())
}

func (tw *textWriter) colorSeverity(s rules.Severity) string {
	return tw.paint(severityName(s), severityColors[s])
}

func (tw *textWriter) colorResult(r engine.Result) string {
	return tw.paint(printable(string(r)), resultColors[r])
}

func (tw *textWriter) colorStatus(s ControlStatus) string {
	return tw.paint(string(s), statusColors[s])
}

// cell prepares text from the run for a table cell: capped at maxCellRunes
// and printable.
func cell(s string) string {
	if utf8.RuneCountInString(s) > maxCellRunes {
		runes := []rune(s)
		s = fmt.Sprintf("%s… (%d more characters)", string(runes[:maxCellRunes]), len(runes)-maxCellRunes)
	}
	return printable(s)
}

// printable makes text from findings safe to print on a terminal: control
// characters (an entity name is attacker-controlled and could carry escape
// sequences that rewrite the screen) are shown as Go escapes. Newlines are
// kept, since table cells wrap on them.
func printable(s string) string {
	if !strings.ContainsFunc(s, isUnsafe) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isUnsafe(r) {
			q := fmt.Sprintf("%+q", string(r))
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isUnsafe(r rune) bool {
	return r != '\n' && (unicode.IsControl(r) || r == unicode.ReplacementChar ||
		unicode.Is(unicode.Bidi_Control, r))
}

// expiresText renders an expiry as a date, or as a full timestamp when it
// is not at midnight UTC.
func expiresText(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
