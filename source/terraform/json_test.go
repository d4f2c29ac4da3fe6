package terraform

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"vigil/entity"
)

// positions matches the file:line:col an Unknown's reason may name, which
// differ between the two syntaxes of one configuration.
var positions = regexp.MustCompile(`\S+\.tf(\.json)?:\d+:\d+`)

// TestJSONDynamicBlocks loads the same configuration written in native
// syntax and in JSON syntax, dynamic blocks (with iterators, nested, and
// over an unknown value) included, and requires the same entities.
func TestJSONDynamicBlocks(t *testing.T) {
	native, nativeDiags := Load("testdata/dynamic/hcl", Options{})
	fromJSON, jsonDiags := Load("testdata/dynamic/json", Options{})
	if diff := cmp.Diff(describe(nativeDiags, "testdata/dynamic/hcl"), describe(jsonDiags, "testdata/dynamic/json")); diff != "" {
		t.Errorf("diagnostics (-native +json):\n%s", diff)
	}
	opts := cmp.Options{
		cmpopts.IgnoreFields(entity.Entity{}, "Origin"),
		cmp.Transformer("reason", func(u *entity.Unknown) entity.Unknown {
			return entity.Unknown{Kind: u.Kind, Reason: positions.ReplaceAllString(u.Reason, "FILE:L:C")}
		}),
	}
	if diff := cmp.Diff(native.Entities, fromJSON.Entities, opts...); diff != "" {
		t.Errorf("entities (-native +json):\n%s", diff)
	}

	// And what both should be.
	alarm := find(t, fromJSON, "aws_cloudwatch_metric_alarm", "aws_cloudwatch_metric_alarm.composite")
	wantQuery := []any{
		map[string]any{"id": "errors", "metric": []any{
			map[string]any{"metric_name": "Errors", "namespace": "AWS/Lambda", "stat": "Sum-0"},
			map[string]any{"metric_name": "Throttles", "namespace": "AWS/Lambda", "stat": "Sum-1"},
		}},
		map[string]any{"id": "requests", "metric": []any{
			map[string]any{"metric_name": "5XXError", "namespace": "AWS/ApiGateway", "stat": "Sum-0"},
		}},
	}
	if diff := cmp.Diff(wantQuery, alarm.Attrs["metric_query"]); diff != "" {
		t.Errorf("nested dynamic blocks (-want +got):\n%s", diff)
	}
	trail := find(t, fromJSON, "CloudTrail", "aws_cloudtrail.main")
	// The normalised field selector lists every operator.
	selector := func(category string) map[string]any {
		return map[string]any{
			"field": "eventCategory", "equals": []any{category}, "notEquals": []any{},
			"startsWith": []any{}, "notStartsWith": []any{}, "endsWith": []any{}, "notEndsWith": []any{},
		}
	}
	wantSelectors := []any{
		map[string]any{"name": "Management events", "fieldSelectors": []any{selector("Management")}},
		map[string]any{"name": "S3 data events", "fieldSelectors": []any{selector("Data")}},
	}
	if diff := cmp.Diff(wantSelectors, trail.Attrs["advancedEventSelectors"]); diff != "" {
		t.Errorf("advancedEventSelectors from a JSON dynamic block with an iterator (-want +got):\n%s", diff)
	}
	extra := find(t, fromJSON, "aws_cloudtrail", "aws_cloudtrail.extra")
	u, ok := extra.Attrs["event_selector"].(*entity.Unknown)
	if !ok || u.Kind != entity.UnknownMaybeNull || u.Reason != `the for_each of dynamic "event_selector" at testdata/dynamic/json/main.tf.json:44:25 is known only after apply; variable extra_selectors has no value (no default, tfvars, --var or TF_VAR_extra_selectors)` {
		t.Errorf("dynamic block over an unknown value: %#v", extra.Attrs["event_selector"])
	}
}

func TestMalformedJSONDynamicBlocks(t *testing.T) {
	resource := func(dynamic string) map[string]string {
		return map[string]string{"main.tf.json": `{"resource": {"aws_cloudtrail": {"t": {"name": "t", "dynamic": ` + dynamic + `}}}}`}
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "no label",
			files: resource(`{"for_each": "${[1]}", "content": {}}`),
			want: []string{`error main.tf.json:1,77-85: Incorrect JSON value type: Either a JSON object or a JSON array is required, representing the contents of one or more "dynamic" blocks.`,
				// "content" taken for the label, {} for its body.
				`error main.tf.json:1,98-99: Invalid dynamic block: A dynamic block needs a for_each argument and a content block.`,
			},
		},
		{
			name:  "no content",
			files: resource(`{"event_selector": {"for_each": "${[1]}"}}`),
			want:  []string{`error main.tf.json:1,83-84: Invalid dynamic block: A dynamic block needs a for_each argument and a content block.`},
		},
		{
			name:  "for_each not a collection",
			files: resource(`{"event_selector": {"for_each": "${true}", "content": {"read_write_type": "All"}}}`),
			want:  []string{`error main.tf.json:1,96-105: Invalid dynamic for_each value: The for_each of a dynamic block must be a collection.`},
		},
		{
			name:  "iterator not a name",
			files: resource(`{"event_selector": {"for_each": "${[1]}", "iterator": 7, "content": {}}}`),
			want:  []string{`error main.tf.json:1,118-119: Invalid dynamic iterator: The iterator of a dynamic block must be a name, such as "setting".`},
		},
		{
			name:  "unexpected argument",
			files: resource(`{"event_selector": {"for_each": "${[1]}", "conten": {}}}`),
			want: []string{
				`error main.tf.json:1,83-84: Invalid dynamic block: A dynamic block needs a for_each argument and a content block.`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			inv, diags := Load(dir, Options{})
			if diff := cmp.Diff(tt.want, describe(diags, dir)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if len(inv.Entities) != 2 {
				t.Errorf("the trail is still an entity: got %d entities", len(inv.Entities))
			}
		})
	}
}

// TestForExpressionsStillEvaluate checks that bounding for expressions
// (limits.go) leaves their values alone, in both syntaxes, in a JSON string
// nested in an object, and in a variable default, which is evaluated
// without functions.
func TestForExpressionsStillEvaluate(t *testing.T) {
	native := writeTree(t, map[string]string{"main.tf": `variable "l" {
  default = [for s in ["a", "b", "c"] : s]
}
variable "m" {
  default = { x = "1", y = "2" }
}
resource "aws_s3_bucket" "b" {
  list = [for x in var.l : upper(x) if x != "b"]
  tags = { pairs = join(",", [for k, v in var.m : "${k}=${v}"]) }
}
`})
	fromJSON := writeTree(t, map[string]string{"main.tf.json": `{
  "variable": {"l": {"default": ["a", "b", "c"]}, "m": {"default": {"x": "1", "y": "2"}}},
  "resource": {"aws_s3_bucket": {"b": {
    "list": "${[for x in var.l : upper(x) if x != \"b\"]}",
    "tags": {"pairs": "${join(\",\", [for k, v in var.m : \"${k}=${v}\"])}"}
  }}}
}`})
	want := map[string]any{"list": []any{"A", "C"}, "tags": map[string]any{"pairs": "x=1,y=2"}}
	for _, dir := range []string{native, fromJSON} {
		inv := load(t, dir, Options{})
		if diff := cmp.Diff(want, inv.Entities[0].Attrs); diff != "" {
			t.Errorf("%s (-want +got):\n%s", dir, diff)
		}
	}
}
