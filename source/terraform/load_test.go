package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"vigil/entity"
)

// load loads path and fails the test on any error diagnostic.
func load(t *testing.T, path string, opts Options) *entity.Inventory {
	t.Helper()
	inv, diags := Load(path, opts)
	if diags.HasErrors() {
		t.Fatalf("Load(%s): %s", path, diags.Error())
	}
	return inv
}

func find(t *testing.T, inv *entity.Inventory, typ, id string) *entity.Entity {
	t.Helper()
	for _, e := range inv.Entities {
		if e.Type == typ && e.ID == id {
			return e
		}
	}
	var ids []string
	for _, e := range inv.Entities {
		if e.Type == typ {
			ids = append(ids, e.ID)
		}
	}
	t.Fatalf("no %s %s; have %v", typ, id, ids)
	return nil
}

func attr(t *testing.T, e *entity.Entity, path string) any {
	t.Helper()
	v, ok := e.Lookup(path)
	if !ok {
		t.Fatalf("%s %s has no attribute %s", e.Type, e.ID, path)
	}
	return v
}

// unknown asserts v is an Unknown of kind whose reason contains reason.
func unknown(t *testing.T, what string, v any, kind entity.UnknownKind, reason string) {
	t.Helper()
	u, ok := v.(*entity.Unknown)
	if !ok {
		t.Fatalf("%s = %s, want an Unknown (%s)", what, entity.Format(v), kind)
	}
	if u.Kind != kind || !strings.Contains(u.Reason, reason) {
		t.Errorf("%s = %s, want %s Unknown with reason containing %q", what, u, kind, reason)
	}
}

const cisTrail = "module.trail.aws_cloudtrail.this"

func TestLoadCISBaselineNative(t *testing.T) {
	inv := load(t, "testdata/cis", Options{})
	if want := []entity.Scope{{Kind: entity.ScopeTerraformModule, ID: ".", Name: "testdata/cis"}}; !cmp.Equal(inv.Scopes, want) {
		t.Errorf("scopes: %v, want %v", inv.Scopes, want)
	}
	counts := map[string]int{}
	for _, e := range inv.Entities {
		counts[e.Type]++
		if e.Scope != "." {
			t.Errorf("%s has scope %q", e.ID, e.Scope)
		}
	}
	wantCounts := map[string]int{
		"aws_cloudtrail": 1, "CloudTrail": 1, "IamRole": 1, "aws_cloudwatch_log_group": 1, "aws_iam_role": 1, "aws_s3_bucket": 1,
		"aws_cloudwatch_log_metric_filter": 15, "aws_cloudwatch_metric_alarm": 15, "aws_sns_topic": 1,
		"aws_sns_topic_subscription": 2, "aws_sqs_queue": 1,
	}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("entity counts (-want +got):\n%s", diff)
	}

	trail := find(t, inv, "aws_cloudtrail", cisTrail)
	wantOrigin := entity.Origin{File: "testdata/cis/modules/trail/main.tf", Start: entity.Pos{Line: 27, Col: 1}, End: entity.Pos{Line: 47, Col: 2}}
	if trail.Origin.File != wantOrigin.File || trail.Origin.Start != wantOrigin.Start || trail.Origin.End != wantOrigin.End {
		t.Errorf("origin %+v, want %+v", trail.Origin, wantOrigin)
	}
	for path, want := range map[string]any{
		"name":                          "acme-prod-trail", // var.org_prefix from terraform.tfvars, environment overridden there
		"is_multi_region_trail":         true,
		"include_global_service_events": true,
		"enable_log_file_validation":    true,
		"tags":                          map[string]any{"Environment": "prod", "ManagedBy": "terraform", "Owner": "security"},
		"event_selector": []any{map[string]any{
			"read_write_type": "All", "include_management_events": true,
			"data_resource": []any{map[string]any{"type": "AWS::S3::Object", "values": []any{"arn:aws:s3"}}},
		}},
	} {
		if diff := cmp.Diff(want, attr(t, trail, path)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", path, diff)
		}
	}
	unknown(t, "cloud_watch_logs_group_arn", attr(t, trail, "cloud_watch_logs_group_arn"), entity.UnknownSet, "module.trail.aws_cloudwatch_log_group.this.arn")
	unknown(t, "cloud_watch_logs_role_arn", attr(t, trail, "cloud_watch_logs_role_arn"), entity.UnknownSet, "module.trail.aws_iam_role.cloudtrail.arn")
	unknown(t, "s3_bucket_name", attr(t, trail, "s3_bucket_name"), entity.UnknownSet, "aws_s3_bucket.trail.id")
	if got := trail.Attrs["enable_logging"]; got != true {
		t.Errorf("enable_logging is left to the provider's default, true; got %v", got)
	}

	lg := find(t, inv, "aws_cloudwatch_log_group", "module.trail.aws_cloudwatch_log_group.this")
	if got := attr(t, lg, "name"); got != "/aws/cloudtrail/acme-prod-trail" {
		t.Errorf("log group name %v", got)
	}
	if got := attr(t, lg, "retention_in_days"); got != 90.0 { // module input from the root variable's default
		t.Errorf("retention_in_days %v, want 90", got)
	}
	role := find(t, inv, "aws_iam_role", "module.trail.aws_iam_role.cloudtrail")
	if got, _ := attr(t, role, "assume_role_policy").(string); !strings.Contains(got, `"Service":"cloudtrail.amazonaws.com"`) {
		t.Errorf("assume_role_policy = %q, want jsonencode output", got)
	}

	mf := find(t, inv, "aws_cloudwatch_log_metric_filter", `module.alarms.aws_cloudwatch_log_metric_filter.cis["cloudtrail_cfg_changes"]`)
	for path, want := range map[string]any{
		"name":           "cloudtrail_cfg_changes",
		"log_group_name": "/aws/cloudtrail/acme-prod-trail", // through module.trail's output and module.alarms' input
		"pattern":        "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
		"metric_transformation": []any{map[string]any{
			"name": "cloudtrail_cfg_changes", "namespace": "CISBenchmark", "value": "1",
		}},
	} {
		if diff := cmp.Diff(want, attr(t, mf, path)); diff != "" {
			t.Errorf("metric filter %s (-want +got):\n%s", path, diff)
		}
	}
	alarm := find(t, inv, "aws_cloudwatch_metric_alarm", `module.alarms.aws_cloudwatch_metric_alarm.cis["cloudtrail_cfg_changes"]`)
	for path, want := range map[string]any{
		"alarm_name":        "cis-4.5-cloudtrail_cfg_changes",
		"metric_name":       "cloudtrail_cfg_changes", // read from the filter's nested block
		"namespace":         "CISBenchmark",
		"alarm_description": "CIS 4.5: cloudtrail cfg changes",
		"threshold":         1.0,
	} {
		if diff := cmp.Diff(want, attr(t, alarm, path)); diff != "" {
			t.Errorf("alarm %s (-want +got):\n%s", path, diff)
		}
	}
	actions := attr(t, alarm, "alarm_actions").([]any)
	if len(actions) != 1 {
		t.Fatalf("alarm_actions %v", actions)
	}
	unknown(t, "alarm_actions[0]", actions[0], entity.UnknownSet, "module.alarms.aws_sns_topic.alarms.arn")

	email := find(t, inv, "aws_sns_topic_subscription", "module.alarms.aws_sns_topic_subscription.email[0]")
	if got := attr(t, email, "endpoint"); got != "secops@acme.example" {
		t.Errorf("email endpoint %v", got)
	}
	queue := find(t, inv, "aws_sns_topic_subscription", "module.alarms.aws_sns_topic_subscription.queue")
	unknown(t, "queue endpoint", attr(t, queue, "endpoint"), entity.UnknownSet, "aws_sqs_queue.security.arn")
	want := []entity.Suppression{{Rule: "D9.AWS.SNS.01", Reason: "the queue is encrypted by the consumer team", Expires: "2027-06-30", Source: "testdata/cis/modules/alarms/main.tf:102"}}
	if diff := cmp.Diff(want, queue.Suppressions); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
}

func TestLoadCISBaselineCloudTrail(t *testing.T) {
	inv := load(t, "testdata/cis", Options{})
	ct := find(t, inv, "CloudTrail", cisTrail)
	native := find(t, inv, "aws_cloudtrail", cisTrail)
	if ct.Origin.String() != native.Origin.String() || ct.Name != "acme-prod-trail" {
		t.Errorf("CloudTrail origin %s name %q, want %s and the trail's name", ct.Origin, ct.Name, native.Origin)
	}
	for path, want := range map[string]any{
		"name":                         "acme-prod-trail",
		"isMultiRegionTrail":           true,
		"isOrganizationTrail":          false, // provider default
		"includeGlobalServiceEvents":   true,
		"logFileValidationEnabled":     true,
		"status.isLogging":             true, // enable_logging defaults to true
		"hasManagementEventsReadWrite": true,
		"hasSNSSubscriber":             true, // the sqs subscription needs no confirmation
		"kmsKeyId":                     nil,
		"advancedEventSelectors":       []any{},
		"eventSelectors": []any{map[string]any{
			"readWriteType": "All", "includeManagementEvents": true, "excludeManagementEventSources": []any{},
			"dataResources": []any{map[string]any{"type": "AWS::S3::Object", "values": []any{"arn:aws:s3"}}},
		}},
		"tags": []any{
			map[string]any{"key": "Environment", "value": "prod"},
			map[string]any{"key": "ManagedBy", "value": "terraform"},
			map[string]any{"key": "Owner", "value": "security"},
		},
	} {
		if diff := cmp.Diff(want, attr(t, ct, path)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", path, diff)
		}
	}
	unknown(t, "cloudWatchLogsLogGroupArn", attr(t, ct, "cloudWatchLogsLogGroupArn"), entity.UnknownSet, "aws_cloudwatch_log_group.this.arn")
	unknown(t, "cloudWatchLogsRoleArn", attr(t, ct, "cloudWatchLogsRoleArn"), entity.UnknownSet, "aws_iam_role.cloudtrail.arn")
	// Delivery times exist only in a running account: unknown, so that live
	// rules such as D9.AWS.LOG.03 are UNKNOWN on code rather than FAIL.
	unknown(t, "status.latestCloudWatchLogsDeliveryTime", attr(t, ct, "status.latestCloudWatchLogsDeliveryTime"), entity.UnknownMaybeNull, "only known in a live account")

	filters := attr(t, ct, "metricFilters").([]any)
	if len(filters) != 15 {
		t.Fatalf("%d metric filters, want the 15 CIS ones", len(filters))
	}
	var cfg map[string]any
	for _, f := range filters {
		m := f.(map[string]any)
		if m["hasSNSSubscriber"] != true {
			t.Errorf("filter %v: hasSNSSubscriber %v", m["filterName"], m["hasSNSSubscriber"])
		}
		if m["filterName"] == "cloudtrail_cfg_changes" {
			cfg = m
		}
	}
	if cfg == nil {
		t.Fatal("no cloudtrail_cfg_changes filter")
	}
	if cfg["logGroupName"] != "/aws/cloudtrail/acme-prod-trail" {
		t.Errorf("logGroupName %v", cfg["logGroupName"])
	}
	mt := cfg["metricTransformations"].([]any)[0].(map[string]any)
	if mt["metricName"] != "cloudtrail_cfg_changes" || mt["metricNamespace"] != "CISBenchmark" || mt["metricValue"] != "1" {
		t.Errorf("metric transformation %v", entity.Format(mt))
	}
	alarms := mt["alarms"].([]any)
	if len(alarms) != 1 {
		t.Fatalf("alarms %s, want exactly the one on this metric", entity.Format(alarms))
	}
	al := alarms[0].(map[string]any)
	if al["alarmName"] != "cis-4.5-cloudtrail_cfg_changes" || al["actionsEnabled"] != true || al["hasSNSSubscriber"] != true {
		t.Errorf("alarm %s", entity.Format(al))
	}
	unknown(t, "alarmArn", al["alarmArn"], entity.UnknownSet, "aws_cloudwatch_metric_alarm.cis")
	topics := al["snsTopics"].([]any)
	if len(topics) != 1 {
		t.Fatalf("snsTopics %s", entity.Format(topics))
	}
	topic := topics[0].(map[string]any)
	unknown(t, "topicArn", topic["topicArn"], entity.UnknownSet, "module.alarms.aws_sns_topic.alarms.arn")
	// One sqs subscription is confirmed; the email one waits for its
	// recipient, so the count is not known.
	unknown(t, "confirmedSubscriptions", topic["confirmedSubscriptions"], entity.UnknownSet, "aws_sns_topic_subscription.email[0] (email) needs confirmation")
}

func TestLoadTrailVariants(t *testing.T) {
	inv := load(t, "testdata/variants", Options{})
	var scopes []string
	for _, s := range inv.Scopes {
		scopes = append(scopes, s.ID)
	}
	if diff := cmp.Diff([]string{"data_log_group", "literal_arn", "non_topic_action", "var_log_group"}, scopes); diff != "" {
		t.Errorf("root modules (-want +got):\n%s", diff)
	}

	t.Run("log group from a variable without a value", func(t *testing.T) {
		ct := find(t, inv, "CloudTrail", "aws_cloudtrail.regional")
		if ct.Scope != "var_log_group" {
			t.Errorf("scope %q", ct.Scope)
		}
		unknown(t, "cloudWatchLogsLogGroupArn", attr(t, ct, "cloudWatchLogsLogGroupArn"), entity.UnknownMaybeNull, "variable log_group_arn has no value")
		unknown(t, "cloudWatchLogsRoleArn", attr(t, ct, "cloudWatchLogsRoleArn"), entity.UnknownMaybeNull, "variable cloudwatch_role_arn has no value")
		unknown(t, "metricFilters", attr(t, ct, "metricFilters"), entity.UnknownMaybeNull, "refers to no log group declared in this configuration")
		unknown(t, "hasSNSSubscriber", attr(t, ct, "hasSNSSubscriber"), entity.UnknownSet, "log group ARN is unknown")
		for path, want := range map[string]any{"name": "regional-trail", "isMultiRegionTrail": false, "status.isLogging": false} {
			if got := attr(t, ct, path); got != want {
				t.Errorf("%s = %v, want %v", path, got, want)
			}
		}
	})
	t.Run("log group from a data source", func(t *testing.T) {
		ct := find(t, inv, "CloudTrail", "aws_cloudtrail.org")
		unknown(t, "cloudWatchLogsLogGroupArn", attr(t, ct, "cloudWatchLogsLogGroupArn"), entity.UnknownSet, "data.aws_cloudwatch_log_group.org.arn")
		unknown(t, "cloudWatchLogsRoleArn", attr(t, ct, "cloudWatchLogsRoleArn"), entity.UnknownSet, "aws_iam_role.trail.arn")
		// A filter on the looked-up group is declared, but others may exist
		// where the group is managed: the list is not known.
		unknown(t, "metricFilters", attr(t, ct, "metricFilters"), entity.UnknownMaybeNull, "read from data.aws_cloudwatch_log_group.org")
		for path, want := range map[string]any{"isOrganizationTrail": true, "isMultiRegionTrail": false, "hasManagementEventsReadWrite": true, "kmsKeyId": "alias/cloudtrail"} {
			if got := attr(t, ct, path); got != want {
				t.Errorf("%s = %v, want %v", path, got, want)
			}
		}
		want := []any{map[string]any{"name": "Management events", "fieldSelectors": []any{map[string]any{
			"field": "eventCategory", "equals": []any{"Management"}, "notEquals": []any{}, "startsWith": []any{},
			"notStartsWith": []any{}, "endsWith": []any{}, "notEndsWith": []any{},
		}}}}
		if diff := cmp.Diff(want, attr(t, ct, "advancedEventSelectors")); diff != "" {
			t.Errorf("advancedEventSelectors from a dynamic block (-want +got):\n%s", diff)
		}
		if got := attr(t, ct, "eventSelectors"); !cmp.Equal(got, []any{}) {
			t.Errorf("eventSelectors %v, want none beside advanced selectors", got)
		}
		role := find(t, inv, "aws_iam_role", "aws_iam_role.trail")
		if got, _ := attr(t, role, "assume_role_policy").(string); !strings.Contains(got, "sts:AssumeRole") {
			t.Errorf("file() relative to path.module: %q", got)
		}
		if len(find(t, inv, "aws_cloudtrail", "aws_cloudtrail.org").Suppressions) != 2 {
			t.Errorf("suppressions: %v", ct.Suppressions)
		}
		for _, e := range inv.Entities {
			if strings.HasPrefix(e.ID, "data.") {
				t.Errorf("data source %s became an entity", e.ID)
			}
		}
	})
	t.Run("literal ARNs", func(t *testing.T) {
		ct := find(t, inv, "CloudTrail", "aws_cloudtrail.audit")
		if got := attr(t, ct, "isMultiRegionTrail"); got != true {
			t.Errorf(`is_multi_region_trail = "true": isMultiRegionTrail %v`, got)
		}
		if got := attr(t, ct, "hasManagementEventsReadWrite"); got != false {
			t.Errorf("WriteOnly selector: hasManagementEventsReadWrite %v", got)
		}
		filters := attr(t, ct, "metricFilters").([]any)
		if len(filters) != 1 {
			t.Fatalf("metric filters %s: the literal log group ARN names the declared group", entity.Format(filters))
		}
		f := filters[0].(map[string]any)
		topic := f["metricTransformations"].([]any)[0].(map[string]any)["alarms"].([]any)[0].(map[string]any)["snsTopics"].([]any)[0].(map[string]any)
		if topic["topicArn"] != "arn:aws:sns:eu-west-1:111122223333:security-pager" {
			t.Errorf("topicArn %v", topic["topicArn"])
		}
		unknown(t, "confirmedSubscriptions", topic["confirmedSubscriptions"], entity.UnknownMaybeNull, "is not declared in this configuration")
		unknown(t, "filter hasSNSSubscriber", f["hasSNSSubscriber"], entity.UnknownSet, "security-pager is not declared")
		unknown(t, "hasSNSSubscriber", attr(t, ct, "hasSNSSubscriber"), entity.UnknownSet, "security-pager is not declared")
	})
}

func TestLoaderFilesRenderDiagnostics(t *testing.T) {
	l := NewLoader(Options{})
	inv, diags := l.Load("testdata/malformed/syntax")
	if ct := find(t, inv, "CloudTrail", "aws_cloudtrail.good"); ct.Attrs["isMultiRegionTrail"] != true {
		t.Errorf("the file without errors was not scanned fully: %v", ct.Attrs)
	}
	if !diags.HasErrors() {
		t.Fatal("no error for a syntax error")
	}
	var b strings.Builder
	if err := hcl.NewDiagnosticTextWriter(&b, l.Files(), 80, false).WriteDiagnostics(diags); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `  on testdata/malformed/syntax/main.tf line 3, in resource "aws_cloudtrail" "broken":`) || !strings.Contains(b.String(), `3:   name = "broken`) {
		t.Errorf("rendered diagnostics lack the source snippet:\n%s", b.String())
	}
}

// TestLoaderLetsGoOfRootSyntaxTrees: once a root module is evaluated, its
// files keep their bytes but not their syntax trees, unless a diagnostic
// names them: rendering a diagnostic reads the tree for its "in resource"
// context. Files of called modules are kept whole.
func TestLoaderLetsGoOfRootSyntaxTrees(t *testing.T) {
	clean := "resource \"aws_s3_bucket\" \"ok\" {\n  bucket = \"ok\"\n}\n"
	dir := writeTree(t, map[string]string{
		"a/main.tf":   "resource \"aws_s3_bucket\" \"x\" {\n  bucket = var.missing\n}\n",
		"a/other.tf":  clean,
		"b/main.tf":   "module \"m\" {\n  source = \"../mod\"\n}\n",
		"mod/main.tf": clean,
	})
	l := NewLoader(Options{})
	_, diags := l.Load(dir)
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", diags)
	}
	files := l.Files()
	for name, whole := range map[string]bool{"a/main.tf": true, "a/other.tf": false, "b/main.tf": false, "mod/main.tf": true} {
		f := files[filepath.Join(dir, name)]
		if f == nil {
			t.Fatalf("no file %s", name)
		}
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(f.Bytes) != string(src) {
			t.Errorf("%s: bytes %q, want %q", name, f.Bytes, src)
		}
		if got := f.Nav != nil; got != whole {
			t.Errorf("%s: syntax tree kept %v, want %v", name, got, whole)
		}
	}
	var b strings.Builder
	if err := hcl.NewDiagnosticTextWriter(&b, files, 80, false).WriteDiagnostics(diags); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `a/main.tf line 2, in resource "aws_s3_bucket" "x":`) {
		t.Errorf("rendered diagnostic lacks its context:\n%s", b.String())
	}
}
