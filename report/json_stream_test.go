package report

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestJSONFindingOnALine: the findings list holds each finding on a line
// of its own, each line (without its comma) a finding as encoding/json
// writes it, and the whole document parses with all of them.
func TestJSONFindingOnALine(t *testing.T) {
	run := fixtureRun()
	out := write(t, "json", run, Options{Explain: true})
	var doc struct{ Findings []json.RawMessage }
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	inFindings := false
	for line := range bytes.Lines(out) {
		switch {
		case bytes.Equal(line, []byte("  \"findings\": [\n")):
			inFindings = true
		case inFindings && bytes.HasPrefix(line, []byte("  ]")):
			inFindings = false
		case inFindings:
			lines = append(lines, bytes.TrimRight(bytes.TrimSpace(line), ","))
		}
	}
	if len(doc.Findings) != len(run.Findings) || len(lines) != len(run.Findings) {
		t.Fatalf("%d findings parsed, %d finding lines; want %d of each", len(doc.Findings), len(lines), len(run.Findings))
	}
	for i, line := range lines {
		if !json.Valid(line) || !bytes.Equal(line, doc.Findings[i]) {
			t.Errorf("line %d is not finding %d on its own:\n%s", i, i, line)
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

// TestExplainRestoresTraces: with Options.Explain (vigil scan --explain)
// every format but csv and compliance writes the traces, json and sarif
// included, which leave them out by default.
func TestExplainRestoresTraces(t *testing.T) {
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
		if err := w.Write(&out, run, Options{Explain: true}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		want := format != "csv" && format != "compliance"
		if got := bytes.Contains(out.Bytes(), []byte(marker)); got != want {
			t.Errorf("%s with Explain: output holds the trace: %v, want %v", format, got, want)
		}
	}
}
