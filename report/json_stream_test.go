package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"vigil/engine"
	"vigil/entity"
)

// TestFindingWriterMatchesEncodingJSON: the hand-written finding encoder
// writes what encoding/json's MarshalIndent writes, field for field.
func TestFindingWriterMatchesEncodingJSON(t *testing.T) {
	// The writer lists jsonFinding's fields by hand: a new field must be
	// added to it too.
	if n := reflect.TypeFor[jsonFinding]().NumField(); n != 12 {
		t.Fatalf("jsonFinding has %d fields; findingWriter.write writes 12: add the new ones", n)
	}
	cases := []jsonFinding{
		{},
		{RuleID: "D9.AWS.LOG.01", Severity: "High", Result: engine.Fail, Underlying: engine.Fail,
			Scope: "123456789012", Message: "Trail main records events in its home region us-east-1 only.",
			Explanation: "isMultiRegionTrail is false, expected true",
			Trace:       []string{"should have isMultiRegionTrail=true: false", "  isMultiRegionTrail is false, expected true"},
			Remediation: jsonRemediation{Console: "1. Open <trail> & fix\n2. Save", CLI: "aws cloudtrail update-trail --name 'main'"},
			Entity: &jsonEntity{Type: "CloudTrail", ID: "arn:aws:cloudtrail:us-east-1:123456789012:trail/main", Name: "main",
				Region: "us-east-1", Origin: entity.Origin{API: []string{"cloudtrail:DescribeTrails"}}}},
		{RuleID: "r", Result: engine.Excluded, Underlying: engine.Unknown, Message: "bad \xff utf-8 \u2028 \"quoted\" \\ <script>",
			Remediation: jsonRemediation{Terraform: "resource \"aws_cloudtrail\" \"x\" {\n  name = \"x\"\n}"},
			Exclusion:   &jsonExclusion{Reason: "accepted risk", Expires: "2027-01-01", Source: "exclusions.yaml:3"},
			Entity: &jsonEntity{Type: "aws_cloudtrail", ID: "module.a.aws_cloudtrail.this[\"k\"]",
				Origin: entity.Origin{File: "main.tf", Start: entity.Pos{Line: 3, Col: 1}, End: entity.Pos{Line: 9, Col: 2}}}},
		{RuleID: "VIGIL.AWS.LOG.01", Result: engine.Fail, Underlying: engine.Fail, Scope: "envs/prod",
			Message:     "No trail of module envs/prod is multi-region. Closest: aws_cloudtrail.app is not multi-region.",
			Explanation: "items with [...] length() > 0: 0 of 2 elements match",
			Related: []jsonRelated{{Type: "aws_cloudtrail", ID: "aws_cloudtrail.app", Name: "app", File: "envs/prod/main.tf", Line: 14},
				{Type: "CloudTrail", ID: "arn:aws:cloudtrail:eu-west-1:123456789012:trail/x", Name: "x", Region: "eu-west-1"}}},
	}
	for i, f := range cases {
		f.Trace = nonNil(f.Trace) // as jsonFindingOf makes it
		want, err := json.MarshalIndent(f, "    ", "  ")
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		bw := bufio.NewWriter(&got)
		if err := newFindingWriter(bw).write(f); err != nil {
			t.Fatal(err)
		}
		bw.Flush()
		if got.String() != string(want) {
			t.Errorf("case %d:\n got %s\nwant %s", i, got.String(), want)
		}
	}
}

// TestShowsTraces: a format said to print no traces prints none, so a scan
// may skip building them; the others print them.
func TestShowsTraces(t *testing.T) {
	const marker = "TRACE-MARKER-7f3a"
	for _, format := range Formats() {
		run := fixtureRun()
		for _, f := range run.Findings {
			f.Trace = append(f.Trace, marker)
		}
		w, err := Lookup(format)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := w.Write(&out, run, Options{}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if got := bytes.Contains(out.Bytes(), []byte(marker)); got != ShowsTraces(format) {
			t.Errorf("%s: output holds the trace: %v; ShowsTraces says %v", format, got, ShowsTraces(format))
		}
	}
}
