package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// writeTree writes files (path → content) under a new temporary directory.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// describe renders diagnostics one a line, with file names relative to dir:
// "error main.tf:3,10-4,1: Summary: Detail".
func describe(diags hcl.Diagnostics, dir string) []string {
	var out []string
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		subject := "-"
		if d.Subject != nil {
			subject = strings.TrimPrefix(strings.TrimPrefix(d.Subject.String(), dir), "/")
		}
		out = append(out, fmt.Sprintf("%s %s: %s: %s", sev, subject, d.Summary, strings.ReplaceAll(d.Detail, dir+"/", "")))
	}
	return out
}

func TestMalformedInput(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		opts  Options
		// want lists every diagnostic, rendered by describe.
		want []string
		// entities lists the IDs of the entities still built.
		entities []string
	}{
		{
			name: "bad syntax in one file, the other still scanned",
			files: map[string]string{
				"main.tf": "resource \"aws_cloudtrail\" \"broken\" {\n  name = \"broken\n}\n",
				"good.tf": "resource \"aws_cloudtrail\" \"good\" {\n  name = \"good\"\n}\n",
			},
			want: []string{
				`error main.tf:2,17-3,1: Invalid multi-line string: Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \n escape to represent a newline character or use the "heredoc" multi-line template syntax.`,
				`error main.tf:3,2-4,1: Invalid multi-line string: Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \n escape to represent a newline character or use the "heredoc" multi-line template syntax.`,
				"error main.tf:2,17-3,1: Unterminated template string: No closing marker was found for the string.",
			},
			entities: []string{"aws_cloudtrail.good", "aws_cloudtrail.good"},
		},
		{
			name:  "unknown block type",
			files: map[string]string{"main.tf": "resorce \"aws_cloudtrail\" \"x\" {\n  name = \"x\"\n}\n"},
			want:  []string{`error main.tf:1,1-8: Unsupported block type: Blocks of type "resorce" are not expected here. Did you mean "resource"?`},
		},
		{
			name:  "top-level argument",
			files: map[string]string{"main.tf": "name = \"x\"\n"},
			want:  []string{`error main.tf:1,1-5: Unsupported argument: An argument named "name" is not expected here.`},
		},
		{
			name: "cyclic locals",
			files: map[string]string{"main.tf": `locals {
  a = "${local.b}-a"
  b = "${local.a}-b"
}

resource "aws_cloudtrail" "t" {
  name = local.a
}
`},
			want: []string{
				`error main.tf:2,7-21: Cycle in references: local.a depends on itself: local.a → local.b → local.a. Break the cycle; Terraform rejects it too.`,
			},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			name: "cycle through a module's resources",
			files: map[string]string{
				"main.tf": `module "m" {
  source = "./m"
}
`,
				"m/main.tf": `variable "x" {
  default = "x"
}

resource "aws_sns_topic" "a" {
  name = "${aws_sns_topic.b.name}-${var.x}"
}

resource "aws_sns_topic" "b" {
  name = aws_sns_topic.a.name
}

locals {
  p = "${local.q}-p"
  q = "${local.p}-q"
}

resource "aws_sqs_queue" "c" {
  name = local.p
}
`},
			want: []string{
				`error m/main.tf:5,1-29: Cycle in references: module.m.aws_sns_topic.a depends on itself: module.m.aws_sns_topic.a → module.m.aws_sns_topic.b → module.m.aws_sns_topic.a. Break the cycle; Terraform rejects it too.`,
				`error m/main.tf:14,7-21: Cycle in references: module.m.local.p depends on itself: module.m.local.p → module.m.local.q → module.m.local.p. Break the cycle; Terraform rejects it too.`,
			},
			entities: []string{"module.m.aws_sns_topic.a", "module.m.aws_sns_topic.b", "module.m.aws_sqs_queue.c"},
		},
		{
			name: "reference to an output a module does not have",
			files: map[string]string{
				"main.tf": `module "m" {
  source = "./m"
}

resource "aws_sns_topic" "a" {
  name = module.m.nope
}

resource "aws_sns_topic" "b" {
  name = data.aws_x.y.name
}
`,
				"m/main.tf": `output "o" { value = "x" }
`},
			want: []string{
				`error main.tf:6,18-23: Unsupported attribute: This object does not have an attribute named "nope".`,
				`warning main.tf:10,10-27: Reference to undeclared data source: No data source named "data.aws_x.y" is declared in this module; vigil treats its value as unknown, so the rules that read it give UNKNOWN (--strict makes this an error).`,
			},
			entities: []string{"aws_sns_topic.a", "aws_sns_topic.b"},
		},
		{
			name: "missing module directory",
			files: map[string]string{"main.tf": `module "trail" {
  source = "./modules/trail"
}

resource "aws_cloudtrail" "t" {
  name = module.trail.name
}
`},
			want:     []string{`error main.tf:2,12-29: Module directory not found: Module "trail" has source "./modules/trail", but modules/trail is not a directory.`},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			name:  "registry module not installed",
			files: map[string]string{"main.tf": "module \"trail\" {\n  source  = \"cloudposse/cloudtrail/aws\"\n  version = \"0.24.0\"\n}\n"},
			want:  []string{`warning main.tf:2,13-40: Module not installed: Module "trail" (source "cloudposse/cloudtrail/aws") is not installed: there is no .terraform/modules/modules.json. vigil does not download modules: run terraform init to install it. Until then its outputs are unknown and the resources it creates are not checked.`},
		},
		{
			name:  "undeclared variable",
			files: map[string]string{"main.tf": "resource \"aws_cloudtrail\" \"t\" {\n  name = var.trail_name\n}\n"},
			want: []string{
				`warning main.tf:2,10-24: Reference to undeclared input variable: No input variable named "trail_name" is declared in this module; vigil treats its value as unknown, so the rules that read it give UNKNOWN (--strict makes this an error).`,
			},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			name: "undeclared names: one warning each, however many uses",
			files: map[string]string{"main.tf": `resource "aws_cloudtrail" "t" {
  count                      = 3
  name                       = "${local.prefix}-${count.index}"
  cloud_watch_logs_group_arn = aws_cloudwatch_log_group.missing.arn
  cloud_watch_logs_role_arn  = aws_iam_role.missing.arn
  s3_bucket_name             = local.prefix
  kms_key_id                 = aws_cloudwatch_log_group.missing.kms_key_id
}
`},
			want: []string{
				`warning main.tf:3,35-47: Reference to undeclared local value: No local value named "prefix" is declared in this module; vigil treats its value as unknown, so the rules that read it give UNKNOWN (--strict makes this an error).`,
				`warning main.tf:4,32-68: Reference to undeclared resource: No resource named "aws_cloudwatch_log_group.missing" is declared in this module; vigil treats its value as unknown, so the rules that read it give UNKNOWN (--strict makes this an error).`,
				`warning main.tf:5,32-56: Reference to undeclared resource: No resource named "aws_iam_role.missing" is declared in this module; vigil treats its value as unknown, so the rules that read it give UNKNOWN (--strict makes this an error).`,
			},
			entities: []string{"aws_cloudtrail.t[0]", "aws_cloudtrail.t[0]", "aws_cloudtrail.t[1]", "aws_cloudtrail.t[1]", "aws_cloudtrail.t[2]", "aws_cloudtrail.t[2]"},
		},
		{
			name:  "undeclared resource, --strict",
			files: map[string]string{"main.tf": "resource \"aws_cloudtrail\" \"t\" {\n  cloud_watch_logs_group_arn = aws_cloudwatch_log_group.missing.arn\n}\n"},
			opts:  Options{Strict: true},
			want: []string{
				`error main.tf:2,32-68: Reference to undeclared resource: No resource named "aws_cloudwatch_log_group.missing" is declared in this module.`,
			},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			name:  "undeclared resource",
			files: map[string]string{"main.tf": "resource \"aws_cloudtrail\" \"t\" {\n  cloud_watch_logs_group_arn = aws_cloudwatch_log_group.missing.arn\n}\n"},
			want: []string{
				`warning main.tf:2,32-68: Reference to undeclared resource: No resource named "aws_cloudwatch_log_group.missing" is declared in this module; vigil treats its value as unknown, so the rules that read it give UNKNOWN (--strict makes this an error).`,
			},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			name:  "negative count",
			files: map[string]string{"main.tf": "resource \"aws_cloudtrail\" \"t\" {\n  count = -1\n}\n"},
			want:  []string{`error main.tf:2,11-13: Invalid count argument: The count argument must be a whole number, zero or more.`},
		},
		{
			name:  "count beyond the limit",
			files: map[string]string{"main.tf": "resource \"aws_cloudtrail\" \"t\" {\n  count = 100000000\n}\n"},
			want:  []string{`error main.tf:2,11-20: Too many instances: aws_cloudtrail.t would have 100000000 instances; vigil expands at most 10000.`},
		},
		{
			name:  "for_each over a list",
			files: map[string]string{"main.tf": "resource \"aws_cloudtrail\" \"t\" {\n  for_each = [\"a\"]\n}\n"},
			want:  []string{`error main.tf:2,14-19: Invalid for_each argument: The for_each argument must be a map, or a set of strings, not tuple.`},
		},
		{
			name: "duplicate resource",
			files: map[string]string{
				"a.tf": "resource \"aws_cloudtrail\" \"t\" {\n  name = \"a\"\n}\n",
				"b.tf": "resource \"aws_cloudtrail\" \"t\" {\n  name = \"b\"\n}\n",
			},
			want:     []string{`error b.tf:1,1-30: Duplicate resource: The resource "aws_cloudtrail.t" was already declared at a.tf:1,1-30; names must be unique within a module.`},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			name:  "bad JSON syntax",
			files: map[string]string{"main.tf.json": `{"resource": {"aws_cloudtrail": {"t": {"name": "x",}}}}`},
			want:  []string{`error main.tf.json:1,51-52: Trailing comma in object: JSON does not permit a trailing comma after the final property in an object.`},
		},
		{
			name:  "module that calls itself",
			files: map[string]string{"main.tf": "module \"self\" {\n  source = \"./m\"\n}\n", "m/main.tf": "module \"again\" {\n  source = \"../m\"\n}\n"},
			want:  []string{`error m/main.tf:2,12-18: Modules nested too deeply: module.self.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again.module.again is nested 33 modules deep; vigil follows at most 32. A module that calls itself never ends.`},
		},
		{
			name:  "missing module argument",
			files: map[string]string{"main.tf": "module \"m\" {\n  source = \"./m\"\n}\n", "m/main.tf": "variable \"name\" {}\nresource \"aws_cloudtrail\" \"t\" {\n  name = var.name\n}\n"},
			want: []string{
				`error main.tf:1,1-3,2: Missing required argument: The module "m" has no value for its variable "name", which has no default.`,
			},
			entities: []string{"module.m.aws_cloudtrail.t", "module.m.aws_cloudtrail.t"},
		},
		{
			name:     "unsupported function",
			files:    map[string]string{"main.tf": "resource \"aws_cloudtrail\" \"t\" {\n  name = provider::aws::arn_build(\"aws\", \"cloudtrail\")\n}\n"},
			want:     []string{`warning main.tf:2,10-34: Unsupported function: vigil does not implement provider::aws::arn_build(); its results are treated as unknown.`},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			name:  "bad --var",
			files: map[string]string{"main.tf": "variable \"x\" {\n  default = 1\n}\n"},
			opts:  Options{Vars: []string{"no-equals-sign"}},
			want:  []string{`error -: Invalid --var option: "no-equals-sign" is not NAME=VALUE with a valid variable name.`},
		},
		{
			name:  "--var for an undeclared variable",
			files: map[string]string{"main.tf": "variable \"region\" {\n  default = \"us-east-1\"\n}\n"},
			opts:  Options{Vars: []string{"regoin=eu-west-1"}},
			want:  []string{`warning -: Value for undeclared variable: --var regoin sets "regoin", but no root module declares a variable of that name.`},
		},
		{
			name: "nested dynamic blocks beyond the limit",
			files: map[string]string{"main.tf": `resource "aws_cloudwatch_metric_alarm" "a" {
  dynamic "metric_query" {
    for_each = range(1000)
    content {
      dynamic "metric" {
        for_each = range(1000)
        content {
          metric_name = "m"
        }
      }
    }
  }
}
`},
			want:     []string{`error main.tf:5,7-23: Too many nested blocks: This resource would have more than 10000 nested blocks; vigil stops expanding there.`},
			entities: []string{"aws_cloudwatch_metric_alarm.a"},
		},
		{
			name: "range beyond go-cty's limit",
			files: map[string]string{"main.tf": `resource "aws_s3_bucket" "b" {
  tags = { n = length([for i in range(100000000) : i]) }
}
`},
			want: []string{
				`error main.tf:2,33-39: Error in function call: Call to function "range" failed: more than 1024 values were generated; either decrease the difference between start and end or use a smaller step.`,
			},
			entities: []string{"aws_s3_bucket.b"},
		},
		{
			name: "format and indent padding beyond the limit",
			files: map[string]string{"main.tf": `resource "aws_s3_bucket" "b" {
  bucket = format("%200000000s", "x")
  tags = {
    a = indent(100000000, "a\nb")
    b = formatlist("%-5.99999f", [1])
    c = format("%[1]s %%200000000d %9999s", "ok", "x")
  }
}
`},
			want: []string{
				`error main.tf:2,12-19: Error in function call: Call to function "format" failed: it asks for 200000000 characters of padding; vigil allows at most 10000.`,
				`error main.tf:4,9-16: Error in function call: Call to function "indent" failed: it asks for 100000000 characters of padding; vigil allows at most 10000.`,
				`error main.tf:5,9-20: Error in function call: Call to function "formatlist" failed: it asks for 99999 characters of padding; vigil allows at most 10000.`,
			},
			entities: []string{"aws_s3_bucket.b"},
		},
		{
			name: "nested for expressions beyond the limit",
			files: map[string]string{"main.tf": `locals {
  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]
}
resource "aws_s3_bucket" "b" {
  tags = { n = length(local.cube) }
}
`},
			want: []string{
				`error main.tf:2,68-79: Too many elements: The for expressions and setproduct calls of this root module would go through more than 100000 elements; vigil stops there and treats the value as unknown.`,
			},
			entities: []string{"aws_s3_bucket.b"},
		},
		{
			name: "setproduct beyond the limit",
			files: map[string]string{"main.tf": `resource "aws_s3_bucket" "b" {
  tags = { n = length(setproduct(range(1000), range(1000), ["a", "b"])) }
}
`},
			want: []string{
				`error main.tf:2,23-34: Too many elements: The for expressions and setproduct calls of this root module would go through more than 100000 elements; vigil stops there and treats the value as unknown.`,
			},
			entities: []string{"aws_s3_bucket.b"},
		},
		{
			name: "for expression in a JSON string beyond the limit",
			// Nested fors go through MaxForElements elements, and the for
			// around them goes past.
			files: map[string]string{"main.tf.json": `{"resource": {"aws_s3_bucket": {"b": {
  "tags": {"n": "${length([for c in [for i in range(100)  : length([for j in range(999)         : j])] : c])}"}
}}}}
`},
			// A string nested in a JSON object has no position of its own:
			// it is placed at the start of the object.
			want: []string{
				`error main.tf.json:2,31-97: Too many elements: The for expressions and setproduct calls of this root module would go through more than 100000 elements; vigil stops there and treats the value as unknown.`,
			},
			entities: []string{"aws_s3_bucket.b"},
		},
		{
			name:  "empty resource labels in JSON",
			files: map[string]string{"main.tf.json": `{"resource":{"":{"":{}}}}`},
			want:  []string{`error main.tf.json:1,14-16: Invalid resource type: "" is not a valid resource type: it must start with a letter or underscore and contain only letters, digits, underscores and dashes.`},
		},
		{
			name:  "resource name that is not an identifier",
			files: map[string]string{"main.tf": "resource \"aws_cloudtrail\" \"1st\" {}\n"},
			want:  []string{`error main.tf:1,27-32: Invalid resource name: "1st" is not a valid resource name: it must start with a letter or underscore and contain only letters, digits, underscores and dashes.`},
		},
		{
			name:     "invalid suppression date",
			files:    map[string]string{"main.tf": "# vigil:ignore:D9.TF.AWS.LOG.01:exp:2027-13-01 later\nresource \"aws_cloudtrail\" \"t\" {\n  name = \"t\"\n}\n"},
			want:     []string{`warning main.tf:1,1-53: Invalid vigil:ignore comment: The comment at main.tf:1 is ignored because its expiry "2027-13-01" is not a date YYYY-MM-DD. Write # vigil:ignore:RULE_ID[:exp:YYYY-MM-DD] reason.`},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			name:     "variable value of the wrong type",
			files:    map[string]string{"main.tf": "variable \"multi\" {\n  type = bool\n}\nresource \"aws_cloudtrail\" \"t\" {\n  is_multi_region_trail = var.multi\n}\n", "terraform.tfvars": "multi = \"sometimes\"\n"},
			want:     []string{`error terraform.tfvars:1,1-20: Invalid value for variable: The value for variable "multi" is not bool: a bool is required.`},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			// 100,000 brackets, a 200 KB file, ended the program: HCL's
			// parser recursed until the stack ran out.
			name: "brackets nested beyond the limit, the other file still scanned",
			files: map[string]string{
				"main.tf": "locals {\n  x = " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n}\n",
				"good.tf": "resource \"aws_cloudtrail\" \"good\" {\n  name = \"good\"\n}\n",
			},
			want:     []string{`error main.tf:2,5006-5007: Nesting too deep: main.tf nests brackets, templates or operators more than 5000 deep; vigil does not parse it, since the parser would run out of stack.`},
			entities: []string{"aws_cloudtrail.good", "aws_cloudtrail.good"},
		},
		{
			name:  "unary operators nested beyond the limit",
			files: map[string]string{"main.tf": "locals {\n  x = " + strings.Repeat("!", MaxNesting+1) + "true\n}\n"},
			want:  []string{`error main.tf:2,5006-5007: Nesting too deep: main.tf nests brackets, templates or operators more than 5000 deep; vigil does not parse it, since the parser would run out of stack.`},
		},
		{
			name:  "template directives nested beyond the limit",
			files: map[string]string{"main.tf": "locals {\n  x = <<EOT\n" + strings.Repeat("%{if true}", MaxNesting+1) + "x" + strings.Repeat("%{endif}", MaxNesting+1) + "\nEOT\n}\n"},
			want:  []string{`error main.tf:3,49981-49983: Nesting too deep: main.tf nests brackets, templates or operators more than 5000 deep; vigil does not parse it, since the parser would run out of stack.`},
		},
		{
			name:  "JSON nested beyond the limit",
			files: map[string]string{"main.tf.json": `{"locals": {"x": ` + strings.Repeat("[", MaxNesting) + strings.Repeat("]", MaxNesting) + `}}`},
			want:  []string{`error main.tf.json:1,5016-5017: Nesting too deep: main.tf.json nests brackets, templates or operators more than 5000 deep; vigil does not parse it, since the parser would run out of stack.`},
		},
		{
			name:  "template in a JSON string nested beyond the limit",
			files: map[string]string{"main.tf.json": `{"locals": {"x": "` + strings.Repeat("${[", MaxNesting) + strings.Repeat("]}", MaxNesting) + `"}}`},
			want:  []string{`error main.tf.json:1,18-19: Nesting too deep: main.tf.json nests brackets, templates or operators more than 5000 deep; vigil does not parse it, since the parser would run out of stack.`},
		},
		{
			// 200,000 locals, each reading the one before, ended the
			// program too: each is evaluated inside the one that reads it.
			name:     "references chained beyond the limit",
			files:    map[string]string{"main.tf": localChain(MaxEvalDepth+100, 0) + "resource \"aws_cloudtrail\" \"t\" {\n  name = local.l" + strconv.Itoa(MaxEvalDepth+99) + "\n}\n"},
			want:     []string{`error main.tf:102,10-19: Evaluation nested too deeply: Evaluating this needs expressions and the values they read nested more than 1000 deep; vigil treats what lies deeper as unknown.`},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			// A 6 MB string of brackets ended the program in cty's
			// jsondecode, and kept yamldecode busy for minutes.
			name: "jsondecode and yamldecode of texts nested beyond the limit",
			files: map[string]string{"main.tf": "locals {\n  j = jsondecode(\"" + strings.Repeat("[", MaxNesting+1) + strings.Repeat("]", MaxNesting+1) + "\")\n" +
				"  y = yamldecode(\"" + strings.Repeat("[", MaxNesting+1) + strings.Repeat("]", MaxNesting+1) + "\")\n}\n" +
				"resource \"aws_cloudtrail\" \"t\" {\n  name = jsonencode([local.j, local.y])\n}\n"},
			want: []string{
				`error main.tf:2,7-18: Error in function call: Call to function "jsondecode" failed: jsondecode: the text nests more than 5000 levels deep.`,
				`error main.tf:3,7-18: Error in function call: Call to function "yamldecode" failed: yamldecode: the text nests more than 5000 levels deep.`,
			},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
		{
			name:     "values nested beyond the limit",
			files:    map[string]string{"main.tf": localChain(3, MaxNesting/2+100) + "resource \"aws_cloudtrail\" \"t\" {\n  name = jsonencode(local.l2)\n}\n"},
			want:     []string{`error main.tf:4,8-5216: Value nested too deeply: The value of local.l2 nests more than 5000 levels deep; vigil treats it, and any value like it, as unknown.`},
			entities: []string{"aws_cloudtrail.t", "aws_cloudtrail.t"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			inv, diags := Load(dir, tt.opts)
			got := describe(diags, dir)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			var ids []string
			for _, e := range inv.Entities {
				ids = append(ids, e.ID)
			}
			if diff := cmp.Diff(tt.entities, ids); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
		})
	}
}

// localChain returns a locals block of n locals, l0 = 1 and each next one
// the one before wrapped in depth lists.
func localChain(n, depth int) string {
	var b strings.Builder
	b.WriteString("locals {\n  l0 = 1\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  l%d = %slocal.l%d%s\n", i, strings.Repeat("[", depth), i-1, strings.Repeat("]", depth))
	}
	b.WriteString("}\n")
	return b.String()
}

func TestHugeFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"small.tf": "resource \"aws_cloudtrail\" \"t\" {\n  name = \"t\"\n}\n",
		// A comment line just past the limit: the content is valid HCL.
		"huge.tf": "#" + strings.Repeat("x", MaxFileBytes) + "\n",
	})
	inv, diags := Load(dir, Options{})
	want := []string{fmt.Sprintf("error huge.tf:1,1-1: File too large: huge.tf has %d bytes; vigil reads files of at most %d bytes.", MaxFileBytes+2, MaxFileBytes)}
	if diff := cmp.Diff(want, describe(diags, dir)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if len(inv.Entities) != 2 {
		t.Errorf("the small file was not scanned: %d entities", len(inv.Entities))
	}
}
