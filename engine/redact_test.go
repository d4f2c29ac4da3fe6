package engine

import (
	"strings"
	"testing"

	"vigil/entity"
	"vigil/rules"
)

// TestSensitiveValuesAreEvaluatedButNotShown runs rules on a trail whose
// name and key are sensitive: the rules see the values, and no finding's
// message, trace or fix shows them.
func TestSensitiveValuesAreEvaluatedButNotShown(t *testing.T) {
	const name, key = "trail-named-after-a-secret-4f1e", "arn:aws:kms:us-east-1:1:key/s3cr3t-key-b7c9"
	inv := &entity.Inventory{
		Scopes: []entity.Scope{{Kind: entity.ScopeTerraformModule, ID: "."}},
		Entities: []*entity.Entity{{Type: "CloudTrail", ID: "aws_cloudtrail.t", Name: entity.Redacted, Scope: ".",
			Attrs: map[string]any{"name": name, "kmsKeyId": key, "isMultiRegionTrail": false}}},
		Failures: []entity.Failure{{Type: "aws_s3_bucket", Scope: ".", Call: "plan", Error: "bucket " + name + " unreadable"}},
		Secrets:  &entity.Secrets{},
	}
	inv.Secrets.Add(name)
	inv.Secrets.Add(key)
	p, err := Compile([]*rules.Rule{
		{ID: "T.1", Severity: rules.Low, Entity: "CloudTrail", Logic: "CloudTrail should have name like 'trail-%' and isMultiRegionTrail=true",
			Remediation: rules.Remediation{CLI: "aws cloudtrail update-trail --name {{.Attr \"name\"}} --kms-key-id {{.Attr \"kmsKeyId\"}}"}},
		{ID: "T.2", Severity: rules.Low, Entity: "CloudTrail", Logic: "CloudTrail should have kmsKeyId='other'"},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := runOn(t, p, inv)
	if len(run.Findings) != 2 {
		t.Fatalf("%d findings, want 2", len(run.Findings))
	}
	for _, f := range run.Findings {
		if f.Result != Fail {
			t.Errorf("%s: %s, want FAIL: the rules must read the real values", f.Rule.ID, f.Result)
		}
		shown := f.Message + "\n" + f.Explanation + "\n" + strings.Join(f.Trace, "\n") + "\n" + f.Remediation.CLI
		for _, s := range []string{name, key, "s3cr3t"} {
			if strings.Contains(shown, s) {
				t.Errorf("%s shows %q:\n%s", f.Rule.ID, s, shown)
			}
		}
	}
	if got := run.Failures[0].Error; strings.Contains(got, name) {
		t.Errorf("failure shows the secret: %s", got)
	}
	if inv.Failures[0].Error != "bucket "+name+" unreadable" {
		t.Error("redaction changed the inventory's own failure")
	}
}

// TestSensitiveUnknownReasonsAreNotShown: the unknowns a finding lists
// (Finding.Unknowns), in the condition or in the where clause, are
// redacted like its message; an entity the where clause filters out has a
// finding with Options.NotRelevant.
func TestSensitiveUnknownReasonsAreNotShown(t *testing.T) {
	const secret = "s3cr3t-token-91c2"
	inv := &entity.Inventory{
		Scopes: []entity.Scope{{Kind: entity.ScopeTerraformModule, ID: "."}},
		Entities: []*entity.Entity{
			{Type: "CloudTrail", ID: "a", Scope: ".", Attrs: map[string]any{"kmsKeyId": entity.NewUnknown(entity.UnknownMaybeNull, "read from "+secret)}},
			{Type: "CloudTrail", ID: "b", Scope: ".", Attrs: map[string]any{"isMultiRegionTrail": entity.NewUnknown(entity.UnknownMaybeNull, "copied from "+secret)}},
			{Type: "CloudTrail", ID: "c", Scope: ".", Attrs: map[string]any{"isMultiRegionTrail": true}},
		},
		Secrets: &entity.Secrets{},
	}
	inv.Secrets.Add(secret)
	p, err := Compile([]*rules.Rule{{ID: "T.1", Severity: rules.Low, Entity: "CloudTrail",
		Logic: "CloudTrail where isMultiRegionTrail isEmpty() should have kmsKeyId='other'"}}, Options{NotRelevant: true})
	if err != nil {
		t.Fatal(err)
	}
	run := runOn(t, p, inv)
	var results []string
	for _, f := range run.Findings {
		results = append(results, f.Entity.ID+" "+string(f.Result))
		if len(f.Unknowns) == 0 && f.Result == Unknown {
			t.Errorf("%s: no unknowns", f.Entity.ID)
		}
		if shown := f.Message + f.Explanation + strings.Join(f.Trace, "\n") + strings.Join(f.Unknowns, "\n"); strings.Contains(shown, secret) {
			t.Errorf("%s shows the secret:\n%s", f.Entity.ID, shown)
		}
	}
	if got := strings.Join(results, ", "); got != "a UNKNOWN, b UNKNOWN, c NOT_RELEVANT" {
		t.Errorf("results %s", got)
	}
}
