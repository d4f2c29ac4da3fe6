package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"vigil/engine"
	"vigil/entity"
	"vigil/gsl"
	"vigil/rules"
)

const (
	evalTrails    = "testdata/eval/trails.json"
	evalInventory = "testdata/eval/inventory.json"
	evalTerraform = "testdata/eval/terraform.json"
	evalNow       = "2026-11-22T10:00:00Z"
	ruleLog01     = "CloudTrail should have isMultiRegionTrail=true"
	ruleMON05     = `List<CloudTrail> should have items with [hasSNSSubscriber='true' and metricFilters with [filterPattern isFilterPatternEqual('{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) ||($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName =StopLogging) }')] length() > 0]`
	ruleTFLog03   = "aws_cloudtrail should not have (cloud_watch_logs_role_arn isEmpty() or cloud_watch_logs_group_arn isEmpty())"
)

func TestEvalText(t *testing.T) {
	code, out, stderr := run(t, "", "eval", ruleLog01, "--input", evalTrails, "--now", evalNow)
	want := `PASS          #0
FAIL          #1  isMultiRegionTrail is false, expected true
    should have isMultiRegionTrail = true: false
      isMultiRegionTrail is false, expected true
PASS          #2
`
	if code != ExitFailed || out != want {
		t.Errorf("code %d\n%s\nwant\n%s", code, out, want)
	}
	if stderr != "3 results: 2 PASS, 1 FAIL\n" {
		t.Errorf("stderr %q", stderr)
	}
}

func TestEvalAllPassExitsZero(t *testing.T) {
	code, out, _ := run(t, "", "eval", "CloudTrail where isMultiRegionTrail = true should have status.isLogging or name = 'stale'", "-i", evalTrails)
	if code != ExitOK || out != "PASS          #0\nNOT_RELEVANT  #1  not relevant: isMultiRegionTrail is false, expected true\nPASS          #2\n" {
		t.Errorf("code %d\n%s", code, out)
	}
}

// TestEvalJSON: results in input order with summary, trace and unknowns;
// UNKNOWN from a maybe-null Terraform value exits 1.
func TestEvalJSON(t *testing.T) {
	code, out, _ := run(t, "", "eval", ruleTFLog03, "--input", evalTerraform, "--format", "json")
	var got []evalResult
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code != ExitFailed || len(got) != 3 {
		t.Fatalf("code %d, %d results", code, len(got))
	}
	wantResults := []string{"PASS", "UNKNOWN", "FAIL"}
	for i, r := range got {
		if r.Entity != "#"+string(rune('0'+i)) || r.Scope != evalTerraform || r.Result != wantResults[i] {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	if got[1].Summary != "cloud_watch_logs_role_arn is unknown (maybe null: var.cloudtrail_role_arn has no value)" ||
		len(got[1].Unknowns) != 1 || got[1].Unknowns[0] != "cloud_watch_logs_role_arn: unknown (maybe null: var.cloudtrail_role_arn has no value)" {
		t.Errorf("unknown result %+v", got[1])
	}
	if got[2].Summary != "cloud_watch_logs_role_arn isEmpty() is true (cloud_watch_logs_role_arn is missing)" || len(got[2].Trace) != 4 {
		t.Errorf("fail result %+v", got[2])
	}
	if got[0].Trace == nil || got[0].Unknowns == nil {
		t.Errorf("PASS has null arrays: %s", out)
	}
}

// TestEvalListRule: a List<E> rule is evaluated per scope of an inventory,
// with the real filter-pattern functions; an account with no trail fails
// (gsl-spec.md §7.29); a collection failure the rule depends on is ERROR,
// never PASS; "now" defaults to the inventory's collected_at. The messages
// are vigil scan's.
func TestEvalListRule(t *testing.T) {
	code, out, _ := run(t, "", "eval", ruleMON05, "--input", evalInventory)
	want := `PASS          111122223333
FAIL          444455556666  the account has no CloudTrail; items with [...]: 0 of 0 elements match
    should have items with [...]: false
      items with [...]: 0 of 0 elements match
ERROR         777788889999  CloudTrail.metricFilters was not collected: logs:DescribeMetricFilters in eu-west-1: AccessDeniedException: not authorized
`
	if code != ExitFailed || out != want {
		t.Errorf("code %d\n%s\nwant\n%s", code, out, want)
	}
}

// TestEvalFailureNotRead: a failure of an attribute the rule does not read
// does not change the result.
func TestEvalFailureNotRead(t *testing.T) {
	code, out, _ := run(t, "", "eval", ruleLog01, "--input", evalInventory)
	if code != ExitOK || out != "PASS          arn:aws:cloudtrail:us-east-1:111122223333:trail/main\nPASS          arn:aws:cloudtrail:eu-west-1:777788889999:trail/org\n" {
		t.Errorf("code %d\n%s", code, out)
	}
}

func TestEvalNow(t *testing.T) {
	rule := "CloudTrail should have status.latestCloudWatchLogsDeliveryTime after(-1, 'days')"
	code, out, _ := run(t, "", "eval", rule, "-i", evalTrails, "--now", "2026-11-02T00:00:00Z", "--format", "json")
	var got []evalResult
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if code != ExitFailed || got[0].Result != "PASS" || got[1].Result != "FAIL" || got[2].Result != "FAIL" {
		t.Errorf("code %d %+v", code, got)
	}
	if !strings.Contains(got[2].Summary, "is '2026-11-01T00:00:00Z'; limit 2026-11-01T00:00:00Z") {
		t.Errorf("summary %q", got[2].Summary)
	}
}

// TestEvalQuery (§7.31): a query lists what it selects.
func TestEvalQuery(t *testing.T) {
	code, out, _ := run(t, "", "eval", "CloudTrail where status.isLogging = true", "-i", evalTrails)
	if code != ExitOK || out != "SELECTED      #0\nSELECTED      #1\n" {
		t.Errorf("code %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "eval", "aws_cloudtrail where cloud_watch_logs_role_arn isEmpty()", "-i", evalTerraform)
	want := "UNKNOWN       #1  cloud_watch_logs_role_arn is unknown (maybe null: var.cloudtrail_role_arn has no value)\n" +
		"    where cloud_watch_logs_role_arn isEmpty(): unknown\n" +
		"      cloud_watch_logs_role_arn is unknown (maybe null: var.cloudtrail_role_arn has no value)\n" +
		"    unknown: cloud_watch_logs_role_arn: unknown (maybe null: var.cloudtrail_role_arn has no value)\n" +
		"SELECTED      #2\n"
	if code != ExitOK || out != want {
		t.Errorf("code %d\n%s\nwant\n%s", code, out, want)
	}
}

func TestEvalStdin(t *testing.T) {
	code, out, _ := run(t, `[{"isMultiRegionTrail": "true"}]`, "eval", ruleLog01, "--input", "-")
	if code != ExitOK || out != "PASS          #0\n" {
		t.Errorf("code %d\n%s", code, out)
	}
}

// TestEvalCompileError: a rule that does not compile is printed with its
// snippet and exits 2.
func TestEvalCompileError(t *testing.T) {
	code, out, stderr := run(t, "", "eval", "CloudTrail should have (isMultiRegionTrail=true", "-i", evalTrails)
	want := "rule:1:48: expected ')' to close the '(' at 1:24, found end of rule\n | CloudTrail should have (isMultiRegionTrail=true\n | ...............................................^\n"
	if code != ExitBadUsage || out != "" || stderr != want {
		t.Errorf("code %d out %q\nstderr\n%s", code, out, stderr)
	}
}

func TestEvalBadInput(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"no input", "", []string{"eval", ruleLog01}, "vigil: no input: give the entities with --input FILE\nRun 'vigil eval --help' for usage.\n"},
		{"missing file", "", []string{"eval", ruleLog01, "-i", "testdata/eval/nope.json"}, "vigil: open testdata/eval/nope.json: no such file or directory\n"},
		{"bad JSON", `[{"a": }]`, []string{"eval", ruleLog01, "-i", "-"}, "vigil: <stdin>: 1:8: invalid character '}' looking for beginning of value\n"},
		{"not JSON", "hello", []string{"eval", ruleLog01, "-i", "-"}, "vigil: <stdin>: want a vigil inventory (a JSON object) or a JSON array of attribute objects\n"},
		{"not objects", "[1]", []string{"eval", ruleLog01, "-i", "-"}, "vigil: <stdin>: [0]: want an object of attributes, found number\n"},
		{"bad format", "", []string{"eval", ruleLog01, "-i", evalTrails, "--format", "xml"}, "vigil: unknown --format \"xml\": want text or json\nRun 'vigil eval --help' for usage.\n"},
		{"bad now", "", []string{"eval", ruleLog01, "-i", evalTrails, "--now", "yesterday"}, "vigil: --now \"yesterday\" is not an RFC 3339 time such as 2026-11-22T10:00:00Z\nRun 'vigil eval --help' for usage.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.stdin, tt.args...)
			if code != ExitBadUsage || stderr != tt.want {
				t.Errorf("code %d stderr %q, want %q", code, stderr, tt.want)
			}
		})
	}
}

func TestEvalNoEntities(t *testing.T) {
	code, out, stderr := run(t, "", "eval", "VPC should have hasFlowLogs", "-i", evalInventory)
	if code != ExitOK || out != "" || stderr != "not applicable: the input has no VPC entities\n" {
		t.Errorf("code %d out %q stderr %q", code, out, stderr)
	}
}

// TestEvalListingFailure: when the entities of a type could not be listed
// in a scope, a per-entity rule reports ERROR for that scope.
func TestEvalListingFailure(t *testing.T) {
	inv := `{"vigil_inventory": 1, "scopes": [{"kind": "aws-account", "id": "111122223333"}], "entities": [],
	 "failures": [{"type": "CloudTrail", "scope": "111122223333", "region": "us-east-1", "call": "cloudtrail:DescribeTrails", "error": "AccessDenied"}]}`
	code, out, _ := run(t, inv, "eval", ruleLog01, "-i", "-")
	want := "ERROR         (all CloudTrail in 111122223333)  the CloudTrail list was not collected: cloudtrail:DescribeTrails in us-east-1: AccessDenied\n"
	if code != ExitFailed || out != want {
		t.Errorf("code %d\n%q\nwant\n%q", code, out, want)
	}
}

// TestEvalFailureInAnotherRegion (issue 15): a collection failure that
// names a trail, in another region than the trail's (its log group's),
// is ERROR for that trail, as vigil scan says; eval gave FAIL.
func TestEvalFailureInAnotherRegion(t *testing.T) {
	code, out, _ := run(t, "", "eval", "CloudTrail should have metricFilters length() > 0", "-i", "testdata/eval/region-failure.json")
	want := "ERROR         arn:aws:cloudtrail:us-east-1:111122223333:trail/main  CloudTrail.metricFilters was not collected: " +
		"logs:DescribeMetricFilters in eu-west-1: AccessDeniedException: the trail's log group lives in eu-west-1\n"
	if code != ExitFailed || out != want {
		t.Errorf("code %d\n%s\nwant\n%s", code, out, want)
	}
}

// TestEvalNativeListOnAccounts (issue 15): List<aws_cloudtrail> on account
// scopes, which never have Terraform resources, is not applicable, as
// vigil scan says; eval gave FAIL for each account.
func TestEvalNativeListOnAccounts(t *testing.T) {
	code, out, stderr := run(t, "", "eval", "List<aws_cloudtrail> should have items length() > 0", "-i", evalInventory)
	if code != ExitOK || out != "" ||
		stderr != "not applicable: the input has no aws_cloudtrail entities (aws_cloudtrail is a Terraform resource type, which no account scope has)\n" {
		t.Errorf("code %d out %q stderr %q", code, out, stderr)
	}
}

// TestEvalUnmodelledEntity (issue 15): a typo in the entity type is a
// warning with the type vigil models closest, not a silent "not
// applicable".
func TestEvalUnmodelledEntity(t *testing.T) {
	code, out, stderr := run(t, "", "eval", "CloudTral should have isMultiRegionTrail=true", "-i", evalInventory)
	want := `rule:1:1: warning: entity type "CloudTral" is not one vigil models (did you mean "CloudTrail"?)
 | CloudTral should have isMultiRegionTrail=true
 | ^
not applicable: the input has no CloudTral entities
`
	if code != ExitOK || out != "" || stderr != want {
		t.Errorf("code %d out %q stderr:\n%s", code, out, stderr)
	}
}

// TestEvalFieldTypo: a field the entity type does not declare is a
// warning with the closest one, and the rule still runs.
func TestEvalFieldTypo(t *testing.T) {
	code, _, stderr := run(t, "", "eval", "CloudTrail should have isMultiRegionTrial=true", "-i", evalInventory)
	want := `rule:1:24: warning: CloudTrail has no field "isMultiRegionTrial" (did you mean "isMultiRegionTrail"?)
 | CloudTrail should have isMultiRegionTrial=true
 | .......................^
`
	if code != ExitFailed || !strings.HasPrefix(stderr, want) {
		t.Errorf("code %d stderr:\n%s", code, stderr)
	}
}

// TestEvalExclusions: --id names the rule, so that the inventory's
// vigil:ignore suppressions and --exclusions entries apply as in vigil
// scan; an excluded result keeps what the rule gave.
func TestEvalExclusions(t *testing.T) {
	inv := `{"vigil_inventory": 1, "scopes": [{"kind": "aws-account", "id": "111122223333"}], "entities": [
	 {"type": "CloudTrail", "id": "t", "name": "t", "scope": "111122223333", "attrs": {"isMultiRegionTrail": false},
	  "suppressions": [{"rule": "TEAM.LOG.09", "reason": "regional by design", "source": "main.tf:3"}]}]}`
	code, out, _ := run(t, inv, "eval", "--id", "TEAM.LOG.09", ruleLog01, "-i", "-")
	want := "EXCLUDED      t  isMultiRegionTrail is false, expected true (FAIL, excluded: regional by design (main.tf:3 (vigil:ignore comment)))\n" +
		"    should have isMultiRegionTrail = true: false\n      isMultiRegionTrail is false, expected true\n"
	if code != ExitOK || out != want {
		t.Errorf("code %d\n%s\nwant\n%s", code, out, want)
	}
	if code, out, _ := run(t, inv, "eval", ruleLog01, "-i", "-"); code != ExitFailed || !strings.HasPrefix(out, "FAIL") {
		t.Errorf("without --id: code %d\n%s", code, out)
	}
}

// TestEvalShowsThePlainMessage: a finding whose message says more than its
// GSL explanation (a rule with a message) shows both, the explanation as
// the summary; one whose message is the explanation shows it once.
func TestEvalShowsThePlainMessage(t *testing.T) {
	rule := &rules.Rule{ID: "R", Entity: "CloudTrail"}
	a := &entity.Entity{Type: "CloudTrail", ID: "#0", Scope: "s"}
	b := &entity.Entity{Type: "CloudTrail", ID: "#1", Scope: "s"}
	run := &engine.Run{Scopes: []entity.Scope{{ID: "s"}}, Findings: []*engine.Finding{
		{Rule: rule, Result: engine.Fail, Entity: a, Scope: "s", Message: "Trail #0 records events in its home region only.",
			Explanation: "isMultiRegionTrail is false, expected true", Trace: []string{"isMultiRegionTrail is false, expected true"}},
		{Rule: rule, Result: engine.Fail, Entity: b, Scope: "s", Message: "isMultiRegionTrail is false, expected true",
			Explanation: "isMultiRegionTrail is false, expected true"},
	}}
	results := evalResults(run, &entity.Inventory{Entities: []*entity.Entity{a, b}}, gsl.Target{Entity: "CloudTrail"}, false)
	if results[0].Summary != "isMultiRegionTrail is false, expected true" || results[0].Message != "Trail #0 records events in its home region only." ||
		results[1].Message != "" {
		t.Errorf("results %+v", results)
	}
	var out strings.Builder
	writeEvalText(&out, results, false)
	want := `FAIL          #0  isMultiRegionTrail is false, expected true
    message: Trail #0 records events in its home region only.
    isMultiRegionTrail is false, expected true
FAIL          #1  isMultiRegionTrail is false, expected true
`
	if out.String() != want {
		t.Errorf("text:\n%s\nwant\n%s", out.String(), want)
	}
}
