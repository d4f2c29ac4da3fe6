package cli

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/source/aws/awsfake"
)

// TestIAMVerdictsLive scans the fake account's IAM with test rules: a
// password policy the caller may not read gives ERROR, an account with no
// password policy gives FAIL, and the scenario's users and policies give
// the verdicts their data says.
func TestIAMVerdictsLive(t *testing.T) {
	const rules = "testdata/scan/iam-rules"
	noPolicy := awsfake.Scenario()
	noPolicy.Faults, noPolicy.IAM.PasswordPolicy = nil, nil
	denied := awsfake.Scenario()
	denied.Faults = []awsfake.Fault{{Action: "iam:GetAccountPasswordPolicy", Code: "AccessDenied", Status: 403, Message: "denied"}}
	clean := awsfake.Scenario()
	clean.Faults = nil
	tests := []struct {
		name string
		w    awsfake.World
		want []string
	}{
		{"scenario", clean, []string{
			"TEST.IAM.01 111111111111 111111111111 PASS",
			"TEST.IAM.02 111111111111 111111111111 PASS",
			"TEST.IAM.03 111111111111 admin FAIL",
			"TEST.IAM.03 111111111111 admin-list PASS",
			"TEST.IAM.04 111111111111 alice PASS",
			"TEST.IAM.04 111111111111 bob FAIL",
			"TEST.IAM.04 111111111111 carol PASS",
		}},
		{"no password policy", noPolicy, []string{"TEST.IAM.01 111111111111 111111111111 FAIL"}},
		{"password policy denied", denied, []string{"TEST.IAM.01 111111111111 111111111111 ERROR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fakeAWSWorld(t, tt.w)
			_, got, stderr := jsonFindings(t, "--rules", rules, "aws", "--region", "us-east-1")
			for _, want := range tt.want {
				if !slices.Contains(got, want) {
					t.Errorf("no finding %q in\n%s\nstderr %s", want, cmp.Diff(tt.want, got), stderr)
				}
			}
		})
	}
}
