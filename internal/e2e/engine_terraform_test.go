package e2e

import (
	"maps"
	"slices"
	"testing"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
	"vigil/source/terraform"
)

// TestSeedRulesOnExampleTerraform loads examples/terraform with the
// Terraform source and checks the seed rules on every trail it declares:
// the native aws_cloudtrail rules and the rules on the CloudTrail entity the
// source derives from the code.
func TestSeedRulesOnExampleTerraform(t *testing.T) {
	inv, diags := terraform.Load("../../examples/terraform", terraform.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(inv.Scopes) != 1 {
		t.Fatalf("scopes %+v, want one root module", inv.Scopes)
	}
	m := inv.Scopes[0].ID + " "
	run := runOn(t, catalogPlan(t), inv)
	checkFindings(t, run, []string{"D9.TF.AWS.LOG.03", "D9.TF.AWS.LOG.01", "D9.AWS.LOG.01", "VIGIL.AWS.LOG.01", "D9.AWS.MON.05"}, []wantFinding{
		// 000: both ARNs reference resources the code declares.
		{"D9.TF.AWS.LOG.03 " + m + "org-audit", engine.Pass, ""},
		{"D9.TF.AWS.LOG.03 " + m + "app-debug", engine.Fail, "cloud_watch_logs_role_arn isEmpty() is true"},
		// The role comes from a variable that has no value.
		{"D9.TF.AWS.LOG.03 " + m + "partner-integration", engine.Unknown, "partner_role_arn has no value"},
		// 003, on the code and on the trail derived from it; the regional
		// trail's native finding is suppressed by its vigil:ignore comment.
		{"D9.TF.AWS.LOG.01 " + m + "org-audit", engine.Pass, ""},
		{"D9.TF.AWS.LOG.01 " + m + "app-debug", engine.Excluded, "is_multi_region_trail is false"},
		{"D9.TF.AWS.LOG.01 " + m + "partner-integration", engine.Pass, ""},
		{"D9.AWS.LOG.01 " + m + "org-audit", engine.Pass, ""},
		{"D9.AWS.LOG.01 " + m + "app-debug", engine.Fail, "isMultiRegionTrail is false"},
		{"D9.AWS.LOG.01 " + m + "partner-integration", engine.Pass, ""},
		// 002: the module's trail is multi-region, logs, and records all
		// management events.
		{"VIGIL.AWS.LOG.01 " + m + "-", engine.Pass, ""},
		// 004: the filter and alarm exist, but an e-mail subscription
		// needs confirmation, which code cannot show.
		{"D9.AWS.MON.05 " + m + "-", engine.Unknown, "needs confirmation"},
	})
}

// TestTwinsReportATrailOnce runs a live rule and its Terraform twin
// (Options.Twins) on the example code and the example inventory: on a
// trail in code only the Terraform rule reports, on a live trail the live
// rule, and nothing else changes.
func TestTwinsReportATrailOnce(t *testing.T) {
	rs, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	pair := []*rules.Rule{rules.Find(rs, "VIGIL.AWS.LOG.02"), rules.Find(rs, "D9.TF.AWS.LOG.03"), rules.Find(rs, "VIGIL.AWS.LOG.01")}
	code, diags := terraform.Load("../../examples/terraform", terraform.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	live := loadInventory(t, "../../examples/aws-inventory.json")
	count := func(run *engine.Run) map[string]int {
		n := map[string]int{}
		for _, f := range run.Findings {
			n[f.Rule.ID]++
		}
		return n
	}
	for _, tc := range []struct {
		name  string
		twins map[string]string
		inv   *entity.Inventory
		want  map[string]int
	}{
		{"code, without twins", nil, code, map[string]int{"VIGIL.AWS.LOG.02": 3, "D9.TF.AWS.LOG.03": 3, "VIGIL.AWS.LOG.01": 1}},
		{"code, with twins", map[string]string{"VIGIL.AWS.LOG.02": "D9.TF.AWS.LOG.03"}, code, map[string]int{"D9.TF.AWS.LOG.03": 3, "VIGIL.AWS.LOG.01": 1}},
		{"live, with twins", map[string]string{"VIGIL.AWS.LOG.02": "D9.TF.AWS.LOG.03"}, live, map[string]int{"VIGIL.AWS.LOG.02": 5, "VIGIL.AWS.LOG.01": 4}},
	} {
		p, err := engine.Compile(pair, engine.Options{Twins: tc.twins})
		if err != nil {
			t.Fatal(err)
		}
		run := runOn(t, p, tc.inv)
		if got := count(run); !maps.Equal(got, tc.want) {
			t.Errorf("%s: findings per rule %v, want %v", tc.name, got, tc.want)
		}
		var na []string
		for _, r := range run.NotApplicable {
			na = append(na, r.ID)
		}
		// A rule that left every finding to its twin is not "not
		// applicable"; one with no entity at all is.
		wantNA := map[string][]string{"live, with twins": {"D9.TF.AWS.LOG.03"}}[tc.name]
		if !slices.Equal(na, wantNA) {
			t.Errorf("%s: not applicable %v, want %v", tc.name, na, wantNA)
		}
	}
}

// TestTrailAWSRejects: VIGIL.TF.AWS.LOG.01 fails a multi-region trail that
// leaves out global service events, which CloudTrail refuses at apply;
// the argument left out is its default, true; a regional trail is not
// relevant; and a trail whose region setting is not known is UNKNOWN.
func TestTrailAWSRejects(t *testing.T) {
	dir := writeModule(t, `variable "multi_region" {
  type = bool
}
resource "aws_cloudtrail" "rejected" {
  name                          = "rejected"
  s3_bucket_name                = "logs"
  is_multi_region_trail         = true
  include_global_service_events = false
}
resource "aws_cloudtrail" "default_events" {
  name                  = "default-events"
  s3_bucket_name        = "logs"
  is_multi_region_trail = true
}
resource "aws_cloudtrail" "regional" {
  name                          = "regional"
  s3_bucket_name                = "logs"
  include_global_service_events = false
}
resource "aws_cloudtrail" "unknown" {
  name                          = "unknown"
  s3_bucket_name                = "logs"
  is_multi_region_trail         = var.multi_region
  include_global_service_events = false
}
`)
	inv, diags := terraform.Load(dir, terraform.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	run := runOn(t, catalogPlan(t), inv)
	checkFindings(t, run, []string{"VIGIL.TF.AWS.LOG.01"}, []wantFinding{
		{"VIGIL.TF.AWS.LOG.01 . rejected", engine.Fail, "include_global_service_events is false"},
		{"VIGIL.TF.AWS.LOG.01 . default-events", engine.Pass, ""},
		{"VIGIL.TF.AWS.LOG.01 . unknown", engine.Unknown, "multi_region has no value"},
	})
	if run.NotRelevant["VIGIL.TF.AWS.LOG.01"] != 1 {
		t.Errorf("not relevant %v, want the regional trail", run.NotRelevant)
	}
}
