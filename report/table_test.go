package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"vigil/engine"
	"vigil/entity"
)

// The findings table is written by boxTable, which must write exactly
// what go-pretty renders for the same cells and column configs. These
// tests render random and hostile tables both ways and compare them.

// goPrettyTable renders rows (the first is the header) with go-pretty, as
// the text report rendered its findings table before boxTable.
func goPrettyTable(rows [][]string, columns []boxColumn) string {
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.AppendHeader(tableRow(rows[0]))
	for _, r := range rows[1:] {
		t.AppendRow(tableRow(r))
	}
	var configs []table.ColumnConfig
	for i, c := range columns {
		if c.widthMax > 0 {
			enforcer := text.WrapHard
			if c.wrap == wrapSoft {
				enforcer = text.WrapSoft
			}
			configs = append(configs, table.ColumnConfig{Number: i + 1, WidthMax: c.widthMax, WidthMaxEnforcer: enforcer})
		}
	}
	t.SetColumnConfigs(configs)
	return t.Render() + "\n"
}

func tableRow(cells []string) table.Row {
	r := make(table.Row, len(cells))
	for i, c := range cells {
		r[i] = c
	}
	return r
}

// boxTableString renders rows (the first is the header) with boxTable.
func boxTableString(rows [][]string, columns []boxColumn) string {
	t := newBoxTable(rows[0], len(rows)-1)
	for _, r := range rows[1:] {
		t.appendRow(r...)
	}
	t.columns = columns
	return renderBoxTable(t)
}

func renderBoxTable(t *boxTable) string {
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	t.write(w)
	if err := w.Flush(); err != nil {
		panic(err)
	}
	return out.String()
}

// cellPieces are what random cells are made of: words, the entity IDs,
// locations and messages of real findings, runs of spaces, newlines and
// paragraph breaks, tabs and carriage returns, wide (East Asian) and
// ambiguous-width runes, combining and zero-width runes, emoji, Unicode
// spaces that strings.Fields splits on, ANSI colours, broken and OSC
// escape sequences, control characters, invalid UTF-8, box drawing
// characters and words longer than any wrap width.
var cellPieces = []string{
	"a", "word", "is", "false,", "want", "true", "module.logging.aws_cloudtrail.this", "envs/team0042/main.tf:12",
	"arn:aws:cloudtrail:eu-west-1:123456789012:trail/eu-audit", "excluded: accepted until 2027-03-31 [main.tf:3]",
	" ", " ", " ", "  ", "   ", "\n", "\n", "\n\n", "\n\n\n", " \n ", "\t", "\r\n", "\r", "x\ry",
	"生命", "東京都の", "ｱｲｳ", "±", "§", "é", "e\u0301", "\u200b", "\u200d", "😀", "👩\u200d💻", "\u00a0", "\u3000", "\u2028", "\u0085",
	"\x1b[1;31m", "\x1b[0m", "\x1b[2m", "\x1b[33mFAIL\x1b[0m", "\x1b[", "\x1b]8;;http://x.example\x07", "\x1b]8;;\x07", "\x1b[38;5;200m",
	"\x00", "\x07", "\x7f", "\u009b", "\xff", "\xe6\x97", "│", "─",
	strings.Repeat("x", 70), strings.Repeat("生", 30), strings.Repeat("ab ", 25),
}

func randomCell(rng *rand.Rand, pieces []string) string {
	if rng.IntN(10) == 0 {
		return ""
	}
	var b strings.Builder
	for range rng.IntN(12) {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

var randomWidths = []int{0, 0, 0, 1, 2, 3, 4, 5, 7, 10, 17, 24, 30, 57, 80}

func randomTable(rng *rand.Rand, pieces []string) ([][]string, []boxColumn) {
	numColumns, numRows := 1+rng.IntN(7), 1+rng.IntN(5)
	rows := make([][]string, numRows+1)
	for i := range rows {
		rows[i] = make([]string, numColumns)
		for j := range rows[i] {
			rows[i][j] = randomCell(rng, pieces)
		}
	}
	var columns []boxColumn
	if rng.IntN(4) > 0 {
		columns = make([]boxColumn, numColumns)
		for i := range columns {
			columns[i] = boxColumn{widthMax: randomWidths[rng.IntN(len(randomWidths))], wrap: wrapMode(rng.IntN(2))}
		}
	}
	return rows, columns
}

func TestBoxTableMatchesGoPretty(t *testing.T) {
	for _, eastAsian := range []bool{false, true} {
		t.Run(fmt.Sprintf("east-asian-%v", eastAsian), func(t *testing.T) {
			setEastAsianWidth(t, eastAsian)
			tables := 1500
			if testing.Short() {
				tables = 150
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(cellPieces))))
			for i := range tables {
				rows, columns := randomTable(rng, cellPieces)
				want := goPrettyTable(rows, columns)
				if got := boxTableString(rows, columns); got != want {
					t.Fatalf("table %d: rows %q, columns %+v:\n%s", i, rows, columns, lineDiff(want, got))
				}
			}
		})
	}
}

// TestBoxTableEdgeCases covers what random tables may miss.
func TestBoxTableEdgeCases(t *testing.T) {
	long := strings.Repeat("word ", 40)
	cases := []struct {
		name    string
		rows    [][]string
		columns []boxColumn
	}{
		{"one empty cell", [][]string{{""}, {""}}, nil},
		{"lower-case header", [][]string{{"severity", "Rule ID"}, {"High", "x"}}, nil},
		{"header longer than cells", [][]string{{"MESSAGE"}, {"a"}}, []boxColumn{{widthMax: 3, wrap: wrapSoft}}},
		{"cell of spaces", [][]string{{"A", "B"}, {"   ", " x "}}, nil},
		{"trailing newlines", [][]string{{"A", "B"}, {"x\n\n\n", "\ny"}}, nil},
		{"line exactly the width", [][]string{{"A"}, {"abcde fghij"}}, []boxColumn{{widthMax: 5, wrap: wrapSoft}}},
		{"words exactly the width", [][]string{{"A"}, {"abcde fghij"}}, []boxColumn{{widthMax: 5, wrap: wrapHard}}},
		{"wide rune at the edge", [][]string{{"A"}, {"ab生cd 生生生 e"}}, []boxColumn{{widthMax: 3, wrap: wrapHard}}},
		{"wide rune in a width of one", [][]string{{"A"}, {"生命 x 生"}}, []boxColumn{{widthMax: 1, wrap: wrapSoft}}},
		{"long message", [][]string{{"A", "B"}, {long, long}}, []boxColumn{{widthMax: 30, wrap: wrapHard}, {widthMax: 31, wrap: wrapSoft}}},
		{"paragraphs", [][]string{{"A"}, {"first para\n\nsecond  para\n\n\nthird"}}, []boxColumn{{widthMax: 6, wrap: wrapSoft}}},
		{"coloured wrapped cell", [][]string{{"A"}, {"\x1b[31mred text that wraps\x1b[0m plain"}}, []boxColumn{{widthMax: 6, wrap: wrapSoft}}},
		{"unterminated escape then spaces", [][]string{{"A", "B"}, {"\x1b[31  ", "x"}}, nil},
		{"escape with a newline inside", [][]string{{"A", "B"}, {"\x1b]8;;a\nb\x07link", "x"}}, nil},
		{"tabs and carriage returns", [][]string{{"A\tB", "C"}, {"a\tb\r\nc", "over\rwrite"}}, []boxColumn{{widthMax: 4}}},
		{"invalid UTF-8 broken", [][]string{{"A"}, {"\xff\xfe\xfdabcdef"}}, []boxColumn{{widthMax: 2, wrap: wrapHard}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := goPrettyTable(tc.rows, tc.columns)
			if got := boxTableString(tc.rows, tc.columns); got != want {
				t.Errorf("rows %q:\n%s", tc.rows, lineDiff(want, got))
			}
		})
	}
}

// TestFindingsTableMatchesGoPretty renders the findings tables of random
// runs, hostile text included, at several terminal widths, with and
// without colour, with boxTable and with go-pretty.
func TestFindingsTableMatchesGoPretty(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 40 {
		run := largeRun(60)
		for _, f := range run.Findings {
			if rng.IntN(3) == 0 {
				f.Message = randomCell(rng, cellPieces)
			}
			if rng.IntN(4) == 0 {
				f.Entity.ID = randomCell(rng, cellPieces)
			}
			if rng.IntN(8) == 0 {
				f.Entity.Origin.File = randomCell(rng, cellPieces)
			}
		}
		for _, opts := range []Options{
			{}, {Color: true}, {ShowPass: true},
			{Width: 1}, {Width: 40}, {Width: 80, Color: true}, {Width: 120}, {Width: 120, ShowPass: true}, {Width: 400},
		} {
			v, err := newView(run, opts)
			if err != nil {
				t.Fatal(err)
			}
			tw := &textWriter{opts: opts}
			tbl := tw.findingsTable(v)
			var rows [][]string
			for j := 0; j < len(tbl.cells); j += tbl.numColumns {
				rows = append(rows, tbl.cells[j:j+tbl.numColumns])
			}
			want := goPrettyTable(rows, tbl.columns)
			if got := renderBoxTable(tbl); got != want {
				t.Fatalf("run %d, options %+v:\n%s", i, opts, lineDiff(want, got))
			}
		}
	}
}

func TestAppendWrappedMatchesGoPretty(t *testing.T) {
	for _, eastAsian := range []bool{false, true} {
		t.Run(fmt.Sprintf("east-asian-%v", eastAsian), func(t *testing.T) {
			setEastAsianWidth(t, eastAsian)
			rng := rand.New(rand.NewPCG(5, 6))
			for range 20000 {
				s := randomCell(rng, cellPieces)
				width := rng.IntN(40) - 2
				checkWrapped(t, s, width)
			}
		})
	}
}

func checkWrapped(t *testing.T, s string, width int) {
	t.Helper()
	var words []string
	for word, rest := nextWord(s); word != ""; word, rest = nextWord(rest) {
		words = append(words, word)
	}
	want := strings.Fields(s)
	if !slices.Equal(words, want) {
		t.Fatalf("nextWord splits %q into %q, strings.Fields into %q", s, words, want)
	}
	if m, _ := measureCell(s); m.ascii {
		words = words[:0]
		for word, rest := nextASCIIWord(s); word != ""; word, rest = nextASCIIWord(rest) {
			words = append(words, word)
		}
		if !slices.Equal(words, want) {
			t.Fatalf("nextASCIIWord splits %q into %q, strings.Fields into %q", s, words, want)
		}
	}
	// appendWrapped wraps cells, which boxTable has prepared and measured.
	s = text.ProcessCRLF(strings.ReplaceAll(s, "\t", "    "))
	m, _ := measureCell(s)
	if m.escapes {
		m = new(boxTable).measureEscaped(s)
	}
	if got, want := string(appendWrapped([]byte("prefix"), s, m, width, wrapSoft)), "prefix"+text.WrapSoft(s, width); got != want {
		t.Fatalf("soft wrap of %q to %d (%+v):\n got %q\nwant %q", s, width, m, got, want)
	}
	if got, want := string(appendWrapped(nil, s, m, width, wrapHard)), text.WrapHard(s, width); got != want {
		t.Fatalf("hard wrap of %q to %d (%+v):\n got %q\nwant %q", s, width, m, got, want)
	}
}

// TestASCIIWordLen puts every byte that printable ASCII text may hold
// at every place of a word.
func TestASCIIWordLen(t *testing.T) {
	const n = 19 // two words of eight bytes and a tail
	for c := range 128 {
		if c != '\n' && (c < ' ' || c > '~') {
			continue
		}
		for i := range n {
			s := []byte(strings.Repeat("!", n))
			s[i] = byte(c)
			want := n
			if c <= ' ' {
				want = i
			}
			if got := asciiWordLen(string(s)); got != want {
				t.Errorf("asciiWordLen(%q) = %d, want %d", s, got, want)
			}
		}
	}
}

// TestPrintableRun puts every byte at every place of a string of
// printable ASCII.
func TestPrintableRun(t *testing.T) {
	const n = 19 // two words of eight bytes and a tail
	for c := range 256 {
		printable := c >= ' ' && c <= '~'
		for i := range n {
			s := []byte(strings.Repeat("~", n))
			s[i] = byte(c)
			want := i
			if printable {
				want = n
			}
			if got := printableRun(string(s)); got != want {
				t.Errorf("printableRun(%q) = %d, want %d", s, got, want)
			}
		}
	}
}

func TestWidthsMatchGoPretty(t *testing.T) {
	for _, eastAsian := range []bool{false, true} {
		t.Run(fmt.Sprintf("east-asian-%v", eastAsian), func(t *testing.T) {
			setEastAsianWidth(t, eastAsian)
			for c := range 128 {
				if got, want := asciiWidth(byte(c)), text.RuneWidth(rune(c)); got != want {
					t.Errorf("asciiWidth(%q) = %d, text.RuneWidth says %d", rune(c), got, want)
				}
			}
			rng := rand.New(rand.NewPCG(7, 8))
			for range 20000 {
				checkWidths(t, randomCell(rng, cellPieces))
			}
		})
	}
}

func checkWidths(t *testing.T, s string) {
	t.Helper()
	if got, want := stringWidth(s), text.StringWidthWithoutEscSequences(s); got != want {
		t.Fatalf("stringWidth(%q) = %d, want %d", s, got, want)
	}
	m, prepare := measureCell(s)
	if prepare != strings.ContainsAny(s, "\t\r") {
		t.Fatalf("measureCell(%q) says prepare %v", s, prepare)
	}
	if !prepare {
		var memo boxTable
		if m.escapes {
			m = memo.measureEscaped(s)
			if again := memo.measureEscaped(s); again != m {
				t.Fatalf("measureEscaped(%q) = %+v, then %+v", s, m, again)
			}
		}
		for range 2 { // once measured, once remembered
			if got, want := memo.lineWidth(s, m.escapes), text.StringWidthWithoutEscSequences(s); got != want {
				t.Fatalf("lineWidth(%q) = %d, want %d", s, got, want)
			}
		}
		want := cellMeasure{width: int32(text.LongestLineLen(s)), lines: int32(strings.Count(s, "\n") + 1),
			escapes: strings.Contains(s, "\x1b"), ascii: !strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && (r < ' ' || r > '~') })}
		if m != want {
			t.Fatalf("measureCell(%q) = %+v, want %+v", s, m, want)
		}
	}
}

func TestPrintableFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		checkPrintable(t, randomCell(rng, cellPieces))
	}
}

// checkPrintable compares printable with what it does without its ASCII
// fast path.
func checkPrintable(t *testing.T, s string) {
	t.Helper()
	want := entity.Printable(s, "\n")
	if got := printable(s); got != want {
		t.Fatalf("printable(%q) = %q, want %q", s, got, want)
	}
}

// FuzzBoxTable renders tables of fuzzed cells and column widths with
// boxTable and go-pretty and requires the same output.
func FuzzBoxTable(f *testing.F) {
	f.Add("SEVERITY", "MESSAGE", "module.logging.aws_cloudtrail.this", "is_multi_region_trail is \"false\", want true: the value comes from var.trail_settings\nexcluded: accepted", uint8(24), uint8(30), false)
	f.Add("a", "b", "生命 東京 ±§ e\u0301 😀", "\x1b[1;31mFAIL\x1b[0m (x)", uint8(3), uint8(1), true)
	f.Add("", "", "word\n\nword  \t word\r\nx", strings.Repeat("long", 30), uint8(0), uint8(7), false)
	f.Add("\x1b[", "\x1b]8;;u\x07l", "\xff\xfe", "\u3000\u00a0x\u2028y", uint8(2), uint8(200), true)
	f.Fuzz(func(t *testing.T, a, b, c, d string, widthA, widthB uint8, soft bool) {
		checkPrintable(t, a)
		checkWidths(t, c)
		checkWrapped(t, d, int(widthB)%100)
		rows := [][]string{{a, b, "RESULT"}, {c, d, "\x1b[1;31mFAIL\x1b[0m"}, {d, c, ""}, {b + c, a + d, "x"}}
		mode := wrapHard
		if soft {
			mode = wrapSoft
		}
		columns := []boxColumn{{widthMax: int(widthA) % 100, wrap: mode}, {widthMax: int(widthB) % 100, wrap: wrapSoft}}
		want := goPrettyTable(rows, columns)
		if got := boxTableString(rows, columns); got != want {
			t.Fatalf("rows %q, columns %+v:\n%s", rows, columns, lineDiff(want, got))
		}
	})
}

// setEastAsianWidth makes go-pretty measure East Asian ambiguous-width
// runes as two columns, or one, for the test.
func setEastAsianWidth(t *testing.T, on bool) {
	was := text.RuneWidth('±') == 2 // an ambiguous-width rune
	text.OverrideRuneWidthEastAsianWidth(on)
	t.Cleanup(func() { text.OverrideRuneWidthEastAsianWidth(was) })
}

// lineDiff shows the lines where two renderings differ.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d:\nwant %q\n got %q\n", i+1, w, g)
		}
	}
	return b.String()
}

// TestTextLocation holds the text table's location cell to location.
func TestTextLocation(t *testing.T) {
	pos := func(line, col int) entity.Pos { return entity.Pos{Line: line, Col: col} }
	entities := []*entity.Entity{
		nil,
		{},
		{Region: "eu-west-1"},
		{Region: "eu-west-1", Origin: entity.Origin{API: []string{"cloudtrail:DescribeTrails"}}},
		{Origin: entity.Origin{File: "envs/team0042/main.tf"}},
		{Origin: entity.Origin{File: "envs/team0042/main.tf", Start: pos(12, 1)}},
		{Origin: entity.Origin{File: "main.tf", Start: pos(1<<40, -3), End: pos(1<<40+1, 1)}},
		{Origin: entity.Origin{File: "main.tf", Start: pos(-1, 5)}},
		{Origin: entity.Origin{File: "évil\x1b[2J.tf", Start: pos(7, 0)}},
	}
	var tw textWriter
	for _, e := range entities {
		f := &engine.Finding{Entity: e, Scope: "s"}
		if got, want := tw.location(f), location(f); got != want {
			t.Errorf("entity %+v: location %q, want %q", e, got, want)
		}
	}
}

// TestBoxTableEscapedMemoIsBounded fills a table with more distinct
// coloured cells than boxTable remembers: its memos stop growing at
// maxEscapedMemo and the table is still go-pretty's.
func TestBoxTableEscapedMemoIsBounded(t *testing.T) {
	rows := [][]string{{"RESULT", "ENTITY"}}
	for i := range 3 * maxEscapedMemo {
		rows = append(rows, []string{fmt.Sprintf("\x1b[%dmFAIL\x1b[0m", i), fmt.Sprintf("\x1b[1mentity %d\x1b[0m", i)})
	}
	tbl := newBoxTable(rows[0], len(rows)-1)
	for _, r := range rows[1:] {
		tbl.appendRow(r...)
	}
	got := renderBoxTable(tbl)
	if len(tbl.escaped) > maxEscapedMemo || len(tbl.escapedWidths) > maxEscapedMemo {
		t.Errorf("memos hold %d measures and %d widths, want at most %d each", len(tbl.escaped), len(tbl.escapedWidths), maxEscapedMemo)
	}
	if want := goPrettyTable(rows, nil); got != want {
		t.Errorf("table differs from go-pretty's:\n%s", lineDiff(want, got))
	}
}

// failingWriter accepts limit bytes, then fails.
type failingWriter struct{ limit int }

var errWriteFailed = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		n := w.limit
		w.limit = 0
		return n, errWriteFailed
	}
	w.limit -= len(p)
	return len(p), nil
}

// TestTextReportsWriteErrors: a writer that fails before, inside and
// after the findings table makes Write fail with its error.
func TestTextReportsWriteErrors(t *testing.T) {
	run := largeRun(2000)
	var full countingWriter
	if err := (textFormat{}).Write(&full, run, Options{Width: 120}); err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{0, 100, textBufferSize + 1, int(full) / 2, int(full) - 1} {
		err := (textFormat{}).Write(&failingWriter{limit: limit}, run, Options{Width: 120})
		if !errors.Is(err, errWriteFailed) {
			t.Errorf("writer failing after %d of %d bytes: error %v", limit, full, err)
		}
	}
}
