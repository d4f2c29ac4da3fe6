package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"vigil/engine"
	"vigil/entity"
)

const (
	badFile     = "infra/modules/audit/bad.tf:4:10: does not parse: Invalid expression"
	missingFile = "infra/missing: cannot be read: no such file or directory"
)

// TestInputFailuresInEveryFormat: every format lists the files that could
// not be read or parsed, each once however many failures the inventory
// recorded for it, and says the report is incomplete.
func TestInputFailuresInEveryFormat(t *testing.T) {
	run := inputFailuresRun()
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			out := string(write(t, format, run, Options{Tool: tool}))
			if format == "json" {
				return // the failures as recorded: TestJSONInputFailures
			}
			// The module's ERROR finding repeats the failure; what it
			// affects is said once, in the list of failures.
			for _, s := range []string{badFile + ": Expected the start of an expression, but found an invalid expression token (may be incomplete: aws_cloudtrail, CloudTrail)", missingFile} {
				if n := strings.Count(out, s); n == 0 || format != "junit" && n != 1 {
					t.Errorf("%q appears %d times", s, n)
				}
			}
		})
	}
	for _, format := range []string{"text", "compliance", "html"} {
		if out := string(write(t, format, run, Options{Tool: tool})); !strings.Contains(out, "Incomplete: 2 input files could not be read or parsed") {
			t.Errorf("%s does not say it is incomplete", format)
		}
		if out := string(write(t, format, fixtureRun(), Options{Tool: tool})); strings.Contains(out, "Incomplete") {
			t.Errorf("%s says a complete run is incomplete", format)
		}
	}
}

func TestSARIFInputFailures(t *testing.T) {
	out := write(t, "sarif", inputFailuresRun(), Options{Tool: tool})
	if err := validateSARIF(t, out); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v", err)
	}
	var doc struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful bool                `json:"executionSuccessful"`
				Notifications       []sarifNotification `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	inv := doc.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("executionSuccessful is true with inputs that could not be read")
	}
	var got []string
	for _, n := range inv.Notifications {
		s := n.Level + " " + n.Message.Text[:min(len(n.Message.Text), 70)]
		for _, l := range n.Locations {
			s += " @" + l.PhysicalLocation.ArtifactLocation.URI
			if r := l.PhysicalLocation.Region; r != nil {
				s += ":" + strconv.Itoa(r.StartLine) + ":" + strconv.Itoa(r.StartColumn)
			}
		}
		got = append(got, s)
	}
	want := []string{
		"error input failed: infra/modules/audit/bad.tf:4:10: does not parse: Invalid @infra/modules/audit/bad.tf:4:10",
		"error input failed: infra/missing: cannot be read: no such file or directory @infra/missing",
		"error collection failed: logs:DescribeMetricFilters in eu-west-1: AccessDeni",
		"warning expired exclusion no longer applied: temporary during the migration to",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notifications:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Collection failures alone do not make the execution fail.
	if bytes.Contains(write(t, "sarif", fixtureRun(), Options{}), []byte(`"executionSuccessful": false`)) {
		t.Error("a run with only a collection failure is not successful")
	}
}

func TestJSONInputFailures(t *testing.T) {
	var doc struct {
		Failures []entity.Failure `json:"failures"`
	}
	if err := json.Unmarshal(write(t, "json", inputFailuresRun(), Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	run := inputFailuresRun()
	if len(doc.Failures) != len(run.Failures) {
		t.Fatalf("%d failures, want %d", len(doc.Failures), len(run.Failures))
	}
	for i, f := range doc.Failures {
		if f != run.Failures[i] {
			t.Errorf("failure %d: %+v, want %+v", i, f, run.Failures[i])
		}
	}
}

func TestJUnitInputFailures(t *testing.T) {
	doc := readJUnit(t, write(t, "junit", inputFailuresRun(), Options{Tool: tool}))
	// The fixture's 11 tests and 1 error, the ERROR finding of the module,
	// and a test case with an <error> per input file.
	if doc.Tests != 14 || doc.Errors != 4 {
		t.Errorf("totals tests=%d errors=%d, want 14 4", doc.Tests, doc.Errors)
	}
	last := doc.Suites[len(doc.Suites)-1]
	if last.Name != junitFailuresSuite || last.Tests != 2 || last.Errors != 2 || len(last.Cases) != 2 {
		t.Fatalf("last suite %q tests=%d errors=%d cases=%d", last.Name, last.Tests, last.Errors, len(last.Cases))
	}
	c := last.Cases[0]
	if c.Name != "infra/modules/audit/bad.tf:4:10" || c.Error == nil || c.Error.Type != entity.FailureParse || !strings.Contains(c.Error.Message, badFile) {
		t.Errorf("first case %+v", c)
	}
}

func TestCSVInputFailures(t *testing.T) {
	recs, err := csv.NewReader(bytes.NewReader(write(t, "csv", inputFailuresRun(), Options{}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range csvHeader {
		col[h] = i
	}
	var rows []string
	for _, r := range recs[1:] {
		if r[col["rule_id"]] == "" {
			rows = append(rows, strings.Join([]string{r[col["result"]], r[col["entity_type"]], r[col["scope"]], r[col["file"]], r[col["start_line"]], r[col["start_col"]]}, "|"))
		}
	}
	want := "ERROR|aws_cloudtrail; CloudTrail|infra/prod; infra/stage|infra/modules/audit/bad.tf|4|10\nERROR|||infra/missing||"
	if got := strings.Join(rows, "\n"); got != want {
		t.Errorf("failure rows:\n%s\nwant:\n%s", got, want)
	}
}

// TestLongValuesAreCut: an entity whose name and ID are a megabyte long, in
// many findings, gives a report of kilobytes in every format, each value cut
// after entity.MaxShown characters with its length, and never inside a
// character.
func TestLongValuesAreCut(t *testing.T) {
	name := strings.Repeat("é", 1<<19) // 1 MiB, two bytes a character
	e := &entity.Entity{Type: "aws_cloudtrail", ID: `aws_cloudtrail.t["` + name + `"]`, Name: name, Scope: tfScope,
		Origin: entity.Origin{File: "infra/prod/main.tf", Start: entity.Pos{Line: 1, Col: 1}, End: entity.Pos{Line: 5, Col: 1}}}
	run := fixtureRun()
	rule := run.Findings[8].Rule
	for range 50 {
		run.Findings = append(run.Findings,
			&engine.Finding{Rule: rule, Result: engine.Fail, Underlying: engine.Fail, Entity: e, Message: "name is " + entity.Format(name)},
			&engine.Finding{Rule: rule, Result: engine.Excluded, Underlying: engine.Fail, Entity: e,
				Exclusion: &engine.Exclusion{Reason: name, Source: "infra/prod/main.tf:1 (vigil:ignore comment)"}})
	}
	cut := strings.Repeat("é", entity.MaxShown) + "… (1048576 bytes)"
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			out := write(t, format, run, Options{Tool: tool, ShowPass: true})
			if len(out) > 2<<20 {
				t.Errorf("%d bytes", len(out))
			}
			if !utf8.Valid(out) {
				t.Error("not valid UTF-8: a character was cut")
			}
			if format != "compliance" && !bytes.Contains(out, []byte(cut)) && !bytes.Contains(out, []byte(strings.ReplaceAll(cut, "é", `\u00e9`))) {
				t.Errorf("no value cut as %q…", cut[len(cut)-30:])
			}
		})
	}
}
