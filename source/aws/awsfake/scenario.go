package awsfake

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ctypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// Accounts of the scenarios: the scanned account and the organisation's
// management account, which owns the organisation trail and its log group.
const (
	acct = ScenarioAccount
	mgmt = ScenarioManagementAccount
)

// The accounts of Scenario.
const (
	ScenarioAccount           = "111111111111"
	ScenarioManagementAccount = "999999999999"
)

// CIS45Pattern is the CIS 4.5 (MON.05) filter pattern, as AWS documents it.
const CIS45Pattern = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"

// ScenarioNow is the time Scenario is set at.
var ScenarioNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// TopicARN names a topic of ScenarioAccount.
func TopicARN(region, name string) string {
	return "arn:aws:sns:" + region + ":" + acct + ":" + name
}

func mgmtEvents(rw ctypes.ReadWriteType, exclude ...string) []ctypes.EventSelector {
	return []ctypes.EventSelector{{ReadWriteType: rw, IncludeManagementEvents: aws.Bool(true), ExcludeManagementEventSources: exclude}}
}

func field(name string, equals ...string) ctypes.AdvancedFieldSelector {
	return ctypes.AdvancedFieldSelector{Field: aws.String(name), Equals: equals}
}

// Scenario is the account that the "Must show" scenarios share:
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
//     kms.amazonaws.com excluded;
//   - IAM Access Analyzer: an active account analyzer and a disabled
//     organisation one in us-east-1, a disabled one in eu-west-1, none in
//     ap-southeast-2;
//   - AWS Config: us-east-1 records everything, global types included, and
//     is recording; eu-west-1's recorder is stopped; ap-southeast-2 has
//     none (of the scanned account);
//   - EBS encryption by default in eu-west-1 only;
//   - VPCs: in us-east-1 the default one with an active flow log of
//     rejected traffic and one whose only flow log is a subnet's; in
//     eu-west-1 one with an active flow log of all traffic; none in
//     ap-southeast-2;
//   - IAM as ScenarioIAM describes it;
//   - the databases, file systems, volumes, instances and keys of
//     scenario_data.go;
//   - S3 buckets as ScenarioBuckets describes them, and Block Public
//     Access for the account that refuses new public ACLs and policies
//     but leaves the present ones in force.
func Scenario() World {
	mainLG := LogGroup{Account: acct, Region: "eu-west-1", Name: "cloudtrail/main", Filters: []MetricFilter{
		{Name: "cis-4.5", Pattern: CIS45Pattern, Transformations: []Transformation{{MetricName: "CloudTrailChanges", Namespace: "CISBenchmark", Value: "1"}}},
		{Name: "root-usage", Pattern: `{ $.userIdentity.type = "Root" }`, Transformations: []Transformation{{MetricName: "RootUsage", Namespace: "CISBenchmark", Value: "1"}}},
		{Name: "console-no-mfa", Pattern: `{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" }`, Transformations: []Transformation{{MetricName: "NoMFA", Namespace: "CISBenchmark", Value: "1"}}},
	}}
	decoyLG := LogGroup{Account: acct, Region: "us-east-1", Name: "cloudtrail/main", Filters: []MetricFilter{
		{Name: "decoy", Pattern: CIS45Pattern, Transformations: []Transformation{{MetricName: "Decoy", Namespace: "CISBenchmark", Value: "1"}}},
	}}
	regionalLG := LogGroup{Account: acct, Region: "eu-west-1", Name: "cloudtrail/regional", Filters: []MetricFilter{
		{Name: "cis-4.5", Pattern: CIS45Pattern, Transformations: []Transformation{{MetricName: "TrailChanges", Namespace: "Security", Value: "1"}}},
	}}
	orgLG := LogGroup{Account: mgmt, Region: "us-east-1", Name: "org-trail", Filters: []MetricFilter{
		{Name: "cis-4.5", Pattern: CIS45Pattern, Transformations: []Transformation{{MetricName: "OrgTrailChanges", Namespace: "CISBenchmark", Value: "1"}}},
	}}
	delivered := ScenarioNow.Add(-2 * time.Hour)
	logging := TrailStatus{IsLogging: true, LatestCloudWatchLogsDeliveryTime: delivered, LatestDeliveryTime: delivered,
		StartLoggingTime: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	role := "arn:aws:iam::" + acct + ":role/CloudTrailToLogs"
	return World{
		Account:      acct,
		Organization: []string{acct, mgmt},
		Regions: []Region{{Name: "us-east-1"}, {Name: "eu-west-1"}, {Name: "ap-southeast-2"},
			{Name: "me-south-1", OptIn: "not-opted-in"}},
		Trails: []Trail{
			{Name: "org-trail", Account: mgmt, HomeRegion: "us-east-1", MultiRegion: true, Organization: true,
				LogGroupARN: orgLG.ARN(), RoleARN: "arn:aws:iam::" + mgmt + ":role/OrgTrail", S3Bucket: "org-trail-logs",
				IncludeGlobal: true, LogFileValidation: true, Status: logging, EventSelectors: mgmtEvents(ctypes.ReadWriteTypeAll)},
			{Name: "main", Account: acct, HomeRegion: "us-east-1", MultiRegion: true, LogGroupARN: mainLG.ARN(), RoleARN: role,
				S3Bucket: "main-trail-logs", KMSKeyID: "arn:aws:kms:us-east-1:" + acct + ":key/1234", IncludeGlobal: true, LogFileValidation: true,
				Status: logging, EventSelectors: mgmtEvents(ctypes.ReadWriteTypeAll), Tags: map[string]string{"team": "security"}},
			{Name: "legacy", Account: acct, HomeRegion: "us-east-1", LogGroupARN: mainLG.ARN(), S3Bucket: "legacy",
				Status: TrailStatus{IsLogging: false}, EventSelectors: mgmtEvents(ctypes.ReadWriteTypeAll, "kms.amazonaws.com")},
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
		LogGroups: []LogGroup{mainLG, decoyLG, regionalLG, orgLG},
		Alarms: []Alarm{
			{Account: acct, Region: "eu-west-1", Name: "cis-4.5", MetricName: "CloudTrailChanges", Namespace: "CISBenchmark",
				ActionsEnabled: true, Actions: []string{TopicARN("eu-west-1", "security-alerts")}},
			{Account: acct, Region: "eu-west-1", Name: "root-usage", MetricName: "RootUsage", Namespace: "CISBenchmark",
				ActionsEnabled: false, Actions: []string{TopicARN("eu-west-1", "security-alerts")}},
			{Account: acct, Region: "eu-west-1", Name: "wrong-namespace", MetricName: "TrailChanges", Namespace: "CISBenchmark",
				ActionsEnabled: true, Actions: []string{TopicARN("eu-west-1", "security-alerts")}},
			{Account: acct, Region: "eu-west-1", Name: "pending-only", MetricName: "TrailChanges", Namespace: "Security",
				ActionsEnabled: true, Actions: []string{TopicARN("eu-west-1", "pending"), TopicARN("eu-west-1", "empty"),
					"arn:aws:autoscaling:eu-west-1:" + acct + ":scalingPolicy:x"}},
			{Account: acct, Region: "us-east-1", Name: "decoy", MetricName: "Decoy", Namespace: "CISBenchmark",
				ActionsEnabled: true, Actions: []string{TopicARN("us-east-1", "decoy")}},
		},
		Topics: []Topic{
			{ARN: TopicARN("eu-west-1", "security-alerts"), Subscriptions: []string{"PendingConfirmation", "PendingConfirmation",
				TopicARN("eu-west-1", "security-alerts") + ":0d6f"}},
			{ARN: TopicARN("eu-west-1", "pending"), Subscriptions: []string{"PendingConfirmation"}},
			{ARN: TopicARN("eu-west-1", "empty")},
			{ARN: TopicARN("us-east-1", "decoy"), Subscriptions: []string{TopicARN("us-east-1", "decoy") + ":1"}},
		},
		Analyzers: []Analyzer{
			{Account: acct, Region: "us-east-1", Name: "account"},
			{Account: acct, Region: "us-east-1", Name: "org", Type: "ORGANIZATION", Status: "DISABLED"},
			{Account: acct, Region: "eu-west-1", Name: "old", Status: "DISABLED"},
			{Account: mgmt, Region: "ap-southeast-2", Name: "management-account-only"},
		},
		Recorders: []Recorder{
			{Account: acct, Region: "us-east-1", Name: "default", AllSupported: true, IncludeGlobal: true, Recording: true, LastStatus: "SUCCESS"},
			{Account: acct, Region: "eu-west-1", Name: "default", AllSupported: true, LastStatus: "SUCCESS"},
			{Account: mgmt, Region: "ap-southeast-2", Name: "management-account-only", AllSupported: true, Recording: true, LastStatus: "SUCCESS"},
		},
		EBSDefaults: []EBSDefault{{acct, "eu-west-1"}, {mgmt, "us-east-1"}},
		VPCs: []VPC{
			{Account: acct, Region: "us-east-1", ID: "vpc-0a1", CIDR: "172.31.0.0/16", Default: true},
			{Account: acct, Region: "us-east-1", ID: "vpc-0b2", CIDR: "10.0.0.0/16"},
			{Account: acct, Region: "eu-west-1", ID: "vpc-0c3", CIDR: "10.1.0.0/16"},
		},
		FlowLogs: []FlowLog{
			{Account: acct, Region: "us-east-1", ID: "fl-1", ResourceID: "vpc-0a1", TrafficType: "REJECT"},
			// A subnet's flow log does not cover its VPC.
			{Account: acct, Region: "us-east-1", ID: "fl-2", ResourceID: "subnet-0b2a"},
			{Account: acct, Region: "eu-west-1", ID: "fl-3", ResourceID: "vpc-0c3"},
		},
		DBInstances: ScenarioDBInstances(),
		FileSystems: ScenarioFileSystems(),
		Volumes:     ScenarioVolumes(),
		Instances:   ScenarioInstances(),
		KMSKeys:     ScenarioKeys(),
		IAM:         ScenarioIAM(),
		Buckets:     ScenarioBuckets(),
		// New public ACLs and policies are refused, the present ones
		// still count.
		AccountPublicAccessBlocks: map[string]PublicAccessBlock{acct: {BlockPublicAcls: true, BlockPublicPolicy: true}},
		Faults: []Fault{
			// Throttling that succeeds on retry, on every service.
			{Action: "cloudtrail:GetTrailStatus", Region: "us-east-1", Code: "ThrottlingException", Times: 2},
			{Action: "logs:DescribeMetricFilters", Code: "ThrottlingException", Times: 1},
			{Action: "cloudwatch:DescribeAlarmsForMetric", Code: "Throttling", Times: 1},
			{Action: "sns:ListSubscriptionsByTopic", Code: "Throttling", Times: 1},
			{Action: "cloudtrail:DescribeTrails", Region: "eu-west-1", Code: "InternalFailure", Status: 500, Times: 1},
		},
	}
}

// Policy documents of ScenarioIAM.
const (
	AdminPolicyDocument       = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	AdminListPolicyDocument   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["*:*"],"Resource":["*"]}}`
	ConditionalAdminDocument  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
	ReadBucketsPolicyDocument = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`
	SupportTrustPolicy        = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"support.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
)

// ScenarioIAM is the IAM of Scenario:
//
//   - a strong password policy; the root user with a hardware MFA device
//     and no access key; a credential report generated an hour before
//     ScenarioNow, ready at once;
//   - alice: a console password used two days ago, a virtual MFA device,
//     one key used yesterday, in the group admins (AdministratorAccess
//     and an inline policy);
//   - bob: a password never used, no MFA, two active keys: one rotated
//     400 days ago and never used, one in use;
//   - ci: no password, one inactive key, the customer-managed admin policy
//     attached and an inline policy;
//   - carol: a password, a hardware MFA device;
//   - customer-managed policies: admin (Allow * on *, attached to ci),
//     admin-list (*:* in lists, one statement as an object, attached to no
//     one), conditional-admin (with a Condition), read-buckets (attached
//     to the group and a role);
//   - roles: support (trusted by AWS Support, AWSSupportAccess attached)
//     and app (read-buckets, an inline policy);
//   - server certificates: legacy-www, expired 30 days before ScenarioNow,
//     and api, under /cloudfront/, valid for 300 more days.
func ScenarioIAM() IAM {
	days := func(n int) time.Time { return ScenarioNow.AddDate(0, 0, -n) }
	policy := func(name string) string { return "arn:aws:iam::" + acct + ":policy/" + name }
	return IAM{
		PasswordPolicy: &PasswordPolicy{MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true,
			RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true,
			MaxPasswordAge: 90, PasswordReusePrevention: 24},
		Summary:         scenarioSummary,
		Root:            User{Created: days(2000), MFA: "hardware", PasswordLastUsed: days(300)},
		ReportGenerated: ScenarioNow.Add(-time.Hour),
		Users: []User{
			{Name: "alice", Created: days(800), Password: true, PasswordLastUsed: days(2), MFA: "virtual",
				Keys:   []AccessKey{{Active: true, LastRotated: days(30), LastUsed: days(1), Region: "eu-west-1", Service: "s3"}},
				Groups: []string{"admins"}},
			{Name: "bob", Created: days(500), Password: true,
				Keys: []AccessKey{{Active: true, LastRotated: days(400)},
					{Active: true, LastRotated: days(10), LastUsed: days(3), Region: "us-east-1", Service: "ec2"}}},
			{Name: "ci", Created: days(300), Keys: []AccessKey{{Active: false, LastRotated: days(200), LastUsed: days(150),
				Region: "us-east-1", Service: "sts"}},
				ManagedPolicies: []string{policy("admin")}, InlinePolicies: map[string]string{"deploy": ReadBucketsPolicyDocument}},
			{Name: "carol", Created: days(100), Password: true, PasswordLastUsed: days(5), MFA: "hardware"},
		},
		Groups: []Group{{Name: "admins", ManagedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess", policy("read-buckets")},
			InlinePolicies: map[string]string{"billing": ReadBucketsPolicyDocument}}},
		Policies: []Policy{{Name: "admin", Document: AdminPolicyDocument}, {Name: "admin-list", Document: AdminListPolicyDocument},
			{Name: "conditional-admin", Document: ConditionalAdminDocument}, {Name: "read-buckets", Document: ReadBucketsPolicyDocument}},
		ServerCertificates: []ServerCertificate{
			{Name: "legacy-www", Uploaded: days(400), NotAfter: days(30)},
			{Name: "api", Path: "/cloudfront/", Uploaded: days(65), NotAfter: days(-300)},
		},
		Roles: []Role{
			{Name: "support", TrustPolicy: SupportTrustPolicy, ManagedPolicies: []string{"arn:aws:iam::aws:policy/AWSSupportAccess"}},
			{Name: "app", TrustPolicy: SupportTrustPolicy, ManagedPolicies: []string{policy("read-buckets")},
				InlinePolicies: map[string]string{"logs": ReadBucketsPolicyDocument}},
		},
	}
}

// scenarioSummary is the SummaryMap of ScenarioIAM, every key AWS answers
// with.
var scenarioSummary = map[string]int{
	"Users": 4, "UsersQuota": 5000, "Groups": 1, "GroupsQuota": 300, "ServerCertificates": 2,
	"ServerCertificatesQuota": 20, "UserPolicySizeQuota": 2048, "GroupPolicySizeQuota": 5120, "GroupsPerUserQuota": 10,
	"SigningCertificatesPerUserQuota": 2, "AccessKeysPerUserQuota": 2, "MFADevices": 3, "MFADevicesInUse": 3,
	"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0, "AccountPasswordPresent": 1,
	"AccountSigningCertificatesPresent": 0, "AttachedPoliciesPerGroupQuota": 10, "AttachedPoliciesPerRoleQuota": 10,
	"AttachedPoliciesPerUserQuota": 10, "Policies": 4, "PoliciesQuota": 1500, "PolicySizeQuota": 6144,
	"PolicyVersionsInUse": 7, "PolicyVersionsInUseQuota": 10000, "VersionsPerPolicyQuota": 5,
	"GlobalEndpointTokenVersion": 1, "AssumeRolePolicySizeQuota": 2048, "InstanceProfiles": 0,
	"InstanceProfilesQuota": 1000, "Providers": 0, "RolePolicySizeQuota": 10240, "Roles": 2, "RolesQuota": 1000,
}
