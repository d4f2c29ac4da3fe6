package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

func TestSuppressionComments(t *testing.T) {
	files := map[string]string{"main.tf": `# vigil:ignore:D9.TF.AWS.LOG.01 single-region by design
# vigil:ignore:D9.TF.AWS.LOG.03:exp:2025-01-31 log group moves next quarter
resource "aws_cloudtrail" "above" {
  name = "above"
}

resource "aws_cloudtrail" "on_line" { # vigil:ignore:D9.TF.AWS.LOG.01 regional
  name = "on_line"
  // vigil:ignore:D9.AWS.MON.05:exp:2027-12-31 alarms live in the security account
  cloud_watch_logs_group_arn = "arn:aws:logs:us-east-1:111122223333:log-group:central:*"
  /* vigil:ignore:CKV_AWS_67 */
}

# vigil:ignore:D9.TF.AWS.LOG.01 not attached: a blank line follows

resource "aws_cloudtrail" "none" {
  name = "none" # a plain comment
}
resource "aws_cloudtrail" "after" {
  name = "after"
} # vigil:ignore:D9.TF.AWS.LOG.01 on the closing line
`}
	dir := writeTree(t, files)
	inv := load(t, dir, Options{})
	src := dir + "/main.tf:"
	want := map[string][]entity.Suppression{
		"aws_cloudtrail.above": {
			{Rule: "D9.TF.AWS.LOG.01", Reason: "single-region by design", Source: src + "1"},
			{Rule: "D9.TF.AWS.LOG.03", Reason: "log group moves next quarter", Expires: "2025-01-31", Source: src + "2"},
		},
		"aws_cloudtrail.on_line": {
			{Rule: "D9.TF.AWS.LOG.01", Reason: "regional", Source: src + "7"},
			{Rule: "D9.AWS.MON.05", Reason: "alarms live in the security account", Expires: "2027-12-31", Source: src + "9"},
			{Rule: "CKV_AWS_67", Source: src + "11"},
		},
		"aws_cloudtrail.none":  nil,
		"aws_cloudtrail.after": {{Rule: "D9.TF.AWS.LOG.01", Reason: "on the closing line", Source: src + "21"}},
	}
	got := map[string][]entity.Suppression{}
	for _, e := range inv.Entities {
		if e.Type == "CloudTrail" {
			got[e.ID] = e.Suppressions
			native := find(t, inv, "aws_cloudtrail", e.ID)
			if !cmp.Equal(native.Suppressions, e.Suppressions) {
				t.Errorf("%s: native %v and CloudTrail %v suppressions differ", e.ID, native.Suppressions, e.Suppressions)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseSuppression(t *testing.T) {
	for text, want := range map[string]suppressionComment{
		"D9.AWS.MON.05 reason with  spaces": {s: entity.Suppression{Rule: "D9.AWS.MON.05", Reason: "reason with  spaces"}},
		"D9.AWS.MON.05:exp:2026-02-30 x":    {s: entity.Suppression{Rule: "D9.AWS.MON.05", Reason: "x", Expires: "2026-02-30"}, err: `its expiry "2026-02-30" is not a date YYYY-MM-DD`},
		" reason only":                      {s: entity.Suppression{Reason: "reason only"}, err: "it names no rule"},
		"R1 */":                             {s: entity.Suppression{Rule: "R1"}},
	} {
		got := parseSuppression(text)
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(suppressionComment{})); diff != "" {
			t.Errorf("parseSuppression(%q) (-want +got):\n%s", text, diff)
		}
	}
}
