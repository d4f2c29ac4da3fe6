package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// csvHeader is the CSV format's header row (documented in doc.go); every
// following row is one finding, PASS included. Columns are only ever
// appended, never reordered or removed.
var csvHeader = []string{
	"rule_id", "rule_title", "severity", "result", "underlying_result",
	"entity_type", "entity_id", "entity_name", "scope", "region",
	"file", "start_line", "start_col", "end_line",
	"message", "exclusion_reason", "exclusion_expires", "exclusion_source",
	"frameworks", "explanation",
}

type csvFormat struct{}

func init() { register("csv", csvFormat{}) }

func (csvFormat) Write(w io.Writer, run *engine.Run, opts Options) error {
	v, err := newView(run, opts)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	// The frameworks cell of each rule, built once: a large scan has
	// thousands of findings per rule.
	frameworks := map[*rules.Rule]string{}
	for _, f := range v.findings {
		refs, ok := frameworks[f.Rule]
		if !ok {
			refs = strings.Join(frameworkRefs(f.Rule), "; ")
			frameworks[f.Rule] = refs
		}
		if err := cw.Write(csvRow(f, refs)); err != nil {
			return err
		}
	}
	// Input failures follow, as rows without a rule. (A collection
	// failure always has the ERROR findings of the rules that need its
	// data.)
	inputs, _ := failureNotes(run)
	for _, n := range inputs {
		if err := cw.Write(csvFailureRow(n)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvRow returns the row of f; frameworks is its frameworks cell.
func csvRow(f *engine.Finding, frameworks string) []string {
	var typ, id, name, region, file, start, col, end string
	if e := f.Entity; e != nil {
		typ, id, name, region, file = e.Type, entity.Shown(e.ID), entity.Shown(e.Name), e.Region, e.Origin.File
		start, col, end = positive(e.Origin.Start.Line), positive(e.Origin.Start.Col), positive(e.Origin.End.Line)
	}
	var reason, expires, source string
	if x := f.Exclusion; x != nil {
		reason, source = entity.Shown(x.Reason), x.Source
		if !x.Expires.IsZero() {
			expires = expiresText(x.Expires)
		}
	}
	row := []string{
		f.Rule.ID, f.Rule.Title, severityName(f.Rule.Severity), string(f.Result), string(underlying(f)),
		typ, id, name, findingScope(f), region,
		file, start, col, end,
		f.Message, reason, expires, source,
		frameworks, f.Explanation,
	}
	for i, cell := range row {
		row[i] = defuseFormula(cell)
	}
	return row
}

// csvFailureRow is the row of an input failure: no rule, the result
// ERROR, what it leaves incomplete as the entity type, and the file and
// position that could not be read or parsed.
func csvFailureRow(n failureNote) []string {
	row := []string{
		"", "", "", string(engine.Error), string(engine.Error),
		strings.Join(n.Affects, "; "), "", "", strings.Join(n.Scopes, "; "), "",
		n.File, positive(n.Line), positive(n.Col), "",
		n.String(), "", "", "",
		"", "",
	}
	for i, cell := range row {
		row[i] = defuseFormula(cell)
	}
	return row
}

func positive(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// defuseFormula stops a spreadsheet from running a cell as a formula.
// Entity names and messages come from the scanned account and can be
// attacker-chosen; a cell starting with = + - @ or a tab or carriage return
// gets a leading apostrophe, as OWASP's CSV-injection advice says.
func defuseFormula(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
