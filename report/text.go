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

	"github.com/jedib0t/go-pretty/v6/text"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// textWriter writes the text report: the findings that need attention, in
// the default layout (grouped by resource, with their code, message, fix and
// link) or the compact one (a table in 80 columns), then the summary and,
// when a framework is selected, its compliance view.
type textWriter struct {
	w    io.Writer
	opts Options
	err  error
	// severityCells and resultCells remember the (coloured) text of each
	// severity and result: a large report repeats a handful.
	severityCells map[rules.Severity]string
	resultCells   map[engine.Result]string
	// line is a buffer for building a line, pieces one for the pieces
	// of a wrapped line.
	line   []byte
	pieces []string
}

type textFormat struct{}

func init() { register("text", textFormat{}) }

// maxCellRunes caps a text from the run (a message, a title) where the
// text report shows it: a message made of many values, each cut at
// entity.MaxShown characters, can still be long enough to bury the rest.
// The JSON, CSV and SARIF formats keep the whole message.
const maxCellRunes = 2000

func (textFormat) Write(w io.Writer, run *engine.Run, opts Options) error {
	v, err := newView(run, opts)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, textBufferSize)
	if opts.Compact && (opts.Width <= 0 || opts.Width > compactWidth) {
		opts.Width = compactWidth
	}
	tw := &textWriter{w: bw, opts: opts}
	tw.header(v)
	shown := tw.shownFindings(v)
	tw.intro(v, len(shown))
	if opts.Compact {
		tw.compactTable(v, shown)
	} else {
		tw.detailed(v, shown)
	}
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
// through: large enough that a big report goes out in few writes.
const textBufferSize = 64 << 10

func (tw *textWriter) printf(format string, args ...any) {
	if tw.err == nil {
		_, tw.err = fmt.Fprintf(tw.w, format, args...)
	}
}

// writeLine writes s and a newline.
func (tw *textWriter) writeLine(s string) { tw.writePrefixed("", s) }

// writePrefixed writes prefix, s and a newline, without the spaces that
// would end the line.
func (tw *textWriter) writePrefixed(prefix, s string) {
	if tw.err == nil {
		if s == "" {
			prefix = strings.TrimRight(prefix, " ")
		}
		tw.line = append(append(tw.line[:0], prefix...), strings.TrimRight(s, " ")...)
		tw.line = append(tw.line, '\n')
		_, tw.err = tw.w.Write(tw.line)
	}
}

// para writes text from the run or about it, made printable and wrapped
// to the width: each of its lines starts with indent, and the pieces a long
// line is broken into start with indent and hang. The prefixes are spaces
// or other printable ASCII.
func (tw *textWriter) para(indent, hang, s string) {
	tw.block(indent, len(indent), indent, indent+hang, s)
}

// block writes s as para does, with other prefixes: the first line starts
// with first, whose width is firstWidth (it may be coloured), the other
// lines with indent, and the pieces a long line is broken into with hang.
func (tw *textWriter) block(first string, firstWidth int, indent, hang string, s string) {
	room := func(prefixWidth int) int {
		if tw.opts.Width <= 0 {
			return 0
		}
		return max(1, tw.opts.Width-prefixWidth)
	}
	rest := room(len(hang))
	prefix, width := first, firstWidth
	for line := range strings.SplitSeq(cell(s), "\n") {
		tw.pieces = appendWrappedLine(tw.pieces[:0], line, room(width), rest)
		for i, piece := range tw.pieces {
			if i > 0 {
				prefix = hang
			}
			tw.writePrefixed(prefix, piece)
		}
		prefix, width = indent, len(indent)
	}
}

// maxHeaderScopes is how many scopes the text report's header names.
const maxHeaderScopes = 5

func (tw *textWriter) header(v *view) {
	tool := cmp.Or(tw.opts.Tool, "vigil")
	s := fmt.Sprintf("%s scan at %s", tool, v.run.Started.UTC().Format(time.RFC3339))
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
		s += ". Scopes: " + strings.Join(scopes, ", ")
	}
	tw.para("", "  ", s)
	if v.framework != nil {
		tw.para("", "  ", fmt.Sprintf("Framework: %s (only rules mapped to it are reported)", v.framework.String()))
	}
}

// rank orders findings of one severity: the results that most need a
// reader first. A result this package does not know is treated like ERROR.
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

// shownFindings returns the findings the text report lists: those that
// need attention (all of them with ShowPass), most severe and most urgent
// first, in the view's order otherwise.
func (tw *textWriter) shownFindings(v *view) []*engine.Finding {
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
	// The index makes the keys distinct, so an unstable sort will do.
	slices.SortFunc(sorted, func(a, b sortedFinding) int {
		switch {
		case a.severity != b.severity:
			return cmp.Compare(b.severity, a.severity)
		case a.rank != b.rank:
			return cmp.Compare(a.rank, b.rank)
		}
		return cmp.Compare(a.index, b.index)
	})
	shown := make([]*engine.Finding, len(sorted))
	for i, s := range sorted {
		shown[i] = s.f
	}
	return shown
}

// intro is the line above the findings: how many of each result there
// are, so that a reader paging through thousands of them knows at once
// what the scan found and that the summary is at the end.
func (tw *textWriter) intro(v *view, shown int) {
	c := v.counts()
	switch {
	case c.Total() == 0:
		tw.writeLine("No findings.")
		return
	case shown == 0:
		tw.para("", "", fmt.Sprintf("No findings need attention: all %d passed.", c.Total()))
		return
	}
	s := fmt.Sprintf("%d %s: %s", c.Total(), plural(c.Total(), "finding", "findings"), c.String())
	if c.Pass > 0 && !tw.opts.ShowPass {
		s += " (PASS left out: --show-pass lists it)"
	}
	s += ", most severe first"
	if !tw.opts.Compact {
		s += "; --format html or json shows each fix whole"
	}
	tw.para("", "", s+"; the summary is at the end.")
}

// String counts the results in words: "2 FAIL, 1 ERROR, 4 PASS".
func (c Counts) String() string {
	var parts []string
	for _, r := range []engine.Result{engine.Fail, engine.Error, engine.Unknown, engine.Excluded, engine.Pass} {
		if n := c.of(r); n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+string(r))
		}
	}
	return strings.Join(parts, ", ")
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

// summary counts the findings per result, and per severity within each
// result, then sums the run up in a score.
func (tw *textWriter) summary(v *view) {
	total := v.counts()
	tw.writeLine("")
	s := fmt.Sprintf("Summary: %d %s", total.Total(), plural(total.Total(), "finding", "findings"))
	bySeverity := v.countsBySeverity()
	var parts []string
	for _, r := range []engine.Result{engine.Fail, engine.Error, engine.Unknown, engine.Excluded, engine.Pass} {
		n := total.of(r)
		if n == 0 {
			continue
		}
		var severities []string
		for _, sc := range bySeverity {
			if k := sc.Counts.of(r); k > 0 {
				severities = append(severities, severityName(sc.Severity)+" "+strconv.Itoa(k))
			}
		}
		parts = append(parts, fmt.Sprintf("%d %s (%s)", n, r, strings.Join(severities, ", ")))
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	if n := len(v.notApplicable); n > 0 {
		s += fmt.Sprintf("; %d not applicable %s", n, plural(n, "rule", "rules"))
		if !tw.opts.ShowPass {
			s += " (--show-pass lists " + plural(n, "it", "them") + ")"
		}
	}
	tw.para("", "  ", s+".")
	if inputs, _ := failureNotes(v.run); len(inputs) > 0 {
		tw.para("", "  ", incompleteText(len(inputs)))
	}
	if v.framework != nil {
		return // the compliance view follows
	}
	tw.score(v)
}

// of returns the count of one result.
func (c Counts) of(r engine.Result) int {
	switch r {
	case engine.Pass:
		return c.Pass
	case engine.Fail:
		return c.Fail
	case engine.Unknown:
		return c.Unknown
	case engine.Excluded:
		return c.Excluded
	}
	return c.Error
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
	tw.para("", "  ", fmt.Sprintf("Score: %d of %d rules pass (%d%%); --framework NAME shows a framework's controls.",
		passing, evaluated, passing*100/evaluated))
}

// notes lists what the findings leave out: rules with nothing to check
// (with ShowPass: like PASS, they need no attention), exclusions that
// expired and data that could not be collected.
func (tw *textWriter) notes(v *view) {
	if len(v.notApplicable) > 0 && tw.opts.ShowPass {
		tw.writeLine("")
		tw.writeLine("Not applicable (no relevant entity in any scope):")
		for _, r := range v.notApplicable {
			tw.para("  ", "    ", r.ID+"  "+r.Title)
		}
	}
	if len(v.run.ExpiredExclusions) > 0 {
		tw.writeLine("")
		tw.writeLine("Expired exclusions (no longer applied):")
		for _, x := range v.run.ExpiredExclusions {
			tw.para("  ", "    ", exclusionText(&x))
		}
	}
	tw.failures(v)
}

// failures lists the input files that could not be read or parsed, and
// the data that could not be collected.
func (tw *textWriter) failures(v *view) {
	inputs, collections := failureNotes(v.run)
	if len(inputs) > 0 {
		tw.writeLine("")
		tw.para("", "  ", "Input failures (what they declare is missing; rules on it report ERROR):")
		for _, n := range inputs {
			tw.para("  ", "    ", n.String())
		}
	}
	if len(collections) > 0 {
		tw.writeLine("")
		tw.para("", "  ", "Collection failures (rules needing this data report ERROR):")
		for _, n := range collections {
			tw.para("  ", "    ", n.String())
		}
	}
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

// bold is s in bold when colour is on. s is printable: it holds no escape
// sequence that text.Escape would have to carry the bold across.
func (tw *textWriter) bold(s string) string {
	if !tw.opts.Color {
		return s
	}
	return boldSeq + s + text.EscapeReset
}

var boldSeq = text.Colors{text.Bold}.EscapeSeq()

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

// colorResult is the result's name, made printable and coloured.
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
