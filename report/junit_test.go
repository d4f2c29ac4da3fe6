package report

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// junitSuites is a JUnit report read back as a CI system reads it.
type junitSuites struct {
	Name string `xml:"name,attr"`
	junitCountsDoc
	Suites []junitSuiteDoc `xml:"testsuite"`
}

type junitSuiteDoc struct {
	Name string `xml:"name,attr"`
	junitCountsDoc
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

// junitCountsDoc are the counts both elements carry.
type junitCountsDoc struct {
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Time     string `xml:"time,attr"`
}

// readJUnit parses a JUnit report back the way a CI system would.
func readJUnit(t *testing.T, out []byte) junitSuites {
	t.Helper()
	var doc junitSuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("JUnit output is not well-formed XML: %v\n%s", err, out)
	}
	return doc
}

func TestJUnitStructure(t *testing.T) {
	doc := readJUnit(t, write(t, "junit", fixtureRun(), Options{Tool: tool}))
	if doc.Tests != 11 || doc.Failures != 3 || doc.Errors != 1 || doc.Skipped != 3 {
		t.Errorf("totals tests=%d failures=%d errors=%d skipped=%d, want 11 3 1 3", doc.Tests, doc.Failures, doc.Errors, doc.Skipped)
	}
	got := map[string]string{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Classname != s.Name {
				t.Errorf("testcase %s in suite %s has classname %s", c.Name, s.Name, c.Classname)
			}
			kind := "pass"
			switch {
			case c.Failure != nil:
				kind = "failure"
			case c.Error != nil:
				kind = "error"
			case c.Skipped != nil:
				kind = "skipped: " + strings.SplitN(c.Skipped.Message, ":", 2)[0]
			}
			got[s.Name+" "+c.Name] = kind
		}
	}
	want := map[string]string{
		"D9.AWS.LOG.01 " + euTrailARN:                          "failure",
		"D9.AWS.LOG.01 " + orgTrailARN:                         "pass",
		"D9.AWS.LOG.01 " + oldTrailARN:                         "skipped: EXCLUDED (FAIL)",
		"D9.AWS.LOG.02 " + euTrailARN:                          "pass",
		"D9.AWS.LOG.02 " + orgTrailARN:                         "pass",
		"D9.AWS.MON.05 " + account:                             "error",
		"D9.AWS.MON.05 " + otherAcct:                           "pass",
		"D9.TF.AWS.LOG.03 aws_cloudtrail.legacy":               "skipped: EXCLUDED (FAIL)",
		"D9.TF.AWS.LOG.03 aws_cloudtrail.main":                 "failure",
		"D9.TF.AWS.LOG.03 module.audit.aws_cloudtrail.this[0]": "skipped: UNKNOWN",
		"VIGIL.AWS.LOG.01 " + tfScope:                          "failure",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("testcases (-want +got):\n%s", diff)
	}
	if s := doc.Suites[0]; s.Name != "D9.AWS.LOG.01" || !slicesContain(s.Properties, junitProperty{Name: "framework", Value: "CIS AWS Foundations v3.0.0 3.1"}) {
		t.Errorf("first suite %s lacks its framework property: %v", s.Name, s.Properties)
	}
}

func slicesContain(ps []junitProperty, p junitProperty) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// TestJUnitHostileText checks that markup, a CDATA terminator and control
// characters in a finding keep the document well-formed and arrive intact
// (controls replaced).
func TestJUnitHostileText(t *testing.T) {
	doc := readJUnit(t, write(t, "junit", hostileRun(), Options{}))
	var found bool
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if !strings.HasPrefix(c.Name, `aws_cloudtrail.x["<script>`) {
				continue
			}
			found = true
			if c.Failure == nil {
				t.Fatalf("hostile finding is not a failure")
			}
			if want := "=HYPERLINK(\"http://evil.example\")\uFFFD[2J\uFFFD ]]></failure><script>alert(1)</script>"; c.Failure.Message != want {
				t.Errorf("message = %q, want %q", c.Failure.Message, want)
			}
			if !strings.Contains(c.Failure.Body, "  ]]></failure><error/>\n") {
				t.Errorf("body lost the CDATA terminator line:\n%s", c.Failure.Body)
			}
		}
	}
	if !found {
		t.Error("hostile testcase missing")
	}
}
