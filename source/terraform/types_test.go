package terraform

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"vigil/entity"
)

// only returns the entities of inv whose type is in types.
func only(inv *entity.Inventory, types ...string) []*entity.Entity {
	var out []*entity.Entity
	for _, e := range inv.Entities {
		if slices.Contains(types, e.Type) {
			out = append(out, e)
		}
	}
	return out
}

// TestTypesKeepWantedEntitiesWhole loads every fixture with and without
// Options.Types: the wanted entities, failures and diagnostics must be the
// same, and no other type may appear. A CloudTrail depends on resources of
// other types (log groups, filters, alarms, topics, subscriptions), which
// must still be read when only CloudTrail is wanted.
func TestTypesKeepWantedEntitiesWhole(t *testing.T) {
	inputs := []string{
		"testdata/cis", "testdata/chain", "testdata/variants/data_log_group",
		"testdata/variants/literal_arn", "testdata/variants/var_log_group", "testdata/variants/non_topic_action",
		"testdata/plans/chain.json",
	}
	wants := [][]string{
		{"CloudTrail"},
		{"aws_cloudtrail"},
		{"aws_s3_bucket"},
		{"aws_cloudwatch_metric_alarm", "CloudTrail"},
		{"aws_sns_topic_subscription"},
	}
	ignoreTime := cmpopts.IgnoreFields(entity.Inventory{}, "CollectedAt")
	for _, in := range inputs {
		all, allDiags := Load(in, Options{})
		if allDiags.HasErrors() {
			t.Fatalf("%s: %s", in, allDiags.Error())
		}
		for _, types := range wants {
			some, diags := Load(in, Options{Types: types})
			if diff := cmp.Diff(describe(allDiags, ""), describe(diags, "")); diff != "" {
				t.Errorf("%s, Types %v: diagnostics differ (-all +some):\n%s", in, types, diff)
			}
			want := &entity.Inventory{Scopes: all.Scopes, Entities: only(all, types...), Tool: all.Tool}
			if slices.Contains(types, "CloudTrail") {
				want.Failures = all.Failures
			}
			if len(want.Entities) == 0 && len(all.Entities) > 0 && len(some.Entities) != 0 {
				t.Errorf("%s, Types %v: %d entities, want none", in, types, len(some.Entities))
			}
			some.Failures = slices.DeleteFunc(some.Failures, func(f entity.Failure) bool { return !slices.Contains(types, f.Type) })
			if diff := cmp.Diff(want, some, ignoreTime, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s, Types %v (-all +some):\n%s", in, types, diff)
			}
		}
	}
	// The fixtures must exercise the chain: without trails, alarms and
	// subscriptions the comparison above proves nothing.
	inv := load(t, "testdata/cis", Options{Types: []string{"CloudTrail"}})
	if n := len(only(inv, "CloudTrail")); n == 0 || n != len(inv.Entities) {
		t.Fatalf("testdata/cis with Types [CloudTrail]: %d CloudTrail entities of %d", n, len(inv.Entities))
	}
	if v := attr(t, inv.Entities[0], "cloudWatchLogsLogGroupArn"); v == nil {
		t.Errorf("the trail lost its log group")
	}
}

// TestTypesDoNotChangeWhatAnAlarmActionIs: an alarm whose actions are an
// Auto Scaling policy and a topic without subscriptions delivers to nobody.
// Whether the policy's type is loaded must not matter: when it was not, the
// policy's unknown ARN looked like a reference to a topic declared
// elsewhere, and the trail's subscriber became unknown.
func TestTypesDoNotChangeWhatAnAlarmActionIs(t *testing.T) {
	for _, types := range [][]string{nil, {"CloudTrail"}, {"CloudTrail", "aws_sns_topic"}} {
		inv := load(t, "testdata/variants/non_topic_action", Options{Types: types})
		trails := only(inv, "CloudTrail")
		if len(trails) != 1 {
			t.Fatalf("Types %v: %d CloudTrail entities, want 1", types, len(trails))
		}
		if got := attr(t, trails[0], "hasSNSSubscriber"); got != false {
			t.Errorf("Types %v: hasSNSSubscriber = %#v, want false", types, got)
		}
		filter := attr(t, trails[0], "metricFilters").([]any)[0].(map[string]any)
		alarm := filter["metricTransformations"].([]any)[0].(map[string]any)["alarms"].([]any)[0].(map[string]any)
		if got := alarm["snsTopics"]; len(got.([]any)) != 1 {
			t.Errorf("Types %v: the alarm's topics are %#v, want the one declared topic", types, got)
		}
		if n := len(inv.Entities); n != len(trails) && len(types) == 1 {
			t.Errorf("Types %v: %d entities; the resources kept to follow references must not become entities", types, n)
		}
	}
}

// TestTypesStillEvaluateEveryResource: a resource of a type nobody reads is
// still evaluated, so a broken expression in it is reported rather than
// silently skipped.
func TestTypesStillEvaluateEveryResource(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = var.missing
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.b.id
}
`})
	for _, tc := range []struct{ types, entities []string }{
		{nil, []string{"aws_s3_bucket", "aws_cloudtrail", "CloudTrail"}},
		{[]string{"CloudTrail"}, []string{"CloudTrail"}},
		{[]string{"aws_kms_key"}, nil},
	} {
		types := tc.types
		inv, diags := Load(dir, Options{Types: types})
		got := describe(diags, dir)
		want := []string{`warning main.tf:3,12-23: Reference to undeclared input variable: No input variable named "missing" is declared in this module; vigil treats its value as unknown, so the rules that read it give UNKNOWN (--strict makes this an error).`}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Types %v: diagnostics (-want +got):\n%s", types, diff)
		}
		var kinds []string
		for _, e := range inv.Entities {
			kinds = append(kinds, e.Type)
		}
		if !slices.Equal(kinds, tc.entities) {
			t.Errorf("Types %v: entities %v, want %v", types, kinds, tc.entities)
		}
	}
}
