package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// FuzzWriters feeds arbitrary entity names, IDs, messages, file names and
// positions (all of which come from scanned accounts or code) to every
// writer and checks that each output still parses in its own format and
// that nothing escapes into markup or the terminal.
func FuzzWriters(f *testing.F) {
	f.Add("aws_cloudtrail.main", "main", "cloud_watch_logs_role_arn isEmpty() is true", "infra/main.tf", 12, 1, "D9.TF.AWS.LOG.03")
	f.Add(`x["<script>alert(1)</script>"]`, `<img src=x onerror=alert(1)>`, "]]></failure>\x00\x1b[2J", "a b/<&>.tf", 0, 0, "R&D<1>")
	f.Add("=cmd|' /C calc'!A0", "@SUM(1)", "-2+3\r\n\"quoted\"", "C:\\dir\\main.tf", -1, -5, "")
	f.Add("\xff\xfe", "\u202eevil", "\ufffe\uffff\U0010ffff", "%2e%2e/../x.tf", 1<<30, 1<<30, "a.b.c")
	f.Fuzz(func(t *testing.T, id, name, message, file string, line, col int, ruleID string) {
		rule := &rules.Rule{ID: ruleID, Title: name, Severity: rules.High, Description: message,
			Frameworks: []rules.FrameworkRef{{Framework: "CIS AWS Foundations", Version: "3.0.0", Control: name}}}
		e := &entity.Entity{Type: "aws_cloudtrail", ID: id, Name: name, Scope: file,
			Origin: entity.Origin{File: file, Start: entity.Pos{Line: line, Col: col}, End: entity.Pos{Line: line + 1, Col: 1}}}
		run := &engine.Run{
			Started: started,
			Findings: []*engine.Finding{
				{Rule: rule, Result: engine.Fail, Underlying: engine.Fail, Entity: e, Message: message, Trace: []string{message, name}},
				{Rule: rule, Result: engine.Excluded, Underlying: engine.Unknown, Scope: id, Message: message,
					Exclusion: &engine.Exclusion{Reason: message, Source: file}},
			},
			Failures: []entity.Failure{{Type: name, Call: id, Error: message}},
		}
		for _, format := range Formats() {
			w, _ := Lookup(format)
			var buf bytes.Buffer
			if err := w.Write(&buf, run, Options{Tool: tool}); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			checkParses(t, format, buf.Bytes())
		}
	})
}

func checkParses(t *testing.T, format string, out []byte) {
	t.Helper()
	switch format {
	case "json", "sarif":
		if !json.Valid(out) {
			t.Fatalf("%s: invalid JSON", format)
		}
		if format == "sarif" {
			if err := validateSARIF(t, out); err != nil {
				t.Fatalf("sarif: not valid SARIF 2.1.0: %v", err)
			}
		}
	case "junit":
		var doc junitSuites
		if err := xml.Unmarshal(out, &doc); err != nil {
			t.Fatalf("junit: not well-formed: %v", err)
		}
		if doc.Tests != 2 || doc.Failures != 1 || doc.Skipped != 1 {
			t.Fatalf("junit: tests=%d failures=%d skipped=%d, want 2 1 1", doc.Tests, doc.Failures, doc.Skipped)
		}
	case "csv":
		r := csv.NewReader(bytes.NewReader(out))
		r.FieldsPerRecord = len(csvHeader)
		recs, err := r.ReadAll()
		if err != nil || len(recs) != 3 {
			t.Fatalf("csv: %d records, %v", len(recs), err)
		}
	case "html":
		s := string(out)
		if n := strings.Count(s, "<script"); n != 1 {
			t.Fatalf("html: %d <script, want 1", n)
		}
		if i := strings.Index(s, "<img"); i >= 0 {
			t.Fatalf("html: run text became markup: %q", s[max(0, i-100):i+20])
		}
		if i := strings.IndexAny(s, "\x00\x1b"); i >= 0 {
			t.Fatalf("html: control characters kept: %q", s[max(0, i-100):i+20])
		}
	case "text", "compliance":
		if bytes.ContainsAny(out, "\x1b\x00\r") {
			t.Fatalf("%s: raw control characters reached the terminal", format)
		}
	}
}
