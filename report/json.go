package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// JSONVersion is the version of the JSON report schema (SCHEMA.md). It
// changes only when a field is removed or changes meaning; new fields may
// appear within a version. Version 2 writes a finding's trace only with
// Options.Explain, and a finding's remediation only when it is not its
// rule's (rules[].remediation).
const JSONVersion = 2

type jsonFormat struct{}

func init() { register("json", jsonFormat{}) }

// jsonReport is the top-level JSON document; SCHEMA.md documents each field.
type jsonReport struct {
	Version           int              `json:"vigil_report"`
	Tool              string           `json:"tool,omitempty"`
	Started           time.Time        `json:"started"`
	Framework         string           `json:"framework,omitempty"`
	Scopes            []entity.Scope   `json:"scopes"`
	Counts            jsonCounts       `json:"counts"`
	Rules             []jsonRule       `json:"rules"`
	Findings          []jsonFinding    `json:"findings"`
	NotApplicable     []string         `json:"not_applicable"`
	NotRelevant       map[string]int   `json:"not_relevant"`
	ExpiredExclusions []jsonExclusion  `json:"expired_exclusions"`
	Failures          []entity.Failure `json:"failures"`
	Frameworks        []jsonCompliance `json:"frameworks"`
	Compliance        *jsonCompliance  `json:"compliance,omitempty"`
}

type jsonCounts struct {
	Total      int                 `json:"total"`
	ByResult   Counts              `json:"by_result"`
	BySeverity []jsonSeverityCount `json:"by_severity"`
}

type jsonSeverityCount struct {
	Severity string `json:"severity"`
	Counts
}

type jsonRule struct {
	ID          string             `json:"id"`
	Title       string             `json:"title"`
	Severity    string             `json:"severity"`
	Entity      string             `json:"entity,omitempty"`
	Category    string             `json:"category,omitempty"`
	Logic       string             `json:"logic,omitempty"`
	Description string             `json:"description,omitempty"`
	Rationale   string             `json:"rationale,omitempty"`
	Remediation jsonRemediation    `json:"remediation"`
	References  []string           `json:"references,omitempty"`
	Frameworks  []jsonFrameworkRef `json:"frameworks,omitempty"`
	File        string             `json:"file,omitempty"`
}

type jsonFrameworkRef struct {
	Framework string `json:"framework"`
	Version   string `json:"version,omitempty"`
	Control   string `json:"control"`
}

type jsonRemediation struct {
	Console   string `json:"console,omitempty"`
	CLI       string `json:"cli,omitempty"`
	Terraform string `json:"terraform,omitempty"`
}

type jsonFinding struct {
	RuleID      string           `json:"rule_id"`
	Severity    string           `json:"severity"`
	Result      engine.Result    `json:"result"`
	Underlying  engine.Result    `json:"underlying_result"`
	Scope       string           `json:"scope,omitempty"`
	Entity      *jsonEntity      `json:"entity"`
	Message     string           `json:"message"`
	Explanation string           `json:"explanation"`
	Related     []jsonRelated    `json:"related,omitempty"`
	Trace       []string         `json:"trace,omitempty"`
	Remediation *jsonRemediation `json:"remediation,omitempty"`
	Exclusion   *jsonExclusion   `json:"exclusion"`
}

// jsonRelated is an entity a finding's message names: for a List<E>
// rule's finding, an element that came closest to passing.
type jsonRelated struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Region string `json:"region,omitempty"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
}

type jsonEntity struct {
	Type   string        `json:"type"`
	ID     string        `json:"id"`
	Name   string        `json:"name,omitempty"`
	Scope  string        `json:"scope,omitempty"`
	Region string        `json:"region,omitempty"`
	Origin entity.Origin `json:"origin,omitzero"`
}

type jsonExclusion struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
	Source  string `json:"source,omitempty"`
}

type jsonCompliance struct {
	Framework    string        `json:"framework"`
	Name         string        `json:"name"`
	Version      string        `json:"version,omitempty"`
	Score        *float64      `json:"score"`
	Evaluated    int           `json:"evaluated"`
	Passing      int           `json:"passing"`
	Failing      int           `json:"failing"`
	Incomplete   int           `json:"incomplete"`
	NotEvaluated int           `json:"not_evaluated"`
	Controls     []jsonControl `json:"controls"`
}

type jsonControl struct {
	ID     string            `json:"id"`
	Status ControlStatus     `json:"status"`
	Counts Counts            `json:"counts"`
	Rules  []jsonControlRule `json:"rules"`
}

type jsonControlRule struct {
	ID            string `json:"id"`
	Counts        Counts `json:"counts"`
	NotApplicable bool   `json:"not_applicable,omitempty"`
}

func (jsonFormat) Write(w io.Writer, run *engine.Run, opts Options) error {
	v, err := newView(run, opts)
	if err != nil {
		return err
	}
	total := v.counts()
	doc := jsonReport{
		Version:           JSONVersion,
		Tool:              opts.Tool,
		Started:           run.Started.UTC(),
		Scopes:            nonNil(run.Scopes),
		Counts:            jsonCounts{Total: total.Total(), ByResult: total, BySeverity: []jsonSeverityCount{}},
		Rules:             []jsonRule{},
		Findings:          []jsonFinding{},
		NotApplicable:     []string{},
		NotRelevant:       map[string]int{},
		ExpiredExclusions: []jsonExclusion{},
		Failures:          nonNil(run.Failures),
		Frameworks:        []jsonCompliance{},
	}
	if v.framework != nil {
		doc.Framework = v.framework.String()
	}
	for _, sc := range v.countsBySeverity() {
		doc.Counts.BySeverity = append(doc.Counts.BySeverity, jsonSeverityCount{Severity: severityName(sc.Severity), Counts: sc.Counts})
	}
	for _, r := range v.rules {
		doc.Rules = append(doc.Rules, jsonRule{
			ID: r.ID, Title: r.Title, Severity: severityName(r.Severity), Entity: r.Entity,
			Category: r.Category, Logic: r.Logic, Description: r.Description, Rationale: r.Rationale,
			Remediation: jsonRemediation(ruleRemediation(r)), References: r.References,
			Frameworks: jsonFrameworkRefs(r.Frameworks), File: r.File,
		})
		if n := run.NotRelevant[r.ID]; n > 0 {
			doc.NotRelevant[r.ID] = n
		}
	}
	for _, r := range v.notApplicable {
		doc.NotApplicable = append(doc.NotApplicable, r.ID)
	}
	for _, x := range run.ExpiredExclusions {
		doc.ExpiredExclusions = append(doc.ExpiredExclusions, jsonExclusionOf(&x))
	}
	for _, c := range v.compliances() {
		jc := jsonComplianceOf(c)
		if v.framework != nil {
			doc.Compliance = &jc
		}
		doc.Frameworks = append(doc.Frameworks, jc)
	}
	fixes := newRuleFixes()
	return writeJSONStreaming(w, doc, len(v.findings), func(i int) jsonFinding {
		return jsonFindingOf(v.findings[i], fixes, opts.Explain)
	})
}

// writeJSONStreaming writes doc with its findings list filled in with n
// findings, the i-th made by finding(i) when it is written (see
// writeAround and oneLineEach).
func writeJSONStreaming(w io.Writer, doc jsonReport, n int, finding func(i int) jsonFinding) error {
	doc.Findings = []jsonFinding{}
	return writeAround(w, doc, `"findings": []`, 1, n, oneLineEach(func(i int) any { return finding(i) }))
}

// oneLineEach makes writeAround's item function for a list whose items are
// written each on a line of its own, as compact JSON, the i-th item made by
// item(i). A report's findings (SARIF's results) are most of its size: on
// a line each they take half the bytes they take indented, and a report of
// a hundred thousand findings can still be read with grep and line-based
// tools; the rest of the document stays indented.
func oneLineEach(item func(i int) any) func(bw *bufio.Writer, i int) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	return func(bw *bufio.Writer, i int) error {
		buf.Reset()
		if err := enc.Encode(item(i)); err != nil {
			return err
		}
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	}
}

// writeAround writes doc as json.Encoder with a two-space indent would,
// with the empty list that follows key at the given depth of nesting
// replaced by n items, each written indented one level deeper by item.
// A scan can have tens of thousands of findings: encoding a whole report
// at once buffers all of it, then copies it again to indent it, and costs
// hundreds of megabytes; here only one item is in memory at a time.
func writeAround(w io.Writer, doc any, key string, depth, n int, item func(bw *bufio.Writer, i int) error) error {
	head, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	// A string value cannot hold the marker: encoding escapes newlines.
	marker := "\n" + strings.Repeat("  ", depth) + key
	at := bytes.Index(head, []byte(marker))
	if at < 0 || !strings.HasSuffix(key, "[]") {
		return fmt.Errorf("internal error: no %s in the report", key)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head[:at])
	if n == 0 {
		bw.WriteString(marker)
	} else {
		bw.WriteString(marker[:len(marker)-1])
		itemIndent := "\n" + strings.Repeat("  ", depth+1)
		for i := range n {
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString(itemIndent)
			if err := item(bw, i); err != nil {
				return err
			}
		}
		bw.WriteString(marker[:len(marker)-len(key)] + "]")
	}
	bw.Write(head[at+len(marker):])
	bw.WriteByte('\n')
	return bw.Flush()
}

// jsonFindingOf is a finding as the JSON report writes it. Its trace is
// kept only when explain is set; its remediation only when it differs from
// its rule's, which the rules section holds once (fixes renders those).
func jsonFindingOf(f *engine.Finding, fixes *ruleFixes, explain bool) jsonFinding {
	jf := jsonFinding{
		RuleID:      f.Rule.ID,
		Severity:    severityName(f.Rule.Severity),
		Result:      f.Result,
		Underlying:  underlying(f),
		Scope:       findingScope(f),
		Message:     f.Message,
		Explanation: f.Explanation,
	}
	if explain {
		jf.Trace = f.Trace
	}
	if f.Remediation != fixes.of(f.Rule) {
		rem := jsonRemediation(f.Remediation)
		jf.Remediation = &rem
	}
	for _, e := range f.Related {
		jf.Related = append(jf.Related, jsonRelated{Type: e.Type, ID: entity.Shown(e.ID), Name: entity.Shown(e.Name), Region: e.Region,
			File: e.Origin.File, Line: e.Origin.Start.Line})
	}
	if e := f.Entity; e != nil {
		jf.Entity = &jsonEntity{Type: e.Type, ID: entity.Shown(e.ID), Name: entity.Shown(e.Name), Scope: e.Scope, Region: e.Region, Origin: e.Origin}
	}
	if f.Exclusion != nil {
		x := jsonExclusionOf(f.Exclusion)
		jf.Exclusion = &x
	}
	return jf
}

func jsonExclusionOf(x *engine.Exclusion) jsonExclusion {
	jx := jsonExclusion{Reason: entity.Shown(x.Reason), Source: x.Source}
	if !x.Expires.IsZero() {
		jx.Expires = expiresText(x.Expires)
	}
	return jx
}

func jsonComplianceOf(c *Compliance) jsonCompliance {
	jc := jsonCompliance{
		Framework: c.Framework, Name: c.Name, Version: c.Version, Evaluated: c.Evaluated(), Passing: c.Passing, Failing: c.Failing,
		Incomplete: c.Incomplete, NotEvaluated: c.NotEvaluated, Controls: []jsonControl{},
	}
	if s, ok := c.Score(); ok {
		jc.Score = &s
	}
	for _, ctl := range c.Controls {
		jctl := jsonControl{ID: ctl.ID, Status: ctl.Status, Counts: ctl.Counts}
		for _, cr := range ctl.Rules {
			jctl.Rules = append(jctl.Rules, jsonControlRule{ID: cr.ID, Counts: cr.Counts, NotApplicable: cr.NotApplicable})
		}
		jc.Controls = append(jc.Controls, jctl)
	}
	return jc
}

// nonNil makes an empty list encode as [] rather than null, so consumers
// can iterate without checking.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func jsonFrameworkRefs(refs []rules.FrameworkRef) []jsonFrameworkRef {
	out := make([]jsonFrameworkRef, len(refs))
	for i, ref := range refs {
		out[i] = jsonFrameworkRef{Framework: ref.Framework, Version: ref.Version, Control: ref.Control}
	}
	return out
}
