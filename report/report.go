package report

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// Options are the settings a report writer reads. Each writer ignores the
// ones that do not apply to its format.
type Options struct {
	// Color turns on ANSI colour in the text and compliance formats. The
	// caller decides (TTY, NO_COLOR, --color); writers never look at the
	// environment.
	Color bool
	// Framework selects one compliance framework version, written as
	// "CIS AWS Foundations v3.0.0" (or "CIS AWS Foundations 3.0.0"; case is
	// ignored). When set, every format reports only the findings of rules
	// mapped to it, and text, JSON and HTML add the compliance view. A name
	// that no rule of the run maps to is an error.
	Framework string
	// Tool names the producing tool and its version: "vigil 0.1.0".
	Tool string
	// Width is the width, in terminal columns, of the text formats' lines:
	// none is wider (the compact layout keeps to 80 at most); zero means no
	// limit.
	Width int
	// ShowPass makes the text format list PASS findings too; by default its
	// table shows only findings that need attention.
	ShowPass bool
	// Compact asks the text format for its compact layout ("vigil scan
	// --compact"): a table in 80 columns, a row and a line of message per
	// finding.
	Compact bool
	// Explain makes the text format write, under each finding's message,
	// the GSL explanation and trace it was written from, and json and sarif
	// keep each finding's trace ("vigil scan --explain"); the run must
	// have its traces (engine.Options.NoTraces off).
	Explain bool
	// Code reads the lines of Terraform code the text format shows beside
	// a finding on a resource; nil shows none. NewCodeReader makes one
	// that reads only the scanned inputs.
	Code CodeReader
	// SourceRoot is the directory relative file names in the run are
	// relative to: where vigil ran. SARIF makes the artifact URIs of
	// files under it relative to it (%SRCROOT%); empty leaves them as
	// given.
	SourceRoot string
}

// Writer renders a run in one format.
type Writer interface {
	Write(w io.Writer, run *engine.Run, opts Options) error
}

var writers = map[string]Writer{}

// register makes a writer available under its format name; each format's
// file calls it from init.
func register(format string, w Writer) {
	if _, dup := writers[format]; dup {
		panic("report: format " + format + " registered twice")
	}
	writers[format] = w
}

// Formats returns the names of the known formats, sorted.
func Formats() []string {
	names := make([]string, 0, len(writers))
	for name := range writers {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// withoutTraces are the formats that print no finding's Trace unless
// Options.Explain asks for it (csv, compliance: not even then). A trace is
// most of a finding's size: json and sarif keep it for --explain, so that
// the reports a CI keeps stay small.
var withoutTraces = map[string]bool{"text": true, "csv": true, "compliance": true, "json": true, "sarif": true}

// ShowsTraces reports whether a format prints the findings' traces without
// Options.Explain; when it does not and Explain is off, a scan can skip
// building them (engine.Options.NoTraces). An unknown format is assumed to
// show them.
func ShowsTraces(format string) bool { return !withoutTraces[format] }

// Lookup returns the writer registered under format.
func Lookup(format string) (Writer, error) {
	if w, ok := writers[format]; ok {
		return w, nil
	}
	return nil, fmt.Errorf("unknown report format %q (known formats: %s)", format, strings.Join(Formats(), ", "))
}

// errNoRun is returned by every writer given a nil run.
var errNoRun = errors.New("no run to report")

// view is a run prepared for reporting: findings checked, sorted and
// filtered to the selected framework, and the rules they refer to.
type view struct {
	run  *engine.Run
	opts Options
	// findings are the run's findings that the report covers, ordered by
	// rule ID, scope and entity ID.
	findings []*engine.Finding
	// rules are the distinct rules of findings and of the run's not
	// applicable rules (framework-filtered too), ordered by ID.
	rules []*rules.Rule
	// notApplicable are the not applicable rules the report covers.
	notApplicable []*rules.Rule
	// framework is the selected framework, when Options.Framework is set.
	framework *frameworkKey
}

func newView(run *engine.Run, opts Options) (*view, error) {
	if run == nil {
		return nil, errNoRun
	}
	for i, f := range run.Findings {
		if f == nil {
			return nil, fmt.Errorf("finding %d is nil", i)
		}
		if f.Rule == nil {
			return nil, fmt.Errorf("finding %d (%s) has no rule", i, subject(f))
		}
	}
	for i, r := range run.NotApplicable {
		if r == nil {
			return nil, fmt.Errorf("not applicable rule %d is nil", i)
		}
	}
	v := &view{run: run, opts: opts}
	if opts.Framework != "" {
		fw, err := findFramework(run, opts.Framework)
		if err != nil {
			return nil, err
		}
		v.framework = &fw
	}
	seen := map[string]bool{}
	addRule := func(r *rules.Rule) {
		if !seen[r.ID] {
			seen[r.ID] = true
			v.rules = append(v.rules, r)
		}
	}
	for _, f := range run.Findings {
		if v.covers(f.Rule) {
			v.findings = append(v.findings, f)
			addRule(f.Rule)
		}
	}
	for _, r := range run.NotApplicable {
		if v.covers(r) {
			v.notApplicable = append(v.notApplicable, r)
			addRule(r)
		}
	}
	byRuleScopeEntity := func(a, b *engine.Finding) int {
		if c := strings.Compare(a.Rule.ID, b.Rule.ID); c != 0 {
			return c
		}
		if c := strings.Compare(findingScope(a), findingScope(b)); c != 0 {
			return c
		}
		return strings.Compare(entityID(a), entityID(b))
	}
	// The engine hands findings over in this order: checking it costs one
	// comparison per finding, a stable sort of a large run many.
	if !slices.IsSortedFunc(v.findings, byRuleScopeEntity) {
		slices.SortStableFunc(v.findings, byRuleScopeEntity)
	}
	slices.SortFunc(v.rules, func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(v.notApplicable, func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	return v, nil
}

// covers reports whether the view includes the rule's results.
func (v *view) covers(r *rules.Rule) bool {
	if v.framework == nil {
		return true
	}
	for _, ref := range r.Frameworks {
		if v.framework.matches(ref) {
			return true
		}
	}
	return false
}

// counts returns the result counts of the view's findings.
func (v *view) counts() Counts {
	var c Counts
	for _, f := range v.findings {
		c.add(f.Result)
	}
	return c
}

// countsBySeverity returns the result counts per severity, highest first,
// leaving out severities without findings.
func (v *view) countsBySeverity() []severityCounts {
	var out []severityCounts
	for s := rules.Critical; s >= rules.Informational; s-- {
		var c Counts
		for _, f := range v.findings {
			if f.Rule.Severity == s {
				c.add(f.Result)
			}
		}
		if c.Total() > 0 {
			out = append(out, severityCounts{Severity: s, Counts: c})
		}
	}
	var other Counts
	for _, f := range v.findings {
		if f.Rule.Severity < rules.Informational || f.Rule.Severity > rules.Critical {
			other.add(f.Result)
		}
	}
	if other.Total() > 0 {
		out = append(out, severityCounts{Severity: 0, Counts: other})
	}
	return out
}

type severityCounts struct {
	Severity rules.Severity
	Counts   Counts
}

// Counts counts findings per result.
type Counts struct {
	Pass     int `json:"PASS"`
	Fail     int `json:"FAIL"`
	Unknown  int `json:"UNKNOWN"`
	Error    int `json:"ERROR"`
	Excluded int `json:"EXCLUDED"`
}

func (c *Counts) add(r engine.Result) {
	switch r {
	case engine.Pass:
		c.Pass++
	case engine.Fail:
		c.Fail++
	case engine.Unknown:
		c.Unknown++
	case engine.Excluded:
		c.Excluded++
	default:
		// ERROR, and any result this package does not know, which must
		// never look like a pass.
		c.Error++
	}
}

// Total is the number of findings counted.
func (c Counts) Total() int { return c.Pass + c.Fail + c.Unknown + c.Error + c.Excluded }

// subject names what a finding is about, for display: its entity's ID, or
// its scope for a List<E> rule, cut as entity.Shown says.
func subject(f *engine.Finding) string {
	if f.Entity != nil {
		return entity.Shown(f.Entity.ID)
	}
	if f.Scope != "" {
		return entity.Shown(f.Scope)
	}
	return "(no entity)"
}

func entityID(f *engine.Finding) string {
	if f.Entity != nil {
		return f.Entity.ID
	}
	return ""
}

// findingScope is the scope a finding belongs to.
func findingScope(f *engine.Finding) string {
	if f.Scope != "" {
		return f.Scope
	}
	if f.Entity != nil {
		return f.Entity.Scope
	}
	return ""
}

// location says where a finding's entity is: file:line:col for code, the
// region for a live resource, empty when unknown.
func location(f *engine.Finding) string {
	if f.Entity == nil {
		return ""
	}
	o := f.Entity.Origin
	if o.File != "" {
		return o.String()
	}
	return f.Entity.Region
}

// relatedPlace names an entity a finding's message names (its ID, cut as
// entity.Shown says), and where it is: file:line for code, the region for
// a live resource, "" when neither is known.
func relatedPlace(e *entity.Entity) (id, where string) {
	id, where = cmp.Or(entity.Shown(e.ID), entity.Shown(e.Name)), e.Region
	if o := e.Origin; o.File != "" {
		where = entity.Shown(o.File)
		if o.Start.Line > 0 {
			where += ":" + strconv.Itoa(o.Start.Line)
		}
	}
	return id, where
}

// ruleRemediation is a rule's remediation as a report shows it about the
// rule rather than a finding: its templates filled in with placeholders
// ("<region>", "<name>"), never left raw.
func ruleRemediation(r *rules.Rule) rules.Remediation { return r.Render(rules.Target{}) }

// underlying is the result the rule gave: the finding's result, or for an
// excluded finding the result the exclusion hid.
func underlying(f *engine.Finding) engine.Result {
	if f.Result == engine.Excluded && f.Underlying != "" {
		return f.Underlying
	}
	return f.Result
}

// severityName is the severity as rule files write it, or "Unknown" for a
// value out of range.
func severityName(s rules.Severity) string {
	if s < rules.Informational || s > rules.Critical {
		return "Unknown"
	}
	return s.String()
}

// frameworkKey identifies one version of a compliance framework.
type frameworkKey struct {
	Name, Version string
}

func keyOf(ref rules.FrameworkRef) frameworkKey {
	return frameworkKey{Name: ref.Framework, Version: ref.Version}
}

// String renders the key as users write it: "CIS AWS Foundations v3.0.0";
// a version that does not start with a digit is not prefixed with "v"
// ("NIST 800-53 Rev 5").
func (k frameworkKey) String() string {
	switch {
	case k.Version == "":
		return k.Name
	case k.Version[0] >= '0' && k.Version[0] <= '9':
		return k.Name + " v" + k.Version
	}
	return k.Name + " " + k.Version
}

func (k frameworkKey) matches(ref rules.FrameworkRef) bool {
	return keyOf(ref) == k
}

// frameworks returns the framework versions the rules map to, sorted.
func frameworks(rs []*rules.Rule) []frameworkKey {
	seen := map[frameworkKey]bool{}
	var out []frameworkKey
	for _, r := range rs {
		for _, ref := range r.Frameworks {
			k := keyOf(ref)
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	slices.SortFunc(out, func(a, b frameworkKey) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), compareVersions(a.Version, b.Version))
	})
	return out
}

// findFramework resolves a framework name as the user wrote it against the
// frameworks the run's rules map to.
func findFramework(run *engine.Run, name string) (frameworkKey, error) {
	var all []*rules.Rule
	for _, f := range run.Findings {
		all = append(all, f.Rule)
	}
	all = append(all, run.NotApplicable...)
	known := frameworks(all)
	want := strings.Join(strings.Fields(name), " ")
	for _, k := range known {
		if strings.EqualFold(k.String(), want) || (k.Version != "" && strings.EqualFold(k.Name+" "+k.Version, want)) {
			return k, nil
		}
	}
	names := make([]string, len(known))
	for i, k := range known {
		names[i] = fmt.Sprintf("%q", k.String())
	}
	if len(names) == 0 {
		return frameworkKey{}, fmt.Errorf("unknown framework %q: no rule in this run maps to any framework", name)
	}
	return frameworkKey{}, fmt.Errorf("unknown framework %q (the rules in this run map to %s)", name, strings.Join(names, ", "))
}

// compareVersions orders dotted identifiers such as versions ("1.10.0"
// after "1.2.0") and control IDs ("3.10" after "3.9"): numeric parts
// compare as numbers, other parts as text.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if c := comparePart(as[i], bs[i]); c != 0 {
			return c
		}
	}
	return cmp.Or(cmp.Compare(len(as), len(bs)), strings.Compare(a, b))
}

func comparePart(a, b string) int {
	an, aok := number(a)
	bn, bok := number(b)
	switch {
	case aok && bok:
		return cmp.Compare(an, bn)
	case aok:
		return -1
	case bok:
		return 1
	}
	return strings.Compare(a, b)
}

// number parses a short run of decimal digits.
func number(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// frameworkRefs renders the rule's framework mappings as
// "CIS AWS Foundations v3.0.0 3.1", sorted.
func frameworkRefs(r *rules.Rule) []string {
	out := make([]string, 0, len(r.Frameworks))
	for _, ref := range r.Frameworks {
		s := keyOf(ref).String()
		if ref.Control != "" {
			s += " " + ref.Control
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// safeText replaces the characters XML 1.0 cannot carry and HTML treats
// as parse errors (C0 controls but tab, newline and carriage return;
// U+FFFE, U+FFFF) with U+FFFD. encoding/xml does this for attributes and
// character data but not inside CDATA; html/template not at all.
func safeText(s string) string {
	return strings.Map(safeRune, s)
}

// safeRune is r, or U+FFFD when safeText replaces r.
func safeRune(r rune) rune {
	switch {
	case r == '\t' || r == '\n' || r == '\r',
		r >= 0x20 && r <= 0xD7FF,
		r >= 0xE000 && r <= 0xFFFD,
		r >= 0x10000 && r <= 0x10FFFF:
		return r
	}
	return '\uFFFD'
}

// safeTextWriter writes to w what safeText makes of everything written to
// it, without holding it: a report of thousands of findings is streamed.
// A UTF-8 sequence cut between two writes is kept until the next; Close
// writes what is left of one.
type safeTextWriter struct {
	w       io.Writer
	partial []byte
	buf     []byte
}

func (s *safeTextWriter) Write(p []byte) (int, error) {
	n := len(p)
	if len(s.partial) > 0 {
		p = append(s.partial, p...)
		s.partial = nil
	}
	out := s.buf[:0]
	for len(p) > 0 {
		// Most of a report is printable ASCII: copy runs of it at once.
		i := 0
		for i < len(p) && (p[i] >= 0x20 && p[i] < utf8.RuneSelf || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
			i++
		}
		out = append(out, p[:i]...)
		p = p[i:]
		if len(p) == 0 {
			break
		}
		if !utf8.FullRune(p) {
			s.partial = append([]byte(nil), p...)
			break
		}
		r, size := utf8.DecodeRune(p)
		out = utf8.AppendRune(out, safeRune(r))
		p = p[size:]
	}
	s.buf = out
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return n, nil
}

// Close writes U+FFFD for each byte of a UTF-8 sequence the last write
// left unfinished, as safeText does. It does not close w.
func (s *safeTextWriter) Close() error {
	if len(s.partial) == 0 {
		return nil
	}
	_, err := s.w.Write([]byte(strings.Repeat("\uFFFD", len(s.partial))))
	s.partial = nil
	return err
}
