package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/engine"
	"vigil/rules"
	vigilaws "vigil/source/aws"
	"vigil/source/aws/awsfake"
)

// TestIAMReportNotReadyIsError evaluates rules on what the collector reads
// of the fake's IAM when the credential report never becomes ready: the
// rules that read the report give ERROR, never PASS or FAIL, and the rules
// on the rest still run.
func TestIAMReportNotReadyIsError(t *testing.T) {
	rs, err := rules.LoadFS(os.DirFS("../cli/testdata/scan"), "iam-rules", "")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := engine.Compile(rs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := awsfake.Scenario()
	w.Faults, w.IAM.ReportPending = nil, -1
	inv := collectFromFake(t, w, vigilaws.Options{Regions: []string{"us-east-1"}, CredentialReportWait: 10 * time.Millisecond,
		Types: []string{vigilaws.TypeIam, vigilaws.TypeIamUser, vigilaws.TypeIamPolicy}})
	run, err := plan.Run(context.Background(), inv, awsfake.ScenarioNow)
	if err != nil {
		t.Fatal(err)
	}
	acct := awsfake.ScenarioAccount
	want := []string{
		"TEST.IAM.01 " + acct + " PASS", // the password policy was read
		"TEST.IAM.02 " + acct + " ERROR",
		"TEST.IAM.03 admin FAIL", "TEST.IAM.03 admin-list PASS", "TEST.IAM.03 conditional-admin PASS",
		"TEST.IAM.04 alice ERROR", "TEST.IAM.04 bob ERROR", "TEST.IAM.04 carol ERROR", "TEST.IAM.04 ci ERROR",
	}
	if diff := cmp.Diff(want, verdictLines(run)); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}
}

// TestRootIamUserVerdicts evaluates rules on the root user's IamUser: the
// CloudGuard-style rule that selects it by name, a rule on every other
// user, and a List<IamUser> rule. With the report's root row, all three
// give results on data; without it (moto's report), the rule on the root
// user is not applicable, the rule on the other users is unchanged, and the
// List<IamUser> rule, which cannot judge the users without the root user,
// gives ERROR, never PASS.
func TestRootIamUserVerdicts(t *testing.T) {
	var rs []*rules.Rule
	for id, logic := range map[string]string{
		"TEST.ROOT.01": "IamUser where name regexMatch /^<root_account>$/i should not have passwordLastUsed after(-90, 'days')",
		"TEST.ROOT.02": "IamUser where passwordEnabled=true and name!='<root_account>' should have mfaActive=true",
		"TEST.ROOT.03": "List<IamUser> should not have items contain [name='<root_account>' and firstAccessKey.isActive=true]",
	} {
		r, err := rules.Parse(id+".yaml", []byte("id: "+id+"\ntitle: root user test\nseverity: High\nentity: "+
			entityOf(logic)+"\nlogic: \""+logic+"\"\n"))
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	plan, err := engine.Compile(rs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	acct := awsfake.ScenarioAccount
	for _, tt := range []struct {
		name      string
		noRootRow bool
		want      []string
	}{
		// The scenario's root user last signed in 300 days ago and has
		// no access key; bob has a password and no MFA.
		{"root row", false, []string{"TEST.ROOT.01 <root_account> PASS", "TEST.ROOT.02 alice PASS", "TEST.ROOT.02 bob FAIL",
			"TEST.ROOT.02 carol PASS", "TEST.ROOT.03 - PASS"}},
		{"no root row", true, []string{"TEST.ROOT.02 alice PASS", "TEST.ROOT.02 bob FAIL", "TEST.ROOT.02 carol PASS",
			"TEST.ROOT.03 - ERROR"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := awsfake.Scenario()
			w.Faults, w.IAM.NoRootRow = nil, tt.noRootRow
			inv := collectFromFake(t, w, vigilaws.Options{Types: []string{vigilaws.TypeIamUser}})
			run, err := plan.Run(context.Background(), inv, awsfake.ScenarioNow)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, verdictLines(run)); diff != "" {
				t.Errorf("verdicts in account %s (-want +got):\n%s", acct, diff)
			}
		})
	}
}
