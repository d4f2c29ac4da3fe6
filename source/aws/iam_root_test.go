package aws

import (
	"strings"
	"testing"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

// TestRootIamUser: the root user is an IamUser named <root_account> when
// the credential report has its row; whether it has a password comes from
// the account summary (AccountPasswordPresent), Unknown with a failure
// when the summary cannot be read or does not say; a report without the
// root row (moto) or not read at all gives no root IamUser and a failure
// on any attribute of the root user's entity, so List<IamUser> rules
// cannot pass without it.
func TestRootIamUser(t *testing.T) {
	users := Options{Types: []string{TypeIamUser}}
	tests := []struct {
		name  string
		world func(w *awsfake.World)
		// password is the root's passwordEnabled: true, false, or
		// "unknown"; "" when there is no root IamUser.
		password any
		// failure is a part of the one failure expected ("" for none),
		// failureAttr the attribute it names.
		failure, failureAttr string
	}{
		{name: "root password present", world: func(*awsfake.World) {}, password: true},
		{name: "no root password", world: func(w *awsfake.World) {
			w.IAM.Summary = map[string]int{"AccountPasswordPresent": 0, "Users": 4}
		}, password: false},
		{name: "summary denied", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "iam:GetAccountSummary", Code: "AccessDenied", Status: 403, Message: "denied"}}
		}, password: "unknown", failure: "iam:GetAccountSummary: AccessDenied", failureAttr: "passwordEnabled"},
		{name: "summary silent on the root password", world: func(w *awsfake.World) {
			w.IAM.Summary = map[string]int{"Users": 4}
		}, password: "unknown", failure: "does not say whether the root user has a password", failureAttr: "passwordEnabled"},
		{name: "report without the root row", world: func(w *awsfake.World) { w.IAM.NoRootRow = true },
			failure: "has no row for the root user (<root_account>), so the root user's IamUser is missing", failureAttr: "*"},
		{name: "report denied", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "iam:GetCredentialReport", Code: "AccessDenied", Status: 403, Message: "denied"}}
		}, failure: "iam:GetCredentialReport: the root user's IamUser could not be built: AccessDenied", failureAttr: "*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := scenarioWorld()
			w.Faults = nil
			tt.world(&w)
			inv, srv := collect(t, w, users)
			if n := srv.CallsByAction()["iam:GetAccountSummary"]; n != 1 {
				t.Errorf("%d GetAccountSummary calls, want 1: IamUser alone needs it for the root user", n)
			}
			checkRootFailure(t, inv, tt.failure, tt.failureAttr)
			var root *entity.Entity
			for _, e := range ofType(inv, TypeIamUser) {
				if e.Name == rootRow {
					root = e
				}
			}
			if tt.password == nil {
				if root != nil {
					t.Fatalf("root IamUser %v, want none", root.Attrs)
				}
				if n := len(ofType(inv, TypeIamUser)); n != 4 {
					t.Errorf("%d users, want the 4 IAM users still listed", n)
				}
				return
			}
			if root == nil {
				t.Fatal("no root IamUser")
			}
			if root.ID != "arn:aws:iam::"+acct+":root" {
				t.Errorf("root ID %q", root.ID)
			}
			for _, a := range []string{"passwordEnabled", "consoleAccess"} {
				got := root.Attrs[a]
				if tt.password == "unknown" {
					if !entity.IsUnknown(got) {
						t.Errorf("root %s = %v, want Unknown", a, got)
					}
				} else if got != tt.password {
					t.Errorf("root %s = %v, want %v", a, got, tt.password)
				}
			}
		})
	}
}

// checkRootFailure checks that inv has a failure for IamUser containing
// want and naming attr, and the root user's entity when attr is any
// attribute; or no failure when want is "".
func checkRootFailure(t *testing.T, inv *entity.Inventory, want, attr string) {
	t.Helper()
	got := iamFailures(inv)
	if want == "" {
		if len(got) != 0 {
			t.Errorf("failures %q, want none", got)
		}
		return
	}
	var matched []entity.Failure
	for _, f := range inv.Failures {
		if strings.Contains(f.Call+": "+f.Error, want) && f.Type == TypeIamUser && f.Attr == attr &&
			(attr != entity.AnyAttr || f.Entity == "arn:aws:iam::"+acct+":root") {
			matched = append(matched, f)
		}
	}
	if len(matched) == 0 {
		t.Errorf("failures %q, want an IamUser one on %q containing %q", got, attr, want)
	}
}
