package report

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readCSV(t *testing.T, out []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(out))
	r.FieldsPerRecord = len(csvHeader)
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse back: %v", err)
	}
	return recs
}

func TestCSVRows(t *testing.T) {
	recs := readCSV(t, write(t, "csv", fixtureRun(), Options{}))
	if diff := cmp.Diff(csvHeader, recs[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if len(recs) != 12 {
		t.Fatalf("%d rows, want header + 11 findings", len(recs))
	}
	row := func(ruleID, entityID string) map[string]string {
		for _, rec := range recs[1:] {
			if rec[0] == ruleID && rec[6] == entityID {
				m := map[string]string{}
				for i, h := range csvHeader {
					m[h] = rec[i]
				}
				return m
			}
		}
		t.Fatalf("no row for %s %s", ruleID, entityID)
		return nil
	}
	tf := row("D9.TF.AWS.LOG.03", "aws_cloudtrail.legacy")
	for k, want := range map[string]string{
		"result": "EXCLUDED", "underlying_result": "FAIL", "file": "infra/prod/main.tf",
		"start_line": "31", "start_col": "1", "end_line": "36",
		"exclusion_source": "infra/prod/main.tf:30 (vigil:ignore comment)", "frameworks": "CIS AWS Foundations v1.2.0 2.4",
	} {
		if tf[k] != want {
			t.Errorf("%s = %q, want %q", k, tf[k], want)
		}
	}
	scope := row("D9.AWS.MON.05", "")
	if scope["result"] == "ERROR" && scope["scope"] != account {
		t.Errorf("List<CloudTrail> finding scope = %q", scope["scope"])
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	cases := []struct{ in, want string }{
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+1", "'+1"},
		{"-cmd", "'-cmd"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"arn:aws:cloudtrail:us-east-1:1:trail/a=b", "arn:aws:cloudtrail:us-east-1:1:trail/a=b"},
		{"", ""},
	}
	for _, tc := range cases {
		if got := defuseFormula(tc.in); got != tc.want {
			t.Errorf("defuseFormula(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	recs := readCSV(t, write(t, "csv", hostileRun(), Options{}))
	for _, rec := range recs {
		for _, cell := range rec {
			if cell != "" && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@') {
				t.Errorf("cell %q starts a formula", cell)
			}
		}
	}
}
