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
		shown := f.Message + "\n" + strings.Join(f.Trace, "\n") + "\n" + f.Remediation.CLI
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
