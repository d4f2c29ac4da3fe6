package terraform

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

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

// TestSuppressionWarnings: a vigil:ignore comment that cannot apply is a
// warning that shows the comment's own line, and an ignore naming a rule
// vigil does not have (Options.RuleIDs) is one too, and suppresses nothing.
func TestSuppressionWarnings(t *testing.T) {
	files := map[string]string{"main.tf": `variable "x" {
  default = 1
}

# vigil:ignore:D9.TF.AWS.LOG.01:exp:2027-13-45 not a date
resource "aws_cloudtrail" "a" {
  name = "a"
}

# vigil:ignore:D9.TF.AWS.LOG.1 a typo
resource "aws_cloudtrail" "b" {
  name = "b" # vigil:ignore:NOPE.RULE no such rule
}

resource "aws_cloudtrail" "c" { # vigil:ignore:D9.TF.AWS.LOG.03 known
  name = "c"
}
`}
	dir := writeTree(t, files)
	l := NewLoader(Options{RuleIDs: []string{"D9.TF.AWS.LOG.01", "D9.TF.AWS.LOG.03"}})
	inv, diags := l.Load(dir)
	var text strings.Builder
	if err := hcl.NewDiagnosticTextWriter(&text, l.Files(), 200, false).WriteDiagnostics(diags); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{
		"Warning: Invalid vigil:ignore comment\n\n  on " + dir + "/main.tf line 5:\n   5: # vigil:ignore:D9.TF.AWS.LOG.01:exp:2027-13-45 not a date\n",
		"Warning: Unknown rule in vigil:ignore comment\n\n  on " + dir + "/main.tf line 10:\n  10: # vigil:ignore:D9.TF.AWS.LOG.1 a typo\n",
		`names the rule "D9.TF.AWS.LOG.1", which vigil does not have, so it suppresses nothing. Did you mean D9.TF.AWS.LOG.01?`,
		"  on " + dir + "/main.tf line 12, in resource \"aws_cloudtrail\" \"b\":\n  12:   name = \"b\" # vigil:ignore:NOPE.RULE no such rule\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `in variable "x"`) || strings.Count(out, "Warning:") != 3 {
		t.Errorf("diagnostics:\n%s", out)
	}
	for id, n := range map[string]int{"aws_cloudtrail.a": 0, "aws_cloudtrail.b": 0, "aws_cloudtrail.c": 1} {
		if got := len(find(t, inv, "aws_cloudtrail", id).Suppressions); got != n {
			t.Errorf("%s: %d suppressions, want %d", id, got, n)
		}
	}
	// Without RuleIDs, any rule may be named.
	inv = load(t, dir, Options{})
	if got := len(find(t, inv, "aws_cloudtrail", "aws_cloudtrail.b").Suppressions); got != 2 {
		t.Errorf("without RuleIDs: %d suppressions on b, want 2", got)
	}
}
