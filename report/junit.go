package report

import (
	"cmp"
	"encoding/xml"
	"io"
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

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
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
	name, _ := toolNameVersion(opts.Tool)
	doc := junitSuites{Name: name, Time: junitTime}
	stamp := run.Started.UTC().Format("2006-01-02T15:04:05")
	suites := map[string]*junitSuite{}
	var order []*junitSuite
	for _, r := range v.rules {
		s := &junitSuite{Name: r.ID, Time: junitTime, Timestamp: stamp, Properties: junitProperties(r)}
		suites[r.ID] = s
		order = append(order, s)
	}
	for _, f := range v.findings {
		s := suites[f.Rule.ID]
		c := junitCaseOf(f)
		s.Tests++
		switch {
		case c.Failure != nil:
			s.Failures++
		case c.Error != nil:
			s.Errors++
		case c.Skipped != nil:
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	for _, s := range order {
		if s.Tests == 0 {
			continue // not applicable: nothing was tested
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, *s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
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
	switch f.Result {
	case engine.Pass:
	case engine.Fail:
		c.Failure = &junitProblem{Message: msg, Type: string(engine.Fail), Body: safeText(junitBody(f))}
	case engine.Unknown:
		c.Skipped = &junitSkipped{Message: "UNKNOWN: " + msg}
	case engine.Excluded:
		reason := "no reason given"
		if f.Exclusion != nil {
			reason = exclusionText(f.Exclusion)
		}
		c.Skipped = &junitSkipped{Message: "EXCLUDED (" + string(underlying(f)) + "): " + reason}
	default: // ERROR, and anything unknown, which must not pass
		c.Error = &junitProblem{Message: msg, Type: string(f.Result), Body: safeText(junitBody(f))}
	}
	return c
}

// junitBody is the text inside <failure> and <error>: where, why, and how to
// fix it.
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
	if len(f.Trace) > 0 {
		b.WriteString("Explanation:\n")
		for _, t := range f.Trace {
			b.WriteString("  " + t + "\n")
		}
	}
	rem := f.Remediation
	if rem == (rules.Remediation{}) {
		rem = f.Rule.Remediation
	}
	line("Remediation (console):\n", rem.Console)
	line("Remediation (CLI):\n", rem.CLI)
	line("Remediation (Terraform):\n", rem.Terraform)
	return b.String()
}
