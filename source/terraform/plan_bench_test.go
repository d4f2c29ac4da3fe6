package terraform

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// A generated plan of a monorepo: the root module calls one "team" module
// per team, each declaring a trail and its CloudWatch chain (log group, role,
// five metric filters and alarms, topic, subscription), a bucket with its
// policy, a KMS key and an IAM policy, as "terraform show -json" writes
// them: planned_values, resource_changes with after_unknown and
// after_sensitive, prior_state with a data source, and the configuration of
// every call with its references. Each team's metrics have a namespace of
// their own: alarms are matched to filters by metric name and namespace
// across the module, and with a shared namespace every trail would list
// every team's alarms.

// planTeamResources is how many resources one team module declares.
const planTeamResources = 19

// planFilters are the metric filter patterns of each team.
var planFilters = []string{
	"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
	"{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
	"{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }",
	"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)}",
	"{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) }",
}

// planResource is one resource of a team module: its type and name, its
// planned values, which of them are known only after apply, and the
// configuration's expressions.
type planResource struct {
	typ, name string
	values    map[string]any
	unknown   map[string]any
	exprs     map[string]any
}

// teamResources returns the resources of team i.
func teamResources(i int) []planResource {
	name := fmt.Sprintf("acme-team%05d", i)
	tags := map[string]any{"Team": name, "Owner": "platform", "CostCenter": strconv.Itoa(1000 + i%97)}
	ref := func(refs ...string) map[string]any { return map[string]any{"references": refs} }
	constant := func(v any) map[string]any { return map[string]any{"constant_value": v} }
	policy := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::%[1]s-trail"},{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::%[1]s-trail/AWSLogs/123456789012/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}`, name)
	out := []planResource{
		{"aws_cloudtrail", "this", map[string]any{
			"name": name, "s3_bucket_name": name + "-trail", "is_multi_region_trail": i%3 != 0, "include_global_service_events": true,
			"enable_logging": true, "enable_log_file_validation": true, "is_organization_trail": false, "kms_key_id": nil,
			"event_selector":          []any{map[string]any{"read_write_type": "All", "include_management_events": true, "data_resource": []any{}, "exclude_management_event_sources": []any{}}},
			"advanced_event_selector": []any{}, "insight_selector": []any{}, "s3_key_prefix": nil, "sns_topic_name": nil, "tags": tags, "tags_all": tags,
		}, map[string]any{"arn": true, "id": true, "home_region": true, "cloud_watch_logs_group_arn": true, "cloud_watch_logs_role_arn": true, "tags_all": map[string]any{}},
			map[string]any{"name": ref("var.name"), "s3_bucket_name": ref("aws_s3_bucket.trail.id", "aws_s3_bucket.trail"),
				"cloud_watch_logs_group_arn": ref("aws_cloudwatch_log_group.trail.arn", "aws_cloudwatch_log_group.trail"),
				"cloud_watch_logs_role_arn":  ref("aws_iam_role.trail.arn", "aws_iam_role.trail"),
				"is_multi_region_trail":      ref("var.multi_region"), "enable_log_file_validation": constant(true)}},
		{"aws_cloudwatch_log_group", "trail", map[string]any{"name": name + "-trail", "retention_in_days": 365, "log_group_class": "STANDARD", "skip_destroy": false, "kms_key_id": nil, "tags": tags, "tags_all": tags},
			map[string]any{"arn": true, "id": true, "tags_all": map[string]any{}}, map[string]any{"name": ref("var.name"), "retention_in_days": constant(365)}},
		{"aws_iam_role", "trail", map[string]any{"name": name + "-trail-to-logs", "assume_role_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, "path": "/", "max_session_duration": 3600, "force_detach_policies": false, "description": nil, "tags": tags, "tags_all": tags},
			map[string]any{"arn": true, "id": true, "unique_id": true, "create_date": true, "inline_policy": true, "managed_policy_arns": true, "tags_all": map[string]any{}}, map[string]any{"name": ref("var.name")}},
		{"aws_sns_topic", "alarms", map[string]any{"name": name + "-alarms", "fifo_topic": false, "kms_master_key_id": nil, "tags": tags, "tags_all": tags},
			map[string]any{"arn": true, "id": true, "owner": true, "policy": true, "tags_all": map[string]any{}}, map[string]any{"name": ref("var.name")}},
		{"aws_sns_topic_subscription", "secops", map[string]any{"protocol": "sqs", "endpoint": "arn:aws:sqs:us-east-1:123456789012:" + name + "-alarms", "raw_message_delivery": false, "endpoint_auto_confirms": false},
			map[string]any{"arn": true, "id": true, "topic_arn": true, "owner_id": true, "confirmation_was_authenticated": true, "pending_confirmation": true},
			map[string]any{"topic_arn": ref("aws_sns_topic.alarms.arn", "aws_sns_topic.alarms"), "protocol": constant("sqs")}},
		{"aws_s3_bucket", "trail", map[string]any{"bucket": name + "-trail", "force_destroy": false, "object_lock_enabled": false, "tags": tags, "tags_all": tags},
			map[string]any{"arn": true, "id": true, "bucket_domain_name": true, "region": true, "acl": true, "policy": true, "versioning": true, "tags_all": map[string]any{}}, map[string]any{"bucket": ref("var.name")}},
		{"aws_s3_bucket_policy", "trail", map[string]any{"policy": policy},
			map[string]any{"id": true, "bucket": true}, map[string]any{"bucket": ref("aws_s3_bucket.trail.id", "aws_s3_bucket.trail"), "policy": ref("data.aws_iam_policy_document.trail.json", "data.aws_iam_policy_document.trail")}},
		{"aws_kms_key", "data", map[string]any{"description": "data key for " + name, "enable_key_rotation": true, "deletion_window_in_days": 30, "is_enabled": true, "key_usage": "ENCRYPT_DECRYPT", "tags": tags, "tags_all": tags},
			map[string]any{"arn": true, "id": true, "key_id": true, "policy": true, "tags_all": map[string]any{}}, map[string]any{"description": ref("var.name")}},
		{"aws_iam_policy", "readers", map[string]any{"name": name + "-readers", "path": "/", "policy": policy, "description": "read the trail of " + name, "tags": tags, "tags_all": tags},
			map[string]any{"arn": true, "id": true, "policy_id": true, "attachment_count": true, "tags_all": map[string]any{}}, map[string]any{"name": ref("var.name")}},
	}
	for k, pattern := range planFilters {
		metric := fmt.Sprintf("CIS-%d", k+1)
		out = append(out,
			planResource{"aws_cloudwatch_log_metric_filter", "cis" + strconv.Itoa(k), map[string]any{
				"name": name + "-" + metric, "pattern": pattern, "log_group_name": name + "-trail",
				"metric_transformation": []any{map[string]any{"name": metric, "namespace": "CISBenchmark/" + name, "value": "1", "default_value": nil, "dimensions": nil, "unit": "None"}},
			}, map[string]any{"id": true, "metric_transformation": []any{map[string]any{}}},
				map[string]any{"log_group_name": ref("aws_cloudwatch_log_group.trail.name", "aws_cloudwatch_log_group.trail"), "pattern": constant(pattern)}},
			planResource{"aws_cloudwatch_metric_alarm", "cis" + strconv.Itoa(k), map[string]any{
				"alarm_name": name + "-" + metric, "metric_name": metric, "namespace": "CISBenchmark/" + name, "statistic": "Sum", "period": 300,
				"evaluation_periods": 1, "threshold": 1, "comparison_operator": "GreaterThanOrEqualToThreshold", "actions_enabled": true,
				"treat_missing_data": "notBreaching", "alarm_description": "CIS " + metric + " for " + name, "tags": tags, "tags_all": tags,
			}, map[string]any{"arn": true, "id": true, "alarm_actions": true, "tags_all": map[string]any{}},
				map[string]any{"alarm_actions": ref("aws_sns_topic.alarms.arn", "aws_sns_topic.alarms"), "metric_name": constant(metric)}})
	}
	return out
}

// writePlan writes the JSON plan of a monorepo of teams team modules to w.
func writePlan(tb testing.TB, w io.Writer, teams int) {
	tb.Helper()
	bw := bufio.NewWriterSize(w, 1<<20)
	put := func(s string) { bw.WriteString(s) }
	putJSON := func(v any) {
		data, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		bw.Write(data)
	}
	list := func(each func(i int, first bool)) {
		for i := range teams {
			each(i, i == 0)
		}
	}
	module := func(i int) string { return fmt.Sprintf("module.team%05d", i) }

	put(`{"format_version":"1.2","terraform_version":"1.9.8","variables":{"region":{"value":"us-east-1"}},"planned_values":{"root_module":{"resources":[],"child_modules":[`)
	list(func(i int, first bool) {
		if !first {
			put(",")
		}
		put(`{"address":"` + module(i) + `","resources":[`)
		for k, r := range teamResources(i) {
			if k > 0 {
				put(",")
			}
			putJSON(map[string]any{"address": module(i) + "." + r.typ + "." + r.name, "mode": "managed", "type": r.typ, "name": r.name,
				"provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": r.values, "sensitive_values": map[string]any{"tags_all": map[string]any{}}})
		}
		put(`]}`)
	})
	put(`]}},"resource_changes":[`)
	list(func(i int, first bool) {
		for k, r := range teamResources(i) {
			if !first || k > 0 {
				put(",")
			}
			putJSON(map[string]any{"address": module(i) + "." + r.typ + "." + r.name, "module_address": module(i), "mode": "managed", "type": r.typ, "name": r.name,
				"provider_name": "registry.terraform.io/hashicorp/aws",
				"change": map[string]any{"actions": []string{"create"}, "before": nil, "after": r.values, "after_unknown": r.unknown,
					"before_sensitive": false, "after_sensitive": map[string]any{"tags_all": map[string]any{}}}})
		}
	})
	put(`],"prior_state":{"format_version":"1.0","terraform_version":"1.9.8","values":{"root_module":{"child_modules":[`)
	list(func(i int, first bool) {
		if !first {
			put(",")
		}
		putJSON(map[string]any{"address": module(i), "resources": []any{map[string]any{
			"address": module(i) + ".data.aws_iam_policy_document.trail", "mode": "data", "type": "aws_iam_policy_document", "name": "trail",
			"provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
			"values": map[string]any{"json": teamResources(i)[6].values["policy"], "id": strconv.Itoa(i)}, "sensitive_values": map[string]any{}}}})
	})
	put(`]}}},"configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","expressions":{"region":{"references":["var.region"]}}}},"root_module":{"module_calls":{`)
	list(func(i int, first bool) {
		if !first {
			put(",")
		}
		var resources []any
		for _, r := range teamResources(i) {
			resources = append(resources, map[string]any{"address": r.typ + "." + r.name, "mode": "managed", "type": r.typ, "name": r.name,
				"provider_config_key": "aws", "expressions": r.exprs, "schema_version": 0})
		}
		resources = append(resources, map[string]any{"address": "data.aws_iam_policy_document.trail", "mode": "data", "type": "aws_iam_policy_document", "name": "trail",
			"provider_config_key": "aws", "expressions": map[string]any{}, "schema_version": 0})
		call := map[string]any{"source": "./modules/team",
			"expressions": map[string]any{"name": map[string]any{"constant_value": fmt.Sprintf("acme-team%05d", i)}, "multi_region": map[string]any{"constant_value": i%3 != 0}},
			"module":      map[string]any{"resources": resources, "variables": map[string]any{"name": map[string]any{}, "multi_region": map[string]any{"default": true}}}}
		putJSON(fmt.Sprintf("team%05d", i))
		put(":")
		putJSON(call)
	})
	put(`},"variables":{"region":{"default":"us-east-1"}}}},"timestamp":"2026-11-22T10:00:00Z","errored":false}`)
	put("\n")
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
}

// teamsForBytes is how many teams make a plan of about n bytes.
func teamsForBytes(n int64) int { return int(n / 35_000) }

// TestWritePlan writes a generated plan of the size VIGIL_WRITE_PLAN_MB
// (default 100) to the file VIGIL_WRITE_PLAN names, to time the vigil
// binary on it:
//
//	VIGIL_WRITE_PLAN=/tmp/plan.json go test ./source/terraform -run TestWritePlan
//	/usr/bin/time -v vigil scan /tmp/plan.json > /dev/null
func TestWritePlan(t *testing.T) {
	path := os.Getenv("VIGIL_WRITE_PLAN")
	if path == "" {
		t.Skip("set VIGIL_WRITE_PLAN to a file name to write the plan")
	}
	mb := int64(100)
	if s := os.Getenv("VIGIL_WRITE_PLAN_MB"); s != "" {
		var err error
		if mb, err = strconv.ParseInt(s, 10, 64); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	writePlan(t, f, teamsForBytes(mb<<20))
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestPlanGenerator: the generated plan loads, with every resource, and its
// trails follow their chain.
func TestPlanGenerator(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	writePlan(t, f, 3)
	f.Close()
	inv := load(t, path, Options{})
	// Each team's resources, and its CloudTrail, IamPolicy, IamRole and KMS.
	counts := map[string]int{}
	for _, e := range inv.Entities {
		counts[e.Type]++
	}
	if counts["aws_cloudtrail"] != 3 || counts["CloudTrail"] != 3 || counts["aws_cloudwatch_metric_alarm"] != 15 || len(inv.Entities) != 3*(planTeamResources+4) {
		t.Errorf("entities by type %v", counts)
	}
	trail := find(t, inv, "CloudTrail", "module.team00001.aws_cloudtrail.this")
	if filters, _ := trail.Attrs["metricFilters"].([]any); len(filters) != len(planFilters) {
		t.Errorf("the trail has %d metric filters, want %d", len(filters), len(planFilters))
	}
}

// TestLargePlan: a plan larger than MaxFileBytes, the limit of the files of
// a configuration, is read whole, and its resources keep their place in the
// file.
func TestLargePlan(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a plan of 17 MiB")
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	teams := teamsForBytes(MaxFileBytes + 1<<20)
	writePlan(t, f, teams)
	f.Close()
	if st, _ := os.Stat(path); st.Size() <= MaxFileBytes {
		t.Fatalf("the plan has %d bytes, no more than MaxFileBytes", st.Size())
	}
	inv := load(t, path, Options{Types: []string{"CloudTrail", "aws_cloudtrail"}})
	trails := only(inv, "CloudTrail")
	if len(trails) != teams || len(only(inv, "aws_cloudtrail")) != teams {
		t.Fatalf("%d trails, want %d", len(trails), teams)
	}
	last := find(t, inv, "CloudTrail", fmt.Sprintf("module.team%05d.aws_cloudtrail.this", teams-1))
	if filters, _ := last.Attrs["metricFilters"].([]any); len(filters) != len(planFilters) {
		t.Errorf("the last trail has %d metric filters, want %d", len(filters), len(planFilters))
	}
	// The plan is one line, as terraform show -json writes it: the
	// column is the address's byte offset, after those of every other
	// team's resources.
	if o := last.Origin; o.File != path || o.Start.Line != 1 || o.Start.Col < MaxFileBytes/10 {
		t.Errorf("origin %+v", o)
	}
}
