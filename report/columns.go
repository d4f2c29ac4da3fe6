package report

import (
	"strings"

	"github.com/jedib0t/go-pretty/v6/text"
)

// The text reports' tables (the compact layout's findings, the compliance
// view's controls) are columns of cells two spaces apart, each cell padded
// to its column's width, with no rules or borders: lines a terminal, a CI
// log and a diff all show alike. columnRow is the one place that lays a
// row out.

// columnGap is the space between two columns.
const columnGap = "  "

// columnRow lays out one row: each cell (which may be coloured: escapes do
// not count) padded to its column's width, the last one not padded. A row
// wider than width is cut to it, without colour, so that a terminal too
// narrow for the columns still gets one line per row.
func columnRow(width int, widths []int, cells ...string) string {
	var b strings.Builder
	for i, c := range cells {
		if i > 0 {
			b.WriteString(columnGap)
		}
		b.WriteString(c)
		if i < len(cells)-1 {
			b.WriteString(spacesFor(widths[i] - stringWidth(c)))
		}
	}
	line := b.String()
	if width > 0 && stringWidth(line) > width {
		line = cutLine(text.StripEscape(line), width)
	}
	return line
}

// columnWidths returns the width of each column: its widest cell, escapes
// not counted.
func columnWidths(rows ...[]string) []int {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], stringWidth(c))
		}
	}
	return widths
}

// rowWidth is the width of a row laid out in columns of widths.
func rowWidth(widths []int) int {
	n := len(columnGap) * max(len(widths)-1, 0)
	for _, w := range widths {
		n += w
	}
	return n
}
