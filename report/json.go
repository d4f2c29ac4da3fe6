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
// appear within a version.
const JSONVersion = 1

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
	RuleID      string          `json:"rule_id"`
	Severity    string          `json:"severity"`
	Result      engine.Result   `json:"result"`
	Underlying  engine.Result   `json:"underlying_result"`
	Scope       string          `json:"scope,omitempty"`
	Entity      *jsonEntity     `json:"entity"`
	Message     string          `json:"message"`
	Explanation string          `json:"explanation"`
	Related     []jsonRelated   `json:"related,omitempty"`
	Trace       []string        `json:"trace"`
	Remediation jsonRemediation `json:"remediation"`
	Exclusion   *jsonExclusion  `json:"exclusion"`
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
	return writeJSONStreaming(w, doc, v.findings)
}

// writeJSONStreaming writes doc with its findings list filled in from
// findings one finding at a time, byte for byte as encoding the whole
// document would.
func writeJSONStreaming(w io.Writer, doc jsonReport, findings []*engine.Finding) error {
	doc.Findings = []jsonFinding{}
	var fw *findingWriter
	return writeAround(w, doc, `"findings": []`, 1, len(findings), func(bw *bufio.Writer, i int) error {
		if fw == nil {
			fw = newFindingWriter(bw)
		}
		return fw.write(jsonFindingOf(findings[i]))
	})
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

func jsonFindingOf(f *engine.Finding) jsonFinding {
	jf := jsonFinding{
		RuleID:      f.Rule.ID,
		Severity:    severityName(f.Rule.Severity),
		Result:      f.Result,
		Underlying:  underlying(f),
		Scope:       findingScope(f),
		Message:     f.Message,
		Explanation: f.Explanation,
		Trace:       nonNil(f.Trace),
		Remediation: jsonRemediation(f.Remediation),
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

// findingWriter writes one jsonFinding as encoding/json's MarshalIndent
// would at the depth of the findings list ("    " prefix, "  " indent),
// without re-scanning the output to indent it: the remediation texts and
// traces make up most of a report, and indenting them byte by byte cost
// most of its writing time.
type findingWriter struct {
	w *bufio.Writer
	// buf and enc encode one small object at a time, indented; strEnc
	// encodes strings into buf, with no indenting pass over them.
	buf    bytes.Buffer
	enc    *json.Encoder
	strEnc *json.Encoder
	// first is set until the first field of an object is written.
	first bool
}

func newFindingWriter(w *bufio.Writer) *findingWriter {
	fw := &findingWriter{w: w}
	fw.enc = json.NewEncoder(&fw.buf)
	fw.strEnc = json.NewEncoder(&fw.buf)
	return fw
}

// value writes v, a small object, indented by indent.
func (fw *findingWriter) value(v any, indent string) error {
	fw.buf.Reset()
	fw.enc.SetIndent(indent, "  ")
	if err := fw.enc.Encode(v); err != nil {
		return err
	}
	fw.w.Write(bytes.TrimSuffix(fw.buf.Bytes(), []byte("\n")))
	return nil
}

// string writes s as a JSON string.
func (fw *findingWriter) string(s string) error {
	fw.buf.Reset()
	if err := fw.strEnc.Encode(s); err != nil {
		return err
	}
	fw.w.Write(bytes.TrimSuffix(fw.buf.Bytes(), []byte("\n")))
	return nil
}

// key starts a field of an object whose fields are indented by indent.
func (fw *findingWriter) key(indent, name string) {
	if !fw.first {
		fw.w.WriteByte(',')
	}
	fw.first = false
	fw.w.WriteByte('\n')
	fw.w.WriteString(indent)
	fw.w.WriteByte('"')
	fw.w.WriteString(name)
	fw.w.WriteString(`": `)
}

func (fw *findingWriter) str(indent, name, v string) error {
	fw.key(indent, name)
	return fw.string(v)
}

func (fw *findingWriter) write(f jsonFinding) error {
	const in = "      " // the finding's fields
	fw.w.WriteByte('{')
	fw.first = true
	for _, kv := range [...][2]string{{"rule_id", f.RuleID}, {"severity", f.Severity},
		{"result", string(f.Result)}, {"underlying_result", string(f.Underlying)}} {
		if err := fw.str(in, kv[0], kv[1]); err != nil {
			return err
		}
	}
	if f.Scope != "" {
		if err := fw.str(in, "scope", f.Scope); err != nil {
			return err
		}
	}
	fw.key(in, "entity")
	if err := fw.value(f.Entity, in); err != nil {
		return err
	}
	if err := fw.str(in, "message", f.Message); err != nil {
		return err
	}
	if err := fw.str(in, "explanation", f.Explanation); err != nil {
		return err
	}
	if len(f.Related) > 0 {
		fw.key(in, "related")
		if err := fw.value(f.Related, in); err != nil {
			return err
		}
	}
	fw.key(in, "trace")
	if len(f.Trace) == 0 {
		fw.w.WriteString("[]")
	} else {
		fw.w.WriteByte('[')
		for i, line := range f.Trace {
			if i > 0 {
				fw.w.WriteByte(',')
			}
			fw.w.WriteString("\n" + in + "  ")
			if err := fw.string(line); err != nil {
				return err
			}
		}
		fw.w.WriteString("\n" + in + "]")
	}
	fw.key(in, "remediation")
	if f.Remediation == (jsonRemediation{}) {
		fw.w.WriteString("{}")
	} else {
		fw.w.WriteByte('{')
		fw.first = true
		for _, kv := range [...][2]string{{"console", f.Remediation.Console}, {"cli", f.Remediation.CLI}, {"terraform", f.Remediation.Terraform}} {
			if kv[1] != "" {
				if err := fw.str(in+"  ", kv[0], kv[1]); err != nil {
					return err
				}
			}
		}
		fw.w.WriteString("\n" + in + "}")
		fw.first = false
	}
	fw.key(in, "exclusion")
	if err := fw.value(f.Exclusion, in); err != nil {
		return err
	}
	fw.w.WriteString("\n    }")
	return nil
}
