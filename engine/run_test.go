package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/entity"
	"vigil/rules"
)

func catalogPlan(t testing.TB, excl ...*ExclusionRule) *Plan {
	t.Helper()
	rs, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(rs, Options{Exclusions: excl})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func loadInventory(t testing.TB, path string) *entity.Inventory {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := entity.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func runOn(t testing.TB, p *Plan, inv *entity.Inventory) *Run {
	t.Helper()
	run, err := p.Run(context.Background(), inv, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// key names a finding: "RULE scope entity-name" ("-" for a scope finding).
func key(f *Finding) string {
	name := "-"
	if f.Entity != nil {
		name = f.Entity.Name
	}
	return f.Rule.ID + " " + f.Scope + " " + name
}

// want is one expected finding.
type want struct {
	// key is "RULE scope entity-name" (see key).
	key    string
	result Result
	// msg must appear in the finding's message ("" for PASS, which has
	// none).
	msg string
}

func checkFindings(t *testing.T, run *Run, rulePrefixes []string, wants []want) {
	t.Helper()
	got := map[string]*Finding{}
	for _, f := range run.Findings {
		for _, p := range rulePrefixes {
			if f.Rule.ID == p {
				if got[key(f)] != nil {
					t.Errorf("two findings for %s", key(f))
				}
				got[key(f)] = f
			}
		}
	}
	for _, w := range wants {
		f := got[w.key]
		if f == nil {
			t.Errorf("no finding %s", w.key)
			continue
		}
		delete(got, w.key)
		if f.Result != w.result {
			t.Errorf("%s: result %s (%s), want %s", w.key, f.Result, f.Explanation, w.result)
		}
		if w.msg == "" && f.Explanation != "" {
			t.Errorf("%s: unexpected message %q", w.key, f.Explanation)
		}
		if !strings.Contains(f.Explanation, w.msg) {
			t.Errorf("%s: message %q lacks %q", w.key, f.Explanation, w.msg)
		}
		if f.Result == Fail && len(f.Trace) == 0 {
			t.Errorf("%s: FAIL without an explanation trace", w.key)
		}
	}
	for k, f := range got {
		t.Errorf("unexpected finding %s: %s %s", k, f.Result, f.Explanation)
	}
}

const (
	prod      = "111111111111"
	staging   = "222222222222"
	sandbox   = "333333333333"
	analytics = "444444444444"
)

// TestSeedRulesOnExampleInventory runs the seed rules on every trail of the
// bundled AWS inventory and checks each finding against what a reader of the
// seed page would expect.
func TestSeedRulesOnExampleInventory(t *testing.T) {
	run := runOn(t, catalogPlan(t), loadInventory(t, "../examples/aws-inventory.json"))
	denied := "CloudTrail.metricFilters was not collected: logs:DescribeMetricFilters in us-east-1: AccessDeniedException"
	checkFindings(t, run, []string{"D9.AWS.LOG.01", "VIGIL.AWS.LOG.02", "VIGIL.AWS.LOG.01", "D9.AWS.MON.05"}, []want{
		// 003: every trail must be multi-region.
		{"D9.AWS.LOG.01 " + prod + " org-audit", Pass, ""},
		{"D9.AWS.LOG.01 " + prod + " eu-app-trail", Fail, "isMultiRegionTrail is false, expected true"},
		{"D9.AWS.LOG.01 " + staging + " staging-main", Pass, ""},
		{"D9.AWS.LOG.01 " + staging + " staging-legacy", Pass, ""},
		{"D9.AWS.LOG.01 " + analytics + " analytics-trail", Pass, ""},
		// 001: log group, role, and a delivery within the last day.
		{"VIGIL.AWS.LOG.02 " + prod + " org-audit", Pass, ""},
		{"VIGIL.AWS.LOG.02 " + prod + " eu-app-trail", Fail, "cloudWatchLogsLogGroupArn is null"},
		{"VIGIL.AWS.LOG.02 " + staging + " staging-main", Pass, ""},
		{"VIGIL.AWS.LOG.02 " + staging + " staging-legacy", Fail, "'2026-11-12T06:03:44Z'"},
		{"VIGIL.AWS.LOG.02 " + analytics + " analytics-trail", Pass, ""},
		// 002: per account, one trail multi-region, logging, read+write.
		{"VIGIL.AWS.LOG.01 " + prod + " -", Pass, ""},
		{"VIGIL.AWS.LOG.01 " + staging + " -", Fail, "0 of 2"},
		{"VIGIL.AWS.LOG.01 " + sandbox + " -", Fail, "the account has no CloudTrail; "},
		{"VIGIL.AWS.LOG.01 " + analytics + " -", Pass, ""},
		// 004: the published logic passes staging, whose matching filter
		// alarms a topic with no confirmed subscriber, because another
		// filter of the trail has one.
		{"D9.AWS.MON.05 " + prod + " -", Pass, ""},
		{"D9.AWS.MON.05 " + staging + " -", Pass, ""},
		{"D9.AWS.MON.05 " + sandbox + " -", Fail, "0 of 0"},
		{"D9.AWS.MON.05 " + analytics + " -", Error, denied},
	})
	for _, f := range run.Findings {
		if f.Rule.ID == "D9.AWS.MON.05" && f.Scope == analytics && f.Underlying != Error {
			t.Errorf("denied data: underlying result %s", f.Underlying)
		}
	}
}

// TestStricterRulesOnExampleInventory pins where vigil's CIS-chain rules
// differ from the published ones.
func TestStricterRulesOnExampleInventory(t *testing.T) {
	run := runOn(t, catalogPlan(t), loadInventory(t, "../examples/aws-inventory.json"))
	checkFindings(t, run, []string{"VIGIL.AWS.MON.05", "D9.AWS.MON.03", "VIGIL.AWS.MON.03", "D9.AWS.LOG.03"}, []want{
		{"VIGIL.AWS.MON.05 " + prod + " -", Pass, ""},
		{"VIGIL.AWS.MON.05 " + staging + " -", Fail, "0 of 2"},
		{"VIGIL.AWS.MON.05 " + sandbox + " -", Fail, "0 of 0"},
		{"VIGIL.AWS.MON.05 " + analytics + " -", Error, "AccessDeniedException"},
		{"D9.AWS.MON.03 " + prod + " -", Pass, ""},
		{"D9.AWS.MON.03 " + staging + " -", Pass, ""},
		{"D9.AWS.MON.03 " + sandbox + " -", Fail, "0 of 0"},
		{"D9.AWS.MON.03 " + analytics + " -", Error, "AccessDeniedException"},
		// staging records only write events: the CIS chain fails.
		{"VIGIL.AWS.MON.03 " + prod + " -", Pass, ""},
		{"VIGIL.AWS.MON.03 " + staging + " -", Fail, "0 of 2"},
		{"VIGIL.AWS.MON.03 " + sandbox + " -", Fail, "0 of 0"},
		{"VIGIL.AWS.MON.03 " + analytics + " -", Error, "AccessDeniedException"},
		{"D9.AWS.LOG.03 " + prod + " org-audit", Pass, ""},
		{"D9.AWS.LOG.03 " + prod + " eu-app-trail", Fail, "cloudWatchLogsRoleArn is null"},
		{"D9.AWS.LOG.03 " + staging + " staging-main", Pass, ""},
		{"D9.AWS.LOG.03 " + staging + " staging-legacy", Fail, "latestCloudWatchLogsDeliveryTime"},
		{"D9.AWS.LOG.03 " + analytics + " analytics-trail", Pass, ""},
	})
}

// TestEveryCatalogRuleOnExamples checks that the bundled examples show, for
// every live catalog rule, at least one passing and one failing account or
// trail, and never a PASS for the account whose data was denied.
func TestEveryCatalogRuleOnExamples(t *testing.T) {
	run := runOn(t, catalogPlan(t), loadInventory(t, "../examples/aws-inventory.json"))
	seen := map[string]map[Result]int{}
	for _, f := range run.Findings {
		if seen[f.Rule.ID] == nil {
			seen[f.Rule.ID] = map[Result]int{}
		}
		seen[f.Rule.ID][f.Result]++
		if f.Scope == analytics && f.Rule.Category == "Monitoring" && f.Result != Error {
			t.Errorf("%s on the account whose metric filters were denied: %s", f.Rule.ID, f.Result)
		}
	}
	for _, r := range catalogPlan(t).Rules() {
		if strings.Contains(r.ID, ".TF.") {
			continue
		}
		if seen[r.ID][Pass] == 0 || seen[r.ID][Fail] == 0 {
			t.Errorf("%s: the example shows %v, want at least one PASS and one FAIL", r.ID, seen[r.ID])
		}
	}
	var na []string
	for _, r := range run.NotApplicable {
		na = append(na, r.ID)
	}
	if got := strings.Join(na, " "); got != "D9.TF.AWS.LOG.01 D9.TF.AWS.LOG.03 VIGIL.TF.AWS.LOG.01" {
		t.Errorf("not applicable: %s", got)
	}
}

// TestSeedRulesOnTerraform runs the Terraform seed rule on the entities the
// Terraform source produces for examples/terraform.
func TestSeedRulesOnTerraform(t *testing.T) {
	run := runOn(t, catalogPlan(t), loadInventory(t, "testdata/terraform-inventory.json"))
	scope := "examples/terraform"
	checkFindings(t, run, []string{"D9.TF.AWS.LOG.03", "D9.TF.AWS.LOG.01"}, []want{
		// Both ARNs reference declared resources: set after apply.
		{"D9.TF.AWS.LOG.03 " + scope + " org-audit", Pass, ""},
		{"D9.TF.AWS.LOG.03 " + scope + " app-debug", Fail, "cloud_watch_logs_role_arn"},
		// The role comes from a variable with no value.
		{"D9.TF.AWS.LOG.03 " + scope + " partner-integration", Unknown, "var.partner_role_arn has no value"},
		{"D9.TF.AWS.LOG.01 " + scope + " org-audit", Pass, ""},
		{"D9.TF.AWS.LOG.01 " + scope + " app-debug", Excluded, "is_multi_region_trail is false"},
		{"D9.TF.AWS.LOG.01 " + scope + " partner-integration", Pass, ""},
	})
	for _, f := range run.Findings {
		if f.Result == Excluded {
			if f.Underlying != Fail || f.Exclusion == nil || f.Exclusion.Source != "examples/terraform/main.tf:13 (vigil:ignore comment)" ||
				f.Exclusion.Expires.Format(time.DateOnly) != "2027-03-31" || !strings.HasPrefix(f.Exclusion.Reason, "regional trail") {
				t.Errorf("excluded finding %+v, exclusion %+v", f, f.Exclusion)
			}
		}
	}
	// Code is not the whole account: List<CloudTrail> rules do not apply
	// to a module without trails, and neither do per-trail live rules nor
	// the rules on the IAM types, which Terraform does not give yet, nor
	// those on Region, storage and key types, which code does not describe
	// here.
	for _, r := range run.NotApplicable {
		if strings.Contains(r.ID, ".TF.") {
			t.Errorf("%s not applicable on Terraform", r.ID)
		}
	}
	if len(run.NotApplicable) != 71 {
		t.Errorf("%d rules not applicable, want 71", len(run.NotApplicable))
	}
}

func TestRemediationIsRenderedForTheEntity(t *testing.T) {
	run := runOn(t, catalogPlan(t), loadInventory(t, "../examples/aws-inventory.json"))
	for _, f := range run.Findings {
		if f.Rule.ID == "D9.AWS.LOG.01" && f.Entity != nil && f.Entity.Name == "eu-app-trail" {
			want := "aws cloudtrail update-trail --region eu-west-1 --name eu-app-trail --is-multi-region-trail"
			if !strings.HasPrefix(f.Remediation.CLI, want) {
				t.Errorf("CLI remediation %q", f.Remediation.CLI)
			}
			return
		}
	}
	t.Error("no finding for eu-app-trail")
}

func TestFindingsAreSorted(t *testing.T) {
	run := runOn(t, catalogPlan(t), loadInventory(t, "../examples/aws-inventory.json"))
	for i := 1; i < len(run.Findings); i++ {
		if compareFindings(run.Findings[i-1], run.Findings[i]) > 0 {
			t.Fatalf("findings %d and %d out of order: %s, %s", i-1, i, key(run.Findings[i-1]), key(run.Findings[i]))
		}
	}
	if run.Started != time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) {
		t.Errorf("now %v, want the inventory's collection time", run.Started)
	}
}

// trailRule compiles one rule for the failure tests.
func trailRule(t *testing.T, id, logic string) *Plan {
	t.Helper()
	entityType := "CloudTrail"
	p, err := Compile([]*rules.Rule{{ID: id, Severity: rules.Low, Entity: entityType, Logic: logic}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCollectionFailuresGiveError(t *testing.T) {
	acct := "123456789012"
	trail := func(name, region string) *entity.Entity {
		return &entity.Entity{Type: "CloudTrail", ID: "arn:" + name, Name: name, Scope: acct, Region: region,
			Attrs: map[string]any{"isMultiRegionTrail": true, "status": map[string]any{"isLogging": true}}}
	}
	tests := []struct {
		name    string
		logic   string
		failure entity.Failure
		// want lists "entity-name RESULT" per finding, in order.
		want string
	}{
		{"attribute the rule reads", "CloudTrail should have status.isLogging=true",
			entity.Failure{Type: "CloudTrail", Attr: "status", Scope: acct, Region: "eu-west-1", Call: "cloudtrail:GetTrailStatus", Error: "AccessDenied"},
			"eu ERROR, us PASS"},
		{"attribute the rule does not read", "CloudTrail should have isMultiRegionTrail=true",
			entity.Failure{Type: "CloudTrail", Attr: "status", Scope: acct, Call: "cloudtrail:GetTrailStatus", Error: "AccessDenied"},
			"eu PASS, us PASS"},
		{"one entity", "CloudTrail should have isMultiRegionTrail=true",
			entity.Failure{Type: "CloudTrail", Scope: acct, Entity: "arn:us", Call: "cloudtrail:GetTrail", Error: "Throttling"},
			"eu PASS, us ERROR"},
		{"one entity, call made in another region", "CloudTrail should have status.isLogging=true",
			entity.Failure{Type: "CloudTrail", Attr: "status", Scope: acct, Region: "ap-southeast-2", Entity: "arn:us", Call: "logs:DescribeMetricFilters", Error: "AccessDenied"},
			"eu PASS, us ERROR"},
		{"listing in one region", "CloudTrail should have isMultiRegionTrail=true",
			entity.Failure{Type: "CloudTrail", Scope: acct, Region: "ap-south-2", Call: "cloudtrail:DescribeTrails", Error: "UnrecognizedClientException"},
			"- ERROR, eu PASS, us PASS"},
		{"other account", "CloudTrail should have isMultiRegionTrail=true",
			entity.Failure{Type: "CloudTrail", Scope: "999999999999", Attr: "isMultiRegionTrail", Error: "AccessDenied"},
			"eu PASS, us PASS"},
		{"List rule, any region", "List<CloudTrail> should have items with [status.isLogging=true] length() > 0",
			entity.Failure{Type: "CloudTrail", Attr: "status", Scope: acct, Region: "eu-west-1", Error: "AccessDenied"},
			"- ERROR"},
		{"List rule, unrelated attribute", "List<CloudTrail> should have items with [status.isLogging=true] length() > 0",
			entity.Failure{Type: "CloudTrail", Attr: "tags", Scope: acct, Error: "AccessDenied"},
			"- PASS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := &entity.Inventory{Scopes: []entity.Scope{{Kind: entity.ScopeAWSAccount, ID: acct}},
				Entities: []*entity.Entity{trail("us", "us-east-1"), trail("eu", "eu-west-1")},
				Failures: []entity.Failure{tt.failure}}
			inv.Entities[0].ID, inv.Entities[1].ID = "arn:us", "arn:eu"
			run := runOn(t, trailRule(t, "T.1", tt.logic), inv)
			var got []string
			for _, f := range run.Findings {
				name := "-"
				if f.Entity != nil {
					name = f.Entity.Name
				}
				got = append(got, name+" "+string(f.Result))
				if f.Result == Error && !strings.Contains(f.Explanation, tt.failure.Error) {
					t.Errorf("ERROR message %q lacks the failure", f.Explanation)
				}
			}
			if g := strings.Join(got, ", "); g != tt.want {
				t.Errorf("got %s, want %s", g, tt.want)
			}
		})
	}
}

func TestListRuleScopes(t *testing.T) {
	p := trailRule(t, "T.2", "List<CloudTrail> should have items with [isMultiRegionTrail=true] length() > 0")
	inv := &entity.Inventory{Scopes: []entity.Scope{
		{Kind: entity.ScopeAWSAccount, ID: "111"},
		{Kind: entity.ScopeTerraformModule, ID: "infra"},
		{Kind: entity.ScopeAWSAccount, ID: "222"}},
		Entities: []*entity.Entity{{Type: "CloudTrail", ID: "t", Scope: "222", Attrs: map[string]any{"isMultiRegionTrail": true}}}}
	run := runOn(t, p, inv)
	var got []string
	for _, f := range run.Findings {
		got = append(got, f.Scope+" "+string(f.Result))
	}
	// 111 has no trail: evaluated on no items; infra is code: not applicable.
	if g := strings.Join(got, ", "); g != "111 FAIL, 222 PASS" {
		t.Errorf("got %s", g)
	}
}

func TestWhereCountsNotRelevant(t *testing.T) {
	p := trailRule(t, "T.3", "CloudTrail where isOrganizationTrail=true should have isMultiRegionTrail=true")
	inv := &entity.Inventory{Scopes: []entity.Scope{{Kind: entity.ScopeAWSAccount, ID: "1"}}, Entities: []*entity.Entity{
		{Type: "CloudTrail", ID: "a", Scope: "1", Attrs: map[string]any{"isOrganizationTrail": false}},
		{Type: "CloudTrail", ID: "b", Scope: "1", Attrs: map[string]any{"isOrganizationTrail": false}}}}
	run := runOn(t, p, inv)
	if len(run.Findings) != 0 || run.NotRelevant["T.3"] != 2 || len(run.NotApplicable) != 1 {
		t.Errorf("findings %d, not relevant %v, not applicable %d", len(run.Findings), run.NotRelevant, len(run.NotApplicable))
	}
}

func TestRunIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := catalogPlan(t).Run(ctx, loadInventory(t, "../examples/aws-inventory.json"), time.Time{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
}

func TestCompileErrorsPointIntoTheRuleFile(t *testing.T) {
	const head = "id: X.1\ntitle: t\nseverity: low\nentity: CloudTrail\n"
	tests := []struct{ name, yaml, want string }{
		{"plain scalar", head + "logic: CloudTrail should have isLogging=\n",
			"mine/bad.yaml:5:41: logic: expected a value after '=', found end of rule"},
		// The logic is the file's "logic:" line, wherever fields above it
		// put it.
		{"below a block", head + "description: |-\n  two\n  lines\nlogic: CloudTrail should have isLogging=\n",
			"mine/bad.yaml:8:41: logic: expected a value after '=', found end of rule"},
		{"quoted", head + "logic: 'CloudTrail should have isLogging='\n",
			"mine/bad.yaml:5:42: logic: expected a value after '=', found end of rule"},
		// Every line of a block scalar is indented: the column moves on
		// each, and so does the position the message names.
		{"block scalar", head + "logic: |\n  CloudTrail should have\n    (isLogging = true and\n    x = 1\n",
			"mine/bad.yaml:8:10: logic: expected ')' to close the '(' at 7:5, found end of rule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := rules.Parse("mine/bad.yaml", []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Compile([]*rules.Rule{r}, Options{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestCompileSuppliesPatternFunctions: a plan built with no options
// compiles the monitoring rules, whose logic calls the filter-pattern
// functions: the engine supplies them unless told otherwise.
func TestCompileSuppliesPatternFunctions(t *testing.T) {
	rs, _ := rules.Catalog()
	if _, err := Compile([]*rules.Rule{rules.Find(rs, "D9.AWS.MON.05"), rules.Find(rs, "VIGIL.AWS.MON.13")}, Options{}); err != nil {
		t.Fatal(err)
	}
}

func ExamplePlan_Run() {
	rs, _ := rules.Catalog()
	p, _ := Compile([]*rules.Rule{rules.Find(rs, "D9.AWS.LOG.01")}, Options{})
	inv := &entity.Inventory{Scopes: []entity.Scope{{Kind: entity.ScopeAWSAccount, ID: "123456789012"}},
		Entities: []*entity.Entity{{Type: "CloudTrail", ID: "arn:aws:cloudtrail:us-east-1:123456789012:trail/main", Name: "main",
			Scope: "123456789012", Region: "us-east-1", Attrs: map[string]any{"isMultiRegionTrail": false}}}}
	run, _ := p.Run(context.Background(), inv, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
	for _, f := range run.Findings {
		fmt.Println(f.Rule.ID, f.Entity.Name, f.Result, f.Explanation)
	}
	// Output: D9.AWS.LOG.01 main FAIL isMultiRegionTrail is false, expected true
}

func TestListOfNativeTypeIsNotEvaluatedEmpty(t *testing.T) {
	p, err := Compile([]*rules.Rule{{ID: "T.4", Severity: rules.Low, Entity: "aws_cloudtrail",
		Logic: "List<aws_cloudtrail> should have items with [is_multi_region_trail=true] length() > 0"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	inv := &entity.Inventory{Scopes: []entity.Scope{{Kind: entity.ScopeAWSAccount, ID: "111"}}}
	run := runOn(t, p, inv)
	if len(run.Findings) != 0 || len(run.NotApplicable) != 1 {
		t.Errorf("findings %d, not applicable %d", len(run.Findings), len(run.NotApplicable))
	}
}

// TestRunEachJudgesEachInventoryAsOfItsCollection scans a snapshot recorded
// long ago beside one recorded now: the old snapshot's recent delivery is
// judged against its own collection time.
func TestRunEachJudgesEachInventoryAsOfItsCollection(t *testing.T) {
	p := trailRule(t, "T.5", "CloudTrail should have status.latestCloudWatchLogsDeliveryTime after(-1, 'days')")
	mk := func(acct, collected, delivered string) *entity.Inventory {
		at, _ := time.Parse(time.RFC3339, collected)
		return &entity.Inventory{CollectedAt: at, Scopes: []entity.Scope{{Kind: entity.ScopeAWSAccount, ID: acct}},
			Entities: []*entity.Entity{{Type: "CloudTrail", ID: "t-" + acct, Name: "t-" + acct, Scope: acct,
				Attrs: map[string]any{"status": map[string]any{"latestCloudWatchLogsDeliveryTime": delivered}}}}}
	}
	old := mk("111", "2024-01-10T00:00:00Z", "2024-01-09T23:00:00Z")
	recent := mk("222", "2026-11-22T10:00:00Z", "2026-11-20T10:00:00Z")
	empty := &entity.Inventory{Scopes: []entity.Scope{{Kind: entity.ScopeTerraformModule, ID: "infra"}}}
	run, err := p.RunEach(context.Background(), []*entity.Inventory{old, recent, empty})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range run.Findings {
		got = append(got, key(f)+" "+string(f.Result))
	}
	if g := strings.Join(got, ", "); g != "T.5 111 t-111 PASS, T.5 222 t-222 FAIL" {
		t.Errorf("got %s", g)
	}
	if len(run.Scopes) != 3 || len(run.NotApplicable) != 0 || !run.Started.Equal(old.CollectedAt) {
		t.Errorf("scopes %v, not applicable %v, started %v", run.Scopes, run.NotApplicable, run.Started)
	}
}

// TestExplainFirstGivesTheSameFindings checks that explaining at once,
// which a rule switches to once most of its results needed explaining
// (outcomeStats), gives the findings evaluating first gives: the same run
// over many entities, mostly failing, must find for each entity what a run
// over that entity alone finds.
func TestExplainFirstGivesTheSameFindings(t *testing.T) {
	attrs := []func() map[string]any{
		func() map[string]any { return map[string]any{"isOrganizationTrail": true, "isMultiRegionTrail": false} },
		func() map[string]any { return map[string]any{"isOrganizationTrail": true, "isMultiRegionTrail": true} },
		func() map[string]any {
			return map[string]any{"isOrganizationTrail": true, "isMultiRegionTrail": entity.NewUnknown(entity.UnknownMaybeNull, "var.multi has no value")}
		},
		func() map[string]any {
			return map[string]any{"isOrganizationTrail": true, "isMultiRegionTrail": false, "status": []any{"not an object"}}
		},
		func() map[string]any { return map[string]any{"isOrganizationTrail": false} },
	}
	// Mostly failing first, so that the rules switch early; then every
	// kind of result, in a cycle.
	var kinds []int
	for range 20 {
		kinds = append(kinds, 0)
	}
	for i := range 60 {
		kinds = append(kinds, []int{0, 0, 1, 2, 3, 4}[i%6])
	}
	for _, logic := range []string{
		"CloudTrail where isOrganizationTrail=true should have isMultiRegionTrail=true and (status isEmpty() or status.isLogging=true)",
		"List<CloudTrail> should have items contain [isMultiRegionTrail=true and (status isEmpty() or status.isLogging=true)]",
	} {
		p, err := Compile([]*rules.Rule{{ID: "T.9", Severity: rules.High, Entity: "CloudTrail", Logic: logic}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		all := &entity.Inventory{}
		for i, k := range kinds {
			scope := fmt.Sprintf("%012d", i)
			all.Scopes = append(all.Scopes, entity.Scope{Kind: entity.ScopeAWSAccount, ID: scope})
			all.Entities = append(all.Entities, &entity.Entity{Type: "CloudTrail", ID: fmt.Sprint("trail-", i), Name: fmt.Sprint("trail-", i), Scope: scope, Attrs: attrs[k]()})
		}
		run := runOn(t, p, all)
		got := map[string]*Finding{}
		for _, f := range run.Findings {
			got[f.Scope] = f
		}
		results := map[Result]int{}
		for i, e := range all.Entities {
			alone := runOn(t, p, &entity.Inventory{Scopes: all.Scopes[i : i+1], Entities: []*entity.Entity{e}})
			var want *Finding
			if len(alone.Findings) > 0 {
				want = alone.Findings[0]
			}
			g := got[e.Scope]
			if (g == nil) != (want == nil) {
				t.Fatalf("%s, entity %d: finding %v alone, %v among all", logic, i, want, g)
			}
			if g == nil {
				continue
			}
			results[g.Result]++
			if g.Result != want.Result || g.Explanation != want.Explanation || strings.Join(g.Trace, "\n") != strings.Join(want.Trace, "\n") {
				t.Errorf("%s, entity %d: among all %s %q, alone %s %q", logic, i, g.Result, g.Explanation, want.Result, want.Explanation)
			}
		}
		for _, r := range []Result{Pass, Fail, Unknown, Error} {
			if results[r] == 0 {
				t.Errorf("%s: no %s finding, results %v", logic, r, results)
			}
		}
	}
}

// TestRunSplitsWorkIntoParts: a run over more entities and scopes than a
// part holds gives every finding once, in the order of one pass, and
// reports a failure to list a type once, whatever the number of parts.
func TestRunSplitsWorkIntoParts(t *testing.T) {
	const n = 3*partSize + 5
	inv := &entity.Inventory{Failures: []entity.Failure{
		{Type: "CloudTrail", Scope: "000000000000", Region: "ap-south-2", Call: "cloudtrail:DescribeTrails", Error: "UnrecognizedClientException"}}}
	for i := range n {
		scope := fmt.Sprintf("%012d", i)
		inv.Scopes = append(inv.Scopes, entity.Scope{Kind: entity.ScopeAWSAccount, ID: scope})
		inv.Entities = append(inv.Entities, &entity.Entity{Type: "CloudTrail", ID: fmt.Sprint("arn:", i), Name: fmt.Sprint("trail-", i), Scope: scope, Region: "us-east-1",
			Attrs: map[string]any{"isMultiRegionTrail": i%3 == 0}})
	}
	rs := []*rules.Rule{
		{ID: "T.1", Severity: rules.High, Entity: "CloudTrail", Logic: "CloudTrail should have isMultiRegionTrail=true"},
		{ID: "T.2", Severity: rules.High, Entity: "CloudTrail", Logic: "List<CloudTrail> should have items contain [isMultiRegionTrail=true]"},
	}
	p, err := Compile(rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := runOn(t, p, inv)
	counts := map[string]int{}
	for _, f := range run.Findings {
		counts[f.Rule.ID+" "+string(f.Result)]++
	}
	// T.1: the listing failure once, then each trail; T.2: each account,
	// the first one's result an ERROR for its failed listing.
	want := map[string]int{"T.1 ERROR": 1, "T.1 PASS": (n + 2) / 3, "T.1 FAIL": n - (n+2)/3,
		"T.2 ERROR": 1, "T.2 PASS": (n+2)/3 - 1, "T.2 FAIL": n - (n+2)/3}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("findings %v, want %v", counts, want)
	}
	if !slices.IsSortedFunc(run.Findings, compareFindings) {
		t.Error("findings are not sorted")
	}
}

// TestInputFailuresGiveError: what a file that does not parse does to each
// kind of rule, with the failures the Terraform loader records for it. The
// module "infra" has a trail read from good.tf; bad.tf did not parse.
func TestInputFailuresGiveError(t *testing.T) {
	const scope = "infra"
	parse := func(typ, attr string) entity.Failure {
		return entity.Failure{Kind: entity.FailureParse, Type: typ, Attr: attr, Scope: scope, File: "infra/bad.tf", Line: 2, Col: 10,
			Error: "Invalid expression"}
	}
	// What bad.tf declares, as the loader records it.
	trailFile := []entity.Failure{parse("aws_cloudtrail", ""), parse("CloudTrail", "")}
	filterFile := []entity.Failure{parse("aws_cloudwatch_log_metric_filter", ""), parse("CloudTrail", "metricFilters"), parse("CloudTrail", "hasSNSSubscriber")}
	anyFile := []entity.Failure{parse(entity.AnyType, ""), parse("CloudTrail", "metricFilters"), parse("CloudTrail", "hasSNSSubscriber")}
	varsFile := []entity.Failure{parse(entity.AnyType, ""), parse(entity.AnyType, entity.AnyAttr)}
	otherScope := []entity.Failure{{Kind: entity.FailureParse, Type: entity.AnyType, Attr: entity.AnyAttr, Scope: "other", File: "other/terraform.tfvars", Error: "Invalid expression"}}
	twoFiles := append(slices.Clone(trailFile), entity.Failure{Kind: entity.FailureRead, Type: "CloudTrail", Scope: scope, File: "infra/big.tf", Error: "too large"})

	const (
		trailRule    = "CloudTrail should have isMultiRegionTrail=true"
		filtersRule  = "CloudTrail should have metricFilters length() > 0"
		listRule     = "List<CloudTrail> should have items with [isMultiRegionTrail=true] length() > 0"
		listFilters  = "List<CloudTrail> should have items with [metricFilters length() > 0] length() > 0"
		nativeRule   = "aws_cloudtrail should have is_multi_region_trail=true"
		nativeList   = "List<aws_cloudtrail> should have items with [is_multi_region_trail=true] length() > 0"
		noEntityList = "List<aws_s3_bucket> should not have items with [acl='public-read']"
		noEntityRule = "aws_s3_bucket should not have acl='public-read'"
	)
	tests := []struct {
		name     string
		failures []entity.Failure
		logic    string
		// want lists "entity-name RESULT" per finding, "-" for the scope.
		want string
	}{
		// A missing trail: the set of trails is incomplete.
		{"trail file, rule on each trail", trailFile, trailRule, "- ERROR, good PASS"},
		{"trail file, rule on each native trail", trailFile, nativeRule, "- ERROR, good PASS"},
		{"trail file, List rule", trailFile, listRule, "- ERROR"},
		{"trail file, native List rule", trailFile, nativeList, "- ERROR"},
		{"trail file, rule on another type", trailFile, noEntityRule, ""},
		// A missing metric filter: the trails are all there, but what
		// the normalisation follows from them may be incomplete.
		{"filter file, rule reading metric filters", filterFile, filtersRule, "good ERROR"},
		{"filter file, rule not reading them", filterFile, trailRule, "good PASS"},
		{"filter file, List rule reading them", filterFile, listFilters, "- ERROR"},
		{"filter file, List rule not reading them", filterFile, listRule, "- PASS"},
		// A file whose types could not be told (a module call): any
		// type may be missing, even one the scope has none of.
		{"any type, rule on each trail", anyFile, trailRule, "- ERROR, good PASS"},
		{"any type, List rule", anyFile, listRule, "- ERROR"},
		{"any type, List rule on a type the scope lacks", anyFile, noEntityList, "- ERROR"},
		{"any type, rule on a type the scope lacks", anyFile, noEntityRule, "- ERROR"},
		// A variables file: every value may be wrong.
		{"variables file, rule on each trail", varsFile, trailRule, "- ERROR, good ERROR"},
		{"variables file, List rule", varsFile, listRule, "- ERROR"},
		// Failures elsewhere change nothing; two in one scope give one
		// ERROR that names both.
		{"other scope", otherScope, trailRule, "good PASS"},
		{"two files", twoFiles, trailRule, "- ERROR, good PASS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := &entity.Inventory{
				Scopes: []entity.Scope{{Kind: entity.ScopeTerraformModule, ID: scope}, {Kind: entity.ScopeTerraformModule, ID: "other"}},
				Entities: []*entity.Entity{
					{Type: "CloudTrail", ID: "aws_cloudtrail.good", Name: "good", Scope: scope,
						Attrs: map[string]any{"isMultiRegionTrail": true, "metricFilters": []any{map[string]any{"filterName": "f"}}}},
					{Type: "aws_cloudtrail", ID: "aws_cloudtrail.good", Name: "good", Scope: scope,
						Attrs: map[string]any{"is_multi_region_trail": true}},
				},
				Failures: tt.failures}
			run := runOn(t, trailRulePlan(t, tt.logic), inv)
			var got []string
			for _, f := range run.Findings {
				name := "-"
				if f.Entity != nil {
					name = f.Entity.Name
				}
				got = append(got, name+" "+string(f.Result))
				if f.Result == Error && !strings.Contains(f.Explanation, "infra/bad.tf:2:10: does not parse: Invalid expression") {
					t.Errorf("ERROR message %q lacks the failure", f.Explanation)
				}
				if f.Result == Error && tt.name == "two files" && !strings.Contains(f.Explanation, "infra/big.tf: cannot be read: too large") {
					t.Errorf("ERROR message %q lacks the second file", f.Explanation)
				}
			}
			if g := strings.Join(got, ", "); g != tt.want {
				t.Errorf("got %q, want %q", g, tt.want)
			}
		})
	}
}

// trailRulePlan compiles one rule on the entity its logic is about.
func trailRulePlan(t *testing.T, logic string) *Plan {
	t.Helper()
	typ, _, _ := strings.Cut(strings.TrimPrefix(logic, "List<"), " ")
	typ = strings.TrimSuffix(typ, ">")
	p, err := Compile([]*rules.Rule{{ID: "T.1", Severity: rules.Low, Entity: typ, Logic: logic}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
