package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/engine"
	"vigil/rules"
	vigilaws "vigil/source/aws"
	"vigil/source/aws/awsfake"
)

// iamCatalogPlan compiles the catalog's rules on the Iam entity.
func iamCatalogPlan(t *testing.T) *engine.Plan {
	t.Helper()
	all, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var rs []*rules.Rule
	for _, r := range all {
		if r.Entity == vigilaws.TypeIam && strings.HasPrefix(r.ID, "VIGIL.") {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		t.Fatal("the catalog has no VIGIL rule on Iam")
	}
	plan, err := engine.Compile(rs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestIAMCatalogRuleVerdicts runs the catalog's IAM rules on the accounts
// of testdata/messages/iam-accounts.json, each built to decide them one
// way: one that passes everything; one with an active root key, no root
// MFA and no password policy (which fails both password rules); one whose
// role may not read the password policy nor generate the credential
// report (ERROR, never PASS); and one with a root key made inactive but
// kept (which fails: CIS asks for root keys to be deleted), root MFA, and a
// weak password policy.
func TestIAMCatalogRuleVerdicts(t *testing.T) {
	run, err := iamCatalogPlan(t).Run(context.Background(), loadInventory(t, "testdata/messages/iam-accounts.json"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	const secure, legacy, denied, weak = "710000000001", "710000000002", "710000000003", "710000000004"
	want := []string{
		"VIGIL.AWS.IAM.01 " + secure + " PASS",
		"VIGIL.AWS.IAM.01 " + legacy + " FAIL",
		"VIGIL.AWS.IAM.01 " + denied + " ERROR",
		"VIGIL.AWS.IAM.01 " + weak + " FAIL",
		"VIGIL.AWS.IAM.02 " + secure + " PASS",
		"VIGIL.AWS.IAM.02 " + legacy + " FAIL",
		"VIGIL.AWS.IAM.02 " + denied + " ERROR",
		"VIGIL.AWS.IAM.02 " + weak + " PASS",
		"VIGIL.AWS.IAM.03 " + secure + " PASS",
		"VIGIL.AWS.IAM.03 " + legacy + " FAIL",
		"VIGIL.AWS.IAM.03 " + denied + " ERROR",
		"VIGIL.AWS.IAM.03 " + weak + " FAIL",
		"VIGIL.AWS.IAM.04 " + secure + " PASS",
		"VIGIL.AWS.IAM.04 " + legacy + " FAIL",
		"VIGIL.AWS.IAM.04 " + denied + " ERROR",
		"VIGIL.AWS.IAM.04 " + weak + " FAIL",
	}
	if diff := cmp.Diff(want, verdictLines(run)); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}
}

// TestIAMCatalogRulesOnCollectedAccount runs the catalog's IAM rules on
// what the collector itself reads of the fake's account: the scenario's,
// whose root user has hardware MFA and no access key and whose password
// policy asks for 14 characters and remembers 24 passwords; the same
// account with an active root key, no root MFA and no password policy
// (IAM answers NoSuchEntity, which must FAIL, not pass as nothing to
// check); and the scenario's when the credential report never becomes
// ready, where the rules on the root user give ERROR and the password
// rules still judge the policy.
func TestIAMCatalogRulesOnCollectedAccount(t *testing.T) {
	plan := iamCatalogPlan(t)
	acct := awsfake.ScenarioAccount
	verdicts := func(r01, r02, r03, r04 string) []string {
		return []string{"VIGIL.AWS.IAM.01 " + acct + " " + r01, "VIGIL.AWS.IAM.02 " + acct + " " + r02,
			"VIGIL.AWS.IAM.03 " + acct + " " + r03, "VIGIL.AWS.IAM.04 " + acct + " " + r04}
	}
	for _, tc := range []struct {
		name string
		// edit changes the scenario's IAM.
		edit func(*awsfake.IAM)
		want []string
	}{
		{"scenario", func(*awsfake.IAM) {}, verdicts("PASS", "PASS", "PASS", "PASS")},
		{"weak account", func(iam *awsfake.IAM) {
			iam.Root.MFA = ""
			iam.Root.Keys = []awsfake.AccessKey{{Active: true, LastRotated: awsfake.ScenarioNow.AddDate(-3, 0, 0)}}
			iam.PasswordPolicy = nil
		}, verdicts("FAIL", "FAIL", "FAIL", "FAIL")},
		{"report never ready", func(iam *awsfake.IAM) { iam.ReportPending = -1 }, verdicts("ERROR", "ERROR", "PASS", "PASS")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := awsfake.Scenario()
			w.Faults = nil
			tc.edit(&w.IAM)
			inv := collectFromFake(t, w, vigilaws.Options{Regions: []string{"us-east-1"}, CredentialReportWait: 10 * time.Millisecond,
				Types: []string{vigilaws.TypeIam}})
			run, err := plan.Run(context.Background(), inv, awsfake.ScenarioNow)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, verdictLines(run)); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
		})
	}
}
