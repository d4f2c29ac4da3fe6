package report

// This file is the findings table of the text report: boxTable, which
// draws what go-pretty would, one line at a time (see boxTable), and the
// measuring and wrapping of its cells.

import (
	"bytes"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

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
