package engine

import (
	"strings"
	"testing"

	"vigil/entity"
	"vigil/rules"
)

// TestAccountWideRules: a List<E> rule marked accountWide fails a live
// account that lacks what it asks for, but not a Terraform root module,
// which holds part of an account: there it passes or is not applicable.
func TestAccountWideRules(t *testing.T) {
	rule := &rules.Rule{ID: "T.SUPPORT", Title: "t", Severity: rules.Low, Entity: "IamRole", AccountWide: true,
		Logic: "List<IamRole> should have items contain [managedPolicies contain [arn='arn:aws:iam::aws:policy/AWSSupportAccess']]"}
	p, err := Compile([]*rules.Rule{rule}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	role := func(scope, name string, arns ...string) *entity.Entity {
		var policies []any
		for _, a := range arns {
			policies = append(policies, map[string]any{"arn": a, "name": a[strings.LastIndexByte(a, '/')+1:]})
		}
		return &entity.Entity{Type: "IamRole", ID: scope + "/" + name, Name: name, Scope: scope,
			Attrs: map[string]any{"name": name, "managedPolicies": policies}}
	}
	const support = "arn:aws:iam::aws:policy/AWSSupportAccess"
	inv := &entity.Inventory{
		Scopes: []entity.Scope{
			{Kind: entity.ScopeAWSAccount, ID: "111111111111"}, {Kind: entity.ScopeAWSAccount, ID: "222222222222"},
			{Kind: entity.ScopeTerraformModule, ID: "envs/app"}, {Kind: entity.ScopeTerraformModule, ID: "envs/baseline"},
		},
		Entities: []*entity.Entity{
			role("111111111111", "app", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
			role("222222222222", "support", support),
			role("envs/app", "lambda", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
			role("envs/baseline", "support", support),
		},
	}
	run := runOn(t, p, inv)
	var got []string
	for _, f := range run.Findings {
		got = append(got, f.Scope+" "+string(f.Result))
	}
	want := "111111111111 FAIL,222222222222 PASS,envs/baseline PASS"
	if strings.Join(got, ",") != want {
		t.Errorf("findings %v, want %s (envs/app, which another module may complete, not judged)", got, want)
	}

	notList := &rules.Rule{ID: "T.BAD", Title: "t", Severity: rules.Low, Entity: "IamRole", AccountWide: true,
		Logic: "IamRole should have managedPolicies isEmpty()", File: "T.BAD.yaml"}
	if _, err := Compile([]*rules.Rule{notList}, Options{}); err == nil || !strings.Contains(err.Error(), "accountWide is for List<E> rules") {
		t.Errorf("accountWide on a rule about one entity: %v", err)
	}
}

// TestLiveOnlyRulesSkipCode: a rule that reads only fields the catalogue
// says Terraform code does not give (the root user's MFA) does not apply to
// a root module's entities, which could only ever be UNKNOWN, and still
// judges a live account's.
func TestLiveOnlyRulesSkipCode(t *testing.T) {
	rs := []*rules.Rule{
		{ID: "T.ROOT", Title: "t", Severity: rules.Low, Entity: "Iam", Logic: "Iam should have rootUser.mfaActive=true"},
		{ID: "T.LENGTH", Title: "t", Severity: rules.Low, Entity: "Iam", Logic: "Iam should have passwordPolicy.minPasswordLength>=14"},
	}
	p, err := Compile(rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	liveOnly := entity.NewUnknown(entity.UnknownMaybeNull, "only known in a live account")
	inv := &entity.Inventory{
		Scopes: []entity.Scope{{Kind: entity.ScopeAWSAccount, ID: "111111111111"}, {Kind: entity.ScopeTerraformModule, ID: "envs/baseline"}},
		Entities: []*entity.Entity{
			{Type: "Iam", ID: "111111111111", Name: "111111111111", Scope: "111111111111", Attrs: map[string]any{
				"rootUser": map[string]any{"mfaActive": false}, "passwordPolicy": map[string]any{"minPasswordLength": 14.0}}},
			{Type: "Iam", ID: "aws_iam_account_password_policy.this", Name: "this", Scope: "envs/baseline", Attrs: map[string]any{
				"rootUser": liveOnly, "passwordPolicy": map[string]any{"minPasswordLength": 8.0}}},
		},
	}
	var got []string
	for _, f := range runOn(t, p, inv).Findings {
		got = append(got, f.Rule.ID+" "+f.Scope+" "+string(f.Result))
	}
	want := "T.LENGTH 111111111111 PASS,T.LENGTH envs/baseline FAIL,T.ROOT 111111111111 FAIL"
	if strings.Join(got, ",") != want {
		t.Errorf("findings %v, want %s", got, want)
	}
}

// TestTypesNotCollected: an account whose inventory says which types were
// collected gives ERROR, not FAIL nor PASS, for the rules on a type it does
// not list, whether they judge the list or each entity; an account that
// does not say is judged as before (no role at all fails the list rule).
func TestTypesNotCollected(t *testing.T) {
	rs := []*rules.Rule{
		{ID: "T.LIST", Title: "t", Severity: rules.Low, Entity: "IamRole",
			Logic: "List<IamRole> should have items contain [name='support']"},
		{ID: "T.EACH", Title: "t", Severity: rules.Low, Entity: "IamUser", Logic: "IamUser should have mfaActive=true"},
	}
	p, err := Compile(rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	inv := &entity.Inventory{Scopes: []entity.Scope{
		{Kind: entity.ScopeAWSAccount, ID: "111111111111", Types: []string{"CloudTrail"}},
		{Kind: entity.ScopeAWSAccount, ID: "222222222222"},
	}}
	var got []string
	for _, f := range runOn(t, p, inv).Findings {
		got = append(got, f.Rule.ID+" "+f.Scope+" "+string(f.Result))
		if f.Result == Error && (!strings.Contains(f.Message, "does not hold") || !strings.Contains(f.Remediation.Console, "Collect account 111111111111 again")) {
			t.Errorf("%s: message %q, fix %q", f.Rule.ID, f.Message, f.Remediation.Console)
		}
	}
	want := "T.EACH 111111111111 ERROR,T.LIST 111111111111 ERROR,T.LIST 222222222222 FAIL"
	if strings.Join(got, ",") != want {
		t.Errorf("findings %v, want %s", got, want)
	}
}
