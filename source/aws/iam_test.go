package aws

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

// iamOnly collects the IAM types only.
var iamOnly = Options{Types: []string{TypeIam, TypeIamUser, TypeIamPolicy, TypeIamRole}}

// byTypeAndName returns the entity of type typ called name.
func byTypeAndName(t *testing.T, inv *entity.Inventory, typ, name string) *entity.Entity {
	t.Helper()
	for _, e := range ofType(inv, typ) {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no %s %s among %d entities", typ, name, len(inv.Entities))
	return nil
}

// attr reads a dotted path of e's attributes.
func attr(e *entity.Entity, path string) any {
	var v any = e.Attrs
	for name := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		v = m[name]
	}
	return v
}

func day(n int) string { return now.AddDate(0, 0, -n).UTC().Format(time.RFC3339) }

// TestIAMScenario checks the IAM entities of the scenario field by field:
// the password policy, the summary, the root user with a hardware device,
// users' passwords, MFA and keys with the report's markers, the groups'
// policies, full administrative access only without a condition, and the
// attachments of each policy.
func TestIAMScenario(t *testing.T) {
	inv, _ := collect(t, scenarioWorld(), iamOnly)
	if len(inv.Failures) != 0 {
		t.Errorf("failures: %v", inv.Failures)
	}
	acctE := byTypeAndName(t, inv, TypeIam, acct)
	users := func(name string) *entity.Entity { return byTypeAndName(t, inv, TypeIamUser, name) }
	policy := func(name string) *entity.Entity { return byTypeAndName(t, inv, TypeIamPolicy, name) }
	role := func(name string) *entity.Entity { return byTypeAndName(t, inv, TypeIamRole, name) }
	root := users("<root_account>")
	readBuckets := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow",
		"Action": []any{"s3:Get*", "s3:List*"}, "Resource": "*"}}}
	tests := []struct {
		e    *entity.Entity
		path string
		want any
	}{
		{acctE, "passwordPolicy.minPasswordLength", 14.0},
		{acctE, "passwordPolicy.requireSymbols", true},
		{acctE, "passwordPolicy.maxPasswordAge", 90.0},
		{acctE, "passwordPolicy.passwordReusePrevention", 24.0},
		{acctE, "passwordPolicy.expirePasswords", true},
		{acctE, "passwordPolicy.hardExpiry", false},
		{acctE, "stats.accountMfaEnabled", 1.0},
		{acctE, "stats.mfaDevicesInUse", 3.0},
		{acctE, "stats.accountAccessKeysPresent", 0.0},
		{acctE, "credentialReportGeneratedTime", now.Add(-time.Hour).Format(time.RFC3339)},
		{acctE, "rootUser.mfaActive", true},
		{acctE, "rootUser.hardwareMfa", true},
		{acctE, "rootUser.accessKey1Active", false},
		{acctE, "rootUser.accessKey1LastUsedDate", nil},
		{acctE, "rootUser.passwordLastUsed", day(300)},
		{acctE, "rootUser.credentialReport.password_enabled", "not_supported"},

		{users("alice"), "passwordEnabled", true},
		{users("alice"), "consoleAccess", true},
		{users("alice"), "passwordLastUsed", day(2)},
		{users("alice"), "mfaActive", true},
		{users("alice"), "virtualMfaEnabled", true},
		{users("alice"), "firstAccessKey", map[string]any{"isActive": true, "lastRotated": day(30), "lastUsedDate": day(1),
			"lastUsedRegion": "eu-west-1", "lastUsedService": "s3"}},
		{users("alice"), "secondAccessKey", map[string]any{"isActive": false, "lastRotated": nil, "lastUsedDate": nil,
			"lastUsedRegion": nil, "lastUsedService": nil}},
		{users("alice"), "groups", []any{"admins"}},
		{users("alice"), "groupManagedPolicies", []any{
			map[string]any{"group": "admins", "arn": "arn:aws:iam::aws:policy/AdministratorAccess", "name": "AdministratorAccess"},
			map[string]any{"group": "admins", "arn": "arn:aws:iam::" + acct + ":policy/read-buckets", "name": "read-buckets"}}},
		{users("alice"), "groupInlinePolicies", []any{map[string]any{"group": "admins", "name": "billing", "document": readBuckets}}},
		{users("alice"), "managedPolicies", []any{}},
		{users("bob"), "passwordEnabled", true},
		{users("bob"), "passwordLastUsed", nil},
		{users("bob"), "credentialReport.password_last_used", "no_information"},
		{users("bob"), "mfaActive", false},
		{users("bob"), "virtualMfaEnabled", false},
		{users("bob"), "firstAccessKey.isActive", true},
		{users("bob"), "firstAccessKey.lastRotated", day(400)},
		{users("bob"), "firstAccessKey.lastUsedDate", nil},
		{users("bob"), "secondAccessKey.isActive", true},
		{users("bob"), "secondAccessKey.lastUsedDate", day(3)},
		{users("ci"), "passwordEnabled", false},
		{users("ci"), "passwordLastUsed", nil},
		{users("ci"), "credentialReport.password_last_used", "N/A"},
		{users("ci"), "firstAccessKey.isActive", false},
		{users("ci"), "managedPolicies", []any{map[string]any{"arn": "arn:aws:iam::" + acct + ":policy/admin", "name": "admin"}}},
		{users("ci"), "inlinePolicies", []any{map[string]any{"name": "deploy", "document": readBuckets}}},
		{users("carol"), "mfaActive", true},
		{users("carol"), "virtualMfaEnabled", false},
		{users("carol"), "createDate", day(100)},

		// The root user, from the report's root row and the summary.
		{root, "arn", "arn:aws:iam::" + acct + ":root"},
		{root, "passwordEnabled", true},
		{root, "consoleAccess", true},
		{root, "passwordLastUsed", day(300)},
		{root, "mfaActive", true},
		{root, "virtualMfaEnabled", false},
		{root, "createDate", day(2000)},
		{root, "firstAccessKey.isActive", false},
		{root, "groups", []any{}},
		{root, "managedPolicies", []any{}},
		{root, "groupManagedPolicies", []any{}},
		{root, "userId", nil},
		{root, "credentialReport.password_enabled", "not_supported"},

		{policy("admin"), "isFullAdmin", true},
		{policy("admin"), "users", []any{"ci"}},
		{policy("admin"), "groups", []any{}},
		{policy("admin"), "attachmentCount", 1.0},
		{policy("admin-list"), "isFullAdmin", true},
		{policy("admin-list"), "users", []any{}},
		{policy("admin-list"), "attachmentCount", 0.0},
		{policy("conditional-admin"), "isFullAdmin", true}, // a condition does not limit the grant,
		{policy("read-buckets"), "isFullAdmin", false},
		{policy("read-buckets"), "groups", []any{"admins"}},
		{policy("read-buckets"), "roles", []any{"app"}},
		{policy("read-buckets"), "document", readBuckets},
		{policy("admin-list"), "document.Statement", []any{map[string]any{"Effect": "Allow", "Action": []any{"*:*"}, "Resource": []any{"*"}}}},

		{role("support"), "managedPolicies", []any{map[string]any{"arn": "arn:aws:iam::aws:policy/AWSSupportAccess", "name": "AWSSupportAccess"}}},
		{role("support"), "assumeRolePolicyDocument.Statement", []any{map[string]any{"Effect": "Allow",
			"Principal": map[string]any{"Service": "support.amazonaws.com"}, "Action": "sts:AssumeRole"}}},
		{role("app"), "inlinePolicies", []any{map[string]any{"name": "logs", "document": readBuckets}}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, attr(tt.e, tt.path)); diff != "" {
			t.Errorf("%s %s %s (-want +got):\n%s", tt.e.Type, tt.e.Name, tt.path, diff)
		}
	}
	if n := len(ofType(inv, TypeIamUser)); n != 5 {
		t.Errorf("%d users, want 4 and the root user", n)
	}
	for _, a := range []string{"passwordLastChanged", "passwordNextRotation"} {
		if !entity.IsUnknown(root.Attrs[a]) {
			t.Errorf("root %s = %v, want Unknown (the report says not_supported)", a, root.Attrs[a])
		}
	}
}

// iamFailures renders failures as "type attr call: error".
func iamFailures(inv *entity.Inventory) []string {
	var out []string
	for _, f := range inv.Failures {
		out = append(out, f.Type+" "+f.Attr+" "+f.Call+": "+f.Error)
	}
	return out
}

// TestIAMFaults: a password policy the caller may not read is Unknown, a
// failure naming the action (rules ERROR); an account with no password
// policy has null (rules FAIL); a credential report that never becomes
// ready leaves every field it gives Unknown, with a failure, while the
// users are still listed from the authorisation details.
func TestIAMFaults(t *testing.T) {
	opts := iamOnly
	opts.CredentialReportWait = 20 * time.Millisecond

	t.Run("access denied on the password policy", func(t *testing.T) {
		w := scenarioWorld()
		w.Faults = []awsfake.Fault{{Action: "iam:GetAccountPasswordPolicy", Code: "AccessDenied", Status: 403,
			Message: "User is not authorized to perform: iam:GetAccountPasswordPolicy"}}
		inv, _ := collect(t, w, opts)
		want := []string{"Iam passwordPolicy iam:GetAccountPasswordPolicy: AccessDenied: User is not authorized to perform: " +
			"iam:GetAccountPasswordPolicy (access denied: see docs/iam-policy.json for the permissions vigil needs)"}
		if diff := cmp.Diff(want, iamFailures(inv)); diff != "" {
			t.Errorf("failures (-want +got):\n%s", diff)
		}
		e := byTypeAndName(t, inv, TypeIam, acct)
		if u, ok := e.Attrs["passwordPolicy"].(*entity.Unknown); !ok || !strings.Contains(u.Reason, "iam:GetAccountPasswordPolicy") {
			t.Errorf("passwordPolicy = %#v, want Unknown naming the action", e.Attrs["passwordPolicy"])
		}
		if attr(e, "stats.accountMfaEnabled") != 1.0 {
			t.Errorf("stats = %v, want read", e.Attrs["stats"])
		}
	})

	t.Run("no password policy", func(t *testing.T) {
		w := scenarioWorld()
		w.IAM.PasswordPolicy = nil
		inv, srv := collect(t, w, opts)
		if len(inv.Failures) != 0 {
			t.Errorf("failures: %v", inv.Failures)
		}
		e := byTypeAndName(t, inv, TypeIam, acct)
		if v, ok := e.Attrs["passwordPolicy"]; !ok || v != nil {
			t.Errorf("passwordPolicy = %#v (set %t), want null", v, ok)
		}
		if n := srv.CallsByAction()["iam:GetAccountPasswordPolicy"]; n != 1 {
			t.Errorf("%d GetAccountPasswordPolicy calls, want 1 (NoSuchEntity is an answer, not retried)", n)
		}
	})

	t.Run("credential report never ready", func(t *testing.T) {
		w := scenarioWorld()
		w.IAM.ReportPending = -1
		inv, srv := collect(t, w, opts)
		got := iamFailures(inv)
		if len(got) != 3+len(iamReportUserAttrs) {
			t.Fatalf("failures %q, want two for the account (rootUser and the generation time), one per user attribute "+
				"and one for the root user's IamUser, which cannot be built", got)
		}
		for _, f := range got {
			if !strings.Contains(f, "the credential report was not ready in time: still STARTED after 4 attempts over 17.5ms") ||
				!strings.Contains(f, " iam:GenerateCredentialReport: ") {
				t.Errorf("failure %q", f)
			}
		}
		// Waits of 2.5, 5 and 10 ms: the next, 20 ms, would pass 20 ms.
		if n := srv.CallsByAction()["iam:GenerateCredentialReport"]; n != 4 {
			t.Errorf("%d GenerateCredentialReport calls, want the 4 attempts", n)
		}
		if n := srv.CallsByAction()["iam:GetCredentialReport"]; n != 0 {
			t.Errorf("%d GetCredentialReport calls, want none", n)
		}
		e := byTypeAndName(t, inv, TypeIam, acct)
		for _, a := range []string{"rootUser", "credentialReportGeneratedTime"} {
			if !entity.IsUnknown(e.Attrs[a]) {
				t.Errorf("Iam %s = %v, want Unknown", a, e.Attrs[a])
			}
		}
		bob := byTypeAndName(t, inv, TypeIamUser, "bob")
		for _, a := range iamReportUserAttrs {
			if !entity.IsUnknown(bob.Attrs[a]) {
				t.Errorf("IamUser bob %s = %v, want Unknown", a, bob.Attrs[a])
			}
		}
		if bob.Attrs["groups"] == nil || entity.IsUnknown(bob.Attrs["groups"]) || bob.Attrs["virtualMfaEnabled"] != false {
			t.Errorf("bob's details: groups %v, virtualMfaEnabled %v, want read", bob.Attrs["groups"], bob.Attrs["virtualMfaEnabled"])
		}
	})

	t.Run("credential report ready on the third try", func(t *testing.T) {
		w := scenarioWorld()
		w.IAM.ReportPending = 2
		inv, srv := collect(t, w, opts)
		if len(inv.Failures) != 0 {
			t.Errorf("failures: %v", inv.Failures)
		}
		if n := srv.CallsByAction()["iam:GenerateCredentialReport"]; n != 3 {
			t.Errorf("%d GenerateCredentialReport calls, want 3", n)
		}
		if v := attr(byTypeAndName(t, inv, TypeIamUser, "alice"), "mfaActive"); v != true {
			t.Errorf("alice mfaActive = %v", v)
		}
	})

	t.Run("authorisation details denied", func(t *testing.T) {
		w := scenarioWorld()
		w.Faults = []awsfake.Fault{{Action: "iam:GetAccountAuthorizationDetails", Code: "AccessDenied", Status: 403, Message: "denied"}}
		inv, _ := collect(t, w, opts)
		if n := len(ofType(inv, TypeIamPolicy)) + len(ofType(inv, TypeIamRole)); n != 0 {
			t.Errorf("%d policies and roles, want none", n)
		}
		types := map[string]bool{}
		for _, f := range inv.Failures {
			types[f.Type+" "+f.Attr] = true
		}
		for _, want := range []string{"IamPolicy ", "IamRole ", "IamUser groups"} {
			if !types[want] {
				t.Errorf("no failure %q among %v", want, iamFailures(inv))
			}
		}
		alice := byTypeAndName(t, inv, TypeIamUser, "alice")
		if !entity.IsUnknown(alice.Attrs["managedPolicies"]) || alice.Attrs["mfaActive"] != true {
			t.Errorf("alice: managedPolicies %v, mfaActive %v", alice.Attrs["managedPolicies"], alice.Attrs["mfaActive"])
		}
	})
}

// TestIAMPagination: the authorisation details and the virtual MFA
// devices are read page by page, whatever the page size, and give the same
// entities.
func TestIAMPagination(t *testing.T) {
	want, _ := collect(t, scenarioWorld(), iamOnly)
	for _, size := range []int{1, 3, 1000} {
		w := scenarioWorld()
		w.PageSize = size
		inv, srv := collect(t, w, iamOnly)
		if diff := cmp.Diff(want.Entities, inv.Entities); diff != "" {
			t.Errorf("page size %d (-page size 2 +got):\n%s", size, diff)
		}
		pages := (11 + size - 1) / size // 4 users, 1 group, 2 roles, 4 policies
		if n := srv.CallsByAction()["iam:GetAccountAuthorizationDetails"]; n != pages {
			t.Errorf("page size %d: %d GetAccountAuthorizationDetails calls, want %d", size, n, pages)
		}
	}
}

func TestLowerCamel(t *testing.T) {
	for in, want := range map[string]string{
		"AccountMFAEnabled": "accountMfaEnabled", "MFADevices": "mfaDevices", "MFADevicesInUse": "mfaDevicesInUse",
		"Users": "users", "AccountAccessKeysPresent": "accountAccessKeysPresent", "GlobalEndpointTokenVersion": "globalEndpointTokenVersion",
	} {
		if got := lowerCamel(in); got != want {
			t.Errorf("lowerCamel(%q) = %q, want %q", in, got, want)
		}
	}
}
