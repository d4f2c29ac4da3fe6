package aws

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPolicyMatchesCalls keeps docs/iam-policy.json, Actions and the calls
// the collector really makes in step: a scan that uses every code path
// (all regions, an assumed role, tags, the whole monitoring chain) calls
// exactly the documented actions, plus sts:AssumeRole on the caller's side.
func TestPolicyMatchesCalls(t *testing.T) {
	data, err := os.ReadFile("../../docs/iam-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	var policy struct {
		Statement []struct {
			Effect   string
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal(data, &policy); err != nil {
		t.Fatalf("docs/iam-policy.json: %v", err)
	}
	var documented []string
	for _, s := range policy.Statement {
		if s.Effect != "Allow" || s.Resource != "*" {
			t.Errorf("statement %+v: want Allow on *", s)
		}
		documented = append(documented, s.Action...)
	}
	slices.Sort(documented)
	if diff := cmp.Diff(Actions(), documented); diff != "" {
		t.Errorf("docs/iam-policy.json vs Actions() (-code +doc):\n%s", diff)
	}

	w := scenarioWorld()
	w.Faults = nil
	role := "arn:aws:iam::" + acct + ":role/VigilAudit"
	w.Account, w.Keys, w.Roles = "333333333333", map[string]string{}, map[string]string{role: ""}
	_, srv := collect(t, w, Options{RoleARN: role})
	var called []string
	for action := range srv.CallsByAction() {
		if action != "sts:AssumeRole" {
			called = append(called, action)
		}
	}
	slices.Sort(called)
	if diff := cmp.Diff(Actions(), called); diff != "" {
		t.Errorf("Actions() vs calls made (-documented +called):\n%s", diff)
	}
}
