package terraform

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"vigil/entity"
)

var update = flag.Bool("update", false, "rewrite testdata/normalise.golden from the current normalisation")

// normaliseEdges are configurations that take the CloudTrail normalisation
// down its less travelled paths, beside the fixtures in testdata.
var normaliseEdges = map[string]string{
	// Two trails on one log group; two filters on one metric, so that an
	// alarm is reached from several filters and trails; alarms on metric
	// queries, on unknown metrics, and with every kind of action.
	"shared": `
variable "unset" {}
variable "unset_list" {
  type = list(string)
}
resource "aws_cloudwatch_log_group" "trail" {
  name = "shared"
}
resource "aws_cloudwatch_log_group" "other" {
  name = "other"
}
resource "aws_cloudtrail" "a" {
  name                       = "a"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  tags                       = { B = "2", A = "1" }
}
resource "aws_cloudtrail" "b" {
  name                       = "b"
  cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:shared:*"
  enable_logging             = false
  tags                       = var.unset
  advanced_event_selector {
    name = "management"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }
  advanced_event_selector {
    name = "data"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field       = "resources.type"
      starts_with = ["AWS::S3::Object"]
    }
  }
}
resource "aws_cloudwatch_log_metric_filter" "one" {
  name           = "one"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ $.eventName = CreateTrail }"
  metric_transformation {
    name      = "changes"
    namespace = "ns"
    value     = "1"
  }
}
resource "aws_cloudwatch_log_metric_filter" "two" {
  name           = "two"
  log_group_name = "shared"
  pattern        = "{ $.eventName = DeleteTrail }"
  metric_transformation {
    name      = "changes"
    namespace = "ns"
    value     = "1"
  }
}
resource "aws_cloudwatch_log_metric_filter" "elsewhere" {
  name           = "elsewhere"
  log_group_name = aws_cloudwatch_log_group.other.name
  pattern        = "{ $.eventName = StopLogging }"
  metric_transformation {
    name      = "changes"
    namespace = "ns"
    value     = "1"
  }
}
resource "aws_cloudwatch_log_metric_filter" "no_metric" {
  name           = "no_metric"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ $.eventName = StartLogging }"
}
resource "aws_cloudwatch_log_metric_filter" "unknown_metric" {
  name           = "unknown_metric"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ $.eventName = PutRolePolicy }"
  metric_transformation {
    name      = var.unset
    namespace = "ns"
    value     = "1"
  }
}
resource "aws_sns_topic" "by_ref" {
  name = "by-ref"
}
resource "aws_sns_topic" "by_arn" {
  name = "by-arn"
}
resource "aws_sns_topic" "silent" {
  name = "silent"
}
resource "aws_sns_topic_subscription" "queue" {
  topic_arn = aws_sns_topic.by_ref.arn
  protocol  = "sqs"
  endpoint  = "arn:aws:sqs:eu-west-1:111122223333:q"
}
resource "aws_sns_topic_subscription" "mail" {
  topic_arn = "arn:aws:sns:eu-west-1:111122223333:by-arn"
  protocol  = "email"
  endpoint  = "ops@example.com"
}
resource "aws_sns_topic_subscription" "hook" {
  topic_arn              = "arn:aws:sns:eu-west-1:111122223333:by-arn"
  protocol               = "https"
  endpoint               = "https://hooks.example.com"
  endpoint_auto_confirms = "true"
}
resource "aws_sns_topic_subscription" "who_knows" {
  topic_arn = aws_sns_topic.silent.arn
  protocol  = var.unset
  endpoint  = "x"
}
resource "aws_cloudwatch_metric_alarm" "direct" {
  alarm_name    = "direct"
  metric_name   = aws_cloudwatch_log_metric_filter.one.metric_transformation[0].name
  namespace     = "ns"
  alarm_actions = [aws_sns_topic.by_ref.arn, "arn:aws:sns:eu-west-1:111122223333:by-arn", "arn:aws:sns:eu-west-1:111122223333:undeclared", "arn:aws:automate:eu-west-1:ec2:stop"]
}
resource "aws_cloudwatch_metric_alarm" "query" {
  alarm_name     = "query"
  actions_enabled = "false"
  alarm_actions  = [aws_sns_topic.silent.arn]
  metric_query {
    id = "m1"
    metric {
      metric_name = "changes"
      namespace   = "ns"
      period      = 300
      stat        = "Sum"
    }
  }
  metric_query {
    id          = "e1"
    expression  = "m1 * 2"
    return_data = true
  }
}
resource "aws_cloudwatch_metric_alarm" "maybe" {
  alarm_name      = "maybe"
  metric_name     = var.unset
  namespace       = "ns"
  actions_enabled = var.unset
  alarm_actions   = var.unset_list
}
resource "aws_cloudwatch_metric_alarm" "unknown_action" {
  alarm_name    = "unknown_action"
  metric_name   = "changes"
  namespace     = "ns"
  alarm_actions = [var.unset]
}
resource "aws_cloudwatch_metric_alarm" "other_namespace" {
  alarm_name  = "other_namespace"
  metric_name = "changes"
  namespace   = "elsewhere"
}
`,
	// Event selectors and logging as AWS gives them, and nearly so.
	"selectors": `
variable "unset" {}
resource "aws_cloudtrail" "declared_default" {
  name = "declared_default"
  event_selector {}
}
resource "aws_cloudtrail" "spelled_out" {
  name           = "spelled_out"
  enable_logging = "false"
  event_selector {
    read_write_type                  = "All"
    include_management_events        = "true"
    exclude_management_event_sources = []
  }
}
resource "aws_cloudtrail" "with_advanced" {
  name           = "with_advanced"
  enable_logging = var.unset
  event_selector {
    read_write_type = "All"
  }
  advanced_event_selector {
    name = "management"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }
}
resource "aws_cloudtrail" "two" {
  name = "two"
  event_selector {}
  event_selector {}
}
resource "aws_cloudtrail" "excluding" {
  name = "excluding"
  event_selector {
    exclude_management_event_sources = ["kms.amazonaws.com"]
  }
}
resource "aws_cloudtrail" "write_only" {
  name = "write_only"
  event_selector {
    read_write_type = "WriteOnly"
  }
}
resource "aws_cloudtrail" "no_management" {
  name = "no_management"
  event_selector {
    include_management_events = false
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}
resource "aws_cloudtrail" "unknown_management" {
  name = "unknown_management"
  event_selector {
    include_management_events = var.unset
  }
}
`,
	// Log groups the configuration does not declare, or cannot name.
	"external": `
variable "unset" {}
data "aws_cloudwatch_log_group" "existing" {
  name = "existing"
}
resource "aws_cloudtrail" "data" {
  name                       = "data"
  cloud_watch_logs_group_arn = "${data.aws_cloudwatch_log_group.existing.arn}:*"
}
resource "aws_cloudtrail" "literal" {
  name                       = "literal"
  cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:nowhere:*"
}
resource "aws_cloudtrail" "unknown" {
  name                       = "unknown"
  cloud_watch_logs_group_arn = var.unset
  event_selector {
    read_write_type           = var.unset
    include_management_events = true
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}
resource "aws_cloudwatch_log_group" "declared" {
  name = "declared"
}
resource "aws_cloudtrail" "uncertain" {
  name                       = "uncertain"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.declared.arn}:*"
}
resource "aws_cloudwatch_log_metric_filter" "uncertain" {
  name           = "uncertain"
  log_group_name = var.unset
  pattern        = "{ $.eventName = CreateTrail }"
  metric_transformation {
    name      = "m"
    namespace = "ns"
    value     = "1"
  }
}
`,
}

// normaliseInputs are the trees whose CloudTrail entities
// testdata/normalise.golden holds, by name.
func normaliseInputs(t *testing.T) map[string]string {
	inputs := map[string]string{
		"cis":      "testdata/cis",
		"variants": "testdata/variants",
		"chain":    "testdata/chain",
		"plan":     "testdata/plans/chain.json",
		"hcl":      "testdata/dynamic/hcl",
		"json":     "testdata/dynamic/json",
	}
	for name, src := range normaliseEdges {
		inputs[name] = writeTree(t, map[string]string{"main.tf": src})
	}
	corpus := t.TempDir()
	writeCorpus(t, corpus, 10*corpusRootResources) // ten trails
	inputs["corpus"] = corpus
	return inputs
}

// TestNormaliseGolden pins every CloudTrail entity of the fixtures, of the
// edge cases above and of a generated corpus, value for value and type for
// type, whether the normalisation reads instances converted whole (every
// type wanted) or converted as it reads them (only CloudTrail wanted).
func TestNormaliseGolden(t *testing.T) {
	inputs := normaliseInputs(t)
	names := make([]string, 0, len(inputs))
	for name := range inputs {
		names = append(names, name)
	}
	slices.Sort(names)
	var got strings.Builder
	for _, name := range names {
		whole := normalisedDump(t, inputs[name], nil)
		lazy := normalisedDump(t, inputs[name], []string{"CloudTrail"})
		if whole != lazy {
			t.Errorf("%s: CloudTrail entities differ with every type wanted and with only CloudTrail:\n%s\n----\n%s", name, whole, lazy)
		}
		fmt.Fprintf(&got, "== %s\n%s", name, whole)
	}
	const golden = "testdata/normalise.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		gotLines, wantLines := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gotLines), len(wantLines)) {
			if gotLines[i] != wantLines[i] {
				t.Fatalf("%s: line %d is\n%s\nwant\n%s", golden, i+1, gotLines[i], wantLines[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d", golden, len(gotLines), len(wantLines))
	}
}

// normalisedDump loads path wanting types and renders its CloudTrail
// entities with dumpValue.
func normalisedDump(t *testing.T, path string, types []string) string {
	inv := load(t, path, Options{Types: types})
	var b strings.Builder
	for _, e := range inv.Entities {
		if e.Type != "CloudTrail" {
			continue
		}
		fmt.Fprintf(&b, "%s %s %q %s:%d:%d-%d:%d sup=%d\n", e.Scope, e.ID, e.Name,
			filepath.Base(e.Origin.File), e.Origin.Start.Line, e.Origin.Start.Col, e.Origin.End.Line, e.Origin.End.Col, len(e.Suppressions))
		dumpValue(&b, "  ", e.Attrs)
	}
	return b.String()
}

// dumpValue writes v one leaf per line with its Go type, so that a nil
// and an empty list, or a float64 and an int, do not dump alike.
func dumpValue(b *strings.Builder, indent string, v any) {
	switch x := v.(type) {
	case map[string]any:
		if x == nil {
			b.WriteString("map(nil)\n")
			return
		}
		b.WriteString("map{\n")
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			b.WriteString(indent + strconv.Quote(k) + ": ")
			dumpValue(b, indent+"  ", x[k])
		}
		b.WriteString(indent[2:] + "}\n")
	case []any:
		if x == nil {
			b.WriteString("list(nil)\n")
			return
		}
		b.WriteString("list[\n")
		for _, e := range x {
			b.WriteString(indent)
			dumpValue(b, indent+"  ", e)
		}
		b.WriteString(indent[2:] + "]\n")
	case *entity.Unknown:
		fmt.Fprintf(b, "unknown(%s, %q)\n", x.Kind, x.Reason)
	case nil:
		b.WriteString("nil\n")
	default:
		fmt.Fprintf(b, "%T(%#v)\n", v, v)
	}
}

// TestReadMetricTransformations checks that a lazy metric filter reads its
// metric_transformation blocks from their cty value exactly as converting
// the value whole and reading the result does.
func TestReadMetricTransformations(t *testing.T) {
	transform := func(name, namespace, value cty.Value) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"name": name, "namespace": namespace, "value": value})
	}
	str := cty.StringVal
	ok := transform(str("m"), str("ns"), str("1"))
	objType := ok.Type()
	var many []cty.Value // more blocks than indexKeys holds
	for i := range 2*len(indexKeys) + 1 {
		many = append(many, transform(str(fmt.Sprint("m", i)), str("ns"), str(fmt.Sprint(i))))
	}
	for _, tc := range []struct {
		name string
		v    cty.Value
	}{
		{"one block", cty.TupleVal([]cty.Value{ok})},
		{"two blocks in a list", cty.ListVal([]cty.Value{ok, transform(str("n"), str("ns"), str("2"))})},
		{"set", cty.SetVal([]cty.Value{ok, transform(str("a"), str("b"), str("c"))})},
		{"many blocks in a tuple", cty.TupleVal(many)},
		{"many blocks in a list", cty.ListVal(many)},
		{"many blocks in a set", cty.SetVal(many)},
		{"no blocks", cty.EmptyTupleVal},
		{"empty list", cty.ListValEmpty(objType)},
		{"marked sequence", cty.TupleVal([]cty.Value{transform(cty.UnknownVal(cty.String), str("ns"), str("1"))}).Mark(reasonMark("outer"))},
		{"marked block", cty.TupleVal([]cty.Value{
			transform(cty.UnknownVal(cty.String).Mark(reasonMark("inner")), str("ns"), str("1")).Mark(reasonMark("block")),
		}).Mark(reasonMark("outer"))},
		{"same reason twice", cty.TupleVal([]cty.Value{
			transform(cty.UnknownVal(cty.String).Mark(reasonMark("r")), str("ns"), str("1")).Mark(reasonMark("r")),
		})},
		{"references", cty.TupleVal([]cty.Value{
			transform(str("m").Mark(refMark("aws_x.y")), str("ns"), str("1")),
		}).Mark(refMark("aws_x.z"))},
		{"unknown set value", cty.TupleVal([]cty.Value{transform(str("m"), cty.UnknownVal(cty.String).RefineNotNull(), str("1"))})},
		{"unknown block", cty.TupleVal([]cty.Value{cty.UnknownVal(objType).Mark(reasonMark("why"))})},
		{"unknown block of a list", cty.ListVal([]cty.Value{cty.UnknownVal(objType), ok})},
		{"null block", cty.ListVal([]cty.Value{cty.NullVal(objType)})},
		{"dynamic block", cty.TupleVal([]cty.Value{cty.DynamicVal})},
		{"map block", cty.TupleVal([]cty.Value{cty.MapVal(map[string]cty.Value{"name": str("m"), "value": str("1")})})},
		{"string block", cty.TupleVal([]cty.Value{str("m")})},
		{"missing arguments", cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"name": str("m"), "unit": str("Count")})})},
		{"null arguments", cty.TupleVal([]cty.Value{transform(cty.NullVal(cty.String), str("ns"), cty.NullVal(cty.String))})},
		{"number arguments", cty.TupleVal([]cty.Value{transform(cty.NumberIntVal(3), str("ns"), cty.NumberFloatVal(1.5))})},
		{"nested values", cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
			"name": str("m"), "namespace": str("ns"), "value": str("1"),
			"dimensions": cty.MapVal(map[string]cty.Value{"k": cty.UnknownVal(cty.String)}),
		})})},
		{"unknown sequence", cty.UnknownVal(cty.List(objType)).Mark(reasonMark("why"))},
		{"unknown dynamic", cty.DynamicVal},
		{"null sequence", cty.NullVal(cty.List(objType))},
		{"object", ok},
		{"string", str("m")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c converter
			whole := &instance{typ: "aws_cloudwatch_log_metric_filter", attrs: map[string]any{"metric_transformation": c.value(tc.v, nil)}}
			lazy := &instance{typ: "aws_cloudwatch_log_metric_filter", lazy: true, pending: bodyValues{{"metric_transformation", tc.v}}}
			if got, want := dumpTransformations(lazy.metricTransformations()), dumpTransformations(whole.metricTransformations()); got != want {
				t.Errorf("read lazily:\n%s\nconverted whole:\n%s", got, want)
			}
		})
	}
}

func dumpTransformations(ts []metricTransformation, u *entity.Unknown) string {
	var b strings.Builder
	if u != nil {
		dumpValue(&b, "  ", u)
	}
	for _, t := range ts {
		dumpValue(&b, "  ", []any{t.name, t.namespace, t.value})
	}
	return b.String()
}

// TestGraphIndex checks the graph's sorted indexes against maps built from
// the same instances: lookup finds what a map by address would hold (the
// last of several at one address), and the lists of the types the
// normalisation follows hold their managed instances by address, in their
// order for equal addresses.
func TestGraphIndex(t *testing.T) {
	var instances []*instance
	for _, spec := range []struct {
		addr, typ string
		managed   bool
	}{
		{"module.b.aws_sns_topic.t", "aws_sns_topic", true},
		{"aws_sns_topic.a", "aws_sns_topic", true},
		{"data.aws_sns_topic.a", "aws_sns_topic", false},
		{"aws_cloudwatch_metric_alarm.x[\"b\"]", "aws_cloudwatch_metric_alarm", true},
		{"aws_cloudwatch_metric_alarm.x[\"a\"]", "aws_cloudwatch_metric_alarm", true},
		{"aws_sns_topic.a", "aws_sns_topic", true}, // repeated, as a plan may
		{"module.a.aws_sns_topic.t", "aws_sns_topic", true},
		{"aws_cloudwatch_metric_alarm.odd", "aws_sns_topic", true}, // a plan's type need not match its address
		{"aws_s3_bucket.b", "aws_s3_bucket", true},
		{"aws_cloudwatch_log_group.g", "aws_cloudwatch_log_group", true},
	} {
		instances = append(instances, &instance{addr: spec.addr, typ: spec.typ, managed: spec.managed})
	}
	g := newGraph(instances)
	byAddr := map[string]*instance{}
	byType := map[string][]*instance{}
	for _, in := range instances {
		byAddr[in.addr] = in
		if in.managed {
			byType[in.typ] = append(byType[in.typ], in)
		}
	}
	for _, list := range byType {
		slices.SortStableFunc(list, func(a, b *instance) int { return strings.Compare(a.addr, b.addr) })
	}
	for _, addr := range []string{"aws_sns_topic.a", "data.aws_sns_topic.a", "module.b.aws_sns_topic.t", "aws_cloudwatch_metric_alarm.odd", "aws_sns_topic.b", "", "zzz"} {
		if got, want := g.lookup(addr), byAddr[addr]; got != want {
			t.Errorf("lookup(%q) = %p, want %p", addr, got, want)
		}
	}
	for k, list := range g.lists() {
		typ := followedTypes[k]
		if want := byType[typ]; !slices.Equal(*list, want) {
			t.Errorf("%s: %v, want %v", typ, *list, want)
		}
		for i, in := range *list {
			if got := position(*list, in); got != i {
				t.Errorf("position of %s #%d = %d", in.addr, i, got)
			}
		}
	}
}

// benchRoot returns the instances of one root module of the benchmark
// corpus (writeCorpus) as the loader makes them for vigil scan: the trail
// converted, the resources only its normalisation reads lazy.
func benchRoot(i int) []*instance {
	name := fmt.Sprintf("acme-%d", i)
	lgName := "/aws/cloudtrail/" + name
	const lgAddr, topicAddr = "module.logging.aws_cloudwatch_log_group.trail", "module.alarms.aws_sns_topic.alarms"
	ref := func(v cty.Value, addr string) cty.Value { return v.Mark(refMark(addr)) }
	unknownRef := func(addr string) cty.Value {
		return unknownSet(cty.String, "known after apply: "+addr+".arn").Mark(refMark(addr))
	}
	lazy := func(addr, typ string, attrs bodyValues) *instance {
		return &instance{addr: addr, managed: true, lazy: true, typ: typ, pending: attrs}
	}
	trail := &instance{
		addr: "module.logging.aws_cloudtrail.this", managed: true, typ: "aws_cloudtrail", name: "this",
		attrs: map[string]any{
			"name": name, "s3_bucket_name": name + "-logs", "is_multi_region_trail": true,
			"enable_log_file_validation": true, "enable_logging": true, "is_organization_trail": false,
			"include_global_service_events": true,
			"cloud_watch_logs_group_arn":    entity.NewUnknown(entity.UnknownSet, "known after apply: "+lgAddr+".arn"),
			"cloud_watch_logs_role_arn":     entity.NewUnknown(entity.UnknownSet, "known after apply: module.logging.aws_iam_role.trail.arn"),
			"event_selector":                []any{map[string]any{"read_write_type": "All", "include_management_events": true}},
			"tags":                          map[string]any{"Owner": "platform", "Team": fmt.Sprintf("team%d", i)},
		},
		refs: map[string][]string{"cloud_watch_logs_group_arn": {lgAddr}, "cloud_watch_logs_role_arn": {"module.logging.aws_iam_role.trail"}},
	}
	// In the order the loader makes them: by module, then by resource.
	out := []*instance{
		lazy(lgAddr, "aws_cloudwatch_log_group", bodyValues{{"name", cty.StringVal(lgName)}, {"retention_in_days", cty.NumberIntVal(365)}}),
		trail,
		lazy(topicAddr, "aws_sns_topic", bodyValues{{"name", cty.StringVal(lgName + "-alarms")}}),
		lazy("module.alarms.aws_sns_topic_subscription.email[0]", "aws_sns_topic_subscription", bodyValues{
			{"topic_arn", unknownRef(topicAddr)}, {"protocol", cty.StringVal("email")}, {"endpoint", cty.StringVal("secops@acme.example")},
		}),
	}
	keys := []string{"cloudtrail_changes", "console_no_mfa", "iam_changes", "root_usage", "vpc_changes"}
	filter := func(key string) string {
		return fmt.Sprintf("module.alarms.aws_cloudwatch_log_metric_filter.this[%q]", key)
	}
	for _, key := range keys {
		out = append(out, lazy(filter(key), "aws_cloudwatch_log_metric_filter", bodyValues{
			{"name", cty.StringVal(key)}, {"log_group_name", ref(cty.StringVal(lgName), lgAddr)},
			{"pattern", cty.StringVal("{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) }")},
			{"metric_transformation", cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
				"name": cty.StringVal(key), "namespace": cty.StringVal("CISBenchmark"), "value": cty.StringVal("1"),
			})})},
		}))
	}
	for _, key := range keys {
		out = append(out, lazy(fmt.Sprintf("module.alarms.aws_cloudwatch_metric_alarm.this[%q]", key), "aws_cloudwatch_metric_alarm", bodyValues{
			{"alarm_name", cty.StringVal("cis-" + key)}, {"comparison_operator", cty.StringVal("GreaterThanOrEqualToThreshold")},
			{"evaluation_periods", cty.NumberIntVal(1)}, {"metric_name", ref(cty.StringVal(key), filter(key))},
			{"namespace", cty.StringVal("CISBenchmark")}, {"period", cty.NumberIntVal(300)}, {"statistic", cty.StringVal("Sum")},
			{"threshold", cty.NumberIntVal(1)}, {"alarm_actions", cty.TupleVal([]cty.Value{unknownRef(topicAddr)})},
		}))
	}
	return out
}

// BenchmarkNormalise normalises the trails of as many root modules as the
// 10,000-resource corpus has, from instances made once: what entities
// costs a scan beyond making the instances.
func BenchmarkNormalise(b *testing.B) {
	roots := make([][]*instance, 10_000/corpusRootResources)
	for i := range roots {
		roots[i] = benchRoot(i)
	}
	types := newTypeFilter([]string{"CloudTrail"})
	for b.Loop() {
		for _, instances := range roots {
			if len(entities(instances, "", types)) != 1 {
				b.Fatal("want one CloudTrail entity")
			}
		}
	}
}

// TestNormaliseIndexed: the indexes of a large module's metric filters and
// alarms give the CloudTrail entities that looking at each gives, on every
// input of TestNormaliseGolden and on a generated plan of many teams in one
// root module.
func TestNormaliseIndexed(t *testing.T) {
	inputs := normaliseInputs(t)
	plan := filepath.Join(t.TempDir(), "plan.json")
	f, err := os.Create(plan)
	if err != nil {
		t.Fatal(err)
	}
	writePlan(t, f, 8)
	f.Close()
	inputs["many teams"] = plan
	// Alarms on metrics whose name or namespace is known only after
	// apply, and filters on log groups that are.
	inputs["unknown metrics"] = writeTree(t, map[string]string{"main.tf": `
variable "metric" { type = string }
variable "group" { type = string }
resource "aws_cloudwatch_log_group" "trail" { name = "trail" }
resource "aws_cloudtrail" "t" {
  name                       = "t"
  s3_bucket_name             = "b"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
}
resource "aws_cloudwatch_log_metric_filter" "known" {
  name           = "known"
  pattern        = "{ $.eventName = CreateTrail }"
  log_group_name = aws_cloudwatch_log_group.trail.name
  metric_transformation {
    name      = "Changes"
    namespace = "CIS"
    value     = "1"
  }
}
resource "aws_cloudwatch_log_metric_filter" "unknown_group" {
  name           = "unknown"
  pattern        = "{ $.eventName = DeleteTrail }"
  log_group_name = var.group
  metric_transformation {
    name      = "Deletes"
    namespace = "CIS"
    value     = "1"
  }
}
resource "aws_sns_topic" "alarms" { name = "alarms" }
resource "aws_sns_topic_subscription" "q" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "sqs"
  endpoint  = "arn:aws:sqs:us-east-1:123456789012:q"
}
resource "aws_cloudwatch_metric_alarm" "unknown_name" {
  alarm_name          = "unknown-name"
  metric_name         = var.metric
  namespace           = "CIS"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  threshold           = 1
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
resource "aws_cloudwatch_metric_alarm" "query" {
  alarm_name          = "query"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  threshold           = 1
  alarm_actions       = [aws_sns_topic.alarms.arn]
  metric_query {
    id = "m"
    metric {
      metric_name = "Changes"
      namespace   = var.metric
      period      = 300
      stat        = "Sum"
    }
  }
}
`})
	defer func(n int) { indexFrom = n }(indexFrom)
	for name, path := range inputs {
		indexFrom = 1 << 30
		each := normalisedDump(t, path, nil)
		indexFrom = 0
		if indexed := normalisedDump(t, path, nil); indexed != each {
			t.Errorf("%s: CloudTrail entities differ with the indexes:\n%s\n----\n%s", name, indexed, each)
		}
	}
}
