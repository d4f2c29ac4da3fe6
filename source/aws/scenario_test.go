package aws

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ctypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

// Accounts of the scenarios: the scanned account and the organisation's
// management account, which owns the organisation trail and its log group.
const (
	acct = "111111111111"
	mgmt = "999999999999"
)

// The CIS 4.5 (MON.05) filter pattern, as AWS documents it.
const cis45 = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"

// now is the fixed time of the scenarios.
var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func topicARN(region, name string) string { return "arn:aws:sns:" + region + ":" + acct + ":" + name }

func mgmtEvents(rw ctypes.ReadWriteType, exclude ...string) []ctypes.EventSelector {
	return []ctypes.EventSelector{{ReadWriteType: rw, IncludeManagementEvents: aws.Bool(true), ExcludeManagementEventSources: exclude}}
}

func field(name string, equals ...string) ctypes.AdvancedFieldSelector {
	return ctypes.AdvancedFieldSelector{Field: aws.String(name), Equals: equals}
}

// scenarioWorld is the account that the "Must show" scenarios share:
//
//   - three enabled regions and one opt-in region that is not enabled;
//   - an organisation trail of the management account, multi-region, whose
//     log group is in the management account: seen as a shadow everywhere;
//   - "main", multi-region, homed in us-east-1, its log group in eu-west-1,
//     with the CIS 4.5 filter, an alarm in the right namespace and a topic
//     with one confirmed and two pending subscriptions; a log group of the
//     same name in us-east-1 has a decoy filter that must not be read;
//   - "legacy", in us-east-1, sharing main's log group, classic selectors
//     that exclude kms.amazonaws.com;
//   - "regional", single-region in eu-west-1, read-only management events,
//     its CIS 4.5 filter alarmed only in the wrong namespace (confirmed
//     topic) and in the right one with a pending-only and an empty topic;
//   - three trails in ap-southeast-2 with advanced selectors: write-only,
//     all management events, and the console's default selector name with
//     kms.amazonaws.com excluded.
func scenarioWorld() awsfake.World {
	mainLG := awsfake.LogGroup{Account: acct, Region: "eu-west-1", Name: "cloudtrail/main", Filters: []awsfake.MetricFilter{
		{Name: "cis-4.5", Pattern: cis45, Transformations: []awsfake.Transformation{{MetricName: "CloudTrailChanges", Namespace: "CISBenchmark", Value: "1"}}},
		{Name: "root-usage", Pattern: `{ $.userIdentity.type = "Root" }`, Transformations: []awsfake.Transformation{{MetricName: "RootUsage", Namespace: "CISBenchmark", Value: "1"}}},
		{Name: "console-no-mfa", Pattern: `{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" }`, Transformations: []awsfake.Transformation{{MetricName: "NoMFA", Namespace: "CISBenchmark", Value: "1"}}},
	}}
	decoyLG := awsfake.LogGroup{Account: acct, Region: "us-east-1", Name: "cloudtrail/main", Filters: []awsfake.MetricFilter{
		{Name: "decoy", Pattern: cis45, Transformations: []awsfake.Transformation{{MetricName: "Decoy", Namespace: "CISBenchmark", Value: "1"}}},
	}}
	regionalLG := awsfake.LogGroup{Account: acct, Region: "eu-west-1", Name: "cloudtrail/regional", Filters: []awsfake.MetricFilter{
		{Name: "cis-4.5", Pattern: cis45, Transformations: []awsfake.Transformation{{MetricName: "TrailChanges", Namespace: "Security", Value: "1"}}},
	}}
	orgLG := awsfake.LogGroup{Account: mgmt, Region: "us-east-1", Name: "org-trail", Filters: []awsfake.MetricFilter{
		{Name: "cis-4.5", Pattern: cis45, Transformations: []awsfake.Transformation{{MetricName: "OrgTrailChanges", Namespace: "CISBenchmark", Value: "1"}}},
	}}
	delivered := now.Add(-2 * time.Hour)
	logging := awsfake.TrailStatus{IsLogging: true, LatestCloudWatchLogsDeliveryTime: delivered, LatestDeliveryTime: delivered,
		StartLoggingTime: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	role := "arn:aws:iam::" + acct + ":role/CloudTrailToLogs"
	return awsfake.World{
		Account:      acct,
		Organization: []string{acct, mgmt},
		Regions: []awsfake.Region{{Name: "us-east-1"}, {Name: "eu-west-1"}, {Name: "ap-southeast-2"},
			{Name: "me-south-1", OptIn: "not-opted-in"}},
		Trails: []awsfake.Trail{
			{Name: "org-trail", Account: mgmt, HomeRegion: "us-east-1", MultiRegion: true, Organization: true,
				LogGroupARN: orgLG.ARN(), RoleARN: "arn:aws:iam::" + mgmt + ":role/OrgTrail", S3Bucket: "org-trail-logs",
				IncludeGlobal: true, LogFileValidation: true, Status: logging, EventSelectors: mgmtEvents(ctypes.ReadWriteTypeAll)},
			{Name: "main", Account: acct, HomeRegion: "us-east-1", MultiRegion: true, LogGroupARN: mainLG.ARN(), RoleARN: role,
				S3Bucket: "main-trail-logs", KMSKeyID: "arn:aws:kms:us-east-1:" + acct + ":key/1234", IncludeGlobal: true, LogFileValidation: true,
				Status: logging, EventSelectors: mgmtEvents(ctypes.ReadWriteTypeAll), Tags: map[string]string{"team": "security"}},
			{Name: "legacy", Account: acct, HomeRegion: "us-east-1", LogGroupARN: mainLG.ARN(), S3Bucket: "legacy",
				Status: awsfake.TrailStatus{IsLogging: false}, EventSelectors: mgmtEvents(ctypes.ReadWriteTypeAll, "kms.amazonaws.com")},
			{Name: "regional", Account: acct, HomeRegion: "eu-west-1", LogGroupARN: regionalLG.ARN(), RoleARN: role, S3Bucket: "regional",
				Status: logging, EventSelectors: mgmtEvents(ctypes.ReadWriteTypeReadOnly)},
			{Name: "adv-write-only", Account: acct, HomeRegion: "ap-southeast-2", S3Bucket: "adv", Status: logging,
				AdvancedEventSelectors: []ctypes.AdvancedEventSelector{{Name: aws.String("Management events selector"),
					FieldSelectors: []ctypes.AdvancedFieldSelector{field("eventCategory", "Management"), field("readOnly", "false")}}},
				Tags: map[string]string{"env": "prod"}},
			{Name: "adv-all", Account: acct, HomeRegion: "ap-southeast-2", S3Bucket: "adv", Status: logging,
				AdvancedEventSelectors: []ctypes.AdvancedEventSelector{{Name: aws.String("everything"),
					FieldSelectors: []ctypes.AdvancedFieldSelector{field("eventCategory", "Management")}}}},
			{Name: "adv-no-kms", Account: acct, HomeRegion: "ap-southeast-2", S3Bucket: "adv", Status: logging,
				AdvancedEventSelectors: []ctypes.AdvancedEventSelector{{Name: aws.String("Management events selector"),
					FieldSelectors: []ctypes.AdvancedFieldSelector{field("eventCategory", "Management"),
						{Field: aws.String("eventSource"), NotEquals: []string{"kms.amazonaws.com"}}}}}},
		},
		LogGroups: []awsfake.LogGroup{mainLG, decoyLG, regionalLG, orgLG},
		Alarms: []awsfake.Alarm{
			{Account: acct, Region: "eu-west-1", Name: "cis-4.5", MetricName: "CloudTrailChanges", Namespace: "CISBenchmark",
				ActionsEnabled: true, Actions: []string{topicARN("eu-west-1", "security-alerts")}},
			{Account: acct, Region: "eu-west-1", Name: "root-usage", MetricName: "RootUsage", Namespace: "CISBenchmark",
				ActionsEnabled: false, Actions: []string{topicARN("eu-west-1", "security-alerts")}},
			{Account: acct, Region: "eu-west-1", Name: "wrong-namespace", MetricName: "TrailChanges", Namespace: "CISBenchmark",
				ActionsEnabled: true, Actions: []string{topicARN("eu-west-1", "security-alerts")}},
			{Account: acct, Region: "eu-west-1", Name: "pending-only", MetricName: "TrailChanges", Namespace: "Security",
				ActionsEnabled: true, Actions: []string{topicARN("eu-west-1", "pending"), topicARN("eu-west-1", "empty"),
					"arn:aws:autoscaling:eu-west-1:" + acct + ":scalingPolicy:x"}},
			{Account: acct, Region: "us-east-1", Name: "decoy", MetricName: "Decoy", Namespace: "CISBenchmark",
				ActionsEnabled: true, Actions: []string{topicARN("us-east-1", "decoy")}},
		},
		Topics: []awsfake.Topic{
			{ARN: topicARN("eu-west-1", "security-alerts"), Subscriptions: []string{"PendingConfirmation", "PendingConfirmation",
				topicARN("eu-west-1", "security-alerts") + ":0d6f"}},
			{ARN: topicARN("eu-west-1", "pending"), Subscriptions: []string{"PendingConfirmation"}},
			{ARN: topicARN("eu-west-1", "empty")},
			{ARN: topicARN("us-east-1", "decoy"), Subscriptions: []string{topicARN("us-east-1", "decoy") + ":1"}},
		},
		Faults: []awsfake.Fault{
			// Throttling that succeeds on retry, on every service.
			{Action: "cloudtrail:GetTrailStatus", Region: "us-east-1", Code: "ThrottlingException", Times: 2},
			{Action: "logs:DescribeMetricFilters", Code: "ThrottlingException", Times: 1},
			{Action: "cloudwatch:DescribeAlarmsForMetric", Code: "Throttling", Times: 1},
			{Action: "sns:ListSubscriptionsByTopic", Code: "Throttling", Times: 1},
			{Action: "cloudtrail:DescribeTrails", Region: "eu-west-1", Code: "InternalFailure", Status: 500, Times: 1},
		},
	}
}

// collect runs the collector against a fake serving w.
func collect(t testing.TB, w awsfake.World, opts Options) (*entity.Inventory, *awsfake.Server) {
	t.Helper()
	srv := awsfake.NewServer(w)
	t.Cleanup(srv.Close)
	isolateFromHost(t)
	opts.Endpoint = srv.URL
	if opts.Credentials == nil {
		opts.Credentials = credentials.NewStaticCredentialsProvider("AKIDSCANNED", "scanned-secret-key", "")
	}
	if opts.MaxBackoff == 0 {
		opts.MaxBackoff = time.Millisecond
	}
	opts.Now = func() time.Time { return now }
	inv, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return inv, srv
}

// isolateFromHost keeps the developer's AWS configuration out of tests.
func isolateFromHost(t testing.TB) {
	if tt, ok := t.(interface{ Setenv(string, string) }); ok {
		for k, v := range map[string]string{"AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent",
			"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_ENDPOINT_URL": "", "AWS_RETRY_MODE": "", "AWS_MAX_ATTEMPTS": ""} {
			tt.Setenv(k, v)
		}
	}
}

func byName(inv *entity.Inventory) map[string]*entity.Entity {
	out := map[string]*entity.Entity{}
	for _, e := range inv.Entities {
		out[e.Name] = e
	}
	return out
}
