package engine

import (
	"strings"
	"testing"

	"vigil/entity"
	"vigil/rules"
)

func TestRestoreFix(t *testing.T) {
	denied := func(call, region string) entity.Failure {
		return entity.Failure{Type: "CloudTrail", Attr: "metricFilters", Scope: "123456789012", Region: region, Call: call,
			Error: "AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/vigil/scan is not authorized to perform: " + call +
				" (access denied: see docs/iam-policy.json for the permissions vigil needs)"}
	}
	optIn := func(region string) entity.Failure {
		return entity.Failure{Type: "CloudTrail", Scope: "123456789012", Region: region, Call: "cloudtrail:DescribeTrails",
			Error: "UnrecognizedClientException: The security token included in the request is invalid. (the region may not be enabled for this account)"}
	}
	parse := entity.Failure{Kind: entity.FailureParse, Type: "aws_cloudtrail", Scope: "infra", File: "infra/bad.tf", Line: 2, Col: 10,
		Error: "Invalid expression"}
	tests := []struct {
		name     string
		failures []entity.Failure
		want     string
	}{
		{"access denied", []entity.Failure{denied("logs:DescribeMetricFilters", "us-east-1")},
			"Allow logs:DescribeMetricFilters to the identity vigil runs as (docs/iam-policy.json lists every action vigil calls), then scan again."},
		{"one action denied in two regions, and another", []entity.Failure{
			denied("logs:DescribeMetricFilters", "us-east-1"), denied("logs:DescribeMetricFilters", "eu-west-1"),
			denied("cloudwatch:DescribeAlarms", "us-east-1")},
			"Allow logs:DescribeMetricFilters and cloudwatch:DescribeAlarms to the identity vigil runs as (docs/iam-policy.json lists every action vigil calls), then scan again."},
		{"region not enabled", []entity.Failure{optIn("ap-south-2")},
			"Enable the region ap-south-2 for the account, or leave it out of the scan by naming the regions to scan with --region, then scan again."},
		{"two regions not enabled", []entity.Failure{optIn("ap-south-2"), optIn("me-central-1")},
			"Enable the regions ap-south-2 and me-central-1 for the account, or leave them out of the scan by naming the regions to scan with --region, then scan again."},
		{"throttled", []entity.Failure{{Type: "CloudTrail", Scope: "123456789012", Region: "us-east-1", Call: "cloudtrail:GetTrail",
			Error: "ThrottlingException: Rate exceeded (gave up after 3 attempts)"}},
			"cloudtrail:GetTrail in us-east-1 failed after vigil's retries: scan again later, or with a higher --max-attempts."},
		{"file that does not parse, recorded per type", []entity.Failure{parse, {Kind: entity.FailureParse, Type: "CloudTrail", Scope: "infra",
			File: "infra/bad.tf", Line: 2, Col: 10, Error: "Invalid expression"}},
			"Repair infra/bad.tf:2:10, which does not parse, then scan again."},
		{"file that could not be read", []entity.Failure{{Kind: entity.FailureRead, Type: "CloudTrail", Scope: "infra", File: "infra/big.tf", Error: "too large"}},
			"Make infra/big.tf readable (or leave it out of the scan), then scan again."},
		{"denied and a broken file", []entity.Failure{parse, denied("logs:DescribeMetricFilters", "us-east-1")},
			"Allow logs:DescribeMetricFilters to the identity vigil runs as (docs/iam-policy.json lists every action vigil calls), then scan again. " +
				"Repair infra/bad.tf:2:10, which does not parse, then scan again."},
		{"count known only after apply", []entity.Failure{{Type: "CloudTrail", Scope: "infra", Entity: "aws_cloudtrail.x[*]", File: "infra/main.tf", Line: 3, Col: 1,
			Error: "how many instances of aws_cloudtrail.x[*] exist is known only after apply"}}, ""},
		{"a bucket in a region not scanned", []entity.Failure{{Type: "S3Bucket", Attr: "*", Scope: "123456789012", Region: "eu-west-1",
			Entity: "arn:aws:s3:::b", Call: "s3:ListAllMyBuckets",
			Error: "the bucket is in eu-west-1, a region not scanned (not enabled for the account, or not named with --region)"}},
			"Scan the region eu-west-1 too (with --region, or without --region to scan every enabled region), enabling it for the account if it is not, then scan again."},
		{"another AWS error", []entity.Failure{{Type: "CloudTrail", Scope: "123456789012", Region: "us-east-1", Call: "cloudtrail:GetTrail",
			Error: "InternalFailure: the service is unavailable"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := restoreFix(tt.failures)
			if got.Console != tt.want || got.CLI != "" || got.Terraform != "" {
				t.Errorf("restoreFix:\n got %+v\nwant console %q", got, tt.want)
			}
		})
	}
}

// TestErrorFindingsSayHowToRestoreTheData: an ERROR caused by a failure
// carries the steps that restore the data as its fix, never the rule's
// remediation; an ERROR of the evaluation itself carries none.
func TestErrorFindingsSayHowToRestoreTheData(t *testing.T) {
	run := runOn(t, catalogPlan(t), loadInventory(t, "../examples/aws-inventory.json"))
	errors := 0
	for _, f := range run.Findings {
		if f.Result != Error {
			continue
		}
		errors++
		// The example's denied calls: the analytics trail's metric
		// filters and its bucket's logging, its configuration recorders,
		// and the analytics-lake bucket's policy.
		call := "logs:DescribeMetricFilters"
		switch {
		case f.Rule.Entity == "Region":
			call = "config:DescribeConfigurationRecorders"
		case f.Entity != nil && f.Entity.Type == "S3Bucket":
			call = "s3:GetBucketPolicy"
		case f.Rule.ID == "VIGIL.AWS.LOG.09":
			call = "s3:GetBucketLogging"
		}
		if !strings.HasPrefix(f.Remediation.Console, "Allow "+call+" to the identity vigil runs as") ||
			f.Remediation.CLI != "" || f.Remediation.Terraform != "" {
			t.Errorf("%s: fix %+v, want how to allow %s", key(f), f.Remediation, call)
		}
	}
	if errors == 0 {
		t.Fatal("the example inventory gave no ERROR finding")
	}

	p, err := Compile([]*rules.Rule{{ID: "T.1", Severity: rules.Low, Entity: "CloudTrail", Logic: "CloudTrail should have name length() > 0",
		Remediation: rules.Remediation{Console: "Name the trail."}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	inv := &entity.Inventory{Scopes: []entity.Scope{{Kind: entity.ScopeAWSAccount, ID: "123456789012"}},
		Entities: []*entity.Entity{{Type: "CloudTrail", ID: "arn:x", Name: "x", Scope: "123456789012", Attrs: map[string]any{"name": 5.0}}}}
	run = runOn(t, p, inv)
	if len(run.Findings) != 1 || run.Findings[0].Result != Error {
		t.Fatalf("findings %v, want one ERROR", run.Findings)
	}
	if fix := run.Findings[0].Remediation; fix != (rules.Remediation{}) {
		t.Errorf("evaluation error: fix %+v, want none", fix)
	}
}
