package cli

import (
	"slices"
	"strings"
	"testing"
)

// TestScanTerraformBuildsWhatRulesRead: vigil scan tells the Terraform
// loader which entity types its rules read. A rule on a native resource
// type must still see every resource of that type, and a CloudTrail rule
// its trail.
func TestScanTerraformBuildsWhatRulesRead(t *testing.T) {
	const dir = "testdata/scan/terraform-types"
	code, got, stderr := jsonFindings(t, "--rules", "testdata/scan/native-rules",
		"--only", "TEAM.S3.01,D9.TF.AWS.LOG.01,D9.AWS.LOG.01", dir)
	want := []string{
		"D9.AWS.LOG.01 " + dir + " main PASS",
		"D9.TF.AWS.LOG.01 " + dir + " main PASS",
		"TEAM.S3.01 " + dir + " bad FAIL",
		"TEAM.S3.01 " + dir + " good PASS",
	}
	slices.Sort(got)
	if code != ExitFailed || !slices.Equal(got, want) {
		t.Errorf("exit %d, findings:\n%s\nwant:\n%s\nstderr: %s", code, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
}

func TestScanRuleTypes(t *testing.T) {
	for _, tc := range []struct {
		name string
		sel  ruleSelection
		want []string
	}{
		{"native and normalised", ruleSelection{ruleDirs: []string{"testdata/scan/native-rules"}, only: []string{"TEAM.S3.01", "D9.AWS.LOG.01"}}, []string{"CloudTrail", "aws_s3_bucket"}},
		{"one type", ruleSelection{only: []string{"D9.TF.AWS.LOG.01"}}, []string{"aws_cloudtrail"}},
		{"default ruleset", ruleSelection{}, []string{"CloudTrail", "EFS", "Iam", "IamPolicy", "IamRole", "IamServerCertificate", "IamUser",
			"Instance", "KMS", "RDS", "Region", "S3Bucket", "Volume", "aws_cloudtrail"}},
		// Rules that do not load: the scan stops before reading inputs,
		// and says why.
		{"bad rules", ruleSelection{ruleDirs: []string{"testdata/scan/bad-rules"}}, nil},
		{"unknown rule", ruleSelection{only: []string{"NO.SUCH.RULE"}}, nil},
	} {
		chosen, err := tc.sel.resolve("")
		if tc.want == nil {
			if err == nil {
				t.Errorf("%s: no error", tc.name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		got := ruleTypes(chosen.rules)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
