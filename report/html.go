package report

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// The HTML report is one self-contained file: html.tmpl with html.css and
// html.js inlined. Its Content-Security-Policy allows only that style and
// that script (by hash) and nothing from the network, so the report opens
// offline and an entity name that slipped past escaping still could not
// run.

//go:embed html.tmpl
var htmlSource string

//go:embed html.css
var htmlCSS string

//go:embed html.js
var htmlJS string

var (
	htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"ruleAnchor": ruleAnchor}).Parse(htmlSource))
	htmlCSP      = "default-src 'none'; style-src '" + cspHash(htmlCSS) + "'; script-src '" + cspHash(htmlJS) + "'; img-src data:; base-uri 'none'; form-action 'none'"
)

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

type htmlFormat struct{}

func init() { register("html", htmlFormat{}) }

type htmlData struct {
	Tool, Started, Framework string
	Scopes                   []entity.Scope
	Counts                   Counts
	BySeverity               []htmlSeverity
	Frameworks               []*Compliance
	Compliance               *Compliance
	Results                  []engine.Result
	Rules                    []htmlRule
	ExpiredExclusions        []string
	// InputFailures and Failures list the input files that could not be
	// read or parsed and the data that could not be collected; Incomplete
	// says what the first mean for the report.
	InputFailures, Failures []string
	Incomplete              string
	CSS                     template.CSS
	JS                      template.JS
	CSP                     string
}

type htmlSeverity struct {
	Severity string
	Counts   Counts
}

type htmlRule struct {
	Rule *rules.Rule
	// Remediation is the rule's, with placeholders for the values of an
	// entity.
	Remediation rules.Remediation
	Severity    string
	Frameworks  []string
	Counts      Counts
	Findings    []htmlFinding
	worst       int
}

// htmlOpenGroup is the most findings a rule's group may have and still be
// open when the page loads. A larger group starts collapsed: a browser
// lays out only the groups a reader opens, so a report of ten thousand
// findings opens at once, and each group's header still gives its counts.
const htmlOpenGroup = 50

// Collapsed reports whether the group starts closed.
func (r htmlRule) Collapsed() bool { return len(r.Findings) > htmlOpenGroup }

type htmlFinding struct {
	N                  int
	RuleID             string
	Result, Underlying engine.Result
	Excluded           bool
	Subject, Name      string
	Type, Scope        string
	Location, Message  string
	// Explanation is the GSL explanation, shown when it is not the
	// message.
	Explanation string
	Exclusion   string
	Trace       []string
	// Related are the entities the message names.
	Related []htmlRelated
	// Remediation is the fix rendered for this entity, shown only when it
	// differs from the rule's general text.
	Remediation *rules.Remediation
	// Restore is, for an ERROR, how to restore the data the rule lacked,
	// shown under the message.
	Restore string
}

// htmlRelated is an entity a finding's message names, and where it is:
// file:line for code, the region for a live resource.
type htmlRelated struct {
	ID, Location string
}

func (htmlFormat) Write(w io.Writer, run *engine.Run, opts Options) error {
	v, err := newView(run, opts)
	if err != nil {
		return err
	}
	d := htmlData{
		Tool:    cmp.Or(opts.Tool, "vigil"),
		Started: run.Started.UTC().Format(time.RFC3339),
		Scopes:  run.Scopes,
		Counts:  v.counts(),
		Results: []engine.Result{engine.Fail, engine.Error, engine.Unknown, engine.Excluded, engine.Pass},
		CSS:     template.CSS(htmlCSS),
		JS:      template.JS(htmlJS),
		CSP:     htmlCSP,
	}
	if v.framework != nil {
		d.Framework = v.framework.String()
	}
	for _, sc := range v.countsBySeverity() {
		d.BySeverity = append(d.BySeverity, htmlSeverity{Severity: severityName(sc.Severity), Counts: sc.Counts})
	}
	d.Frameworks = v.compliances()
	if v.framework != nil && len(d.Frameworks) == 1 {
		d.Compliance = d.Frameworks[0]
	}

	byID := map[string]*htmlRule{}
	for _, r := range v.rules {
		byID[r.ID] = &htmlRule{Rule: r, Remediation: ruleRemediation(r), Severity: severityName(r.Severity), Frameworks: frameworkRefs(r),
			worst: rank(engine.Pass) + 1}
	}
	for i, f := range v.findings {
		hr := byID[f.Rule.ID]
		hr.Counts.add(f.Result)
		hr.worst = min(hr.worst, rank(f.Result))
		hr.Findings = append(hr.Findings, htmlFindingOf(i+1, f, hr.Remediation))
	}
	for _, r := range v.rules {
		d.Rules = append(d.Rules, *byID[r.ID])
	}
	// Rules whose findings most need a reader come first.
	slices.SortStableFunc(d.Rules, func(a, b htmlRule) int {
		return cmp.Or(cmp.Compare(a.worst, b.worst), cmp.Compare(b.Rule.Severity, a.Rule.Severity))
	})
	for _, x := range run.ExpiredExclusions {
		d.ExpiredExclusions = append(d.ExpiredExclusions, exclusionText(&x))
	}
	inputs, collections := failureNotes(run)
	for _, n := range inputs {
		d.InputFailures = append(d.InputFailures, n.String())
	}
	for _, n := range collections {
		d.Failures = append(d.Failures, n.String())
	}
	d.Incomplete = incompleteText(len(inputs))
	// Text from rules and findings may carry control characters that HTML
	// forbids; the template itself has none, so cleaning the whole output
	// catches every field. The report is streamed: a scan of thousands of
	// findings makes a report of a hundred megabytes.
	bw := bufio.NewWriterSize(w, 64<<10)
	sw := &safeTextWriter{w: bw}
	if err := htmlTemplate.Execute(sw, d); err != nil {
		return err
	}
	if err := sw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// htmlFindingOf is the HTML of a finding; general is its rule's
// remediation as the rule's details show it.
func htmlFindingOf(n int, f *engine.Finding, general rules.Remediation) htmlFinding {
	hf := htmlFinding{
		N: n, RuleID: f.Rule.ID, Result: f.Result, Underlying: underlying(f), Excluded: f.Result == engine.Excluded,
		Subject: subject(f), Scope: findingScope(f), Location: location(f), Message: f.Message, Trace: f.Trace,
	}
	if f.Explanation != f.Message {
		hf.Explanation = f.Explanation
	}
	for _, e := range f.Related {
		id, where := relatedPlace(e)
		hf.Related = append(hf.Related, htmlRelated{ID: id, Location: where})
	}
	if e := f.Entity; e != nil {
		hf.Type = e.Type
		if e.Name != e.ID {
			hf.Name = entity.Shown(e.Name)
		}
		if len(e.Origin.API) > 0 && e.Origin.File == "" {
			hf.Location = strings.TrimSpace(e.Region + " (" + strings.Join(e.Origin.API, ", ") + ")")
		}
	}
	if x := f.Exclusion; x != nil {
		hf.Exclusion = exclusionText(x)
	}
	switch rem := f.Remediation; {
	case underlying(f) == engine.Error:
		hf.Restore = strings.TrimSpace(rem.Console)
	case rem != (rules.Remediation{}) && rem != general:
		hf.Remediation = &rem
	}
	return hf
}

// TraceText is the finding's trace, each line followed by a newline: one
// string for the template to escape rather than one per line. It is made
// as the template reaches it, so that a large report does not hold a
// second copy of every trace.
func (f htmlFinding) TraceText() string {
	lines := f.Trace
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// ruleAnchor is the HTML id of a rule's section: "rule-" and the ID with
// anything but letters, digits, '.', '-' and '_' replaced, so hostile IDs
// stay one attribute token.
func ruleAnchor(id string) string {
	var b strings.Builder
	b.WriteString("rule-")
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteString("_" + strconv.FormatInt(int64(r), 16) + "_")
		}
	}
	return b.String()
}
