package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"vigil/entity"
)

// Marker secrets: a test fails if one of them reaches what is shown.
const (
	secretVar    = "SECRET-VARIABLE-f3a9c1"
	secretOutput = "SECRET-OUTPUT-77b2de"
	secretFunc   = "SECRET-FUNCTION-0c4e18"
	secretKey    = "SECRET-KEY-9d01aa"
)

// shown is everything a loaded input shows people: entity IDs and names,
// and the diagnostics as the CLI prints them.
func shown(inv *entity.Inventory, l *Loader, diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, e := range inv.Entities {
		b.WriteString(e.ID + " " + e.Name + "\n")
	}
	w := hcl.NewDiagnosticTextWriter(&b, l.Files(), 200, false)
	_ = w.WriteDiagnostics(diags)
	return inv.Secrets.Redact(b.String())
}

func TestSensitiveValuesAreRecordedAndEvaluated(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf": `
variable "db_password" {
  type      = string
  default   = "` + secretVar + `"
  sensitive = true
}

module "keys" {
  source = "./keys"
}

locals {
  derived = upper(var.db_password)
}

resource "aws_cloudtrail" "by_var" {
  name           = var.db_password
  s3_bucket_name = "logs"
}

resource "aws_cloudtrail" "by_output" {
  name           = module.keys.key
  s3_bucket_name = "logs"
}

resource "aws_cloudtrail" "by_func" {
  name           = sensitive("` + secretFunc + `")
  s3_bucket_name = nonsensitive(sensitive("plain-bucket"))
  kms_key_id     = issensitive(var.db_password) ? "yes" : "no"
}

resource "aws_cloudtrail" "derived" {
  name           = "derived"
  s3_bucket_name = local.derived
}

resource "aws_cloudtrail" "bad_call" {
  name           = "bad-call"
  s3_bucket_name = tonumber(local.derived)
}
`,
		"keys/main.tf": `
output "key" {
  value     = "` + secretOutput + `"
  sensitive = true
}
`,
	})
	l := NewLoader(Options{})
	inv, diags := l.Load(dir)
	// Rules evaluate the real values.
	if got := attr(t, find(t, inv, "aws_cloudtrail", "aws_cloudtrail.by_var"), "name"); got != secretVar {
		t.Errorf("by_var name = %v, want the variable's value", got)
	}
	if got := attr(t, find(t, inv, "aws_cloudtrail", "aws_cloudtrail.by_output"), "name"); got != secretOutput {
		t.Errorf("by_output name = %v, want the output's value", got)
	}
	byFunc := find(t, inv, "aws_cloudtrail", "aws_cloudtrail.by_func")
	if got := attr(t, byFunc, "s3_bucket_name"); got != "plain-bucket" {
		t.Errorf("nonsensitive(sensitive(x)) = %v", got)
	}
	if got := attr(t, byFunc, "kms_key_id"); got != "yes" {
		t.Errorf("issensitive(var.db_password) gave %v, want yes", got)
	}
	// What is shown never holds them.
	out := shown(inv, l, diags)
	for _, s := range []string{secretVar, secretOutput, secretFunc, strings.ToUpper(secretVar)} {
		if strings.Contains(out, s) {
			t.Errorf("shown text holds %q:\n%s", s, out)
		}
	}
	for _, id := range []string{"aws_cloudtrail.by_var", "aws_cloudtrail.by_output", "aws_cloudtrail.by_func"} {
		if e := find(t, inv, "CloudTrail", id); e.Name != entity.Redacted {
			t.Errorf("%s: Name = %q, want %q", id, e.Name, entity.Redacted)
		}
	}
	// The failed call on a derived sensitive value is reported, without
	// the value, and the attribute is Unknown.
	if !strings.Contains(out, "failed on a sensitive argument") {
		t.Errorf("no diagnostic for tonumber(sensitive):\n%s", out)
	}
	if _, ok := attr(t, find(t, inv, "aws_cloudtrail", "aws_cloudtrail.bad_call"), "s3_bucket_name").(*entity.Unknown); !ok {
		t.Error("tonumber(sensitive string) is not Unknown")
	}
}

func TestSensitiveForEachKeysAreRedacted(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf": `
variable "names" {
  default   = ["` + secretKey + `"]
  sensitive = true
}
resource "aws_cloudtrail" "t" {
  for_each       = toset(nonsensitive(var.names))
  name           = sensitive(each.key)
  s3_bucket_name = "logs"
}
`,
	})
	l := NewLoader(Options{})
	inv, diags := l.Load(dir)
	if out := shown(inv, l, diags); strings.Contains(out, secretKey) {
		t.Errorf("shown text holds the key:\n%s", out)
	}
}

func TestPlanSensitiveValues(t *testing.T) {
	plan := `{
  "format_version": "1.2",
  "variables": {"token": {"value": "` + secretVar + `"}},
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_cloudtrail.t", "mode": "managed", "type": "aws_cloudtrail", "name": "t",
     "values": {"name": "` + secretFunc + `", "s3_bucket_name": "logs",
                "tags": {"owner": "` + secretOutput + `", "team": "platform"}},
     "sensitive_values": {"tags": {"owner": true}}}
  ]}},
  "resource_changes": [
    {"address": "aws_cloudtrail.t", "mode": "managed", "type": "aws_cloudtrail", "name": "t",
     "change": {"actions": ["create"], "after": {}, "after_unknown": {}, "after_sensitive": {"name": true}}}
  ],
  "configuration": {"root_module": {"variables": {"token": {"sensitive": true}}}}
}`
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	l := NewLoader(Options{})
	inv, diags := l.Load(path)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	e := find(t, inv, "aws_cloudtrail", "aws_cloudtrail.t")
	if got := attr(t, e, "name"); got != secretFunc {
		t.Errorf("name = %v: rules must read the real value", got)
	}
	if e.Name != entity.Redacted {
		t.Errorf("Name = %q, want %q", e.Name, entity.Redacted)
	}
	for _, s := range []string{secretVar, secretFunc, secretOutput} {
		if !inv.Secrets.Has(s) {
			t.Errorf("%q is not recorded as a secret", s)
		}
	}
	if inv.Secrets.Has("platform") {
		t.Error("a tag sensitive_values does not mark is recorded as a secret")
	}
}
