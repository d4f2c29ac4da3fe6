package terraform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

// doublingLocals returns a locals block of n locals, each built from the
// one before twice by combine ("${local.%[1]s}${local.%[1]s}"), l0 being
// first.
func doublingLocals(n int, first, combine string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "locals {\n  l0 = %s\n", first)
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  l%d = %s\n", i, fmt.Sprintf(combine, fmt.Sprintf("l%d", i-1)))
	}
	b.WriteString("}\n")
	return b.String()
}

// billionLaughs is a YAML text of 9 lines whose aliases expand to 9^9
// strings.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString(`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for c := 'b'; c <= 'i'; c++ {
		p := string(c - 1)
		fmt.Fprintf(&b, "%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat("*"+p+",", 9), ","))
	}
	return b.String()
}

// trail is a trail whose name is expr.
func trail(name, expr string) string {
	return fmt.Sprintf("resource \"aws_cloudtrail\" %q {\n  name           = %s\n  s3_bucket_name = \"b\"\n}\n", name, expr)
}

// limitCase is a reproducer of issue 14: a hostile root module, beside
// which the scan has another, plain one.
type limitCase struct {
	name  string
	files map[string]string // the hostile root module, under hostile/
	// want lists every diagnostic, rendered by describe.
	want []string
	// unknown is the reason the name of a trail of the hostile root
	// module has, as an Unknown (a part of it).
	unknown string
	// trails bounds how many trails the hostile root module has.
	trails int
	// failures lists the collection failures of the inventory, as
	// "type scope entity: error".
	failures []string
}

// run checks that the case stops at its limit with one error naming
// where, that the value it would have built is Unknown with the reason,
// and that the other root module is evaluated as if the hostile one were
// not there.
func (tt limitCase) run(t *testing.T) {
	files := map[string]string{"other/main.tf": trail("o", `"other"`)}
	for name, src := range tt.files {
		files[name] = src
	}
	dir := writeTree(t, files)
	inv, diags := Load(dir, Options{})
	if diff := cmp.Diff(tt.want, describe(diags, dir)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	trails, found, other := 0, false, false
	var reasons []string
	for _, e := range inv.Entities {
		switch {
		case e.Type != "aws_cloudtrail":
		case e.Scope == "other":
			other = e.ID == "aws_cloudtrail.o" && e.Attrs["name"] == "other"
		default:
			trails++
			if u, ok := e.Attrs["name"].(*entity.Unknown); ok {
				found = found || strings.Contains(u.Reason, tt.unknown)
				reasons = append(reasons, u.Reason)
			}
		}
	}
	if !found {
		t.Errorf("no trail's name is Unknown with %q; reasons: %q", tt.unknown, reasons[:min(len(reasons), 3)])
	}
	if !other {
		t.Error("the other root module's trail is missing or changed")
	}
	if trails > max(tt.trails, 1) {
		t.Errorf("%d trails in the hostile root module", trails)
	}
	var failures []string
	for _, f := range inv.Failures {
		failures = append(failures, fmt.Sprintf("%s %s %s: %s", f.Type, f.Scope, f.Entity, f.Error))
	}
	if diff := cmp.Diff(tt.failures, failures); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}

// TestModuleInstanceLimit runs the module calls that asked for 2^32 and
// 100^4 instances: they stop at MaxModuleInstances, each error given
// once, not for every instance of the calls above.
func TestModuleInstanceLimit(t *testing.T) {
	nested := map[string]string{
		"hostile/main.tf":    "module \"a\" {\n  source = \"./m1\"\n  count  = 100\n}\n" + trail("t", "jsonencode(module.a[99].names)"),
		"hostile/m4/main.tf": trail("t", `"t4"`) + "output \"names\" {\n  value = [aws_cloudtrail.t.name]\n}\n",
	}
	for i := 1; i <= 3; i++ {
		nested[fmt.Sprintf("hostile/m%d/main.tf", i)] = fmt.Sprintf("module \"b\" {\n  source = \"../m%d\"\n  count  = 100\n}\n", i+1) +
			trail("t", fmt.Sprintf(`"t%d"`, i)) + "output \"names\" {\n  value = module.b[*].names\n}\n"
	}
	const tooMany = "Too many module instances: The module calls of the root module in hostile would create more than 10000 module instances; vigil stops here: the outputs of this call, and of the calls it did not expand, are unknown, and their resources are not checked."
	tests := []limitCase{
		{
			name: "self-calling module with count = 2",
			files: map[string]string{
				"hostile/main.tf":      "module \"loop\" {\n  source = \"./loop\"\n}\n",
				"hostile/loop/main.tf": "module \"x\" {\n  source = \"./\"\n  count  = 2\n}\n" + trail("t", `"t-${length(module.x)}"`),
			},
			want: []string{
				"error hostile/loop/main.tf:1,1-4,2: " + tooMany,
				"error hostile/loop/main.tf:2,12-16: Modules nested too deeply: module.loop" + strings.Repeat(".module.x", 32) + " is nested 33 modules deep; vigil follows at most 32. A module that calls itself never ends.",
			},
			unknown: "would create more than 10000 module instances",
			trails:  MaxModuleInstances + 1,
			// A List<CloudTrail> rule must not pass on the trails built:
			// the modules not expanded have more.
			failures: []string{
				"aws_cloudtrail hostile module.loop" + strings.Repeat(".module.x[0]", 31) + ".module.x: the resources of module.loop" + strings.Repeat(".module.x[0]", 31) + ".module.x were not expanded: modules nested more than 32 deep",
				"CloudTrail hostile module.loop" + strings.Repeat(".module.x[0]", 31) + ".module.x: the resources of module.loop" + strings.Repeat(".module.x[0]", 31) + ".module.x were not expanded: modules nested more than 32 deep",
			},
		},
		{
			// The literal count = 100 is not "known only after apply".
			name:    "modules nested 4 deep with count = 100 each",
			files:   nested,
			want:    []string{"error hostile/m3/main.tf:1,1-4,2: " + tooMany},
			unknown: "are unknown: the module calls of this root module would create more than 10000 module instances",
			trails:  MaxModuleInstances + 1,
			failures: []string{
				"aws_cloudtrail hostile module.a[0].module.b[0].module.b[97].module.b: the resources of module.a[0].module.b[0].module.b[97].module.b were not expanded: the module calls of this root module would create more than 10000 module instances",
				"CloudTrail hostile module.a[0].module.b[0].module.b[97].module.b: the resources of module.a[0].module.b[0].module.b[97].module.b were not expanded: the module calls of this root module would create more than 10000 module instances",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

// TestValueLimits runs the values that doubled, or expanded, without
// bound: each stops at MaxValueBytes.
func TestValueLimits(t *testing.T) {
	const valueTooLarge = "Value too large: This would build a value of more than 16777216 bytes; vigil builds values of at most that size, and treats this one as unknown."
	tests := []limitCase{
		{
			name:    "a string that doubles 39 times",
			files:   map[string]string{"hostile/main.tf": doublingLocals(40, `"0123456789abcdef"`, `"${local.%[1]s}${local.%[1]s}"`) + trail("t", "local.l39")},
			want:    []string{"error hostile/main.tf:23,9-35: " + valueTooLarge},
			unknown: "Value too large",
		},
		{
			// simpleTemplate leaves path.module to HCL.
			name:    "a string that doubles after path.module",
			files:   map[string]string{"hostile/main.tf": doublingLocals(40, `"0123456789abcdef"`, `"${path.module}${local.%[1]s}${local.%[1]s}"`) + trail("t", "local.l39")},
			want:    []string{"error hostile/main.tf:22,9-49: " + valueTooLarge},
			unknown: "Value too large",
		},
		{
			name:    "a list that doubles 39 times with concat",
			files:   map[string]string{"hostile/main.tf": doublingLocals(40, `["0123456789abcdef"]`, "concat(local.%[1]s, local.%[1]s)") + trail("t", "length(local.l39)")},
			want:    []string{"error hostile/main.tf:21,9-16: " + valueTooLarge},
			unknown: "Value too large",
		},
		{
			name: "join over nested for expressions of a 76-byte string",
			files: map[string]string{"hostile/main.tf": `locals {
  s  = "` + strings.Repeat("0123456789", 7) + `012345"
  l1 = join("", [for a in range(100) : join("", [for b in range(100) : local.s])])
  l2 = join("", [for a in range(100) : join("", [for b in range(100) : local.l1])])
}
` + trail("t", "local.l2")},
			want:    []string{"error hostile/main.tf:4,40-45: " + valueTooLarge},
			unknown: "Value too large",
		},
		{
			name: "yamldecode of a billion laughs read by file",
			files: map[string]string{
				"hostile/main.tf":   "locals {\n  doc = yamldecode(file(\"${path.module}/bomb.yaml\"))\n}\n" + trail("t", "jsonencode(local.doc)"),
				"hostile/bomb.yaml": billionLaughs(),
			},
			want:    []string{"error hostile/main.tf:2,9-20: " + valueTooLarge},
			unknown: "Value too large",
		},
		{
			// try would give its second argument: what the first would be
			// is not known, so neither is try's.
			name: "try over a value too large",
			files: map[string]string{
				"hostile/main.tf":   "locals {\n  doc = try(yamldecode(file(\"bomb.yaml\")), {})\n}\n" + trail("t", "jsonencode(local.doc)"),
				"hostile/bomb.yaml": billionLaughs(),
			},
			want:    []string{"error hostile/main.tf:2,9-13: " + valueTooLarge},
			unknown: "Value too large",
		},
		{
			name: "a for directive repeating a large string",
			files: map[string]string{"hostile/main.tf": doublingLocals(21, `"0123456789abcdef"`, `"${local.%[1]s}${local.%[1]s}"`) +
				trail("t", `"%{for i in range(100)}${local.l20}%{endfor}"`)},
			want:    []string{"error hostile/main.tf:25,45-54: " + valueTooLarge},
			unknown: "Value too large",
		},
		{
			name: "replace with an empty search string",
			files: map[string]string{"hostile/main.tf": doublingLocals(18, `"0123456789abcdef"`, `"${local.%[1]s}${local.%[1]s}"`) +
				trail("t", `replace(local.l17, "", "0123456789")`)},
			want:    []string{"error hostile/main.tf:22,20-28: " + valueTooLarge},
			unknown: "Value too large",
		},
		{
			name: "a count too large to compute is not known only after apply",
			files: map[string]string{"hostile/main.tf": doublingLocals(40, `"0123456789abcdef"`, `"${local.%[1]s}${local.%[1]s}"`) +
				"resource \"aws_sns_topic\" \"n\" {\n  count = length(local.l39)\n}\n" + trail("t", "aws_sns_topic.n[0].name")},
			want: []string{
				"error hostile/main.tf:23,9-35: " + valueTooLarge,
				"warning hostile/main.tf:44,11-28: Instances not computed: How many instances of aws_sns_topic.n exist is unknown: vigil did not compute its count (the expression at hostile/main.tf:23:9 could not be evaluated: Value too large); it checks one representative instance, addressed [*].",
			},
			unknown: "the count of aws_sns_topic.n was not computed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

// TestValueLimitsInJSON runs the doubling string in a .tf.json file, whose
// strings HCL parses as templates on each evaluation, and in a template
// file, which templatefile() parses on each call.
func TestValueLimitsInJSON(t *testing.T) {
	var locals []string
	locals = append(locals, `"l0": "0123456789abcdef"`)
	for i := 1; i < 40; i++ {
		locals = append(locals, fmt.Sprintf(`"l%d": "${local.l%d}${local.l%d}"`, i, i-1, i-1))
	}
	limitCase{
		name: "JSON",
		files: map[string]string{"hostile/main.tf.json": "{\"locals\": {\n" + strings.Join(locals, ",\n") + "\n},\n" +
			`"resource": {"aws_cloudtrail": {"t": {"name": "${local.l39}", "s3_bucket_name": "b"}}}}`},
		want:    []string{"error hostile/main.tf.json:23,9-33: Value too large: This would build a value of more than 16777216 bytes; vigil builds values of at most that size, and treats this one as unknown."},
		unknown: "Value too large",
	}.run(t)
}

// TestValueLimitsInTemplateFile runs a %{for} directive repeating a 16
// MiB string in a template file. templatefile() gives the errors of its
// template as its own.
func TestValueLimitsInTemplateFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf": doublingLocals(21, `"0123456789abcdef"`, `"${local.%[1]s}${local.%[1]s}"`) +
			trail("t", `templatefile("t.tpl", { big = local.l20 })`),
		"t.tpl": "%{for i in range(100)}${big}%{endfor}",
	})
	inv, diags := Load(dir, Options{})
	if len(diags) != 1 || diags[0].Subject == nil || diags[0].Subject.Start.Line != 25 ||
		!strings.Contains(diags[0].Detail, "more than 16777216 bytes") {
		t.Errorf("diagnostics: %v", describe(diags, dir))
	}
	if _, ok := find(t, inv, "aws_cloudtrail", "aws_cloudtrail.t").Attrs["name"].(*entity.Unknown); !ok {
		t.Error("the trail's name is not Unknown")
	}
}

// TestBuiltBytesBudget crosses MaxBuiltBytes without building much: a
// for expression whose body is a 1 MiB string, with a condition that
// keeps it from being evaluated, is charged for what it could copy. So is
// each evaluation of an expression, by its size: a module called 600
// times copies its 1 MiB literal each time.
func TestBuiltBytesBudget(t *testing.T) {
	large := `"` + strings.Repeat("x", 1<<20) + `"`
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name:  "for expression",
			files: map[string]string{"main.tf": "locals {\n  l = [for i in range(600) : " + large + " if false]\n}\n" + trail("t", "length(local.l)")},
			want:  "error main.tf:2,17-27: Too much data built: The values built while evaluating the Terraform of this scan would take more than 536870912 bytes; vigil stops there and treats the rest as unknown.",
		},
		{
			name: "module fan-out",
			files: map[string]string{
				"main.tf":   "module \"m\" {\n  source = \"./m\"\n  count  = 600\n  v      = count.index\n}\n",
				"m/main.tf": "variable \"v\" {}\n" + trail("t", "var.v == "+large+" ? \"a\" : \"b\""),
			},
			want: "error m/main.tf:3,20-1048619: Too much data built: The values built while evaluating the Terraform of this scan would take more than 536870912 bytes; vigil stops there and treats the rest as unknown.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			inv, diags := Load(dir, Options{})
			if diff := cmp.Diff([]string{tt.want}, describe(diags, dir)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			unknown := 0
			for _, e := range inv.Entities {
				if u, ok := e.Attrs["name"].(*entity.Unknown); ok && strings.Contains(u.Reason, "too much memory") || ok && strings.Contains(u.Reason, "Too much data built") {
					unknown++
				}
			}
			if unknown == 0 {
				t.Error("no trail's name is Unknown for the budget")
			}
		})
	}
}

// TestWithinLimits checks that what the limits wrap gives what it gave
// unwrapped: templates, for directives, splats and the functions that
// build values, with unknown and marked arguments.
func TestWithinLimits(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf": `variable "names" {
  default = ["a", "b"]
}
variable "later" {
  type = string
}
resource "aws_sns_topic" "t" {
  count = 2
  name  = "t${count.index}"
}
locals {
  words = { for n in var.names : n => upper(n) }
}
resource "aws_s3_bucket" "b" {
  bucket = "${var.names[0]}-${upper(var.names[1])}-${length(var.names)}"
  tags = {
    joined   = join(",", [for n in var.names : "${n}:${local.words[n]}"])
    heredoc  = <<-EOT
      %{for n in var.names}${n}=${local.words[n]};%{endfor}
    EOT
    splat    = jsonencode(aws_sns_topic.t[*].name)
    unknown  = join(",", [var.later, "x"])
    prefixed = "${var.later}-${var.names[0]}"
    replaced = replace("a-b-c", "-", "+")
    regex    = replace("a-b-c", "/-(.)/", "$1$1")
    format   = format("%s=%03d", "n", 7)
    yaml     = yamldecode("a: &x [1, 2]\nb: *x\n").b[1]
    json     = jsondecode("{\"k\": [true]}").k[0]
    try      = try(var.names[5], "none")
  }
}
`})
	inv, _ := Load(dir, Options{})
	b := find(t, inv, "aws_s3_bucket", "aws_s3_bucket.b")
	if b.Attrs["bucket"] != "a-B-2" {
		t.Errorf("bucket %v", b.Attrs["bucket"])
	}
	tags, _ := b.Attrs["tags"].(map[string]any)
	want := map[string]any{
		"joined": "a:A,b:B", "heredoc": "a=A;b=B;\n", "splat": `["t0","t1"]`,
		"replaced": "a+b+c", "regex": "abbcc", "format": "n=007", "yaml": 2.0, "json": true, "try": "none",
	}
	for k, v := range want {
		if tags[k] != v {
			t.Errorf("tags.%s = %#v, want %#v", k, tags[k], v)
		}
	}
	for _, k := range []string{"unknown", "prefixed"} {
		if u, ok := tags[k].(*entity.Unknown); !ok || u.Kind != entity.UnknownSet {
			t.Errorf("tags.%s = %#v, want an Unknown that is set", k, tags[k])
		}
	}
}

// TestUncomputedCount checks that a count vigil could not compute (here,
// a cycle stopped it) warns that it was not computed, not that it is
// known only after apply.
func TestUncomputedCount(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `locals {
  a = local.b
  b = length(local.a)
}
resource "aws_sns_topic" "n" {
  count = local.b
}
`})
	_, diags := Load(dir, Options{})
	want := []string{
		"error main.tf:3,7-22: Cycle in references: local.b depends on itself: local.b → local.a → local.b. Break the cycle; Terraform rejects it too.",
		"warning main.tf:6,11-18: Instances not computed: How many instances of aws_sns_topic.n exist is unknown: vigil did not compute its count (local.b depends on itself); it checks one representative instance, addressed [*].",
	}
	if diff := cmp.Diff(want, describe(diags, dir)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestWithoutKeys(t *testing.T) {
	tests := map[string]string{
		"module.a":                            "module.a",
		"module.a[0].module.b[12].aws_x.y[*]": "module.a.module.b.aws_x.y",
		`module.a["k]\"["].aws_x.y["z"]`:      "module.a.aws_x.y",
	}
	for in, want := range tests {
		if got := withoutKeys(in); got != want {
			t.Errorf("withoutKeys(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTemplateDiagnostics checks that a part of a template that cannot
// be joined is reported as HCL reports it, though templateFunc joins the
// template.
func TestTemplateDiagnostics(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `variable "nothing" {
  default = null
}
resource "aws_s3_bucket" "b" {
  bucket = "${upper("a")}-${var.nothing}"
  tags = {
    list = "${upper("a")}-${[1, 2]}"
  }
}
`})
	_, diags := Load(dir, Options{})
	want := []string{
		"error main.tf:5,29-40: Invalid template interpolation value: The expression result is null. Cannot include a null value in a string template.",
		"error main.tf:7,29-35: Invalid template interpolation value: Cannot include the given value in a string template: string required, but have tuple.",
	}
	if diff := cmp.Diff(want, describe(diags, dir)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestResourceNotExpandedIsAFailure: a resource whose count is past
// MaxInstances, or invalid, has no instance; a List rule must not pass on
// the trails that were built, so the types it declares are failures.
func TestResourceNotExpandedIsAFailure(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_cloudtrail" "ok" {
  name                  = "ok"
  s3_bucket_name        = "b"
  is_multi_region_trail = true
}
resource "aws_cloudtrail" "many" {
  count          = 20000
  name           = "t-${count.index}"
  s3_bucket_name = "b"
}
resource "aws_cloudwatch_log_metric_filter" "f" {
  count          = -1
  name           = "f"
  log_group_name = "g"
  pattern        = ""
}
`})
	inv, _ := Load(dir, Options{})
	got := map[string]bool{}
	for _, f := range inv.Failures {
		got[f.Type+"."+f.Attr] = true
	}
	for _, want := range []string{"aws_cloudtrail.", "CloudTrail.", "aws_cloudwatch_log_metric_filter.", "CloudTrail.metricFilters", "CloudTrail.hasSNSSubscriber"} {
		if !got[want] {
			t.Errorf("no failure %q among %v", want, inv.Failures)
		}
	}
	if e := find(t, inv, "aws_cloudtrail", "aws_cloudtrail.ok"); e == nil {
		t.Error("the trail that was expanded is missing")
	}
}
