package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/filterpattern"
	"vigil/gsl"
	"vigil/source/terraform"
)

// Rules from the seed pages, as published.
const (
	ruleLog03 = "aws_cloudtrail should not have (cloud_watch_logs_role_arn isEmpty() or cloud_watch_logs_group_arn isEmpty())"
	ruleLog01 = "aws_cloudtrail should have is_multi_region_trail=true"
	ruleAWS01 = "CloudTrail should have isMultiRegionTrail=true"
	ruleMon05 = "List<CloudTrail> should have items with [hasSNSSubscriber='true' and metricFilters with [filterPattern isFilterPatternEqual('{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) ||($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName =StopLogging) }')] length() > 0]"
)

// cisTrail is the address of the trail of source/terraform's CIS fixture.
const cisTrail = "module.trail.aws_cloudtrail.this"

// testNow is the time the rules are evaluated at.
var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// evaluate runs each rule on inv and returns "rule entity-or-scope" →
// outcome.
func evaluate(t *testing.T, inv *entity.Inventory, rules map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, src := range rules {
		p, err := gsl.Compile(src, gsl.WithPatterns(filterpattern.NewCache()))
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		target := p.Target()
		if target.List {
			for _, sc := range inv.Scopes {
				var items []any
				for _, e := range inv.Entities {
					if e.Type == target.Entity && e.Scope == sc.ID {
						items = append(items, e.Attrs)
					}
				}
				if items == nil {
					continue // a root module without the entity: not applicable
				}
				out[fmt.Sprintf("%s scope %s", name, sc.ID)] = p.Eval(map[string]any{"items": items}, testNow).Outcome.String()
			}
			continue
		}
		for _, e := range inv.Entities {
			if e.Type == target.Entity {
				r := p.Eval(e.Attrs, testNow)
				out[fmt.Sprintf("%s %s", name, e.ID)] = r.Outcome.String()
			}
		}
	}
	return out
}

// terraformSeedRules are the seed rules by a short name, as published.
var terraformSeedRules = map[string]string{"LOG.03": ruleLog03, "TF.LOG.01": ruleLog01, "LOG.01": ruleAWS01, "MON.05": ruleMon05}

func TestSeedRulesOnHCLAndPlanAgree(t *testing.T) {
	want := map[string]string{
		"LOG.03 aws_cloudtrail.main":      "PASS", // group and role reference declared resources: set Unknowns
		"LOG.03 aws_cloudtrail.legacy":    "FAIL",
		"TF.LOG.01 aws_cloudtrail.main":   "PASS",
		"TF.LOG.01 aws_cloudtrail.legacy": "FAIL", // left to the provider default, false
		"LOG.01 aws_cloudtrail.main":      "PASS",
		"LOG.01 aws_cloudtrail.legacy":    "FAIL",
		"MON.05 scope .":                  "PASS", // filter → alarm → topic → sqs subscription
	}
	fromHCL := evaluate(t, loadTerraform(t, terraformFixture("chain"), terraform.Options{}), terraformSeedRules)
	fromPlan := evaluate(t, loadTerraform(t, terraformFixture("plans/chain.json"), terraform.Options{}), terraformSeedRules)
	if diff := cmp.Diff(want, fromHCL); diff != "" {
		t.Errorf("HCL (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fromHCL, fromPlan); diff != "" {
		t.Errorf("plan differs from HCL (-HCL +plan):\n%s", diff)
	}
}

func TestSeedRulesOnFixtures(t *testing.T) {
	tests := []struct {
		path string
		want map[string]string
	}{
		{"cis", map[string]string{
			"LOG.03 " + cisTrail:    "PASS",
			"TF.LOG.01 " + cisTrail: "PASS",
			"LOG.01 " + cisTrail:    "PASS",
			"MON.05 scope .":        "PASS",
		}},
		{"variants", map[string]string{
			// Role and group from variables without values: maybe null.
			"LOG.03 aws_cloudtrail.regional":    "UNKNOWN",
			"TF.LOG.01 aws_cloudtrail.regional": "FAIL",
			"LOG.01 aws_cloudtrail.regional":    "FAIL",
			"MON.05 scope var_log_group":        "UNKNOWN",
			// Log group from a data source: its ARN will be set, its metric
			// filters are unknown.
			"LOG.03 aws_cloudtrail.org":    "PASS",
			"TF.LOG.01 aws_cloudtrail.org": "FAIL",
			"LOG.01 aws_cloudtrail.org":    "FAIL",
			"MON.05 scope data_log_group":  "UNKNOWN",
			// Literal ARNs; the only filter is not the CloudTrail one.
			"LOG.03 aws_cloudtrail.audit":    "PASS",
			"TF.LOG.01 aws_cloudtrail.audit": "PASS",
			"LOG.01 aws_cloudtrail.audit":    "PASS",
			"MON.05 scope literal_arn":       "FAIL",
			"MON.05 scope non_topic_action":  "FAIL", // the alarm scales a group and notifies a topic nobody reads
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got := evaluate(t, loadTerraform(t, terraformFixture(tt.path), terraform.Options{}), terraformSeedRules)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestMON05NeedsASubscriber(t *testing.T) {
	// The chain with the subscription's protocol changed: email waits for
	// confirmation (UNKNOWN), none at all fails.
	for _, tc := range []struct {
		subscription string
		want         string
	}{
		{`resource "aws_sns_topic_subscription" "ops" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "secops@example.com"
}`, "UNKNOWN"},
		{``, "FAIL"},
		{`resource "aws_sns_topic_subscription" "ops" {
  topic_arn              = aws_sns_topic.alerts.arn
  protocol               = "https"
  endpoint               = "https://hooks.example.com/alerts"
  endpoint_auto_confirms = true
}`, "PASS"},
	} {
		src := `
resource "aws_cloudwatch_log_group" "trail" {
  name = "trail"
}
resource "aws_cloudtrail" "main" {
  name                       = "main"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
}
resource "aws_sns_topic" "alerts" {
  name = "alerts"
}
resource "aws_cloudwatch_log_metric_filter" "f" {
  name           = "f"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{($.eventName=CreateTrail)||($.eventName=UpdateTrail)||($.eventName=DeleteTrail)||($.eventName=StartLogging)||($.eventName=StopLogging)}"
  metric_transformation {
    name      = "m"
    namespace = "ns"
    value     = "1"
  }
}
resource "aws_cloudwatch_metric_alarm" "a" {
  alarm_name    = "a"
  metric_name   = aws_cloudwatch_log_metric_filter.f.metric_transformation[0].name
  namespace     = "ns"
  alarm_actions = [aws_sns_topic.alerts.arn]
}
` + tc.subscription
		got := evaluate(t, loadTerraform(t, writeModule(t, src), terraform.Options{}), map[string]string{"MON.05": ruleMon05})
		if got["MON.05 scope ."] != tc.want {
			t.Errorf("with %q: MON.05 %v, want %s", tc.subscription, got, tc.want)
		}
	}
}

// TestAlarmWiredByFilterID: CIS modules (the secure-baseline alarm modules
// among them) pass a metric filter's id to its alarm's metric_name, its
// metric being named like the filter. The provider documents that id as
// the filter's name, so the chain is known and MON.05 passes, as it does
// with the metric name written out; a filter whose name is not known
// leaves it unknown, and the id of a filter whose metric has another name
// watches no metric there is, and fails. The log
// group is wired by its id, which is its name, too.
func TestAlarmWiredByFilterID(t *testing.T) {
	for _, tc := range []struct {
		name, filterName, metricName string
		want                         string
	}{
		{"by id", `"CloudTrailCfgChanges"`, "aws_cloudwatch_log_metric_filter.cloudtrail_cfg_changes.id", "PASS"},
		{"by name, for comparison", `"CloudTrailCfgChanges"`, `"CloudTrailCfgChanges"`, "PASS"},
		{"by id, name unknown", "var.filter_name", "aws_cloudwatch_log_metric_filter.cloudtrail_cfg_changes.id", "UNKNOWN"},
		{"by the id of another filter", `"CloudTrailCfgChanges"`, "aws_cloudwatch_log_metric_filter.other.id", "FAIL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := `
variable "filter_name" {
  type = string
}
variable "alarm_namespace" {
  default = "CISBenchmark"
}
resource "aws_cloudwatch_log_group" "cloudtrail" {
  name = "cloudtrail-multi-region"
}
resource "aws_cloudtrail" "main" {
  name                       = "main"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.cloudtrail.arn}:*"
}
resource "aws_sns_topic" "alarms" {
  name = "cis-alarms"
}
resource "aws_sns_topic_subscription" "queue" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "sqs"
  endpoint  = "arn:aws:sqs:eu-west-1:111122223333:security"
}
resource "aws_cloudwatch_log_metric_filter" "cloudtrail_cfg_changes" {
  name           = ` + tc.filterName + `
  pattern        = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.id

  metric_transformation {
    name      = "CloudTrailCfgChanges"
    namespace = var.alarm_namespace
    value     = "1"
  }
}
resource "aws_cloudwatch_log_metric_filter" "other" {
  name           = "Other"
  pattern        = "{ $.eventName = Other }"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.id

  metric_transformation {
    name      = "OtherMetric"
    namespace = var.alarm_namespace
    value     = "1"
  }
}
resource "aws_cloudwatch_metric_alarm" "cloudtrail_cfg_changes" {
  alarm_name          = "CloudTrailCfgChanges"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = "1"
  metric_name         = ` + tc.metricName + `
  namespace           = var.alarm_namespace
  period              = "300"
  statistic           = "Sum"
  threshold           = "1"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
`
			got := evaluate(t, loadTerraform(t, writeModule(t, src), terraform.Options{}), map[string]string{"MON.05": ruleMon05})
			if got["MON.05 scope ."] != tc.want {
				t.Errorf("MON.05 %v, want %s", got, tc.want)
			}
		})
	}
}
