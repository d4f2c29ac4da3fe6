package engine

import (
	"testing"

	"vigil/source/terraform"
)

// TestSeedRulesOnExampleTerraform loads examples/terraform with the
// Terraform source and checks the seed rules on every trail it declares:
// the native aws_cloudtrail rules and the rules on the CloudTrail entity the
// source derives from the code.
func TestSeedRulesOnExampleTerraform(t *testing.T) {
	inv, diags := terraform.Load("../examples/terraform", terraform.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(inv.Scopes) != 1 {
		t.Fatalf("scopes %+v, want one root module", inv.Scopes)
	}
	m := inv.Scopes[0].ID + " "
	run := runOn(t, catalogPlan(t), inv)
	checkFindings(t, run, []string{"D9.TF.AWS.LOG.03", "D9.TF.AWS.LOG.01", "D9.AWS.LOG.01", "VIGIL.AWS.LOG.01", "D9.AWS.MON.05"}, []want{
		// 000: both ARNs reference resources the code declares.
		{"D9.TF.AWS.LOG.03 " + m + "org-audit", Pass, ""},
		{"D9.TF.AWS.LOG.03 " + m + "app-debug", Fail, "cloud_watch_logs_role_arn isEmpty() is true"},
		// The role comes from a variable that has no value.
		{"D9.TF.AWS.LOG.03 " + m + "partner-integration", Unknown, "partner_role_arn has no value"},
		// 003, on the code and on the trail derived from it; the regional
		// trail's native finding is suppressed by its vigil:ignore comment.
		{"D9.TF.AWS.LOG.01 " + m + "org-audit", Pass, ""},
		{"D9.TF.AWS.LOG.01 " + m + "app-debug", Excluded, "is_multi_region_trail is false"},
		{"D9.TF.AWS.LOG.01 " + m + "partner-integration", Pass, ""},
		{"D9.AWS.LOG.01 " + m + "org-audit", Pass, ""},
		{"D9.AWS.LOG.01 " + m + "app-debug", Fail, "isMultiRegionTrail is false"},
		{"D9.AWS.LOG.01 " + m + "partner-integration", Pass, ""},
		// 002: the module's trail is multi-region, logs, and records all
		// management events.
		{"VIGIL.AWS.LOG.01 " + m + "-", Pass, ""},
		// 004: the filter and alarm exist, but an e-mail subscription
		// needs confirmation, which code cannot show.
		{"D9.AWS.MON.05 " + m + "-", Unknown, "needs confirmation"},
	})
}
