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
