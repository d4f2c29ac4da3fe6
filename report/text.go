package report

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strconv"
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

// maxCellRunes caps the text of one table cell: a message or entity ID
// from a hostile or broken source can be megabytes long, which would make
// the table unreadable. The JSON, CSV and SARIF formats keep the full text.
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
// sequences that rewrite the screen) are shown as Go escapes. Newlines are
// kept, since table cells wrap on them.
func printable(s string) string {
	// Most text is ASCII: check it eight bytes at a time, and the rest of
	// the string rune by rune from the first byte that is not.
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
	if s[i] < utf8.RuneSelf || strings.ContainsFunc(s[i:], isUnsafe) {
		return escapeUnsafe(s)
	}
	return s
}

// escapeUnsafe writes the characters of s that isUnsafe reports as Go
// escapes.
func escapeUnsafe(s string) string {
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

// boxTable writes a table of text cells exactly as go-pretty's
// table.Writer renders it with table.StyleLight, a header row and column
// configs that set only WidthMax with text.WrapHard or text.WrapSoft, but
// one line at a time and without go-pretty's per-cell copies, which cost
// more than the rest of a large scan's report. It keeps go-pretty's rules
// (TestBoxTableMatchesGoPretty and FuzzBoxTable compare the two):
//   - tabs become four spaces and carriage returns are processed as
//     text.ProcessCRLF does;
//   - a column is as wide as its longest line (text.LongestLineLen), but
//     no wider than its widthMax;
//   - a cell is wrapped only in a column with a widthMax, by
//     text.WrapHard or text.WrapSoft (appendWrapped does the same for text
//     without escape sequences and calls them for the rest);
//   - each line of a cell loses its trailing spaces and is padded to the
//     column's width (text.AlignLeft); the header is upper-cased
//     (text.FormatUpper);
//   - widths are text.RuneWidth's, rune by rune, escape sequences left to
//     go-pretty's parser; printable ASCII counts one column without asking.
//
// It needs at least one row: go-pretty aligns the columns of a table
// without rows as if they held numbers.
type boxTable struct {
	numColumns int
	// cells holds the header and then the rows, numColumns cells each.
	cells []string
	// columns, when set, has one entry per column.
	columns []boxColumn
	// measures describes each cell; widths is the widest line of each
	// column.
	measures []cellMeasure
	widths   []int
	// escaped remembers the measures, and escapedWidths the widths, of
	// text with escape sequences (coloured severities and results, the
	// same few in every row), which go-pretty's parser is slow to measure.
	escaped       map[string]cellMeasure
	escapedWidths map[string]int
}

// maxEscapedMemo bounds each of boxTable's memos of escaped text.
const maxEscapedMemo = 256

// boxColumn is the configuration of one column of a boxTable.
type boxColumn struct {
	// widthMax is the width the column's cells are wrapped to; zero for
	// no limit.
	widthMax int
	wrap     wrapMode
}

// wrapMode says how text is wrapped to a column's widthMax.
type wrapMode int

const (
	wrapHard wrapMode = iota // text.WrapHard: words are broken at the width
	wrapSoft                 // text.WrapSoft: words move to the next line
)

// box is how a boxTable is drawn: go-pretty's table.StyleLight.
var box = table.StyleLight.Box

// boxPaddingWidth is the width of the padding around a cell.
var boxPaddingWidth = text.StringWidthWithoutEscSequences(box.PaddingLeft + box.PaddingRight)

// newBoxTable returns a table with the given header, with room for rows
// rows.
func newBoxTable(header []string, rows int) *boxTable {
	t := &boxTable{
		numColumns: len(header),
		cells:      make([]string, 0, (rows+1)*len(header)),
		measures:   make([]cellMeasure, 0, (rows+1)*len(header)),
		widths:     make([]int, len(header)),
	}
	t.appendRow(header...)
	return t
}

// appendRow adds a row of one cell per column. It prepares and measures
// the cells at once, while their text is in the processor's cache.
func (t *boxTable) appendRow(cells ...string) {
	if len(cells) != t.numColumns {
		panic(fmt.Sprintf("report: table row of %d cells, want %d", len(cells), t.numColumns))
	}
	for i, c := range cells {
		m, prepare := measureCell(c)
		if prepare {
			c = text.ProcessCRLF(strings.ReplaceAll(c, "\t", "    "))
			m, _ = measureCell(c)
		}
		if m.escapes {
			m = t.measureEscaped(c)
		}
		t.cells = append(t.cells, c)
		t.measures = append(t.measures, m)
		t.widths[i] = max(t.widths[i], int(m.width))
	}
}

// cellMeasure is what one pass over a cell finds.
type cellMeasure struct {
	// width is the display width of the cell's widest line.
	width int32
	// lines counts the cell's lines.
	lines int32
	// escapes is set when the cell holds an escape sequence, whose
	// widths are go-pretty's to compute; ascii when it holds only
	// printable ASCII and newlines, whose width is their length.
	escapes, ascii bool
}

// columnWidths returns the width of the widest line of each column, header
// included, whatever its widthMax.
func (t *boxTable) columnWidths() []int { return t.widths }

// Classes of bytes for the scans of cells.
const (
	bytePrintable = iota // printable ASCII: one column
	byteControl          // other ASCII: no width
	byteNewline
	byteEscape
	bytePrepared // tab and carriage return, which go-pretty replaces
	byteNonASCII
)

var byteClasses = func() (classes [256]uint8) {
	for c := range classes {
		switch {
		case c == '\n':
			classes[c] = byteNewline
		case c == 0x1b:
			classes[c] = byteEscape
		case c == '\t' || c == '\r':
			classes[c] = bytePrepared
		case c >= utf8.RuneSelf:
			classes[c] = byteNonASCII
		case asciiWidth(byte(c)) == 0:
			classes[c] = byteControl
		}
	}
	return classes
}()

// measureEscaped measures a cell with escape sequences as go-pretty does.
func (t *boxTable) measureEscaped(s string) cellMeasure {
	if m, ok := t.escaped[s]; ok {
		return m
	}
	m := cellMeasure{width: int32(text.LongestLineLen(s)), lines: int32(strings.Count(s, "\n") + 1), escapes: true}
	if t.escaped == nil {
		t.escaped = map[string]cellMeasure{}
	}
	if len(t.escaped) < maxEscapedMemo {
		t.escaped[s] = m
	}
	return m
}

// lineWidth is stringWidth(line) for a line of a cell.
func (t *boxTable) lineWidth(line string, escapes bool) int {
	if !escapes {
		return stringWidth(line)
	}
	if w, ok := t.escapedWidths[line]; ok {
		return w
	}
	w := stringWidth(line)
	if t.escapedWidths == nil {
		t.escapedWidths = map[string]int{}
	}
	if len(t.escapedWidths) < maxEscapedMemo {
		t.escapedWidths[line] = w
	}
	return w
}

// measureCell measures a cell in one pass, or reports that it holds a tab
// or carriage return to replace first. It leaves a cell with escape
// sequences to measureEscaped.
func measureCell(s string) (m cellMeasure, prepare bool) {
	longest, width, lines, ascii := 0, 0, 1, true
	for i := 0; i < len(s); {
		n := printableRun(s[i:])
		width += n
		if i += n; i == len(s) {
			break
		}
		switch byteClasses[s[i]] {
		case byteNewline:
			longest, width = max(longest, width), 0
			lines++
			i++
		case byteControl:
			ascii = false
			i++
		case byteEscape:
			return cellMeasure{escapes: true}, strings.ContainsAny(s, "\t\r")
		case bytePrepared:
			return m, true
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			width += text.RuneWidth(r)
			ascii = false
			i += n
		}
	}
	return cellMeasure{width: int32(max(longest, width)), lines: int32(lines), ascii: ascii}, false
}

// printableRun returns the length of the run of printable ASCII that s
// starts with, looking at eight bytes at a time.
func printableRun(s string) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; len(s)-i >= 8; i += 8 {
		// Is there a byte below ' ', or above '~' (DEL and every byte of
		// a non-ASCII rune)?
		if x := load64(s[i:]); ((x-ones*' ')&^x|(x+ones)|x)&highs != 0 {
			break
		}
	}
	for i < len(s) && byteClasses[s[i]] == bytePrintable {
		i++
	}
	return i
}

func (t *boxTable) column(i int) boxColumn {
	if i < len(t.columns) {
		return t.columns[i]
	}
	return boxColumn{}
}

// write writes the table, each line ended by a newline.
func (t *boxTable) write(w io.Writer) error {
	widths := slices.Clone(t.columnWidths())
	for i, wd := range widths {
		if c := t.column(i); c.widthMax > 0 {
			widths[i] = min(wd, c.widthMax)
		}
	}
	rw := &boxRowWriter{t: t, widths: widths, out: make([]byte, 0, 2*textBufferSize),
		spans: make([][2]int, t.numColumns), lines: make([]string, t.numColumns)}
	for _, wd := range widths {
		rw.blanks = append(rw.blanks, box.PaddingLeft+strings.Repeat(" ", wd)+box.PaddingRight)
	}
	rw.border(box.TopLeft, box.TopSeparator, box.TopRight)
	rw.row(0)
	rw.border(box.LeftSeparator, box.MiddleSeparator, box.RightSeparator)
	for i := t.numColumns; i < len(t.cells); i += t.numColumns {
		rw.row(i)
		if len(rw.out) > textBufferSize {
			if _, err := w.Write(rw.out); err != nil {
				return err
			}
			rw.out = rw.out[:0]
		}
	}
	rw.border(box.BottomLeft, box.BottomSeparator, box.BottomRight)
	_, err := w.Write(rw.out)
	return err
}

// boxRowWriter renders the lines of a boxTable into out, reusing its
// buffers from row to row.
type boxRowWriter struct {
	t      *boxTable
	widths []int
	out    []byte
	// wrapped holds the row's wrapped cells and spans what is left to
	// write of each; lines holds what is left of the other cells.
	wrapped []byte
	spans   [][2]int
	lines   []string
	// blanks are the blank cells of each column, padding included.
	blanks []string
}

// border renders a horizontal rule.
func (rw *boxRowWriter) border(left, middle, right string) {
	rw.out = append(rw.out, left...)
	for i, wd := range rw.widths {
		if i > 0 {
			rw.out = append(rw.out, middle...)
		}
		rw.out = append(rw.out, text.RepeatAndTrim(box.MiddleHorizontal, wd+boxPaddingWidth)...)
	}
	rw.out = append(rw.out, right...)
	rw.out = append(rw.out, '\n')
}

// row renders the row whose first cell is t.cells[first], the header when
// first is 0: as many lines as its tallest wrapped cell.
func (rw *boxRowWriter) row(first int) {
	t := rw.t
	cells, measures := t.cells[first:first+t.numColumns], t.measures[first:first+t.numColumns]
	// The cells of the columns with a widthMax are wrapped into one buffer
	// that their lines are then cut from; spans[i] is what is left of
	// cell i in it. lines[i] is what is left of an unwrapped cell.
	rw.wrapped = rw.wrapped[:0]
	height := 1
	for i, c := range cells {
		if col := t.column(i); col.widthMax > 0 {
			start := len(rw.wrapped)
			rw.wrapped = appendWrapped(rw.wrapped, c, measures[i], col.widthMax, col.wrap)
			rw.spans[i] = [2]int{start, len(rw.wrapped)}
			height = max(height, bytes.Count(rw.wrapped[start:], newline)+1)
		} else {
			rw.lines[i] = c
			height = max(height, int(measures[i].lines))
		}
	}
	header := first == 0
	out := rw.out
	for line := range height {
		out = append(out, box.Left...)
		for i, m := range measures {
			if i > 0 {
				out = append(out, box.MiddleVertical...)
			}
			var width int
			if t.column(i).widthMax > 0 {
				span := &rw.spans[i]
				rest := rw.wrapped[span[0]:span[1]]
				if len(rest) == 0 { // a cell with fewer lines than the row
					out = append(out, rw.blanks[i]...)
					continue
				}
				s, after, _ := bytes.Cut(rest, newline)
				span[0] = span[1] - len(after)
				if header {
					s = []byte(text.FormatUpper.Apply(string(s)))
				}
				s = bytes.TrimRight(s, " ")
				if m.ascii && !header {
					width = len(s)
				} else {
					width = t.lineWidth(string(s), m.escapes)
				}
				out = append(out, box.PaddingLeft...)
				out = append(out, s...)
			} else {
				if rw.lines[i] == "" { // a cell with fewer lines than the row
					out = append(out, rw.blanks[i]...)
					continue
				}
				var s string
				if m.lines == 1 {
					s, rw.lines[i] = rw.lines[i], ""
				} else {
					s, rw.lines[i], _ = strings.Cut(rw.lines[i], "\n")
				}
				if header {
					s = text.FormatUpper.Apply(s)
				}
				trimmed := strings.TrimRight(s, " ")
				switch {
				case header:
					width = t.lineWidth(trimmed, m.escapes)
				case m.ascii:
					width = len(trimmed)
				case line == 0 && m.lines == 1 && !m.escapes:
					// the cell's one line as measured, less the spaces
					width = int(m.width) - (len(s) - len(trimmed))
				default:
					width = t.lineWidth(trimmed, m.escapes)
				}
				out = append(out, box.PaddingLeft...)
				out = append(out, trimmed...)
			}
			out = appendSpaces(out, rw.widths[i]-width)
			out = append(out, box.PaddingRight...)
		}
		out = append(out, box.Right...)
		out = append(out, '\n')
	}
	rw.out = out
}

var newline = []byte{'\n'}

const spaces = "                                                                "

// appendSpaces appends n spaces; none when n is not positive.
func appendSpaces(dst []byte, n int) []byte {
	for n > 0 {
		k := min(n, len(spaces))
		dst = append(dst, spaces[:k]...)
		n -= k
	}
	return dst
}

// asciiWidth is text.RuneWidth of an ASCII character: one column for a
// printable one, none for a control character.
func asciiWidth(c byte) int {
	if c >= ' ' && c < 0x7f {
		return 1
	}
	return 0
}

// stringWidth is text.StringWidthWithoutEscSequences(s): how many terminal
// columns s takes.
func stringWidth(s string) int {
	width := printableRun(s)
	for i := width; i < len(s); {
		switch c := s[i]; {
		case c == 0x1b:
			return text.StringWidthWithoutEscSequences(s)
		case c < utf8.RuneSelf:
			width += asciiWidth(c)
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			width += text.RuneWidth(r)
			i += n
		}
	}
	return width
}

// appendWrapped appends cell s wrapped to width columns as text.WrapHard
// or text.WrapSoft (mode) wraps it; m is what measureCell found in s, which
// holds no tab or carriage return. Text with escape sequences is left to
// them; the rest, all the text of a findings table's wrapped columns, is
// wrapped here, the same way but without their copies.
func appendWrapped(dst []byte, s string, m cellMeasure, width int, mode wrapMode) []byte {
	if m.escapes {
		if mode == wrapSoft {
			return append(dst, text.WrapSoft(s, width)...)
		}
		return append(dst, text.WrapHard(s, width)...)
	}
	if width <= 0 {
		return dst
	}
	// go-pretty leaves text alone whose width, all lines together, fits.
	var total int
	switch {
	case m.lines == 1:
		total = int(m.width)
	case m.ascii:
		total = len(s) - int(m.lines-1)
	default:
		total = stringWidth(s)
	}
	if total <= width {
		return append(dst, s...)
	}
	if m.lines == 1 {
		return appendWrappedParagraph(dst, s, width, mode, m.ascii)
	}
	// Paragraphs (separated by an empty line) stay apart; within one,
	// line breaks and runs of spaces become one space.
	first := true
	for paragraph := range strings.SplitSeq(s, "\n\n") {
		if !first {
			dst = append(dst, "\n\n"...)
		}
		first = false
		dst = appendWrappedParagraph(dst, paragraph, width, mode, m.ascii)
	}
	return dst
}

func appendWrappedParagraph(dst []byte, paragraph string, width int, mode wrapMode, ascii bool) []byte {
	if mode == wrapSoft {
		return appendWrappedSoft(dst, paragraph, width, ascii)
	}
	return appendWrappedHard(dst, paragraph, width, ascii)
}

// nextWord returns the first word of s and the rest of s after it,
// splitting s as strings.Fields does: around runs of unicode.IsSpace.
func nextWord(s string) (word, rest string) {
	start, i := -1, 0
	for i < len(s) {
		n, space := 1, false
		if c := s[i]; c < utf8.RuneSelf {
			space = c == ' ' || c >= '\t' && c <= '\r'
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		switch {
		case space && start >= 0:
			return s[start:i], s[i:]
		case !space && start < 0:
			start = i
		}
		i += n
	}
	if start < 0 {
		return "", ""
	}
	return s[start:], ""
}

// nextASCIIWord is nextWord for text of printable ASCII and newlines,
// whose only spaces are ' ' and '\n'.
func nextASCIIWord(s string) (word, rest string) {
	i := 0
	for i < len(s) && s[i] <= ' ' {
		i++
	}
	j := i + asciiWordLen(s[i:])
	return s[i:j], s[j:]
}

// load64 reads the first eight bytes of s, the first in the lowest bits.
func load64(s string) uint64 {
	b := s[:8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// asciiWordLen returns the length of the word that printable ASCII text
// s starts with: up to its first space or newline, the only bytes in it
// not above ' '. It looks at eight bytes at a time.
func asciiWordLen(s string) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; len(s)-i >= 8; i += 8 {
		// The lowest byte flagged is the first below '!': the bytes
		// before it borrow nothing and, being ASCII, flag nothing.
		if x := load64(s[i:]); (x-ones*'!')&^x&highs != 0 {
			return i + bits.TrailingZeros64((x-ones*'!')&^x&highs)/8
		}
	}
	for i < len(s) && s[i] > ' ' {
		i++
	}
	return i
}

// words returns the first word of s and the rest of s after it.
func words(s string, ascii bool) (word, rest string) {
	if ascii {
		return nextASCIIWord(s)
	}
	return nextWord(s)
}

// wordWidth is stringWidth(word), which is its length for ASCII.
func wordWidth(word string, ascii bool) int {
	if ascii {
		return len(word)
	}
	return stringWidth(word)
}

// appendWrappedSoft wraps a paragraph as text.WrapSoft does: a
// word that does not fit on the line starts the next one, padded to width,
// and a word longer than width is broken.
func appendWrappedSoft(dst []byte, paragraph string, width int, ascii bool) []byte {
	lineLen := 0
	for word, rest := words(paragraph, ascii); word != ""; word, rest = words(rest, ascii) {
		// A line that the previous word filled exactly ends here too: the
		// space before this word does not fit.
		spacing := 0
		if lineLen > 0 {
			spacing = 1
		}
		wordLen := wordWidth(word, ascii)
		switch {
		case lineLen+spacing+wordLen <= width:
			if spacing > 0 {
				dst = append(dst, ' ')
			}
			dst = append(dst, word...)
			lineLen += spacing + wordLen
		default:
			if lineLen > 0 {
				if lineLen < width {
					dst = appendSpaces(dst, width-lineLen)
				}
				dst = append(dst, '\n')
				lineLen = 0
			}
			if wordLen <= width {
				dst = append(dst, word...)
				lineLen = wordLen
			} else {
				dst, lineLen = appendBrokenWord(dst, word, lineLen, width, ascii)
			}
		}
	}
	return dst
}

// appendWrappedHard wraps a paragraph as text.WrapHard does: words are
// separated by one space and broken wherever the line is full.
func appendWrappedHard(dst []byte, paragraph string, width int, ascii bool) []byte {
	lineLen, full := 0, false
	for word, rest := words(paragraph, ascii); word != ""; word, rest = words(rest, ascii) {
		if full { // the previous word filled the line exactly
			dst = append(dst, '\n')
			lineLen, full = 0, false
		}
		if lineLen > 0 {
			dst = append(dst, ' ')
			lineLen++
		}
		if wordLen := wordWidth(word, ascii); lineLen+wordLen <= width {
			dst = append(dst, word...)
			lineLen += wordLen
		} else {
			dst, lineLen = appendBrokenWord(dst, word, lineLen, width, ascii)
		}
		full = lineLen == width
	}
	return dst
}

// appendBrokenWord appends word to a line lineLen columns long, starting a
// new line before each character that finds the line full, as go-pretty's
// appendWord does. Like it, it writes invalid UTF-8 as U+FFFD.
//
// A word of printable ASCII (ascii) is copied a line's worth at a time.
func appendBrokenWord(dst []byte, word string, lineLen, width int, ascii bool) ([]byte, int) {
	for ascii && word != "" {
		if lineLen >= width {
			dst = append(dst, '\n')
			lineLen = 0
		}
		n := min(width-lineLen, len(word))
		dst = append(dst, word[:n]...)
		lineLen += n
		word = word[n:]
	}
	for _, r := range word {
		if lineLen >= width {
			dst = append(dst, '\n')
			lineLen = 0
		}
		dst = utf8.AppendRune(dst, r)
		if r < utf8.RuneSelf {
			lineLen += asciiWidth(byte(r))
		} else {
			lineLen += text.RuneWidth(r)
		}
	}
	return dst, lineLen
}
