package terraform

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"vigil/entity"
)

// loadAttrs loads files and returns the attributes of each entity of type
// typ by ID.
func loadAttrs(t *testing.T, files map[string]string, opts Options, typ string) map[string]map[string]any {
	t.Helper()
	dir := writeTree(t, files)
	inv, diags := Load(dir, opts)
	if diags.HasErrors() {
		t.Fatalf("Load: %s", diags.Error())
	}
	out := map[string]map[string]any{}
	for _, e := range inv.Entities {
		if e.Type == typ {
			out[e.ID] = e.Attrs
		}
	}
	return out
}

const varsModule = `
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "f" {
  type    = list(string)
  default = []
}
variable "g" { type = number }
resource "aws_s3_bucket" "x" {
  tags = { a = var.a, b = var.b, c = var.c, d = var.d, e = var.e }
  f    = var.f
  g    = var.g
}
`

func TestVariablePrecedence(t *testing.T) {
	files := map[string]string{
		"main.tf":          varsModule,
		"terraform.tfvars": "b = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\ne = \"tfvars\"\n",
		"z.auto.tfvars":    "c = \"auto-z\"\n",
		"a.auto.tfvars":    "c = \"auto-a\"\nd = \"auto-a\"\ne = \"auto-a\"\n",
		"ci.tfvars":        "d = \"var-file\"\ne = \"var-file\"\n",
	}
	dir := writeTree(t, files)
	inv, diags := Load(dir, Options{
		VarFiles: []string{dir + "/ci.tfvars"},
		Vars:     []string{"e=flag", `f=["x", "y"]`},
		Environ:  []string{"PATH=/bin", "TF_VAR_a=env", "TF_VAR_b=env", "TF_VAR_g=7"},
	})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	got := inv.Entities[0].Attrs
	want := map[string]any{
		// default < TF_VAR_ < terraform.tfvars < *.auto.tfvars (lexical) < --var-file < --var
		"tags": map[string]any{"a": "env", "b": "tfvars", "c": "auto-z", "d": "var-file", "e": "flag"},
		"f":    []any{"x", "y"}, // a --var of a list type is parsed as HCL
		"g":    7.0,             // TF_VAR_ of a number type is converted
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestVariableWithoutValueIsMaybeNullUnknown(t *testing.T) {
	got := loadAttrs(t, map[string]string{"main.tf": varsModule}, Options{}, "aws_s3_bucket")["aws_s3_bucket.x"]
	u, ok := got["g"].(*entity.Unknown)
	if !ok || u.Kind != entity.UnknownMaybeNull || u.Reason != "variable g has no value (no default, tfvars, --var or TF_VAR_g)" {
		t.Errorf("g = %s, want a maybe-null Unknown naming the variable", entity.Format(got["g"]))
	}
}

func TestExpressions(t *testing.T) {
	files := map[string]string{"policy.tpl": `{"name": "${upper(name)}"}`, "main.tf": `
variable "env" { default = "prod" }
variable "unset" { type = string }
locals {
  prefix  = upper(substr(var.env, 0, 1))
  regions = toset(["us-east-1", "eu-west-1"])
  tags    = { for k, v in { team = "sec", env = var.env } : k => upper(v) }
  csv     = csvdecode("a,b\n1,2\n")
}
resource "aws_s3_bucket" "x" {
  conditional   = var.env == "prod" ? "yes" : "no"
  unknown_cond  = var.unset == "x" ? "yes" : "no"
  format        = format("%s-%03d", local.prefix, 7)
  joined        = join(",", sort(local.regions))
  tags          = local.tags
  splat         = [for r in sort(local.regions) : "${r}-trail"]
  starts        = startswith(var.env, "pr")
  contains      = strcontains("cloudtrail", "trail")
  one           = one(["only"])
  sum           = sum([1, 2, 3.5])
  all           = alltrue([true, var.env == "prod"])
  any           = anytrue([false, false])
  coalesce      = coalesce("", "fallback")
  cidr          = cidrsubnet("10.0.0.0/16", 8, 2)
  b64           = base64encode("hi")
  sha           = sha256("x")
  yaml          = yamldecode("a: 1")
  json          = jsondecode("{\"k\": [1, true]}")
  regex_replace = replace("a-b-c", "/-/", "_")
  try           = try(local.tags["missing"], "fallback")
  can           = can(regex("^[a-z]+$", "abc"))
  length_str    = length("héllo")
  templated     = templatefile("policy.tpl", { name = var.env })
  file          = file("policy.tpl")
  index         = index(["a", "b"], "b")
  b64sha        = base64sha256("x")
  csv_rows      = length(local.csv)
  timestamp     = timestamp()
  unsupported   = filemd5("main.tf")
}
`}
	inv, diags := Load(writeTree(t, files), Options{})
	// filemd5 is unsupported: a warning, and an Unknown.
	for _, d := range diags {
		if d.Summary != "Unsupported function" {
			t.Errorf("unexpected diagnostic: %s: %s", d.Summary, d.Detail)
		}
	}
	got := inv.Entities[0].Attrs
	want := map[string]any{
		"conditional":   "yes",
		"format":        "P-007",
		"joined":        "eu-west-1,us-east-1",
		"tags":          map[string]any{"team": "SEC", "env": "PROD"},
		"splat":         []any{"eu-west-1-trail", "us-east-1-trail"},
		"starts":        true,
		"contains":      true,
		"one":           "only",
		"sum":           6.5,
		"all":           true,
		"any":           false,
		"coalesce":      "fallback",
		"cidr":          "10.0.2.0/24",
		"b64":           "aGk=",
		"sha":           "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",
		"yaml":          map[string]any{"a": 1.0},
		"json":          map[string]any{"k": []any{1.0, true}},
		"regex_replace": "a_b_c",
		"try":           "fallback",
		"can":           true,
		"length_str":    5.0,
		"templated":     `{"name": "PROD"}`,
		"file":          `{"name": "${upper(name)}"}`,
		"index":         1.0,
		"b64sha":        "LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=",
		"csv_rows":      1.0,
	}
	for k, w := range want {
		if diff := cmp.Diff(w, got[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	for k, reason := range map[string]string{
		"unknown_cond": "variable unset has no value",
		"timestamp":    "timestamp() is known only when Terraform applies",
		"unsupported":  "function filemd5 is not supported by vigil",
	} {
		u, ok := got[k].(*entity.Unknown)
		if !ok || !strings.HasPrefix(u.Reason, reason) {
			t.Errorf("%s = %s, want an Unknown because %q", k, entity.Format(got[k]), reason)
		}
	}
}

func TestCountForEachAndDynamic(t *testing.T) {
	files := map[string]string{"main.tf": `
variable "topics" {
  default = { alerts = "email", pager = "https" }
}
variable "unknown_count" { type = number }
resource "aws_sns_topic" "t" {
  for_each = var.topics
  name     = "${each.key}-topic"
  protocol = each.value
}
resource "aws_sns_topic_subscription" "s" {
  count     = 2
  topic_arn = aws_sns_topic.t["alerts"].arn
  endpoint  = "q-${count.index}"
}
resource "aws_cloudwatch_metric_alarm" "a" {
  alarm_name    = "a"
  alarm_actions = [for t in aws_sns_topic.t : t.arn]
  names         = values(aws_sns_topic.t)[*].name
  first         = aws_sns_topic_subscription.s[0].endpoint
  dynamic "metric_query" {
    for_each = ["m1", "m2"]
    content {
      id = metric_query.value
      metric {
        metric_name = "${metric_query.value}-metric"
        namespace   = "ns"
      }
    }
  }
}
resource "aws_s3_bucket" "maybe" {
  count = var.unknown_count
  tags  = { index = count.index }
}
`}
	dir := writeTree(t, files)
	inv, diags := Load(dir, Options{})
	if len(diags) != 1 || diags[0].Summary != "Instances known only after apply" {
		t.Errorf("diagnostics: %s", describe(diags, dir))
	}
	var ids []string
	byID := map[string]*entity.Entity{}
	for _, e := range inv.Entities {
		ids = append(ids, e.ID)
		byID[e.ID] = e
	}
	wantIDs := []string{
		`aws_sns_topic.t["alerts"]`, `aws_sns_topic.t["pager"]`,
		"aws_sns_topic_subscription.s[0]", "aws_sns_topic_subscription.s[1]",
		"aws_cloudwatch_metric_alarm.a", "aws_s3_bucket.maybe[*]",
	}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Fatalf("IDs (-want +got):\n%s", diff)
	}
	if got := byID[`aws_sns_topic.t["pager"]`].Attrs; got["name"] != "pager-topic" || got["protocol"] != "https" {
		t.Errorf("each.key/each.value: %v", got)
	}
	if got := byID["aws_sns_topic_subscription.s[1]"].Attrs["endpoint"]; got != "q-1" {
		t.Errorf("count.index: %v", got)
	}
	alarm := byID["aws_cloudwatch_metric_alarm.a"].Attrs
	if diff := cmp.Diff([]any{"alerts-topic", "pager-topic"}, alarm["names"]); diff != "" {
		t.Errorf("splat over for_each (-want +got):\n%s", diff)
	}
	if alarm["first"] != "q-0" {
		t.Errorf("index into counted resource: %v", alarm["first"])
	}
	actions := alarm["alarm_actions"].([]any)
	if len(actions) != 2 {
		t.Fatalf("alarm_actions %v", actions)
	}
	for _, a := range actions {
		if u, ok := a.(*entity.Unknown); !ok || u.Kind != entity.UnknownSet {
			t.Errorf("a topic's arn is a set Unknown, got %s", entity.Format(a))
		}
	}
	wantQuery := []any{
		map[string]any{"id": "m1", "metric": []any{map[string]any{"metric_name": "m1-metric", "namespace": "ns"}}},
		map[string]any{"id": "m2", "metric": []any{map[string]any{"metric_name": "m2-metric", "namespace": "ns"}}},
	}
	if diff := cmp.Diff(wantQuery, alarm["metric_query"]); diff != "" {
		t.Errorf("dynamic blocks (-want +got):\n%s", diff)
	}
	u, ok := byID["aws_s3_bucket.maybe[*]"].Attrs["tags"].(map[string]any)["index"].(*entity.Unknown)
	if !ok || u.Kind != entity.UnknownSet {
		t.Errorf("count.index of an unknown count: %v", byID["aws_s3_bucket.maybe[*]"].Attrs)
	}
}

func TestReferencesAcrossModules(t *testing.T) {
	files := map[string]string{
		"main.tf": `
module "net" {
  source   = "./modules/net"
  for_each = toset(["a", "b"])
  name     = each.key
}
module "remote" {
  source = "git::https://example.com/mod.git"
}
resource "aws_s3_bucket" "x" {
  names  = [for k, m in module.net : m.name]
  remote = module.remote.bucket
}
`,
		"modules/net/main.tf": `
variable "name" {}
resource "aws_cloudwatch_log_group" "g" {
  name = "group-${var.name}"
}
output "name" {
  value = aws_cloudwatch_log_group.g.name
}
`,
	}
	dir := writeTree(t, files)
	inv, _ := Load(dir, Options{})
	var x *entity.Entity
	var ids []string
	for _, e := range inv.Entities {
		ids = append(ids, e.ID)
		if e.ID == "aws_s3_bucket.x" {
			x = e
		}
	}
	if diff := cmp.Diff([]string{"aws_s3_bucket.x", `module.net["a"].aws_cloudwatch_log_group.g`, `module.net["b"].aws_cloudwatch_log_group.g`}, ids); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{"group-a", "group-b"}, x.Attrs["names"]); diff != "" {
		t.Errorf("outputs of for_each module (-want +got):\n%s", diff)
	}
	u, ok := x.Attrs["remote"].(*entity.Unknown)
	if !ok || u.Kind != entity.UnknownMaybeNull || u.Reason != `the outputs of module remote are unknown: it is not installed (run terraform init to install it)` {
		t.Errorf("output of an unloaded module: %s", entity.Format(x.Attrs["remote"]))
	}
}

func TestJSONConfiguration(t *testing.T) {
	files := map[string]string{
		"main.tf.json": `{
  "variable": {"prefix": {"default": "acme"}},
  "resource": {
    "aws_cloudtrail": {
      "json": {
        "name": "${var.prefix}-trail",
        "is_multi_region_trail": true,
        "cloud_watch_logs_group_arn": "${aws_cloudwatch_log_group.native.arn}:*",
        "cloud_watch_logs_role_arn": "${aws_iam_role.r.arn}",
        "event_selector": {"read_write_type": "All", "include_management_events": true},
        "count": 1
      }
    }
  }
}`,
		"native.tf": `
resource "aws_cloudwatch_log_group" "native" {
  name = "${var.prefix}-logs"
}
resource "aws_iam_role" "r" {
  name = "r"
}
`,
	}
	inv := load(t, writeTree(t, files), Options{})
	trail := find(t, inv, "aws_cloudtrail", "aws_cloudtrail.json[0]")
	if trail.Origin.File == "" || trail.Origin.Start.Line != 5 {
		t.Errorf("origin %+v", trail.Origin)
	}
	if diff := cmp.Diff([]any{map[string]any{"read_write_type": "All", "include_management_events": true}}, trail.Attrs["event_selector"]); diff != "" {
		t.Errorf("a JSON block object becomes a list of one (-want +got):\n%s", diff)
	}
	ct := find(t, inv, "CloudTrail", "aws_cloudtrail.json[0]")
	if ct.Attrs["name"] != "acme-trail" || ct.Attrs["isMultiRegionTrail"] != true || ct.Attrs["hasManagementEventsReadWrite"] != true {
		t.Errorf("CloudTrail from JSON: %v", ct.Attrs)
	}
	if got := ct.Attrs["metricFilters"]; !cmp.Equal(got, []any{}) {
		t.Errorf("the JSON trail's log group, declared in HCL, has no filters: %s", entity.Format(got))
	}
	if _, ok := trail.Attrs["count"]; ok {
		t.Error("count is a meta-argument, not an attribute")
	}
}

func TestTrailOfUnknownCountIsAFailure(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
variable "enabled" { type = bool }
resource "aws_cloudtrail" "maybe" {
  count                 = var.enabled ? 1 : 0
  name                  = "maybe"
  is_multi_region_trail = true
}
`})
	inv, _ := Load(dir, Options{})
	want := []entity.Failure{{
		Type: "CloudTrail", Scope: ".", Entity: "aws_cloudtrail.maybe[*]", File: dir + "/main.tf", Line: 3, Col: 1,
		Error: "how many instances of aws_cloudtrail.maybe[*] exist is known only after apply",
	}}
	if diff := cmp.Diff(want, inv.Failures); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}

// TestPlainValueMatchesHCL checks that the expressions evaluated without an
// evaluation context give exactly what HCL gives with one, marks and
// unknowns included, and that the ones plainValue must leave to HCL (a bad
// index, a module output) are left.
func TestPlainValueMatchesHCL(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
variable "emails" {
  type    = list(string)
  default = ["a@example.com", "b@example.com"]
}
variable "tags" {
  type    = map(string)
  default = { team = "sec" }
}
variable "later" {
  type = string
}
resource "aws_sns_topic" "t" {
  count = 2
  name  = "t${count.index}"
}
resource "aws_cloudwatch_log_metric_filter" "f" {
  for_each = { a = "x", b = "y" }
  name     = each.key
  metric_transformation {
    name      = "n-${each.key}"
    namespace = "ns"
    value     = "1"
  }
}
resource "aws_sqs_queue" "q" {
  name = var.later
}
module "m" {
  source = "./m"
}
data "aws_caller_identity" "me" {}
`, "m/main.tf": `output "o" { value = ["x"] }`})
	l := NewLoader(Options{})
	tr := &tree{l: l, root: dir, configs: map[string]*moduleConfig{}}
	tr.walk()
	for _, m := range tr.order {
		for _, c := range m.calls {
			tr.resolveCall(m, c)
		}
	}
	root := tr.configs[filepath.Clean(dir)]
	vars, _ := l.rootVariableSources()
	ev := newEvaluation(tr, root, vars, map[string]variableValue{}, nil)
	mi := ev.newModInst(root, "", nil, nil, 0)
	// An instance frame of a count and a for_each at once, so that index
	// keys can be references; the marks must come through.
	fr := &frame{
		mi:       mi,
		countIdx: cty.NumberIntVal(1),
		eachKey:  cty.StringVal("b").Mark(refMark("somewhere")),
		eachVal:  cty.StringVal("team").Mark(reasonMark("why")),
	}
	tests := []struct {
		expr  string
		plain bool
	}{
		{`var.emails[1]`, true},
		{`var.emails[count.index]`, true},
		{`var.emails[count]`, false}, // indexing by an object: HCL reports it
		{`var.tags["team"]`, true},
		{`var.tags[each.value]`, true},
		{`var.later`, true},
		{`var.later[0]`, false}, // a string has no elements: HCL reports it
		{`aws_sns_topic.t[1].arn`, true},
		{`aws_sns_topic.t[count.index].arn`, true},
		{`aws_sns_topic.t[count.index]`, true},
		{`aws_sns_topic.t[0].name`, true},
		{`aws_cloudwatch_log_metric_filter.f["b"].metric_transformation[0].name`, true},
		{`aws_cloudwatch_log_metric_filter.f[each.key].metric_transformation[0].name`, true},
		{`aws_cloudwatch_log_metric_filter.f[each.key].metric_transformation[count.index - 1]`, false},
		{`aws_sqs_queue.q.name`, true},
		{`[aws_sns_topic.t[0].arn, "x", var.later]`, true},
		{`[]`, true},
		{`["${var.tags[each.value]}-${count.index}"]`, false}, // templates take plain references only
		{`["${var.tags.team}-${count.index}"]`, true},
		{`[var.tags["team"], "${aws_sns_topic.t[1].arn}:*"]`, true},
		{`var.emails[5]`, false},      // out of range: HCL reports it
		{`var.tags["nope"]`, false},   // missing key: HCL reports it
		{`var.tags[each.key]`, false}, // missing key: HCL reports it
		{`module.m.o[0]`, true},
		{`module.m.o[count.index]`, false}, // out of range: HCL reports it
		{`module.m`, true},
		{`module.nope.o`, true}, // undeclared: reported, and unknown
		{`[module.m.o[0], data.aws_caller_identity.me.account_id]`, true},
		{`data.aws_caller_identity.me`, true},
		{`data.aws_caller_identity.nope.account_id`, true},      // undeclared: reported, and unknown
		{`[upper("x"), "y"]`, false},                            // a function call needs a context
		{`aws_sns_topic.t[count.index].arn[0]`, false},          // indexing a string
		{`aws_cloudwatch_log_metric_filter.f[var.later]`, true}, // unknown key: unknown
	}
	for _, tc := range tests {
		expr, diags := hclsyntax.ParseExpression([]byte(tc.expr), "test.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", tc.expr, diags.Error())
		}
		plain, ok := ev.plainValue(expr, fr, nil)
		if ok != tc.plain {
			t.Errorf("%s: plainValue ok = %t, want %t", tc.expr, ok, tc.plain)
			continue
		}
		if !ok {
			continue
		}
		general := ev.evalWithContext(expr, fr, nil)
		if !plain.RawEquals(general) {
			t.Errorf("%s: plainValue gives %#v, HCL gives %#v", tc.expr, plain, general)
		}
	}
}
