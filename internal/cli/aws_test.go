package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/source/aws/awsfake"
	"vigil/source/snapshot"
)

const fakeSecret = "fake/Secret+Key/for/vigil/tests/0123456789"

// fakeAWS serves the shared scenario (without its retried throttles, which
// would make the SDK's default backoff slow) plus extra faults, and points
// the SDK's default chain at it through the environment.
func fakeAWS(t *testing.T, faults ...awsfake.Fault) *awsfake.Server {
	t.Helper()
	w := awsfake.Scenario()
	w.Faults = faults
	return fakeAWSWorld(t, w)
}

// fakeAWSWorld serves w to the vigil commands the test runs.
func fakeAWSWorld(t *testing.T, w awsfake.World) *awsfake.Server {
	t.Helper()
	srv := awsfake.NewServer(w)
	t.Cleanup(srv.Close)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": srv.URL, "AWS_ACCESS_KEY_ID": "AKIDCLITEST", "AWS_SECRET_ACCESS_KEY": fakeSecret,
		"AWS_SESSION_TOKEN": "", "AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_RETRY_MODE": "", "AWS_MAX_ATTEMPTS": "",
	} {
		t.Setenv(k, v)
	}
	return srv
}

var regionFlags = []string{"--region", "us-east-1", "--region", "eu-west-1", "--region", "ap-southeast-2"}

// TestCollectThenScanEqualsScanAWS: "vigil collect aws" then "vigil scan
// SNAPSHOT" gives the same findings as "vigil scan aws", ERRORs included.
func TestCollectThenScanEqualsScanAWS(t *testing.T) {
	fakeAWS(t, awsfake.Fault{Action: "cloudtrail:GetTrailStatus", Region: "eu-west-1", Code: "AccessDeniedException", Message: "denied"})
	snap := filepath.Join(t.TempDir(), "snapshot.json")
	code, stdout, stderr := run(t, "", append([]string{"collect", "aws", "-o", snap}, regionFlags...)...)
	if code != 0 || stdout != "" {
		t.Fatalf("collect: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "1 item(s) could not be collected") ||
		!strings.Contains(stderr, "cloudtrail:GetTrailStatus in eu-west-1: AccessDeniedException: denied") ||
		!strings.Contains(stderr, "wrote 7 CloudTrail, 2 EFS, 1 Iam, 4 IamPolicy, 2 IamRole, 2 IamServerCertificate, 5 IamUser, 2 Instance, 6 KMS, 2 RDS, 3 Region, 4 S3Bucket, 3 Volume of account 111111111111") {
		t.Errorf("collect stderr:\n%s", stderr)
	}
	data, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{fakeSecret, "AKIDCLITEST"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("snapshot holds the credential %q", secret)
		}
	}
	if _, err := snapshot.Parse(data); err != nil {
		t.Fatalf("snapshot does not load: %v", err)
	}

	// Every rule, the published ones among them.
	replayCode, replayed, _ := jsonFindings(t, "--ruleset", "all", snap)
	liveCode, live, liveErr := jsonFindings(t, append([]string{"--ruleset", "all", "aws"}, regionFlags...)...)
	if diff := cmp.Diff(replayed, live); diff != "" {
		t.Errorf("scan SNAPSHOT vs scan aws (-replayed +live):\n%s", diff)
	}
	if replayCode != liveCode || liveCode != ExitFailed {
		t.Errorf("exit codes: replay %d, live %d; stderr %s", replayCode, liveCode, liveErr)
	}
	want := map[string]bool{
		"D9.AWS.LOG.01 111111111111 main PASS":      true,
		"D9.AWS.LOG.01 111111111111 regional FAIL":  true,
		"D9.AWS.LOG.03 111111111111 regional ERROR": true, // its status could not be read
	}
	for _, f := range live {
		delete(want, f)
	}
	if len(want) > 0 {
		t.Errorf("missing findings %v in\n%s", want, strings.Join(live, "\n"))
	}
}

// TestCollectAWSToStdout writes the snapshot to standard output.
func TestCollectAWSToStdout(t *testing.T) {
	fakeAWS(t)
	code, stdout, stderr := run(t, "", "collect", "aws", "--region", "us-east-1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	inv, err := snapshot.Parse([]byte(stdout))
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Entities) != 3+1+4+2+2+5+1+1+1+2+5+4+2 || inv.Scopes[0].ID != awsfake.ScenarioAccount || !strings.HasPrefix(inv.Tool, "vigil ") {
		t.Errorf("%d entities, scopes %v, tool %q", len(inv.Entities), inv.Scopes, inv.Tool)
	}
}

func TestCollectAWSUsageErrors(t *testing.T) {
	fakeAWS(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"collect", "aws", "--all-regions", "--region", "us-east-1"}, "--all-regions and --region cannot be used together"},
		{[]string{"collect", "aws", "--external-id", "x"}, "--external-id needs --role-arn"},
		{[]string{"collect", "aws", "--max-attempts", "0"}, "--max-attempts must be at least 1"},
		{[]string{"collect", "aws", "extra"}, "unknown command"},
		{[]string{"collect", "aws", "--region", "US East"}, `--region "US East" is not an AWS region name`},
		{[]string{"collect"}, "collect needs a source"},
		{[]string{"scan", "aws", "--all-regions", "--region", "us-east-1"}, "--all-regions and --region cannot be used together"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != ExitBadUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q, want 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

// TestCollectAWSUnreachable fails with the call that failed and exits 2,
// writing no snapshot.
func TestCollectAWSUnreachable(t *testing.T) {
	srv := fakeAWS(t)
	srv.Close()
	snap := filepath.Join(t.TempDir(), "snapshot.json")
	code, _, stderr := run(t, "", "collect", "aws", "--max-attempts", "1", "-o", snap)
	if code != ExitBadUsage || !strings.Contains(stderr, "sts:GetCallerIdentity") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(stderr, fakeSecret) {
		t.Errorf("stderr leaks the secret")
	}
	if _, err := os.Stat(snap); !os.IsNotExist(err) {
		t.Errorf("snapshot written: %v", err)
	}
}

// TestProgressLineOnlyOnTerminal writes nothing to a pipe or buffer.
func TestProgressLineOnlyOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgressLine(&buf)
	p.update(3, 1)
	p.clear()
	if buf.Len() != 0 {
		t.Errorf("wrote %q to a non-terminal", buf.String())
	}
	p = &progressLine{w: &buf, on: true}
	p.update(3, 1)
	p.update(4, 0) // within progressInterval: not redrawn
	p.clear()
	if got := buf.String(); got != "\r\033[Kvigil: collecting from AWS: 3 calls done, 1 in flight\r\033[K" {
		t.Errorf("progress = %q", got)
	}
}

// TestCollectAWSProfile reads the credentials of --profile from the shared
// credentials file; the fake maps the profile's key to the account.
func TestCollectAWSProfile(t *testing.T) {
	w := awsfake.Scenario()
	w.Faults = nil
	w.Account = "222222222222" // any other key
	w.Keys = map[string]string{"AKIDAUDITPROFILE": awsfake.ScenarioAccount}
	srv := awsfake.NewServer(w)
	defer srv.Close()
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(creds, []byte("[audit]\naws_access_key_id = AKIDAUDITPROFILE\naws_secret_access_key = "+fakeSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"AWS_ENDPOINT_URL": srv.URL, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
		"AWS_SESSION_TOKEN": "", "AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": creds} {
		t.Setenv(k, v)
	}
	code, stdout, stderr := run(t, "", "collect", "aws", "--profile", "audit", "--region", "us-east-1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	inv, err := snapshot.Parse([]byte(stdout))
	if err != nil {
		t.Fatal(err)
	}
	if inv.Scopes[0].ID != awsfake.ScenarioAccount {
		t.Errorf("account %s, want the profile's %s", inv.Scopes[0].ID, awsfake.ScenarioAccount)
	}
	code, _, stderr = run(t, "", "collect", "aws", "--profile", "missing", "--region", "us-east-1")
	if code != ExitBadUsage || !strings.Contains(stderr, "missing") {
		t.Errorf("missing profile: exit %d, stderr %q", code, stderr)
	}
}

// TestAWSMaxAttemptsFromTheEnvironment: against an endpoint that is down,
// AWS_MAX_ATTEMPTS bounds the attempts as it does for the AWS CLI, and
// --max-attempts wins over it.
func TestAWSMaxAttemptsFromTheEnvironment(t *testing.T) {
	for _, tc := range []struct {
		env  string
		args []string
		want string
	}{
		{"2", nil, "gave up after 2 attempts"},
		{"2", []string{"--max-attempts", "3"}, "gave up after 3 attempts"},
		{"", []string{"--max-attempts", "1"}, "sts:GetCallerIdentity"},
	} {
		srv := fakeAWS(t)
		srv.Close() // the endpoint is dead: every attempt is refused
		t.Setenv("AWS_MAX_ATTEMPTS", tc.env)
		start := time.Now()
		code, _, stderr := run(t, "", append([]string{"collect", "aws", "--region", "us-east-1"}, tc.args...)...)
		if code != ExitBadUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("AWS_MAX_ATTEMPTS=%q %v: exit %d, stderr %q, want %q", tc.env, tc.args, code, stderr, tc.want)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("AWS_MAX_ATTEMPTS=%q %v: took %v", tc.env, tc.args, d)
		}
	}
}

// TestAWSWithoutCredentials says what vigil tried and what to do.
func TestAWSWithoutCredentials(t *testing.T) {
	fakeAWS(t)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	code, _, stderr := run(t, "", "scan", "aws", "--region", "us-east-1")
	if code != ExitBadUsage {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{"vigil: collect aws: no AWS credentials found. vigil looked where the AWS CLI does",
		"--profile NAME or set AWS_PROFILE", "aws sso login --profile NAME", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "IMDS") {
		t.Errorf("the SDK's chain of failures shows through:\n%s", stderr)
	}
}

// TestScanAWSCollectsWhatTheRulesRead: "vigil scan aws" reads only the
// entity types of the selected rules, and of S3 buckets only the
// settings they read. Rules on Terraform resources alone
// need nothing from the account but its identity; a rule on CloudTrail
// needs the trails and their chain.
func TestScanAWSCollectsWhatTheRulesRead(t *testing.T) {
	tests := []struct {
		only string
		// want lists the actions called, with how many calls.
		want map[string]int
	}{
		{only: "D9.TF.AWS.LOG.03", want: map[string]int{"sts:GetCallerIdentity": 1}},
		{only: "D9.AWS.LOG.01", want: map[string]int{"sts:GetCallerIdentity": 1, "cloudtrail:DescribeTrails": 3,
			"cloudtrail:GetTrailStatus": 7, "cloudtrail:GetEventSelectors": 7, "cloudtrail:ListTags": 4,
			"logs:DescribeMetricFilters": 3, "cloudwatch:DescribeAlarmsForMetric": 4, "sns:ListSubscriptionsByTopic": 4}},
		// Whether a bucket is public needs its ACL, its policy and both
		// Block Public Access settings, and nothing else of it.
		{only: "VIGIL.AWS.S3.04", want: map[string]int{"sts:GetCallerIdentity": 1, "s3:ListAllMyBuckets": 2,
			"s3:GetBucketLocation": 1, "s3:GetAccountPublicAccessBlock": 1, "s3:GetBucketPolicy": 4, "s3:GetBucketAcl": 4,
			"s3:GetBucketPublicAccessBlock": 4}},
	}
	for _, tt := range tests {
		t.Run(tt.only, func(t *testing.T) {
			srv := fakeAWS(t)
			code, _, stderr := jsonFindings(t, append([]string{"--only", tt.only, "aws"}, regionFlags...)...)
			if code == ExitBadUsage {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if diff := cmp.Diff(tt.want, srv.CallsByAction()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}
