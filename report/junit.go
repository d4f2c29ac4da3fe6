package report

import (
	"cmp"
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"vigil/engine"
	"vigil/rules"
)

// JUnit XML in the common Jenkins/Surefire shape that CI systems read: one
// testsuite per rule, one testcase per entity (or scope, for List<E>
// rules). FAIL is a <failure>, ERROR an <error>; UNKNOWN and EXCLUDED are
// <skipped> with the reason in its message, so they neither fail the build
// nor pass silently. PASS is a testcase with no child.

type junitFormat struct{}

func init() { register("junit", junitFormat{}) }

// junitSuite is one rule's testsuite: its counts, properties and the
// findings that become its test cases.
type junitSuite struct {
	counts     junitCounts
	properties []junitProperty
	findings   []*engine.Finding
}

// junitCounts are the counts of a testsuites or testsuite element.
type junitCounts struct{ tests, failures, errors, skipped int }

func (c *junitCounts) add(o junitCounts) {
	c.tests += o.tests
	c.failures += o.failures
	c.errors += o.errors
	c.skipped += o.skipped
}

// attrs are the attributes of an element with counts c, after name.
func (c junitCounts) attrs(name string) []xml.Attr {
	attr := func(k, v string) xml.Attr { return xml.Attr{Name: xml.Name{Local: k}, Value: v} }
	return []xml.Attr{
		attr("name", name), attr("tests", strconv.Itoa(c.tests)), attr("failures", strconv.Itoa(c.failures)),
		attr("errors", strconv.Itoa(c.errors)), attr("skipped", strconv.Itoa(c.skipped)), attr("time", junitTime),
	}
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	XMLName   xml.Name      `xml:"testcase"`
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitSkipped `xml:"skipped"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// junitTime is the duration every element reports: vigil does not time
// rules one by one, and a fixed value keeps the output reproducible.
const junitTime = "0"

func (junitFormat) Write(w io.Writer, run *engine.Run, opts Options) error {
	v, err := newView(run, opts)
	if err != nil {
		return err
	}
	// The counts go in attributes before the test cases, so they are
	// taken first; the cases are then made and written one at a time, so
	// that a large scan's report is never held whole.
	suites := map[string]*junitSuite{}
	for _, r := range v.rules {
		suites[r.ID] = &junitSuite{properties: junitProperties(r)}
	}
	for _, f := range v.findings {
		s := suites[f.Rule.ID]
		s.counts.tests++
		switch junitKind(f.Result) {
		case "failure":
			s.counts.failures++
		case "error":
			s.counts.errors++
		case "skipped":
			s.counts.skipped++
		}
		s.findings = append(s.findings, f)
	}
	var total junitCounts
	for _, s := range suites {
		total.add(s.counts)
	}
	failed := junitFailureCases(run)
	total.add(junitCounts{tests: len(failed), errors: len(failed)})
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	name, _ := toolNameVersion(opts.Tool)
	root := xml.StartElement{Name: xml.Name{Local: "testsuites"}, Attr: total.attrs(name)}
	if err := enc.EncodeToken(root); err != nil {
		return err
	}
	stamp := run.Started.UTC().Format("2006-01-02T15:04:05")
	for _, r := range v.rules {
		s := suites[r.ID]
		if s.counts.tests == 0 {
			continue // not applicable: nothing was tested
		}
		attrs := append(s.counts.attrs(r.ID), xml.Attr{Name: xml.Name{Local: "timestamp"}, Value: stamp})
		suite := xml.StartElement{Name: xml.Name{Local: "testsuite"}, Attr: attrs}
		if err := enc.EncodeToken(suite); err != nil {
			return err
		}
		if err := enc.Encode(junitPropertyList{Properties: s.properties}); err != nil {
			return err
		}
		for _, f := range s.findings {
			if err := enc.Encode(junitCaseOf(f)); err != nil {
				return err
			}
		}
		if err := enc.EncodeToken(suite.End()); err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		attrs := append(junitCounts{tests: len(failed), errors: len(failed)}.attrs(junitFailuresSuite), xml.Attr{Name: xml.Name{Local: "timestamp"}, Value: stamp})
		suite := xml.StartElement{Name: xml.Name{Local: "testsuite"}, Attr: attrs}
		if err := enc.EncodeToken(suite); err != nil {
			return err
		}
		for _, c := range failed {
			if err := enc.Encode(c); err != nil {
				return err
			}
		}
		if err := enc.EncodeToken(suite.End()); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// junitPropertyList is a <properties> element.
type junitPropertyList struct {
	XMLName    xml.Name        `xml:"properties"`
	Properties []junitProperty `xml:"property"`
}

// junitKind is the element a result becomes in its test case: none for
// PASS.
func junitKind(r engine.Result) string {
	switch r {
	case engine.Pass:
		return ""
	case engine.Fail:
		return "failure"
	case engine.Unknown, engine.Excluded:
		return "skipped"
	}
	return "error" // ERROR, and anything unknown, which must not pass
}

func junitProperties(r *rules.Rule) []junitProperty {
	props := []junitProperty{
		{Name: "title", Value: r.Title},
		{Name: "severity", Value: severityName(r.Severity)},
	}
	if r.Category != "" {
		props = append(props, junitProperty{Name: "category", Value: r.Category})
	}
	for _, ref := range frameworkRefs(r) {
		props = append(props, junitProperty{Name: "framework", Value: ref})
	}
	return props
}

func junitCaseOf(f *engine.Finding) junitCase {
	c := junitCase{Name: subject(f), Classname: f.Rule.ID, Time: junitTime}
	msg := cmp.Or(f.Message, string(f.Result))
	switch junitKind(f.Result) {
	case "failure":
		c.Failure = &junitProblem{Message: msg, Type: string(engine.Fail), Body: safeText(junitBody(f))}
	case "error":
		c.Error = &junitProblem{Message: msg, Type: string(f.Result), Body: safeText(junitBody(f))}
	case "skipped":
		if f.Result != engine.Excluded {
			c.Skipped = &junitSkipped{Message: string(f.Result) + ": " + msg}
			break
		}
		reason := "no reason given"
		if f.Exclusion != nil {
			reason = exclusionText(f.Exclusion)
		}
		c.Skipped = &junitSkipped{Message: "EXCLUDED (" + string(underlying(f)) + "): " + reason}
	}
	return c
}

// junitFailuresSuite names the testsuite of the input failures, and is the
// classname of its test cases: no rule ID has a space.
const junitFailuresSuite = "vigil inputs"

// junitFailureCases are the test cases of the input files that could not be
// read or parsed, one per file, each an <error>: what they declare went
// unchecked, and an input that gave nothing has no finding that says so.
// (A collection failure always has the ERROR findings of the rules that
// need its data.)
func junitFailureCases(run *engine.Run) []junitCase {
	inputs, _ := failureNotes(run)
	var out []junitCase
	for _, n := range inputs {
		out = append(out, junitCase{Name: n.Location(), Classname: junitFailuresSuite, Time: junitTime,
			Error: &junitProblem{Message: n.String(), Type: n.Kind, Body: safeText(n.String() + "\n")}})
	}
	return out
}

// junitBody is the text inside <failure> and <error>: where, why (the
// message, then the GSL explanation and trace it was written from), the
// entities the message names, and how to fix it (for an ERROR, how to
// restore the data).
func junitBody(f *engine.Finding) string {
	var b strings.Builder
	line := func(label, s string) {
		if s != "" {
			b.WriteString(label + s + "\n")
		}
	}
	line("Rule: ", f.Rule.ID+" "+f.Rule.Title)
	line("Severity: ", severityName(f.Rule.Severity))
	line("Entity: ", subject(f))
	line("Location: ", location(f))
	line("Message: ", f.Message)
	if f.Explanation != f.Message {
		line("Explanation (GSL): ", f.Explanation)
	}
	if len(f.Trace) > 0 {
		b.WriteString("Trace:\n")
		for _, t := range f.Trace {
			b.WriteString("  " + t + "\n")
		}
	}
	for _, e := range f.Related {
		id, where := relatedPlace(e)
		if where != "" {
			id += " (" + where + ")"
		}
		line("Related: ", id)
	}
	rem := f.Remediation
	line("Remediation (console):\n", rem.Console)
	line("Remediation (CLI):\n", rem.CLI)
	line("Remediation (Terraform):\n", rem.Terraform)
	return b.String()
}
