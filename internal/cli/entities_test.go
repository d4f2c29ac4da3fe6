package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEntitiesDocInStep: docs/entities.md is the entity catalogue as
// "vigil entities --format markdown" writes it; -update rewrites it.
func TestEntitiesDocInStep(t *testing.T) {
	code, out, stderr := run(t, "", "entities", "--format", "markdown")
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	const path = "../../docs/entities.md"
	if *update {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out); diff != "" {
		t.Errorf("docs/entities.md is out of step with the entity catalogue; run go test ./internal/cli -run EntitiesDoc -update (-file +catalogue):\n%s", diff)
	}
}

func TestEntitiesCommand(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		code     int
		out, err []string
		notInOut []string
	}{
		{args: []string{"entities"}, out: []string{"TYPE", "CloudTrail            A CloudTrail trail", "'vigil entities TYPE' lists a type's fields"},
			notInOut: []string{"isMultiRegionTrail"}},
		{args: []string{"entities", "CloudTrail"}, out: []string{
			"\n  isMultiRegionTrail  bool\n    Whether the trail records events in every region, not only its home region.\n" +
				"    live:          cloudtrail:DescribeTrails → trailList[].IsMultiRegionTrail\n" +
				"    terraform:     aws_cloudtrail.is_multi_region_trail (default false)\n    before apply:  yes\n",
			"metricFilters[].filterPattern  string",
			"status.latestCloudWatchLogsDeliveryTime  date",
			"not in Terraform: known only in a live account (Unknown in code)",
			"In a live account\n  One entity per trail"}},
		{args: []string{"entities", "CloudTral"}, code: ExitBadUsage,
			err: []string{`no entity type "CloudTral" (did you mean CloudTrail?)`, "vigil entities --help"}},
		{args: []string{"entities", "aws_cloudtrail"}, code: ExitBadUsage, err: []string{"aws_cloudtrail is a Terraform resource type"}},
		{args: []string{"entities", "--format", "yaml"}, code: ExitBadUsage, err: []string{`unknown --format "yaml"`}},
		{args: []string{"entities", "CloudTrail", "Other"}, code: ExitBadUsage, err: []string{"accepts at most 1 arg"}},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, stderr := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			for _, s := range tt.out {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.notInOut {
				if strings.Contains(out, s) {
					t.Errorf("output has %q:\n%s", s, out)
				}
			}
			for _, s := range tt.err {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q: %q", s, stderr)
				}
			}
		})
	}
}

// TestEntitiesJSON: --format json lists the types, and gives one type
// with its fields and their sources.
func TestEntitiesJSON(t *testing.T) {
	code, out, _ := run(t, "", "entities", "--format", "json")
	var list []entityJSON
	if err := json.Unmarshal([]byte(out), &list); code != ExitOK || err != nil || len(list) == 0 || list[0].Type != "CloudTrail" || list[0].Fields != nil {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	code, out, _ = run(t, "", "entities", "CloudTrail", "--format", "json")
	var one entityJSON
	if err := json.Unmarshal([]byte(out), &one); code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	byPath := map[string]fieldJSON{}
	for _, f := range one.Fields {
		byPath[f.Path] = f
	}
	want := fieldJSON{Path: "status.isLogging", Type: "bool", Meaning: "Whether the trail is recording events.",
		Live:      liveJSON{Calls: []string{"cloudtrail:GetTrailStatus"}, Field: "IsLogging"},
		Terraform: terraformJSON{Resource: "aws_cloudtrail", Attribute: "enable_logging", Default: "true", KnownBeforeApply: true}}
	if diff := cmp.Diff(want, byPath["status.isLogging"]); diff != "" {
		t.Errorf("status.isLogging (-want +got):\n%s", diff)
	}
	if got := byPath["status.latestDeliveryTime"].Terraform; got != (terraformJSON{LiveOnly: "unknown"}) {
		t.Errorf("status.latestDeliveryTime's Terraform source: %+v", got)
	}
}
