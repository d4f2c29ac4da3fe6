package e2e

import (
	"context"
	"slices"
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
	return catalogPlanOn(t, vigilaws.TypeIam)
}

// catalogPlanOn compiles vigil's catalog rules on the given entity types.
func catalogPlanOn(t *testing.T, types ...string) *engine.Plan {
	return catalogPlanWith(t, "VIGIL.", types...)
}

// catalogPlanWith compiles the catalog rules whose ID starts with prefix
// on the given entity types.
func catalogPlanWith(t *testing.T, prefix string, types ...string) *engine.Plan {
	t.Helper()
	all, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var rs []*rules.Rule
	for _, r := range all {
		if slices.Contains(types, r.Entity) && strings.HasPrefix(r.ID, prefix) {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		t.Fatalf("the catalog has no VIGIL rule on %v", types)
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
		"VIGIL.AWS.IAM.15 " + secure + " PASS",
		"VIGIL.AWS.IAM.15 " + legacy + " FAIL",
		"VIGIL.AWS.IAM.15 " + denied + " ERROR",
		"VIGIL.AWS.IAM.15 " + weak + " FAIL", // a virtual device
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
	verdicts := func(r01, r02, r03, r04, r15 string) []string {
		return []string{"VIGIL.AWS.IAM.01 " + acct + " " + r01, "VIGIL.AWS.IAM.02 " + acct + " " + r02,
			"VIGIL.AWS.IAM.03 " + acct + " " + r03, "VIGIL.AWS.IAM.04 " + acct + " " + r04,
			"VIGIL.AWS.IAM.15 " + acct + " " + r15}
	}
	for _, tc := range []struct {
		name string
		// edit changes the scenario's IAM.
		edit func(*awsfake.IAM)
		want []string
	}{
		{"scenario", func(*awsfake.IAM) {}, verdicts("PASS", "PASS", "PASS", "PASS", "PASS")},
		{"weak account", func(iam *awsfake.IAM) {
			iam.Root.MFA = ""
			iam.Root.Keys = []awsfake.AccessKey{{Active: true, LastRotated: awsfake.ScenarioNow.AddDate(-3, 0, 0)}}
			iam.PasswordPolicy = nil
		}, verdicts("FAIL", "FAIL", "FAIL", "FAIL", "FAIL")},
		{"report never ready", func(iam *awsfake.IAM) { iam.ReportPending = -1 }, verdicts("ERROR", "ERROR", "PASS", "PASS", "ERROR")},
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

// TestIAMUserPolicyRoleRulesOnCollectedAccount runs the catalog's rules on
// users, policies and roles on what the collector reads of the fake's
// account (awsfake.ScenarioIAM says who has what), and on the same account
// made careless: the support role loses AWSSupportAccess and the app role
// gets AdministratorAccess. Every rule shows a PASS and a FAIL, each for
// the reason the scenario sets up.
func TestIAMUserPolicyRoleRulesOnCollectedAccount(t *testing.T) {
	plan := catalogPlanOn(t, vigilaws.TypeIamUser, vigilaws.TypeIamPolicy, vigilaws.TypeIamRole)
	collect := func(edit func(*awsfake.IAM)) []string {
		w := awsfake.Scenario()
		w.Faults = nil
		edit(&w.IAM)
		inv := collectFromFake(t, w, vigilaws.Options{Regions: []string{"us-east-1"}, CredentialReportWait: 10 * time.Millisecond,
			Types: []string{vigilaws.TypeIamUser, vigilaws.TypeIamPolicy, vigilaws.TypeIamRole}})
		run, err := plan.Run(context.Background(), inv, awsfake.ScenarioNow)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range verdictLines(run) {
			if !strings.Contains(v, "<root_account>") {
				out = append(out, v)
			}
		}
		return out
	}
	want := []string{
		// MFA for console users: bob has a password and no MFA; ci has no
		// password, so is not concerned.
		"VIGIL.AWS.IAM.05 alice PASS", "VIGIL.AWS.IAM.05 bob FAIL", "VIGIL.AWS.IAM.05 carol PASS",
		// Password unused for 45 days: bob's was never used, and set 500
		// days ago.
		"VIGIL.AWS.IAM.06 alice PASS", "VIGIL.AWS.IAM.06 bob FAIL", "VIGIL.AWS.IAM.06 carol PASS",
		// Keys unused for 45 days: bob's first key, rotated 400 days ago,
		// was never used; ci's old key is inactive.
		"VIGIL.AWS.IAM.07 alice PASS", "VIGIL.AWS.IAM.07 bob FAIL", "VIGIL.AWS.IAM.07 carol PASS", "VIGIL.AWS.IAM.07 ci PASS",
		// One active key: bob has two.
		"VIGIL.AWS.IAM.08 alice PASS", "VIGIL.AWS.IAM.08 bob FAIL", "VIGIL.AWS.IAM.08 carol PASS", "VIGIL.AWS.IAM.08 ci PASS",
		// Rotation: bob's first key is 400 days old; ci's 200-day-old key
		// is inactive.
		"VIGIL.AWS.IAM.09 alice PASS", "VIGIL.AWS.IAM.09 bob FAIL", "VIGIL.AWS.IAM.09 carol PASS", "VIGIL.AWS.IAM.09 ci PASS",
		// Through groups only: ci has an attached and an inline policy.
		"VIGIL.AWS.IAM.10 alice PASS", "VIGIL.AWS.IAM.10 bob PASS", "VIGIL.AWS.IAM.10 carol PASS", "VIGIL.AWS.IAM.10 ci FAIL",
		// Full admin: admin is attached to ci; admin-list and
		// conditional-admin to no one; read-buckets is not full admin.
		"VIGIL.AWS.IAM.11 admin FAIL", "VIGIL.AWS.IAM.11 admin-list PASS", "VIGIL.AWS.IAM.11 conditional-admin PASS",
		// AdministratorAccess: alice through the group admins.
		"VIGIL.AWS.IAM.12 alice FAIL", "VIGIL.AWS.IAM.12 bob PASS", "VIGIL.AWS.IAM.12 carol PASS", "VIGIL.AWS.IAM.12 ci PASS",
		"VIGIL.AWS.IAM.13 app PASS", "VIGIL.AWS.IAM.13 support PASS",
		// The support role: a scope finding, about no one entity.
		"VIGIL.AWS.IAM.14 - PASS",
	}
	if diff := cmp.Diff(want, collect(func(*awsfake.IAM) {})); diff != "" {
		t.Errorf("scenario verdicts (-want +got):\n%s", diff)
	}
	careless := collect(func(iam *awsfake.IAM) {
		iam.Roles[0].ManagedPolicies = nil
		iam.Roles[1].ManagedPolicies = append(iam.Roles[1].ManagedPolicies, "arn:aws:iam::aws:policy/AdministratorAccess")
	})
	for _, v := range []string{"VIGIL.AWS.IAM.13 app FAIL", "VIGIL.AWS.IAM.13 support PASS", "VIGIL.AWS.IAM.14 - FAIL"} {
		if !slices.Contains(careless, v) {
			t.Errorf("careless account: no %q in %v", v, careless)
		}
	}
}
