package aws

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

var scannedRegions = []string{"us-east-1", "eu-west-1", "ap-southeast-2"}

// TestScenarioEntities asserts the trails of the shared scenario field by
// field: shadow trails de-duplicated, each read in its home region, the
// organisation trail's log group left Unknown, the log group read in its
// own region (not the decoy of the same name), alarms matched on name and
// namespace, only confirmed subscriptions counted, classic and advanced
// selectors judged by their fields, not their names.
func TestScenarioEntities(t *testing.T) {
	inv, _ := collect(t, scenarioWorld(), Options{Regions: scannedRegions})
	if len(inv.Failures) != 0 {
		t.Errorf("failures: %v", inv.Failures)
	}
	if diff := cmp.Diff([]entity.Scope{{Kind: "aws-account", ID: acct, Regions: []string{"ap-southeast-2", "eu-west-1", "us-east-1"},
		Types: Types()}}, inv.Scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
	if !inv.CollectedAt.Equal(now) {
		t.Errorf("collected at %v, want %v", inv.CollectedAt, now)
	}
	trails := byName(inv)
	if n := len(ofType(inv, TypeCloudTrail)); n != 7 || len(trails) != 7 {
		t.Fatalf("got %d trails (%d names), want 7 trails each once", n, len(trails))
	}
	unknown := func(v any) bool { return entity.IsUnknown(v) }
	tests := []struct {
		name string
		// want holds attributes compared exactly; wantUnknown lists those
		// that must be Unknown.
		want        map[string]any
		wantUnknown []string
		// filters is the number of metric filters (-1 when Unknown).
		filters int
	}{
		{name: "org-trail", filters: -1, wantUnknown: []string{"metricFilters", "hasSNSSubscriber", "tags"},
			want: map[string]any{"homeRegion": "us-east-1", "region": "us-east-1", "accountNumber": mgmt,
				"isOrganizationTrail": true, "isMultiRegionTrail": true, "isOwnedByScannedAccount": false,
				"hasManagementEventsReadWrite": true}},
		{name: "main", filters: 3, want: map[string]any{"homeRegion": "us-east-1", "isMultiRegionTrail": true,
			"isOwnedByScannedAccount": true, "hasManagementEventsReadWrite": true, "hasSNSSubscriber": true,
			"tags": []any{map[string]any{"key": "team", "value": "security"}}}},
		{name: "legacy", filters: 3, want: map[string]any{"isMultiRegionTrail": false, "hasManagementEventsReadWrite": false,
			"hasSNSSubscriber": true, "cloudWatchLogsRoleArn": nil, "status": map[string]any{"isLogging": false,
				"latestCloudWatchLogsDeliveryTime": nil, "latestCloudWatchLogsDeliveryError": nil, "latestDeliveryTime": nil,
				"latestDeliveryError": nil, "startLoggingTime": nil, "stopLoggingTime": nil}}},
		{name: "regional", filters: 1, want: map[string]any{"homeRegion": "eu-west-1", "isMultiRegionTrail": false,
			"hasManagementEventsReadWrite": false, "hasSNSSubscriber": false, "tags": []any{}}},
		{name: "adv-write-only", filters: 0, want: map[string]any{"homeRegion": "ap-southeast-2",
			"hasManagementEventsReadWrite": false, "hasSNSSubscriber": false, "cloudWatchLogsLogGroupArn": nil,
			"tags": []any{map[string]any{"key": "env", "value": "prod"}}}},
		{name: "adv-all", filters: 0, want: map[string]any{"hasManagementEventsReadWrite": true, "hasSNSSubscriber": false}},
		{name: "adv-no-kms", filters: 0, want: map[string]any{"hasManagementEventsReadWrite": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := trails[tt.name]
			if e == nil {
				t.Fatalf("no trail %s", tt.name)
			}
			if e.Type != "CloudTrail" || e.Scope != acct || e.ID != e.Attrs["arn"] || e.Region != e.Attrs["homeRegion"] {
				t.Errorf("entity header: type %s scope %s id %s region %s", e.Type, e.Scope, e.ID, e.Region)
			}
			for k, want := range tt.want {
				if diff := cmp.Diff(want, e.Attrs[k]); diff != "" {
					t.Errorf("%s (-want +got):\n%s", k, diff)
				}
			}
			for _, k := range tt.wantUnknown {
				if !unknown(e.Attrs[k]) {
					t.Errorf("%s = %v, want Unknown", k, e.Attrs[k])
				}
			}
			mf, isList := e.Attrs["metricFilters"].([]any)
			switch {
			case tt.filters < 0 && isList:
				t.Errorf("metricFilters = %v, want Unknown", mf)
			case tt.filters >= 0 && len(mf) != tt.filters:
				t.Errorf("metricFilters has %d filters, want %d", len(mf), tt.filters)
			}
		})
	}

	// The organisation trail's unknowns say why.
	reason := trails["org-trail"].Attrs["metricFilters"].(*entity.Unknown).Reason
	if !strings.Contains(reason, "account "+mgmt) || !strings.Contains(reason, "cannot be read from account "+acct) {
		t.Errorf("org trail reason = %q", reason)
	}
}

// TestScenarioMainTrail pins the whole main trail, chain included.
func TestScenarioMainTrail(t *testing.T) {
	inv, _ := collect(t, scenarioWorld(), Options{Regions: scannedRegions})
	e := byName(inv)["main"]
	arn := "arn:aws:cloudtrail:us-east-1:" + acct + ":trail/main"
	alerts := topicARN("eu-west-1", "security-alerts")
	transform := func(metric string, alarms ...any) []any {
		return []any{map[string]any{"metricName": metric, "metricNamespace": "CISBenchmark", "metricValue": "1", "alarms": orEmpty(alarms)}}
	}
	want := map[string]any{
		"id": arn, "arn": arn, "name": "main", "accountNumber": acct, "region": "us-east-1", "homeRegion": "us-east-1",
		"isOwnedByScannedAccount": true, "isMultiRegionTrail": true, "isOrganizationTrail": false,
		"includeGlobalServiceEvents": true, "logFileValidationEnabled": true, "hasCustomEventSelectors": false,
		"hasInsightSelectors": false, "s3BucketName": "main-trail-logs", "s3KeyPrefix": nil, "snsTopicArn": nil,
		"s3BucketLogging":           map[string]any{"enabled": true, "targetBucket": "access-logs", "targetPrefix": "main-trail-logs/"},
		"kmsKeyId":                  "arn:aws:kms:us-east-1:" + acct + ":key/1234",
		"cloudWatchLogsLogGroupArn": "arn:aws:logs:eu-west-1:" + acct + ":log-group:cloudtrail/main:*",
		"cloudWatchLogsRoleArn":     "arn:aws:iam::" + acct + ":role/CloudTrailToLogs",
		"status": map[string]any{"isLogging": true, "latestCloudWatchLogsDeliveryTime": "2026-11-22T08:00:00Z",
			"latestCloudWatchLogsDeliveryError": nil, "latestDeliveryTime": "2026-11-22T08:00:00Z", "latestDeliveryError": nil,
			"startLoggingTime": "2025-01-01T00:00:00Z", "stopLoggingTime": nil},
		"eventSelectors": []any{map[string]any{"readWriteType": "All", "includeManagementEvents": true,
			"excludeManagementEventSources": []any{}, "dataResources": []any{}}},
		"advancedEventSelectors":       []any{},
		"hasManagementEventsReadWrite": true,
		"hasS3ObjectWriteEvents":       false,
		"hasS3ObjectReadEvents":        false,
		"hasSNSSubscriber":             true,
		"tags":                         []any{map[string]any{"key": "team", "value": "security"}},
		"metricFilters": []any{
			map[string]any{"filterName": "cis-4.5", "filterPattern": cis45, "logGroupName": "cloudtrail/main", "hasSNSSubscriber": true,
				"metricTransformations": transform("CloudTrailChanges", map[string]any{
					"alarmName": "cis-4.5", "alarmArn": "arn:aws:cloudwatch:eu-west-1:" + acct + ":alarm:cis-4.5",
					"actionsEnabled": true, "alarmActions": []any{alerts}, "hasSNSSubscriber": true,
					"snsTopics": []any{map[string]any{"topicArn": alerts, "confirmedSubscriptions": 1.0}}})},
			map[string]any{"filterName": "root-usage", "filterPattern": `{ $.userIdentity.type = "Root" }`, "logGroupName": "cloudtrail/main",
				"hasSNSSubscriber": false, // the alarm's actions are disabled
				"metricTransformations": transform("RootUsage", map[string]any{
					"alarmName": "root-usage", "alarmArn": "arn:aws:cloudwatch:eu-west-1:" + acct + ":alarm:root-usage",
					"actionsEnabled": false, "alarmActions": []any{alerts}, "hasSNSSubscriber": false,
					"snsTopics": []any{map[string]any{"topicArn": alerts, "confirmedSubscriptions": 1.0}}})},
			map[string]any{"filterName": "console-no-mfa", "filterPattern": `{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" }`,
				"logGroupName": "cloudtrail/main", "hasSNSSubscriber": false, "metricTransformations": transform("NoMFA")},
		},
	}
	if diff := cmp.Diff(want, e.Attrs); diff != "" {
		t.Errorf("main trail (-want +got):\n%s", diff)
	}
	wantAPI := []string{"cloudtrail:DescribeTrails", "cloudtrail:GetEventSelectors", "cloudtrail:GetTrailStatus", "cloudtrail:ListTags",
		"cloudwatch:DescribeAlarmsForMetric", "logs:DescribeMetricFilters", "s3:GetBucketLogging", "sns:ListSubscriptionsByTopic"}
	if diff := cmp.Diff(wantAPI, e.Origin.API); diff != "" {
		t.Errorf("origin (-want +got):\n%s", diff)
	}
}

// TestScenarioRegionalTrailAlarms pins the namespace join and the
// subscription states on the regional trail's CIS 4.5 filter.
func TestScenarioRegionalTrailAlarms(t *testing.T) {
	inv, _ := collect(t, scenarioWorld(), Options{Regions: scannedRegions})
	f := byName(inv)["regional"].Attrs["metricFilters"].([]any)[0].(map[string]any)
	mt := f["metricTransformations"].([]any)[0].(map[string]any)
	alarms := mt["alarms"].([]any)
	if len(alarms) != 1 || alarms[0].(map[string]any)["alarmName"] != "pending-only" {
		t.Fatalf("alarms = %v, want only the alarm in the filter's namespace", alarms)
	}
	want := []any{
		map[string]any{"topicArn": topicARN("eu-west-1", "pending"), "confirmedSubscriptions": 0.0},
		map[string]any{"topicArn": topicARN("eu-west-1", "empty"), "confirmedSubscriptions": 0.0},
	}
	if diff := cmp.Diff(want, alarms[0].(map[string]any)["snsTopics"]); diff != "" {
		t.Errorf("topics (-want +got):\n%s", diff)
	}
	if f["hasSNSSubscriber"] != false {
		t.Errorf("hasSNSSubscriber = %v, want false", f["hasSNSSubscriber"])
	}
}

// TestScenarioCalls counts every call: one DescribeTrails per region (one
// more for the 500), status and selectors once per trail in its home region,
// tags in batches, one DescribeMetricFilters per page of each log group this
// account owns (the shared one once, the decoy and the other account's
// never), one DescribeAlarmsForMetric per metric, one
// ListSubscriptionsByTopic per page of each topic; plus the retried
// throttles. No log group is enumerated. IAM, which is global, is read once
// in the configuration's region, with no per-user call: the authorisation
// details in pages of two (11 items), the virtual MFA devices and the two
// server certificates in one.
func TestScenarioCalls(t *testing.T) {
	_, srv := collect(t, scenarioWorld(), Options{Regions: scannedRegions})
	want := map[string]int{
		"sts:GetCallerIdentity@us-east-1":     1,
		"cloudtrail:DescribeTrails@us-east-1": 1, "cloudtrail:DescribeTrails@eu-west-1": 2, "cloudtrail:DescribeTrails@ap-southeast-2": 1,
		"cloudtrail:GetTrailStatus@us-east-1": 3 + 2, "cloudtrail:GetTrailStatus@eu-west-1": 1, "cloudtrail:GetTrailStatus@ap-southeast-2": 3,
		"cloudtrail:GetEventSelectors@us-east-1": 3, "cloudtrail:GetEventSelectors@eu-west-1": 1, "cloudtrail:GetEventSelectors@ap-southeast-2": 3,
		"cloudtrail:ListTags@us-east-1": 1, "cloudtrail:ListTags@eu-west-1": 1, "cloudtrail:ListTags@ap-southeast-2": 2,
		"logs:DescribeMetricFilters@eu-west-1":         2 + 1 + 1,
		"cloudwatch:DescribeAlarmsForMetric@eu-west-1": 4 + 1,
		"sns:ListSubscriptionsByTopic@eu-west-1":       2 + 1 + 1 + 1,
		"iam:GetAccountPasswordPolicy@us-east-1":       1, "iam:GetAccountSummary@us-east-1": 1,
		"iam:GenerateCredentialReport@us-east-1": 1, "iam:GetCredentialReport@us-east-1": 1,
		"iam:ListVirtualMFADevices@us-east-1": 1, "iam:GetAccountAuthorizationDetails@us-east-1": 6,
		"iam:ListServerCertificates@us-east-1": 1,
		"s3:ListAllMyBuckets@us-east-1":        2, "s3:GetBucketLocation@us-east-1": 1,
		"s3:GetAccountPublicAccessBlock@us-east-1": 1,
	}
	withRegionCalls(want, scannedRegions...)
	for call, n := range dataCalls {
		want[call] = n
	}
	// One bucket in us-east-1 and eu-west-1, two in ap-southeast-2; the
	// trails' buckets' logging is read once with their own.
	for _, read := range bucketReads {
		for region, n := range map[string]int{"us-east-1": 1, "eu-west-1": 1, "ap-southeast-2": 2} {
			want[read.action+"@"+region] = n
		}
	}
	if diff := cmp.Diff(want, srv.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// dataCalls are the calls that collect the scenario's databases, file
// systems, volumes and keys: one listing per page in each region (pages of
// two), one kms:DescribeKey per key, and kms:GetKeyRotationStatus only for
// the customer-managed symmetric keys (three in us-east-1, one in
// eu-west-1; not the AWS-managed nor the asymmetric one).
var dataCalls = map[string]int{
	"rds:DescribeDBInstances@us-east-1": 1, "rds:DescribeDBInstances@eu-west-1": 1, "rds:DescribeDBInstances@ap-southeast-2": 1,
	"elasticfilesystem:DescribeFileSystems@us-east-1": 1, "elasticfilesystem:DescribeFileSystems@eu-west-1": 1,
	"elasticfilesystem:DescribeFileSystems@ap-southeast-2": 1,
	"ec2:DescribeVolumes@us-east-1":                        1, "ec2:DescribeVolumes@eu-west-1": 1, "ec2:DescribeVolumes@ap-southeast-2": 1,
	"ec2:DescribeInstances@us-east-1": 1, "ec2:DescribeInstances@eu-west-1": 1, "ec2:DescribeInstances@ap-southeast-2": 1,
	"kms:ListKeys@us-east-1": 3, "kms:ListKeys@eu-west-1": 1, "kms:ListKeys@ap-southeast-2": 1,
	"kms:DescribeKey@us-east-1": 5, "kms:DescribeKey@eu-west-1": 1,
	"kms:GetKeyRotationStatus@us-east-1": 3, "kms:GetKeyRotationStatus@eu-west-1": 1,
}

// TestAllEnabledRegions lists the regions with ec2:DescribeRegions and
// skips the opt-in region that is not enabled.
func TestAllEnabledRegions(t *testing.T) {
	inv, srv := collect(t, scenarioWorld(), Options{})
	if diff := cmp.Diff([]string{"ap-southeast-2", "eu-west-1", "us-east-1"}, inv.Scopes[0].Regions); diff != "" {
		t.Errorf("regions (-want +got):\n%s", diff)
	}
	calls := srv.Calls()
	if calls["ec2:DescribeRegions@us-east-1"] != 1 || calls["cloudtrail:DescribeTrails@me-south-1"] != 0 {
		t.Errorf("calls: %v", calls)
	}
	if n := len(ofType(inv, TypeCloudTrail)); len(inv.Failures) != 0 || n != 7 {
		t.Errorf("%d trails, failures %v", n, inv.Failures)
	}
}

// TestFaults injects one fault at a time and checks that exactly the
// affected data is marked failed, with the call and error, and that the
// attribute holds an Unknown rather than a value that reads as absent.
func TestFaults(t *testing.T) {
	tests := []struct {
		name    string
		fault   awsfake.Fault
		regions []string
		// want lists the failures as "attr entity-name call region code".
		want []string
		// unknown lists "trail.attr" values that must be Unknown.
		unknown []string
		// noCalls lists actions that must not be called at all.
		noCalls []string
	}{
		{name: "access denied on DescribeMetricFilters",
			fault: awsfake.Fault{Action: "logs:DescribeMetricFilters", Code: "AccessDeniedException", Message: "User: arn:aws:iam::111111111111:user/vigil is not authorized"},
			want: []string{
				"hasSNSSubscriber regional logs:DescribeMetricFilters eu-west-1 AccessDeniedException",
				"metricFilters regional logs:DescribeMetricFilters eu-west-1 AccessDeniedException",
				"hasSNSSubscriber legacy logs:DescribeMetricFilters eu-west-1 AccessDeniedException",
				"metricFilters legacy logs:DescribeMetricFilters eu-west-1 AccessDeniedException",
				"hasSNSSubscriber main logs:DescribeMetricFilters eu-west-1 AccessDeniedException",
				"metricFilters main logs:DescribeMetricFilters eu-west-1 AccessDeniedException",
			},
			unknown: []string{"main.metricFilters", "main.hasSNSSubscriber", "regional.metricFilters"},
			// Nothing downstream of the denied call is read.
			noCalls: []string{"cloudwatch:DescribeAlarmsForMetric", "sns:ListSubscriptionsByTopic"}},
		{name: "disabled region named explicitly", regions: append([]string{"me-south-1"}, scannedRegions...),
			want: []string{" - cloudtrail:DescribeTrails me-south-1 UnrecognizedClientException"}},
		{name: "throttling past the retries",
			fault:   awsfake.Fault{Action: "cloudtrail:GetTrailStatus", Region: "eu-west-1", Code: "ThrottlingException", Message: "Rate exceeded"},
			want:    []string{"status regional cloudtrail:GetTrailStatus eu-west-1 ThrottlingException"},
			unknown: []string{"regional.status"}},
		{name: "access denied on one SNS topic",
			fault: awsfake.Fault{Action: "sns:ListSubscriptionsByTopic", Code: "AuthorizationError", Status: 403, Message: "not authorized"},
			want: []string{
				"hasSNSSubscriber regional sns:ListSubscriptionsByTopic eu-west-1 AuthorizationError",
				"metricFilters regional sns:ListSubscriptionsByTopic eu-west-1 AuthorizationError",
				"hasSNSSubscriber legacy sns:ListSubscriptionsByTopic eu-west-1 AuthorizationError",
				"metricFilters legacy sns:ListSubscriptionsByTopic eu-west-1 AuthorizationError",
				"hasSNSSubscriber main sns:ListSubscriptionsByTopic eu-west-1 AuthorizationError",
				"metricFilters main sns:ListSubscriptionsByTopic eu-west-1 AuthorizationError",
			},
			unknown: []string{"main.hasSNSSubscriber", "regional.hasSNSSubscriber"}},
		{name: "access denied on DescribeAlarmsForMetric",
			fault: awsfake.Fault{Action: "cloudwatch:DescribeAlarmsForMetric", Region: "eu-west-1", Code: "AccessDenied", Status: 403},
			want: []string{
				"hasSNSSubscriber regional cloudwatch:DescribeAlarmsForMetric eu-west-1 AccessDenied",
				"metricFilters regional cloudwatch:DescribeAlarmsForMetric eu-west-1 AccessDenied",
				"hasSNSSubscriber legacy cloudwatch:DescribeAlarmsForMetric eu-west-1 AccessDenied",
				"metricFilters legacy cloudwatch:DescribeAlarmsForMetric eu-west-1 AccessDenied",
				"hasSNSSubscriber main cloudwatch:DescribeAlarmsForMetric eu-west-1 AccessDenied",
				"metricFilters main cloudwatch:DescribeAlarmsForMetric eu-west-1 AccessDenied",
			},
			unknown: []string{"main.hasSNSSubscriber", "regional.hasSNSSubscriber"},
			noCalls: []string{"sns:ListSubscriptionsByTopic"}},
		{name: "CloudWatch 5xx past the retries",
			fault: awsfake.Fault{Action: "cloudwatch:DescribeAlarmsForMetric", Code: "InternalServiceError", Status: 500, Message: "boom"},
			want: []string{
				"hasSNSSubscriber regional cloudwatch:DescribeAlarmsForMetric eu-west-1 InternalServiceError",
				"metricFilters regional cloudwatch:DescribeAlarmsForMetric eu-west-1 InternalServiceError",
				"hasSNSSubscriber legacy cloudwatch:DescribeAlarmsForMetric eu-west-1 InternalServiceError",
				"metricFilters legacy cloudwatch:DescribeAlarmsForMetric eu-west-1 InternalServiceError",
				"hasSNSSubscriber main cloudwatch:DescribeAlarmsForMetric eu-west-1 InternalServiceError",
				"metricFilters main cloudwatch:DescribeAlarmsForMetric eu-west-1 InternalServiceError",
			},
			unknown: []string{"main.hasSNSSubscriber"}},
		{name: "access denied on GetEventSelectors",
			fault: awsfake.Fault{Action: "cloudtrail:GetEventSelectors", Region: "ap-southeast-2", Code: "AccessDeniedException"},
			unknown: []string{"adv-all.hasManagementEventsReadWrite", "adv-all.eventSelectors", "adv-all.advancedEventSelectors",
				"adv-all.hasS3ObjectWriteEvents", "adv-all.hasS3ObjectReadEvents"}},
		{name: "access denied on ListTags",
			fault: awsfake.Fault{Action: "cloudtrail:ListTags", Region: "us-east-1", Code: "AccessDeniedException"},
			want: []string{"tags legacy cloudtrail:ListTags us-east-1 AccessDeniedException",
				"tags main cloudtrail:ListTags us-east-1 AccessDeniedException"},
			unknown: []string{"main.tags"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := scenarioWorld()
			w.Faults = nil
			if tt.fault.Action != "" {
				w.Faults = []awsfake.Fault{tt.fault}
			}
			regions := tt.regions
			if regions == nil {
				regions = scannedRegions
			}
			inv, srv := collect(t, w, Options{Regions: regions, MaxAttempts: 3, Types: []string{TypeCloudTrail}})
			for _, action := range tt.noCalls {
				if n := srv.CallsByAction()[action]; n != 0 {
					t.Errorf("%s called %d times", action, n)
				}
			}
			names := map[string]string{}
			for _, e := range inv.Entities {
				names[e.ID] = e.Name
			}
			var got []string
			for _, f := range inv.Failures {
				if f.Type != "CloudTrail" || f.Scope != acct || f.Error == "" {
					t.Errorf("failure %+v", f)
				}
				attr, name := f.Attr, names[f.Entity]
				if attr == "" {
					attr = " -"
					name = ""
				}
				code, _, _ := strings.Cut(f.Error, ":")
				got = append(got, strings.TrimSpace(attr+" "+name)+" "+f.Call+" "+f.Region+" "+code)
			}
			if tt.want != nil {
				for i := range tt.want {
					tt.want[i] = strings.TrimSpace(tt.want[i])
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("failures (-want +got):\n%s", diff)
				}
			} else if len(got) == 0 {
				t.Errorf("no failure recorded")
			}
			trails := byName(inv)
			for _, u := range tt.unknown {
				name, attr, _ := strings.Cut(u, ".")
				if v := trails[name].Attrs[attr]; !entity.IsUnknown(v) {
					t.Errorf("%s = %v, want Unknown", u, v)
				}
			}
			if n := len(ofType(inv, TypeCloudTrail)); n != 7 {
				t.Errorf("%d trails, want all 7 still reported", n)
			}
		})
	}
}

// TestRetryExhaustionSaysHowManyAttempts keeps the attempt count in the
// failure so a user can tell throttling from a denial.
func TestRetryExhaustionSaysHowManyAttempts(t *testing.T) {
	w := scenarioWorld()
	w.Faults = []awsfake.Fault{{Action: "cloudtrail:GetTrailStatus", Region: "eu-west-1", Code: "ThrottlingException", Message: "Rate exceeded"}}
	inv, srv := collect(t, w, Options{Regions: scannedRegions, MaxAttempts: 4})
	if n := srv.Calls()["cloudtrail:GetTrailStatus@eu-west-1"]; n != 4 {
		t.Errorf("%d attempts, want 4", n)
	}
	if len(inv.Failures) != 1 || !strings.Contains(inv.Failures[0].Error, "gave up after 4 attempts") {
		t.Errorf("failures = %v", inv.Failures)
	}
}

// TestCallTimeout bounds a call that never answers.
func TestCallTimeout(t *testing.T) {
	w := scenarioWorld()
	w.Faults = []awsfake.Fault{{Action: "logs:DescribeMetricFilters", Delay: time.Minute}}
	start := time.Now()
	inv, _ := collect(t, w, Options{Regions: scannedRegions, MaxAttempts: 1, CallTimeout: 2 * time.Second})
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("took %v", el)
	}
	var timedOut int
	for _, f := range inv.Failures {
		if f.Call == "logs:DescribeMetricFilters" && strings.Contains(f.Error, "deadline") {
			timedOut++
		}
	}
	if timedOut == 0 {
		t.Errorf("no timeout failure in %v", inv.Failures)
	}
}

// TestCrossAccountTopicIsUnknown does not claim a subscriber, or its
// absence, for a topic in another account, and does not call for it.
func TestCrossAccountTopicIsUnknown(t *testing.T) {
	w := scenarioWorld()
	w.Faults = nil
	other := "arn:aws:sns:eu-west-1:222222222222:central-alerts"
	w.Alarms[0].Actions = []string{other}
	inv, srv := collect(t, w, Options{Regions: scannedRegions})
	f := byName(inv)["main"].Attrs["metricFilters"].([]any)[0].(map[string]any)
	if !entity.IsUnknown(f["hasSNSSubscriber"]) || !entity.IsUnknown(byName(inv)["main"].Attrs["hasSNSSubscriber"]) {
		t.Errorf("hasSNSSubscriber = %v, want Unknown", f["hasSNSSubscriber"])
	}
	if len(inv.Failures) != 0 {
		t.Errorf("failures %v", inv.Failures)
	}
	_ = srv
}

// TestUnidentifiedAccountFails stops when sts:GetCallerIdentity fails:
// nothing can be scoped without the account.
func TestUnidentifiedAccountFails(t *testing.T) {
	w := scenarioWorld()
	w.Faults = []awsfake.Fault{{Action: "sts:GetCallerIdentity", Code: "InvalidClientTokenId", Status: 403, Message: "bad token"}}
	srv := awsfake.NewServer(w)
	defer srv.Close()
	isolateFromHost(t)
	_, err := Collect(context.Background(), Options{Endpoint: srv.URL, MaxBackoff: time.Millisecond,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDBAD", "bad-secret", "")})
	var cerr *callError
	if err == nil || !errors.As(err, &cerr) || cerr.Call != "sts:GetCallerIdentity" {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "bad-secret") {
		t.Errorf("error leaks the secret: %v", err)
	}
}

// TestAssumeRole reads the account of the assumed role.
func TestAssumeRole(t *testing.T) {
	w := scenarioWorld()
	w.Faults = nil
	role := "arn:aws:iam::" + acct + ":role/VigilAudit"
	w.Account = "333333333333" // the caller's own account
	w.Keys = map[string]string{}
	w.Roles = map[string]string{role: "ext-42"}
	inv, srv := collect(t, w, Options{Regions: scannedRegions, RoleARN: role, ExternalID: "ext-42"})
	if n := len(ofType(inv, TypeCloudTrail)); inv.Scopes[0].ID != acct || n != 7 {
		t.Errorf("scope %v, %d trails", inv.Scopes, n)
	}
	if srv.CallsByAction()["sts:AssumeRole"] != 1 {
		t.Errorf("calls %v", srv.Calls())
	}

	srv2 := awsfake.NewServer(w)
	defer srv2.Close()
	_, err := Collect(context.Background(), Options{Endpoint: srv2.URL, Regions: scannedRegions, RoleARN: role, ExternalID: "wrong",
		MaxBackoff: time.Millisecond, Credentials: credentials.NewStaticCredentialsProvider("AKIDX", "s", "")})
	if err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("wrong external id: err = %v", err)
	}
}

// TestRegionsUnlistable stops when the regions were not named and
// ec2:DescribeRegions is denied, and says how to go on.
func TestRegionsUnlistable(t *testing.T) {
	w := scenarioWorld()
	w.Faults = []awsfake.Fault{{Action: "ec2:DescribeRegions", Code: "UnauthorizedOperation", Status: 403, Message: "not authorized"}}
	srv := awsfake.NewServer(w)
	defer srv.Close()
	isolateFromHost(t)
	_, err := Collect(context.Background(), Options{Endpoint: srv.URL, MaxBackoff: time.Millisecond,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDX", "s", "")})
	if err == nil || !strings.Contains(err.Error(), "pass --region") || !strings.Contains(err.Error(), "ec2:DescribeRegions in us-east-1: UnauthorizedOperation") {
		t.Errorf("err = %v", err)
	}
}

// TestInterruptedCollectionFails returns no inventory when the context is
// cancelled: a half-read account must not look like a collected one.
func TestInterruptedCollectionFails(t *testing.T) {
	w := scenarioWorld()
	w.Faults = []awsfake.Fault{{Action: "logs:DescribeMetricFilters", Delay: time.Minute}}
	srv := awsfake.NewServer(w)
	defer srv.Close()
	isolateFromHost(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Interrupt once the trails are listed; the metric filters stall.
	progress := func(done, inFlight int) {
		if done == 1+len(scannedRegions) {
			cancel()
		}
	}
	inv, err := Collect(ctx, Options{Endpoint: srv.URL, Regions: scannedRegions, MaxBackoff: time.Millisecond,
		Progress: progress, Credentials: credentials.NewStaticCredentialsProvider("AKIDX", "s", "")})
	if inv != nil || err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("inventory %v, err %v", inv != nil, err)
	}
}

// TestDimensionedMetricIsUnknown does not list alarms for a metric with
// dimensions (DescribeAlarmsForMetric needs their values) and says so,
// rather than claiming the filter has no alarm.
func TestDimensionedMetricIsUnknown(t *testing.T) {
	w := scenarioWorld()
	w.Faults = nil
	w.LogGroups[0].Filters[0].Transformations[0].Dimensions = map[string]string{"EventName": "$.eventName"}
	inv, srv := collect(t, w, Options{Regions: scannedRegions})
	f := byName(inv)["main"].Attrs["metricFilters"].([]any)[0].(map[string]any)
	mt := f["metricTransformations"].([]any)[0].(map[string]any)
	if !entity.IsUnknown(mt["alarms"]) || !entity.IsUnknown(f["hasSNSSubscriber"]) {
		t.Errorf("alarms = %v, hasSNSSubscriber = %v, want Unknown", mt["alarms"], f["hasSNSSubscriber"])
	}
	if diff := cmp.Diff(map[string]any{"EventName": "$.eventName"}, mt["dimensions"]); diff != "" {
		t.Errorf("dimensions (-want +got):\n%s", diff)
	}
	if n := srv.Calls()["cloudwatch:DescribeAlarmsForMetric@eu-west-1"]; n != 3 {
		t.Errorf("%d DescribeAlarmsForMetric calls, want 3 (not for the dimensioned metric)", n)
	}
}

// TestNoRegionsListedIsAFailure: an ec2:DescribeRegions answer that is
// well-formed but lists no enabled region leaves every region unread; the
// inventory records that as a failure to list the trails and the regions
// of the account, which the engine turns into ERROR for every rule on
// them, never a FAIL for an account without trails.
func TestNoRegionsListedIsAFailure(t *testing.T) {
	w := scenarioWorld()
	w.NoRegionsListed = true
	inv, srv := collect(t, w, Options{})
	why := "the answer lists no enabled region, so no region was read (pass --region to name them)"
	want := []entity.Failure{{Type: "CloudTrail", Scope: acct, Region: "us-east-1", Call: "ec2:DescribeRegions", Error: why},
		{Type: "Region", Scope: acct, Region: "us-east-1", Call: "ec2:DescribeRegions", Error: why},
		{Type: "Volume", Scope: acct, Region: "us-east-1", Call: "ec2:DescribeRegions", Error: why},
		{Type: "Instance", Scope: acct, Region: "us-east-1", Call: "ec2:DescribeRegions", Error: why},
		{Type: "EFS", Scope: acct, Region: "us-east-1", Call: "ec2:DescribeRegions", Error: why},
		{Type: "KMS", Scope: acct, Region: "us-east-1", Call: "ec2:DescribeRegions", Error: why},
		{Type: "RDS", Scope: acct, Region: "us-east-1", Call: "ec2:DescribeRegions", Error: why},
		{Type: "S3Bucket", Scope: acct, Region: "us-east-1", Call: "ec2:DescribeRegions", Error: why}}
	if diff := cmp.Diff(want, inv.Failures); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	if n := len(ofType(inv, TypeCloudTrail)); n != 0 || len(inv.Scopes) != 1 || len(inv.Scopes[0].Regions) != 0 {
		t.Errorf("trails %d, scopes %+v", n, inv.Scopes)
	}
	if n := srv.CallsByAction()["cloudtrail:DescribeTrails"]; n != 0 {
		t.Errorf("%d DescribeTrails calls", n)
	}
}

// TestSDKLogsStayOffStderr: the SDK's default logger writes its warnings
// (here about an answer's malformed Date header, which a hostile endpoint
// chooses) raw to stderr. The collector's configuration drops them, and
// the call's outcome is what vigil reports.
func TestSDKLogsStayOffStderr(t *testing.T) {
	w := scenarioWorld()
	w.Faults = []awsfake.Fault{{Action: "cloudtrail:DescribeTrails", Date: "ALL CHECKS PASSED \u202e"},
		{Action: "logs:DescribeMetricFilters", Date: "not a date"}}
	r, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = pw
	captured := make(chan []byte)
	go func() {
		data, _ := io.ReadAll(r)
		captured <- data
	}()
	inv, _ := collect(t, w, Options{Regions: scannedRegions})
	os.Stderr = stderr
	pw.Close()
	if out := <-captured; len(out) > 0 {
		t.Errorf("stderr during collection: %q", out)
	}
	if n := len(ofType(inv, TypeCloudTrail)); len(inv.Failures) != 0 || n != 7 {
		t.Errorf("%d trails, failures %v", n, inv.Failures)
	}
}
