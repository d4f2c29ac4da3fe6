package terraform

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

func TestIsPlanJSON(t *testing.T) {
	chain, err := os.ReadFile("testdata/plans/chain.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data string
		want bool
	}{
		{"plan 1.2", string(chain), true},
		{"plan 0.1", `{"format_version":"0.1","terraform_version":"0.12.31","planned_values":{"root_module":{}}}`, true},
		{"inventory", `{"vigil_inventory":1,"entities":[]}`, false},
		{"state", `{"format_version":"1.0","terraform_version":"1.5.0","values":{}}`, false},
		{"array", `[{"isMultiRegionTrail":true}]`, false},
		{"HCL", `resource "aws_cloudtrail" "x" {}`, false},
		{"empty", ``, false},
		{"truncated", `{"format_version":"1.2","planned_values":{`, false},
	} {
		if got := IsPlanJSON([]byte(tc.data)); got != tc.want {
			t.Errorf("%s: IsPlanJSON = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestPlanFormats(t *testing.T) {
	for _, tc := range []struct {
		name, plan string
		// want lists the rendered diagnostics.
		want []string
		ids  []string
	}{
		{
			name: "format 0.1 without configuration",
			plan: `{"format_version":"0.1","terraform_version":"0.12.31",
 "planned_values":{"root_module":{"resources":[{"address":"aws_cloudtrail.t","mode":"managed","type":"aws_cloudtrail","name":"t",
  "values":{"name":"t","is_multi_region_trail":true,"cloud_watch_logs_group_arn":null}}]}},
 "resource_changes":[{"address":"aws_cloudtrail.t","mode":"managed","type":"aws_cloudtrail","name":"t","change":{"actions":["create"],"after_unknown":{"arn":true,"cloud_watch_logs_role_arn":true}}}]}`,
			ids: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			name: "unsupported format version",
			plan: `{"format_version":"2.0","planned_values":{}}`,
			want: []string{`error plan.json:1,19-19: Invalid plan JSON: plan.json:1:19: unsupported plan format version: "2.0.0" does not satisfy ">= 0.1, < 2.0"; the file could not be read as a Terraform plan.`},
		},
		{
			name: "wrong type",
			plan: "{\"format_version\":\"1.2\",\n \"planned_values\":{\"root_module\":{\"resources\":[{\"address\":7}]}}}",
			want: []string{`error plan.json:2,60-60: Invalid plan JSON: plan.json:2:60: json: cannot unmarshal number into Go struct field StateResource.planned_values.root_module.resources.address of type string; the file could not be read as a Terraform plan.`},
		},
		{
			name: "no planned values",
			plan: `{"format_version":"1.2","configuration":{}}`,
			want: []string{`warning plan.json:1,1-1: Plan has no planned values: plan.json has no planned_values.root_module, so it declares no resources to check.`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"plan.json": tc.plan})
			inv, diags := Load(dir+"/plan.json", Options{})
			if diff := cmp.Diff(tc.want, describe(diags, dir)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			var ids []string
			for _, e := range inv.Entities {
				ids = append(ids, e.ID)
			}
			if diff := cmp.Diff(tc.ids, ids); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
			if len(ids) > 0 {
				ct := inv.Entities[1]
				if ct.Attrs["isMultiRegionTrail"] != true || ct.Attrs["cloudWatchLogsLogGroupArn"] != nil {
					t.Errorf("CloudTrail from plan 0.1: %v", ct.Attrs)
				}
				u, ok := ct.Attrs["cloudWatchLogsRoleArn"].(*entity.Unknown)
				if !ok || u.Kind != entity.UnknownMaybeNull {
					t.Errorf("role ARN unknown without configuration references: %s", entity.Format(ct.Attrs["cloudWatchLogsRoleArn"]))
				}
			}
		})
	}
}

func TestPlanChainEntities(t *testing.T) {
	inv := load(t, "testdata/plans/chain.json", Options{})
	trail := find(t, inv, "aws_cloudtrail", "aws_cloudtrail.main")
	if trail.Origin.File != "testdata/plans/chain.json" || trail.Origin.Start.Line != 36 {
		t.Errorf("origin %+v, want the resource's line in planned_values", trail.Origin)
	}
	unknown(t, "cloud_watch_logs_group_arn", trail.Attrs["cloud_watch_logs_group_arn"], entity.UnknownSet, "aws_cloudwatch_log_group.trail")
	ct := find(t, inv, "CloudTrail", "aws_cloudtrail.main")
	filters := ct.Attrs["metricFilters"].([]any)
	var names []any
	for _, f := range filters {
		names = append(names, f.(map[string]any)["filterName"])
	}
	if diff := cmp.Diff([]any{"root-usage", "cloudtrail-changes"}, names); diff != "" {
		t.Errorf("filters joined through module.monitoring's variable (-want +got):\n%s", diff)
	}
	cfg := filters[1].(map[string]any)
	topic := cfg["metricTransformations"].([]any)[0].(map[string]any)["alarms"].([]any)[0].(map[string]any)["snsTopics"].([]any)[0].(map[string]any)
	if topic["confirmedSubscriptions"] != 1.0 {
		t.Errorf("confirmedSubscriptions %v, want the one sqs subscription", topic["confirmedSubscriptions"])
	}
	if filters[0].(map[string]any)["hasSNSSubscriber"] != false || cfg["hasSNSSubscriber"] != true || ct.Attrs["hasSNSSubscriber"] != true {
		t.Errorf("hasSNSSubscriber: root-usage %v, cloudtrail-changes %v, trail %v", filters[0].(map[string]any)["hasSNSSubscriber"], cfg["hasSNSSubscriber"], ct.Attrs["hasSNSSubscriber"])
	}
}

// withoutReasons replaces every Unknown by its kind, so that values from
// HCL and from a plan compare equal when only the wording of a reason
// differs.
func withoutReasons(v any) any {
	switch x := v.(type) {
	case *entity.Unknown:
		return "unknown:" + x.Kind.String()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = withoutReasons(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = withoutReasons(e)
		}
		return out
	}
	return v
}

// TestCloudTrailFromHCLAndPlanAgree: the CloudTrail entities the source
// derives from chain/ and from its plan are the same, but for the wording
// of the reasons of Unknowns.
func TestCloudTrailFromHCLAndPlanAgree(t *testing.T) {
	fromHCL := load(t, "testdata/chain", Options{})
	fromPlan := load(t, "testdata/plans/chain.json", Options{})
	for _, id := range []string{"aws_cloudtrail.main", "aws_cloudtrail.legacy"} {
		h := find(t, fromHCL, "CloudTrail", id)
		p := find(t, fromPlan, "CloudTrail", id)
		if diff := cmp.Diff(withoutReasons(h.Attrs), withoutReasons(p.Attrs)); diff != "" {
			t.Errorf("%s (-HCL +plan):\n%s", id, diff)
		}
	}
}

func TestSplitAddress(t *testing.T) {
	for addr, want := range map[string][3]string{
		"aws_cloudtrail.this":                          {"", "aws_cloudtrail", ""},
		"module.trail.aws_cloudtrail.this[0]":          {"module.trail", "aws_cloudtrail", ""},
		`module.a["x.y"].module.b.data.aws_iam_role.r`: {`module.a["x.y"].module.b`, "aws_iam_role", "data"},
		`module.a["]"].aws_sns_topic.t["k"]`:           {`module.a["]"]`, "aws_sns_topic", ""},
		"module.broken":                                {"module.broken", "", ""},
	} {
		module, typ, isData := splitAddress(addr)
		data := ""
		if isData {
			data = "data"
		}
		if got := [3]string{module, typ, data}; got != want {
			t.Errorf("splitAddress(%q) = %q, want %q", addr, got, want)
		}
	}
	if got := strings.Join(splitReference(`module.a["k.1"].out[0].x`), " "); got != "module a out x" {
		t.Errorf("splitReference: %q", got)
	}
	if got := parentModule(`module.a["x.module.y"].module.b`); got != `module.a["x.module.y"]` {
		t.Errorf("parentModule: %q", got)
	}
}

func TestPlanReferenceLoop(t *testing.T) {
	// Module a's input reads its own output, through two references per
	// hop: without memoising, resolving would take 2^64 steps.
	plan := `{"format_version":"1.2",
 "planned_values":{"root_module":{"child_modules":[{"address":"module.a","resources":[
  {"address":"module.a.aws_cloudtrail.t","mode":"managed","type":"aws_cloudtrail","name":"t","values":{"name":"t"}}]}]}},
 "resource_changes":[{"address":"module.a.aws_cloudtrail.t","change":{"actions":["create"],"after_unknown":{"cloud_watch_logs_group_arn":true}}}],
 "configuration":{"root_module":{"module_calls":{"a":{"source":"./a",
  "expressions":{"x":{"references":["module.a.out","module.a.out2"]}},
  "module":{"resources":[{"address":"aws_cloudtrail.t","mode":"managed","type":"aws_cloudtrail","name":"t",
    "expressions":{"cloud_watch_logs_group_arn":{"references":["var.x"]}}}],
   "outputs":{"out":{"expression":{"references":["var.x"]}},"out2":{"expression":{"references":["var.x"]}}}}}}}}}`
	dir := writeTree(t, map[string]string{"plan.json": plan})
	inv, diags := Load(dir+"/plan.json", Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	u, ok := inv.Entities[0].Attrs["cloud_watch_logs_group_arn"].(*entity.Unknown)
	if !ok || u.Kind != entity.UnknownMaybeNull {
		t.Errorf("a reference that resolves to no resource is a maybe-null Unknown: %v", inv.Entities[0].Attrs)
	}
}

func TestPlanDataSourceFromPriorState(t *testing.T) {
	plan := `{"format_version":"1.2",
 "planned_values":{"root_module":{"resources":[
  {"address":"aws_cloudtrail.org","mode":"managed","type":"aws_cloudtrail","name":"org",
   "values":{"name":"org","cloud_watch_logs_group_arn":"arn:aws:logs:us-east-1:111122223333:log-group:org-cloudtrail:*"}}]}},
 "prior_state":{"format_version":"1.0","values":{"root_module":{"resources":[
  {"address":"data.aws_cloudwatch_log_group.org","mode":"data","type":"aws_cloudwatch_log_group","name":"org",
   "values":{"name":"org-cloudtrail","arn":"arn:aws:logs:us-east-1:111122223333:log-group:org-cloudtrail"}}]}}},
 "configuration":{"root_module":{"resources":[{"address":"aws_cloudtrail.org","mode":"managed","type":"aws_cloudtrail","name":"org",
   "expressions":{"cloud_watch_logs_group_arn":{"references":["data.aws_cloudwatch_log_group.org.arn","data.aws_cloudwatch_log_group.org"]}}}]}}}`
	dir := writeTree(t, map[string]string{"plan.json": plan})
	inv := load(t, dir+"/plan.json", Options{})
	var ids []string
	for _, e := range inv.Entities {
		ids = append(ids, e.ID)
	}
	if diff := cmp.Diff([]string{"aws_cloudtrail.org", "aws_cloudtrail.org"}, ids); diff != "" {
		t.Errorf("data sources are not entities (-want +got):\n%s", diff)
	}
	ct := find(t, inv, "CloudTrail", "aws_cloudtrail.org")
	unknown(t, "metricFilters", ct.Attrs["metricFilters"], entity.UnknownMaybeNull, "read from data.aws_cloudwatch_log_group.org")
}

// TestPlanErrorPositions: every error of a plan's JSON is reported at the
// line and column of the offending byte (for a type error, just after the
// value, where encoding/json stops; inside an expression of the
// configuration, which terraform-json decodes on its own, the start of the
// configuration), whichever part of the plan it is in.
func TestPlanErrorPositions(t *testing.T) {
	const head = "{\"format_version\": \"1.2\",\n"
	tests := []struct {
		name, plan string
		// want is "line,col: the error's text, in part".
		want string
	}{
		{"syntax", head + " \"planned_values\": {\"root_module\": {\"resources\": [\n   {\"address\": \"a\",, }]}}}", "3,20: invalid character ','"},
		{"cut short", head + " \"planned_values\": {\"root_module\": {\"resources\": [\n", "3,1: the JSON ends before the document does"},
		{"type in a resource of a child module", head + " \"planned_values\": {\"root_module\": {\"child_modules\": [{\"resources\": [\n   {\"address\": \"a\", \"values\": 5}]}]}}}",
			"3,32: cannot unmarshal number into Go struct field StateResource.planned_values.root_module.child_modules.resources.values of type map[string]interface {}"},
		{"type in a resource change", head + " \"resource_changes\": [{\"address\": \"a\"},\n   {\"address\": \"b\", \"change\": {\"actions\": \"create\"}}]}",
			"3,51: cannot unmarshal string into Go struct field .resource_changes.change.actions of type tfjson.Actions"},
		{"type in the configuration", head + " \"configuration\": {\"root_module\":\n  {\"module_calls\": 7}}}", "3,21: cannot unmarshal number into Go struct field ConfigModule.configuration.root_module.module_calls"},
		{"type in an expression", head + " \"configuration\": {\"root_module\": {\"resources\": [\n  {\"expressions\": {\"name\": {\"references\": 5}}}]}}}",
			"2,19: cannot unmarshal number into Go struct field ConfigResource.configuration.root_module.resources.expressions.references"},
		{"not an object", head + " \"planned_values\":\n   [1]}", "3,4: planned_values is an array, want an object"},
		{"a version that is not a string", "{\"format_version\": 1.2,\n \"planned_values\": {}}", "1,23: cannot unmarshal number into Go struct field .format_version of type string"},
		{"more data", head + " \"planned_values\": {}}\n {}", "3,2: the plan is followed by more data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"plan.json": tt.plan})
			inv, diags := Load(dir+"/plan.json", Options{})
			if len(diags) != 1 || diags[0].Subject == nil {
				t.Fatalf("diagnostics %v", describe(diags, dir))
			}
			d := diags[0]
			got := fmt.Sprintf("%d,%d: %s", d.Subject.Start.Line, d.Subject.Start.Column, d.Detail)
			pos, text, _ := strings.Cut(tt.want, ": ")
			if !strings.HasPrefix(got, pos+": ") || !strings.Contains(got, text) {
				t.Errorf("got %s\nwant %s", got, tt.want)
			}
			if len(inv.Failures) != 1 || inv.Failures[0].Line != d.Subject.Start.Line || inv.Failures[0].Col != d.Subject.Start.Column {
				t.Errorf("failures %+v, want one at the diagnostic's place", inv.Failures)
			}
		})
	}
}
