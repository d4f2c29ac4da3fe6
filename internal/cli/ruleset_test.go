package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"vigil/rules"
)

// concernOf maps each catalog rule to its concern.
func concernOf(t *testing.T) map[string]string {
	t.Helper()
	rs, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rs {
		out[r.ID] = r.Concern
	}
	return out
}

// lonelyTrail is the Terraform file of issue 15: one trail, nothing set.
// Trivy's own test expects one finding for it; vigil's default ruleset
// gives each concern once.
const lonelyTrail = `resource "aws_cloudtrail" "x" {}` + "\n"

func writeLonelyTrail(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(lonelyTrail), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestDefaultRulesetReportsEachConcernOnce scans inputs of every kind with
// the default ruleset and groups the findings by scope and concern (the
// rules' concern: field): in each group, one rule reports. A trail in code
// is reported once per concern although the live rule and its Terraform
// twin both run; the whole-account rules report on the scope.
func TestDefaultRulesetReportsEachConcernOnce(t *testing.T) {
	concerns := concernOf(t)
	inputs := [][]string{
		{"../../examples/terraform"},
		{exampleInv},
		{smallInv},
		{writeLonelyTrail(t)},
		{"../../examples/terraform", exampleInv},
	}
	for _, in := range inputs {
		_, got, stderr := jsonFindings(t, in...)
		if len(got) == 0 {
			t.Fatalf("%v: no findings; stderr %s", in, stderr)
		}
		// A finding is "RULE scope name RESULT".
		rulesOf := map[string][]string{}
		for _, f := range got {
			fields := strings.Fields(f)
			key := fields[1] + " " + concerns[fields[0]]
			if concerns[fields[0]] == "" {
				t.Errorf("%v: %s has no concern", in, fields[0])
			}
			if !slices.Contains(rulesOf[key], fields[0]) {
				rulesOf[key] = append(rulesOf[key], fields[0])
			}
		}
		for key, ids := range rulesOf {
			if len(ids) != 1 {
				t.Errorf("%v: %s is reported by %v", in, key, ids)
			}
		}
	}
}

// TestDefaultRulesetOnALonelyTrail pins what the default ruleset reports
// on one empty aws_cloudtrail: each concern once, and in JSON and SARIF one
// result per rule and resource. Every one FAILs but the access logging of
// the trail's bucket, which only the live account tells (UNKNOWN).
func TestDefaultRulesetOnALonelyTrail(t *testing.T) {
	dir := writeLonelyTrail(t)
	code, got, stderr := jsonFindings(t, dir)
	if code != ExitFailed {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	concerns := concernOf(t)
	var gotConcerns []string
	for _, f := range got {
		fields := strings.Fields(f)
		want := "FAIL"
		if concerns[fields[0]] == "cloudtrail-bucket-access-logging" {
			want = "UNKNOWN"
		}
		if fields[3] != want {
			t.Errorf("%s: want %s", f, want)
		}
		gotConcerns = append(gotConcerns, fields[2]+" "+concerns[fields[0]])
	}
	slices.Sort(gotConcerns)
	want := []string{
		"- cloudtrail-all-regions",
		"- cloudtrail-s3-object-read-events",
		"- cloudtrail-s3-object-write-events",
		"- monitor-aws-config-changes",
		"- monitor-cloudtrail-configuration-changes",
		"- monitor-console-authentication-failures",
		"- monitor-console-sign-in-without-mfa",
		"- monitor-iam-policy-changes",
		"- monitor-kms-key-disabling-or-deletion",
		"- monitor-nacl-changes",
		"- monitor-network-gateway-changes",
		"- monitor-organizations-changes",
		"- monitor-root-account-usage",
		"- monitor-route-table-changes",
		"- monitor-s3-bucket-policy-changes",
		"- monitor-security-group-changes",
		"- monitor-unauthorized-api-calls",
		"- monitor-vpc-changes",
		"x cloudtrail-cloudwatch-logs",
		"x cloudtrail-kms-encryption",
		"x cloudtrail-log-file-validation",
	}
	if !slices.Equal(gotConcerns, want) {
		t.Errorf("concerns (entity concern):\n%s\nwant:\n%s", strings.Join(gotConcerns, "\n"), strings.Join(want, "\n"))
	}

	out := filepath.Join(t.TempDir(), "x.sarif")
	if code, _, stderr := run(t, "", "scan", "--format", "sarif", "--output", out, dir); code != ExitFailed {
		t.Fatalf("sarif: exit %d, stderr %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					Logical []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
				Properties struct {
					Scope string `json:"scope"`
				} `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range doc.Runs[0].Results {
		key := r.RuleID + " " + r.Properties.Scope
		for _, l := range r.Locations {
			for _, ll := range l.Logical {
				key += " " + ll.FullyQualifiedName
			}
		}
		if seen[key] {
			t.Errorf("two SARIF results for %s", key)
		}
		seen[key] = true
	}
	if len(doc.Runs[0].Results) != len(got) || len(got) != 21 {
		t.Errorf("%d SARIF results, %d JSON findings, want 21 of each", len(doc.Runs[0].Results), len(got))
	}
}
