package report

// This file is the compact layout of the text report ("vigil scan
// --compact"): a table of the findings, most severe first, each a row of
// severity, result, rule, resource and location with its message cut to
// one line below (and with --explain, the GSL explanation and trace
// wrapped under it). The whole report keeps to 80 columns, or to the width
// when it is narrower.

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"vigil/engine"
)

// compactWidth is the widest the compact layout gets, whatever the
// terminal: it is meant for 80 columns.
const compactWidth = 80

// compactHeader is the compact table's header row.
var compactHeader = [...]string{"SEVERITY", "RESULT", "RULE", "RESOURCE", "LOCATION"}

// compactTable writes the compact table of the shown findings.
func (tw *textWriter) compactTable(v *view, shown []*engine.Finding) {
	if len(shown) == 0 {
		return
	}
	width := tw.opts.Width
	type row struct {
		f                             *engine.Finding
		result, rule, resource, where string
	}
	rows := make([]row, len(shown))
	widths := [len(compactHeader)]int{}
	for i, h := range compactHeader {
		widths[i] = len(h)
	}
	for i, f := range shown {
		r := row{f: f, result: printable(string(f.Result)), rule: printable(f.Rule.ID), resource: cell(subject(f)), where: cell(shortLocation(f))}
		rows[i] = r
		widths[0] = max(widths[0], len(severityName(f.Rule.Severity)))
		widths[1] = max(widths[1], stringWidth(r.result))
		widths[2] = max(widths[2], min(maxRuleColumn, stringWidth(r.rule)))
		widths[3] = max(widths[3], stringWidth(r.resource))
		widths[4] = max(widths[4], stringWidth(r.where))
	}
	// The resource and location columns share what the others leave, the
	// location at most two fifths of it; both are cut from the left, where
	// paths and ARNs say least.
	room := width - (widths[0] + widths[1] + widths[2] + 4*len(columnGap))
	if widths[3]+widths[4] > room {
		widths[4] = min(widths[4], max(1, room*2/5))
		widths[3] = max(1, room-widths[4])
	}
	tw.writeLine("")
	tw.compactRow(width, widths, compactHeader[0], compactHeader[1], compactHeader[2],
		cutLine(compactHeader[3], widths[3]), cutLine(compactHeader[4], widths[4]))
	for _, r := range rows {
		cells := []string{severityName(r.f.Rule.Severity), r.result,
			cutLine(r.rule, widths[2]), cutLeft(r.resource, widths[3]), cutLeft(r.where, widths[4])}
		if tw.opts.Color {
			cells[0], cells[1] = tw.colorSeverity(r.f.Rule.Severity), tw.colorResult(r.f.Result)
		}
		tw.compactRow(width, widths, cells...)
		msg, _, _ := strings.Cut(cell(r.f.Message), "\n")
		if r.f.Result == engine.Excluded {
			msg = cell(excludedText(r.f))
		}
		if msg != "" {
			tw.writeLine("  " + cutLine(msg, width-2))
		}
		if tw.opts.Explain {
			// The message was cut to one line: the explanation is
			// written whole even when it is the message.
			tw.explanation("  ", r.f, false)
		}
	}
}

// compactRow writes one row of the compact table (see columnRow).
func (tw *textWriter) compactRow(width int, widths [len(compactHeader)]int, cells ...string) {
	tw.writeLine(columnRow(width, widths[:], cells...))
}

// shortLocation says where a finding's entity is in few characters:
// file:line for code, the region for a live resource.
func shortLocation(f *engine.Finding) string {
	if f.Entity == nil {
		return ""
	}
	if o := f.Entity.Origin; o.File != "" {
		if o.Start.Line > 0 {
			return o.File + ":" + strconv.Itoa(o.Start.Line)
		}
		return o.File
	}
	return f.Entity.Region
}

// cutLeft shortens s to width columns by dropping its start, marked with
// "…": the end of a path or ARN names the resource.
func cutLeft(s string, width int) string {
	w := stringWidth(s)
	if width <= 0 || w <= width {
		return s
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		w -= runeWidth(r)
		i += n
		if w <= width-1 {
			return "…" + s[i:]
		}
	}
	return "…"
}
