package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// textWriter writes the text report: a table of the findings that need
// attention, summaries per severity and per framework, and the compliance
// view when a framework is selected.
type textWriter struct {
	w    io.Writer
	opts Options
	err  error
	// severityCells and resultCells remember the (coloured) table cells
	// of each severity and result: a large table repeats a handful.
	severityCells map[rules.Severity]string
	resultCells   map[engine.Result]string
	// scratch is a buffer for building cells.
	scratch []byte
}

type textFormat struct{}

func init() { register("text", textFormat{}) }

// Minimum widths the wrapped columns keep however narrow the terminal.
const (
	minMessageWidth = 30
	minEntityWidth  = 24
)

// maxCellRunes caps the text of one table cell: a message made of many
// values, each cut at entity.MaxShown characters, can still be long enough
// to make the table unreadable. The JSON, CSV and SARIF formats keep the
// whole message.
const maxCellRunes = 2000

func (textFormat) Write(w io.Writer, run *engine.Run, opts Options) error {
	v, err := newView(run, opts)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, textBufferSize)
	tw := &textWriter{w: bw, opts: opts}
	tw.header(v)
	tw.findings(v)
	tw.summary(v)
	if v.framework != nil {
		for _, c := range v.compliances() {
			tw.compliance(c)
		}
	}
	tw.notes(v)
	if tw.err == nil {
		tw.err = bw.Flush()
	}
	return tw.err
}

// textBufferSize is the size of the buffer the text report is written
// through: large enough that a big findings table goes out in few writes.
const textBufferSize = 64 << 10

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

// rank orders the table's rows: the results that most need a reader
// first. A result this package does not know is treated like ERROR.
func rank(r engine.Result) int {
	switch r {
	case engine.Fail:
		return 0
	case engine.Unknown:
		return 2
	case engine.Excluded:
		return 3
	case engine.Pass:
		return 4
	}
	return 1
}

// findingsHeader is the findings table's header row.
var findingsHeader = []string{"SEVERITY", "RULE", "RESULT", "ENTITY", "LOCATION", "MESSAGE"}

// Columns of the findings table that wrap when the terminal is too narrow,
// counted from 1 as go-pretty's ColumnConfig.Number does.
const (
	entityColumn  = 4
	messageColumn = 6
)

// findings writes the table of the findings that need attention (all of
// them with ShowPass), most severe and most urgent first.
func (tw *textWriter) findings(v *view) {
	tw.printf("\n")
	t := tw.findingsTable(v)
	if t == nil {
		if len(v.findings) == 0 {
			tw.printf("No findings.\n")
		} else {
			tw.printf("No findings need attention: all %d passed.\n", len(v.findings))
		}
		return
	}
	tw.printf("%s\n\n", tableIntro(v.counts(), tw.opts.ShowPass))
	if tw.err != nil {
		return
	}
	// A scan of a large estate has tens of thousands of rows, so the table
	// is written line by line by boxTable rather than built whole by
	// go-pretty; the output is the same. boxTable buffers its lines
	// itself, in pieces larger than tw.w's buffer, which an empty
	// bufio.Writer passes on without copying them.
	if bw, ok := tw.w.(*bufio.Writer); ok {
		if tw.err = bw.Flush(); tw.err != nil {
			return
		}
	}
	tw.err = t.write(tw.w)
}

// tableIntro is the line above the findings table: how many findings of
// each result there are, so that a reader paging through thousands of rows
// knows at once what the scan found and that the summary is at the end.
func tableIntro(c Counts, showPass bool) string {
	var parts []string
	for _, p := range []struct {
		n    int
		name engine.Result
	}{{c.Fail, engine.Fail}, {c.Error, engine.Error}, {c.Unknown, engine.Unknown}, {c.Excluded, engine.Excluded}, {c.Pass, engine.Pass}} {
		if p.n > 0 {
			parts = append(parts, strconv.Itoa(p.n)+" "+string(p.name))
		}
	}
	s := fmt.Sprintf("%d %s: %s.", c.Total(), plural(c.Total(), "finding", "findings"), strings.Join(parts, ", "))
	if c.Pass > 0 && !showPass {
		s += " The table leaves out PASS (--show-pass lists them)."
	}
	return s + " The summary is at the end."
}

// findingsTable returns the table of findings the text report shows, or
// nil when it shows none.
func (tw *textWriter) findingsTable(v *view) *boxTable {
	type sortedFinding struct {
		severity, rank, index int
		f                     *engine.Finding
	}
	sorted := make([]sortedFinding, 0, len(v.findings))
	for _, f := range v.findings {
		if f.Result != engine.Pass || tw.opts.ShowPass {
			sorted = append(sorted, sortedFinding{int(f.Rule.Severity), rank(f.Result), len(sorted), f})
		}
	}
	if len(sorted) == 0 {
		return nil
	}
	// Stable: findings of the same severity and result stay in the view's
	// order. The index makes the keys distinct, so an unstable sort will do.
	slices.SortFunc(sorted, func(a, b sortedFinding) int {
		switch {
		case a.severity != b.severity:
			return cmp.Compare(b.severity, a.severity)
		case a.rank != b.rank:
			return cmp.Compare(a.rank, b.rank)
		}
		return cmp.Compare(a.index, b.index)
	})
	t := newBoxTable(findingsHeader, len(sorted))
	for _, s := range sorted {
		f := s.f
		result := tw.colorResult(f.Result)
		if f.Result == engine.Excluded {
			result += " (" + string(underlying(f)) + ")"
		}
		msg := f.Message
		if x := f.Exclusion; x != nil {
			msg = strings.TrimSpace(msg + "\nexcluded: " + exclusionText(x))
		}
		t.appendRow(tw.colorSeverity(f.Rule.Severity), cell(f.Rule.ID), result,
			cell(subject(f)), cell(tw.location(f)), cell(msg))
	}
	if tw.opts.Width > 0 {
		t.columns = fitColumns(t.columnWidths(), tw.opts.Width)
	}
	return t
}

// location is location(f), written without fmt for a file position,
// which a table of thousands of rows notices.
func (tw *textWriter) location(f *engine.Finding) string {
	if f.Entity == nil || f.Entity.Origin.File == "" || f.Entity.Origin.Start.Line <= 0 {
		return location(f)
	}
	o := f.Entity.Origin
	b := tw.scratch[:0]
	b = append(b, o.File...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(o.Start.Line), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(o.Start.Col), 10)
	tw.scratch = b
	return string(b)
}

// fitColumns wraps the entity and message columns so that the table fits
// in width terminal columns where it can: the entity column takes at most a
// quarter of the width, the message what is left; neither goes below its
// minimum, so a very narrow terminal gets a wider table rather than an
// unreadable one. widths are the widest line of each column.
func fitColumns(widths []int, width int) []boxColumn {
	border := 3*len(widths) + 1 // "│ " before each cell, " " after, final "│"
	entity := min(widths[entityColumn-1], max(minEntityWidth, width/4))
	fixed := border + entity
	for i, w := range widths {
		if i != entityColumn-1 && i != messageColumn-1 {
			fixed += w
		}
	}
	message := max(minMessageWidth, width-fixed)
	columns := make([]boxColumn, len(widths))
	columns[entityColumn-1] = boxColumn{widthMax: entity, wrap: wrapHard}
	columns[messageColumn-1] = boxColumn{widthMax: message, wrap: wrapSoft}
	return columns
}

// exclusionText describes an exclusion on one line.
func exclusionText(x *engine.Exclusion) string {
	s := cmp.Or(entity.Shown(x.Reason), "no reason given")
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
	if inputs, _ := failureNotes(v.run); len(inputs) > 0 {
		tw.printf("%s\n", incompleteText(len(inputs)))
	}
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
	tw.score(v)
}

// score sums the run up in one line when no framework was selected: the
// share of rules that hold everywhere they were evaluated (a rule with any
// FAIL, ERROR or UNKNOWN finding does not), and how to see a framework's
// controls.
func (tw *textWriter) score(v *view) {
	byRule := map[string]*Counts{}
	for _, f := range v.findings {
		c := byRule[f.Rule.ID]
		if c == nil {
			c = &Counts{}
			byRule[f.Rule.ID] = c
		}
		c.add(f.Result)
	}
	passing, evaluated := 0, 0
	for _, c := range byRule {
		switch st := statusOf(*c); {
		case st == ControlPass:
			passing++
			evaluated++
		case st.evaluated():
			evaluated++
		}
	}
	if evaluated == 0 {
		return
	}
	tw.printf("\nScore: %d of %d rules pass (%d%%); --framework NAME shows a framework's controls.\n",
		passing, evaluated, passing*100/evaluated)
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
	tw.failures(v)
}

// failures lists the input files that could not be read or parsed, and
// the data that could not be collected.
func (tw *textWriter) failures(v *view) {
	inputs, collections := failureNotes(v.run)
	if len(inputs) > 0 {
		tw.printf("\nInput failures (what they declare is missing; rules on it report ERROR):\n")
		for _, n := range inputs {
			tw.printf("  %s\n", printable(n.String()))
		}
	}
	if len(collections) > 0 {
		tw.printf("\nCollection failures (rules needing this data report ERROR):\n")
		for _, n := range collections {
			tw.printf("  %s\n", printable(n.String()))
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
	c, ok := tw.severityCells[s]
	if !ok {
		c = tw.paint(severityName(s), severityColors[s])
		if tw.severityCells == nil {
			tw.severityCells = map[rules.Severity]string{}
		}
		tw.severityCells[s] = c
	}
	return c
}

func (tw *textWriter) colorResult(r engine.Result) string {
	c, ok := tw.resultCells[r]
	if !ok {
		c = tw.paint(printable(string(r)), resultColors[r])
		if tw.resultCells == nil {
			tw.resultCells = map[engine.Result]string{}
		}
		tw.resultCells[r] = c
	}
	return c
}

func (tw *textWriter) colorStatus(s ControlStatus) string {
	return tw.paint(string(s), statusColors[s])
}

// cell prepares text from the run for a table cell: capped at maxCellRunes
// and printable.
func cell(s string) string {
	if len(s) > maxCellRunes && utf8.RuneCountInString(s) > maxCellRunes {
		runes := []rune(s)
		s = fmt.Sprintf("%s… (%d more characters)", string(runes[:maxCellRunes]), len(runes)-maxCellRunes)
	}
	return printable(s)
}

// printable makes text from findings safe to print on a terminal: control
// characters (an entity name is attacker-controlled and could carry escape
// sequences that rewrite the screen) and bytes that are not UTF-8 are shown
// as Go escapes (entity.Printable). Newlines are kept, since table cells wrap
// on them.
func printable(s string) string {
	// Most text is printable ASCII: check it eight bytes at a time.
	i := 0
	for {
		if i += printableRun(s[i:]); i == len(s) {
			return s
		}
		if s[i] != '\n' {
			break
		}
		i++
	}
	return entity.Printable(s, "\n")
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
