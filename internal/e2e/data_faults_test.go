package e2e

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	vigilaws "vigil/source/aws"
	"vigil/source/aws/awsfake"
)

// TestRotationDeniedOnOneKey: on the fake endpoint, kms:GetKeyRotationStatus
// denied on one key makes the rotation rule ERROR for that key alone; the
// other keys keep their verdicts, and the keys the rule does not concern
// (AWS-managed, asymmetric, pending deletion) give none.
func TestRotationDeniedOnOneKey(t *testing.T) {
	w := awsfake.Scenario()
	w.Faults = nil
	w.KMSKeys[1].RotationDenied = true // "5678", not rotated
	inv := collectFromFake(t, w, vigilaws.Options{Regions: []string{"us-east-1", "eu-west-1"}, Types: []string{vigilaws.TypeKMS}})
	run, err := catalogPlanOn(t, vigilaws.TypeKMS).Run(context.Background(), inv, awsfake.ScenarioNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"VIGIL.AWS.KMS.01 1234 PASS", "VIGIL.AWS.KMS.01 5678 ERROR", "VIGIL.AWS.KMS.01 9abc PASS"}
	if diff := cmp.Diff(want, verdictLines(run)); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}
}
