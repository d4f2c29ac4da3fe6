package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"vigil/source/aws/awsfake"
)

// TestScanAWSWithNoRegionsListedIsError: when ec2:DescribeRegions answers
// with no region, every rule on trails reports ERROR with the reason; none
// FAILs as if the account had no trail, and none is left out. IAM is
// global, read from its global endpoint whatever the regions, so the rules
// on Iam judge what they read.
func TestScanAWSWithNoRegionsListedIsError(t *testing.T) {
	w := awsfake.Scenario()
	w.Faults = nil
	w.NoRegionsListed = true
	srv := awsfake.NewServer(w)
	t.Cleanup(srv.Close)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": srv.URL, "AWS_ACCESS_KEY_ID": "AKIDCLITEST", "AWS_SECRET_ACCESS_KEY": fakeSecret,
		"AWS_SESSION_TOKEN": "", "AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_RETRY_MODE": "", "AWS_MAX_ATTEMPTS": "",
	} {
		t.Setenv(k, v)
	}
	code, stdout, stderr := run(t, "", "scan", "aws", "--ruleset", "all", "--format", "json")
	if code != ExitFailed {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if !strings.Contains(stderr, "ec2:DescribeRegions in us-east-1: the answer lists no enabled region") {
		t.Errorf("stderr %s", stderr)
	}
	var doc struct {
		Rules []struct {
			ID     string `json:"id"`
			Entity string `json:"entity"`
		} `json:"rules"`
		Findings []struct {
			RuleID  string `json:"rule_id"`
			Result  string `json:"result"`
			Message string `json:"message"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	global := map[string]bool{}
	for _, r := range doc.Rules {
		global[r.ID] = strings.HasPrefix(r.Entity, "Iam")
	}
	rules := map[string]bool{}
	for _, f := range doc.Findings {
		if global[f.RuleID] {
			if f.Result == "ERROR" {
				t.Errorf("%s on the global IAM: %s %q", f.RuleID, f.Result, f.Message)
			}
			continue
		}
		rules[f.RuleID] = true
		if f.Result != "ERROR" || !strings.Contains(f.Message, "no enabled region") {
			t.Errorf("%s: %s %q", f.RuleID, f.Result, f.Message)
		}
	}
	// Every catalog rule on CloudTrail (all but the two on aws_cloudtrail),
	// and the one on Region, and the seven on the regional storage and key
	// types, and the one on EC2 instances.
	if len(rules) != 55 {
		t.Errorf("%d rules have findings, want 55", len(rules))
	}
}
