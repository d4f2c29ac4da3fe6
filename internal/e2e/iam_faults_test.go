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
