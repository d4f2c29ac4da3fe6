package terraform

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

// iamTypes are the IAM entity types, as vigil scan asks for them.
var iamTypes = []string{"Iam", "IamUser", "IamPolicy", "IamRole"}

// at returns the value at the dotted path in attrs, and whether it is
// there.
func at(attrs map[string]any, path string) (any, bool) {
	var v any = attrs
	for _, name := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[name]; !ok {
			return nil, false
		}
	}
	return v, true
}

// unknownWith stands for an Unknown whose reason contains the text.
type unknownWith string

// iamCase is one expected value of an IAM entity.
type iamCase struct {
	typ, id, path string
	want          any
}

// checkIAM checks each case on inv.
func checkIAM(t *testing.T, inv *entity.Inventory, cases []iamCase) {
	t.Helper()
	for _, c := range cases {
		e := find(t, inv, c.typ, c.id)
		got, ok := at(e.Attrs, c.path)
		if !ok {
			t.Errorf("%s %s has no %s", c.typ, c.id, c.path)
			continue
		}
		if want, isUnknown := c.want.(unknownWith); isUnknown {
			u, ok := got.(*entity.Unknown)
			if !ok || !strings.Contains(u.Reason, string(want)) {
				t.Errorf("%s %s %s = %s, want an Unknown saying %q", c.typ, c.id, c.path, entity.Format(got), want)
			}
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s %s %s (-want +got):\n%s", c.typ, c.id, c.path, diff)
		}
	}
}

const (
	alice = `module.team.aws_iam_user.member["alice"]`
	bob   = `module.team.aws_iam_user.member["bob"]`
)

// TestIAMFromHCL: testdata/iam, a module with variables, users by
// for_each, keys by count, policies from policy documents, jsonencode and
// a heredoc, attachments to users, groups and roles, a support role and a
// password policy, gives the entities a live account would.
func TestIAMFromHCL(t *testing.T) {
	inv := load(t, "testdata/iam", Options{Types: iamTypes})
	readLogs := []any{map[string]any{"Effect": "Allow", "Action": []any{"logs:Get*", "logs:Describe*"}, "Resource": "*"}}
	checkIAM(t, inv, []iamCase{
		{"Iam", "aws_iam_account_password_policy.strict", "passwordPolicy.minPasswordLength", 14.0},
		{"Iam", "aws_iam_account_password_policy.strict", "passwordPolicy.expirePasswords", true},
		{"Iam", "aws_iam_account_password_policy.strict", "passwordPolicy.allowUsersToChangePassword", true},
		{"Iam", "aws_iam_account_password_policy.strict", "passwordPolicy.hardExpiry", false},
		{"Iam", "aws_iam_account_password_policy.strict", "stats.users", unknownWith("iam:GetAccountSummary")},
		{"Iam", "aws_iam_account_password_policy.strict", "rootUser.mfaActive", unknownWith("only known in a live account")},
		{"Iam", "aws_iam_account_password_policy.strict", "accountId", unknownWith("the account")},

		// for_each users in a module, keys by count; bob's second key is
		// Inactive.
		{"IamUser", alice, "name", "alice"},
		{"IamUser", alice, "path", "/team/"},
		{"IamUser", alice, "passwordEnabled", true},
		{"IamUser", bob, "consoleAccess", false},
		{"IamUser", alice, "firstAccessKey.isActive", true},
		{"IamUser", alice, "firstAccessKey.lastRotated", unknownWith("only known in a live account")},
		{"IamUser", alice, "secondAccessKey.isActive", false},
		{"IamUser", bob, "secondAccessKey.isActive", false},
		{"IamUser", bob, "firstAccessKey.isActive", true},
		{"IamUser", alice, "mfaActive", unknownWith("only known in a live account")},
		{"IamUser", alice, "groups", []any{"admins"}},
		{"IamUser", alice, "groupManagedPolicies", []any{map[string]any{
			"group": "admins", "name": "admin",
			"arn": entity.NewUnknown(entity.UnknownSet, "known after apply: aws_iam_policy.admin.arn")}}},
		{"IamUser", bob, "groupInlinePolicies", []any{map[string]any{"group": "admins", "name": "billing", "document": map[string]any{
			"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": "aws-portal:ViewBilling", "Resource": "*"}}}}}},
		{"IamUser", alice, "inlinePolicies", []any{}},
		// The attachment whose user is a variable without a value may be
		// any user's: an empty list would pass "only through groups".
		{"IamUser", alice, "managedPolicies", unknownWith("the user of aws_iam_user_policy_attachment.unknown_user is unknown")},
		{"IamUser", "aws_iam_user.ci", "managedPolicies", unknownWith("may include more")},
		// A document built from a bucket's ARN is known only after apply.
		{"IamUser", "aws_iam_user.ci", "inlinePolicies", []any{map[string]any{"name": "deploy",
			"document": entity.NewUnknown(entity.UnknownMaybeNull, "the policy document of aws_iam_user_policy.ci_deploy is unknown: known after apply: aws_s3_bucket.artifacts.arn; the policy document data.aws_iam_policy_document.deploy is built from values known only after apply")}}},

		// A policy from a policy document, one from a heredoc.
		{"IamPolicy", "aws_iam_policy.admin", "isFullAdmin", true},
		{"IamPolicy", "aws_iam_policy.admin", "document", map[string]any{"Version": "2012-10-17",
			"Statement": []any{map[string]any{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}}}},
		{"IamPolicy", "aws_iam_policy.admin", "groups", []any{"admins"}},
		{"IamPolicy", "aws_iam_policy.admin", "users", []any{}},
		{"IamPolicy", "aws_iam_policy.admin", "attachmentCount", 1.0},
		{"IamPolicy", "aws_iam_policy.admin", "arn", unknownWith("known after apply")},
		{"IamPolicy", "aws_iam_policy.read_logs", "document", map[string]any{"Version": "2012-10-17", "Statement": readLogs}},
		{"IamPolicy", "aws_iam_policy.read_logs", "isFullAdmin", false},
		{"IamPolicy", "aws_iam_policy.read_logs", "users", []any{"ci"}},
		{"IamPolicy", "aws_iam_policy.read_logs", "roles", []any{"app"}},
		{"IamPolicy", "aws_iam_policy.read_logs", "path", "/ops/"},

		// The support role: an AWS-managed policy named from its ARN, a
		// trust policy from a policy document with a condition.
		{"IamRole", "aws_iam_role.support", "managedPolicies", []any{map[string]any{
			"arn": "arn:aws:iam::aws:policy/AWSSupportAccess", "name": "AWSSupportAccess"}}},
		{"IamRole", "aws_iam_role.support", "assumeRolePolicyDocument", map[string]any{"Version": "2012-10-17",
			"Statement": []any{map[string]any{"Sid": "", "Effect": "Allow", "Action": "sts:AssumeRole",
				"Principal": map[string]any{"AWS": "arn:aws:iam::111122223333:root"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": "true"}}}}}},
		{"IamRole", "aws_iam_role.app", "managedPolicies", []any{
			map[string]any{"arn": entity.NewUnknown(entity.UnknownSet, "known after apply: aws_iam_policy.read_logs.arn"), "name": "read-logs"},
			map[string]any{"arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "name": "AmazonS3ReadOnlyAccess"}}},
		{"IamRole", "aws_iam_role.app", "inlinePolicies", []any{map[string]any{"name": "queue", "document": map[string]any{
			"Statement": []any{map[string]any{"Effect": "Allow", "Action": []any{"sqs:SendMessage"}, "Resource": "*"}}}}}},
	})
}

// TestIAMFromPlan: a plan gives the same entities, the policy text and
// references read from its planned values and configuration; a policy
// text known only after apply gives an Unknown document and isFullAdmin.
func TestIAMFromPlan(t *testing.T) {
	inv := load(t, "testdata/plans/iam.json", Options{Types: iamTypes})
	checkIAM(t, inv, []iamCase{
		{"Iam", "aws_iam_account_password_policy.strict", "passwordPolicy.minPasswordLength", 14.0},
		{"Iam", "aws_iam_account_password_policy.strict", "passwordPolicy.requireSymbols", true},
		{"Iam", "aws_iam_account_password_policy.strict", "passwordPolicy.maxPasswordAge", unknownWith("known after apply")},
		{"IamUser", "aws_iam_user.ci", "firstAccessKey.isActive", false},
		{"IamUser", "aws_iam_user.ci", "secondAccessKey.isActive", false},
		{"IamUser", "aws_iam_user.ci", "managedPolicies", []any{map[string]any{
			"arn": entity.NewUnknown(entity.UnknownSet, "known after apply: aws_iam_policy.admin"), "name": "admin"}}},
		{"IamPolicy", "aws_iam_policy.admin", "isFullAdmin", true},
		{"IamPolicy", "aws_iam_policy.admin", "users", []any{"ci"}},
		{"IamPolicy", "aws_iam_policy.unknown_text", "document", unknownWith("known after apply: aws_iam_policy.unknown_text.policy")},
		{"IamPolicy", "aws_iam_policy.unknown_text", "isFullAdmin", unknownWith("known after apply: aws_iam_policy.unknown_text.policy")},
		{"IamRole", "aws_iam_role.support", "managedPolicies", unknownWith("managed_policy_arns")},
		{"IamRole", "aws_iam_role.support", "assumeRolePolicyDocument", map[string]any{"Version": "2012-10-17",
			"Statement": []any{map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole",
				"Principal": map[string]any{"AWS": "arn:aws:iam::111122223333:root"}}}}},
	})
}
