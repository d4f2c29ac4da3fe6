package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

func TestResourceTypesOfBrokenFiles(t *testing.T) {
	tests := []struct {
		name, src string
		json      bool
		types     []string
		anyType   bool
	}{
		{name: "quoted and bare labels, indented, with CRLF",
			src:   "resource \"aws_cloudtrail\" \"a\" {\r\n  name = \r\n}\r\n  resource aws_sns_topic t {\n\tresource\t\"aws_cloudtrail\" \"b\"{\n",
			types: []string{"aws_cloudtrail", "aws_sns_topic"}},
		{name: "byte order mark", src: "\xef\xbb\xbfresource \"aws_s3_bucket\" \"b\" {", types: []string{"aws_s3_bucket"}},
		{name: "other blocks, attributes and references",
			src: "variable \"x\" {}\nlocals {\n  resource = 1\n  a = [\n    module.m.arn,\n  ]\n}\ndata \"aws_iam_role\" \"r\" {\n# resource \"aws_x\" \"y\" {}\nresources = []\n"},
		{name: "a module call", src: "module \"trail\" {\n  source = \"./trail\"\n", anyType: true},
		{name: "a resource header cut short", src: "resource \"aws_cloud", anyType: true},
		{name: "garbage", src: "\x00\xff}}}{{{\n"},

		{name: "JSON resources", json: true,
			src:   `{"resource": {"aws_cloudtrail": {"a": {"name": "x"}}, "aws_sns_topic": {"t": {}}}, "variable": {"resource": {}}}`,
			types: []string{"aws_cloudtrail", "aws_sns_topic"}},
		{name: "JSON resources in an array", json: true,
			src:   `{"resource": [{"aws_cloudtrail": {"a": {"name": ["x", {"aws_x": 1}]}}}, {"aws_sns_topic": {}}]}`,
			types: []string{"aws_cloudtrail", "aws_sns_topic"}},
		{name: "JSON broken after a resource", json: true,
			src:   `{"resource": {"aws_cloudtrail": {"a": {"name": }}}}`,
			types: []string{"aws_cloudtrail"}, anyType: true},
		{name: "JSON module call", json: true, src: `{"module": {"m": {"source": "./m"}}}`, anyType: true},
		{name: "JSON cut short", json: true, src: `{"resource": {`, anyType: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scan := hclResourceTypes
			if tt.json {
				scan = jsonResourceTypes
			}
			types, anyType := scan([]byte(tt.src))
			if !cmp.Equal(types, tt.types) || anyType != tt.anyType {
				t.Errorf("types %q, any type %v; want %q, %v", types, anyType, tt.types, tt.anyType)
			}
		})
	}
}

// failureLines renders failures one a line, with file names relative to
// dir: "parse CloudTrail.metricFilters @. bad.tf:2:10".
func failureLines(fs []entity.Failure, dir string) []string {
	var out []string
	for _, f := range fs {
		what := f.Type
		if what == "" {
			what = "-"
		}
		if f.Attr != "" {
			what += "." + f.Attr
		}
		loc := strings.TrimPrefix(strings.TrimPrefix(f.Location(), dir), "/")
		out = append(out, f.Kind+" "+what+" @"+f.Scope+" "+loc)
	}
	return out
}

// TestBrokenFilesAreFailures: each file that cannot be read or parsed
// becomes failures of the root modules it belongs to, by the resource types
// it declares; the entities of the other files are still built.
func TestBrokenFilesAreFailures(t *testing.T) {
	const good = "resource \"aws_cloudtrail\" \"good\" {\n  name = \"good\"\n  s3_bucket_name = \"b\"\n}\n"
	tests := []struct {
		name  string
		files map[string]string
		opts  Options
		want  []string
	}{
		{
			name:  "a trail",
			files: map[string]string{"good.tf": good, "bad.tf": "resource \"aws_cloudtrail\" \"bad\" {\n  name = \n"},
			want:  []string{"parse aws_cloudtrail @. bad.tf:2:10", "parse CloudTrail @. bad.tf:2:10"},
		},
		{
			name: "a metric filter and a bucket",
			files: map[string]string{"good.tf": good,
				"bad.tf": "resource \"aws_s3_bucket\" \"b\" {}\nresource \"aws_cloudwatch_log_metric_filter\" \"f\" {\n  pattern = \"{\n}\n"},
			want: []string{
				"parse aws_cloudwatch_log_metric_filter @. bad.tf:3:15", "parse aws_s3_bucket @. bad.tf:3:15",
				"parse CloudTrail.metricFilters @. bad.tf:3:15", "parse CloudTrail.hasSNSSubscriber @. bad.tf:3:15",
			},
		},
		{
			name:  "a module call",
			files: map[string]string{"good.tf": good, "bad.tf": "module \"m\" {\n  source = \n"},
			want:  anyTypeFailures("parse", "bad.tf:2:12"),
		},
		{
			name:  "no resource",
			files: map[string]string{"good.tf": good, "vars.tf": "variable \"x\" {\n  default = \n}\n"},
			want:  []string{"parse - @. vars.tf:2:13"},
		},
		{
			name: "in a module two roots call",
			files: map[string]string{
				"a/main.tf": "module \"t\" {\n  source = \"../mod\"\n}\n", "b/main.tf": "module \"t\" {\n  source = \"../mod\"\n}\n",
				"mod/good.tf": good, "mod/bad.tf": "resource \"aws_cloudtrail\" \"bad\" {\n  name = \n",
			},
			want: []string{
				"parse aws_cloudtrail @a mod/bad.tf:2:10", "parse CloudTrail @a mod/bad.tf:2:10",
				"parse aws_cloudtrail @b mod/bad.tf:2:10", "parse CloudTrail @b mod/bad.tf:2:10",
			},
		},
		{
			name:  "JSON",
			files: map[string]string{"good.tf": good, "bad.tf.json": `{"resource": {"aws_sns_topic": {"t": {"name": }}}}`},
			// The JSON breaks: what follows cannot be told.
			want: anyTypeFailures("parse", "bad.tf.json:1:47"),
		},
		{
			name:  "a variables file",
			files: map[string]string{"good.tf": good, "terraform.tfvars": "name = \n"},
			want:  []string{"parse * @. terraform.tfvars:1:8", "parse *.* @. terraform.tfvars:1:8"},
		},
		{
			name:  "a file too large",
			files: map[string]string{"good.tf": good, "big.tf": strings.Repeat("#", MaxFileBytes+1)},
			want:  anyTypeFailures("read", "big.tf:1:1"),
		},
		{
			name:  "nested too deeply",
			files: map[string]string{"good.tf": good, "deep.tf": "resource \"aws_cloudtrail\" \"d\" {\n  name = " + strings.Repeat("(", MaxNesting+1) + "\n}\n"},
			want:  []string{"parse aws_cloudtrail @. deep.tf:2:5009", "parse CloudTrail @. deep.tf:2:5009"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			inv, diags := Load(dir, tt.opts)
			if !diags.HasErrors() {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, failureLines(inv.Failures, dir)); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
			var trails int
			for _, e := range inv.Entities {
				if e.Type == "CloudTrail" {
					trails++
				}
			}
			// Each root module builds the good trail.
			if want := len(inv.Scopes); trails != want {
				t.Errorf("%d trails built, want %d", trails, want)
			}
		})
	}
}

// TestBrokenOptionFiles: a --var-file that does not parse, or a --var that
// is not NAME=VALUE, leaves every root module's values in doubt; the
// option's text is not repeated.
func TestBrokenOptionFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{"a/main.tf": "resource \"aws_sns_topic\" \"t\" {}\n", "b/main.tf": "resource \"aws_sns_topic\" \"t\" {}\n"})
	vars := filepath.Join(t.TempDir(), "prod.tfvars")
	if err := os.WriteFile(vars, []byte("x = \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, _ := Load(dir, Options{VarFiles: []string{vars}, Vars: []string{"hunter2"}})
	got := failureLines(inv.Failures, filepath.Dir(vars))
	want := []string{
		"parse * @a prod.tfvars:1:5", "parse *.* @a prod.tfvars:1:5", "parse * @a ", "parse *.* @a ",
		"parse * @b prod.tfvars:1:5", "parse *.* @b prod.tfvars:1:5", "parse * @b ", "parse *.* @b ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	for _, f := range inv.Failures {
		if strings.Contains(f.Error, "hunter2") {
			t.Errorf("failure %q repeats the --var option", f)
		}
	}
}

// TestUnreadInputs: an input that cannot be read at all is one failure of no
// type, at the place of its error.
func TestUnreadInputs(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"notes.txt": "hello\n",
		"plan.json": "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\"resources\": [\n  {\"address\": 3}]}}}\n",
	})
	tests := []struct{ path, want string }{
		{"missing", "read - @ missing"},
		{"notes.txt", "parse - @ notes.txt:1:1"},
		{"plan.json", "parse - @ plan.json:2:16"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			inv, diags := Load(filepath.Join(dir, tt.path), Options{})
			if !diags.HasErrors() {
				t.Fatal("no error")
			}
			got := failureLines(inv.Failures, dir)
			if len(got) != 1 || got[0] != tt.want || len(inv.Scopes) != 0 {
				t.Errorf("failures %q, scopes %v; want [%q] and no scope", got, inv.Scopes, tt.want)
			}
		})
	}
}

// TestLinkOutsideIsAFailure: a .tf file that links out of the scanned tree
// is not read, and what it would declare is a failure.
func TestLinkOutsideIsAFailure(t *testing.T) {
	outside := writeTree(t, map[string]string{"trail.tf": "resource \"aws_cloudtrail\" \"out\" {\n  name = \"out\"\n}\n"})
	dir := writeTree(t, map[string]string{"good.tf": "resource \"aws_cloudtrail\" \"good\" {\n  name = \"good\"\n}\n"})
	if err := os.Symlink(filepath.Join(outside, "trail.tf"), filepath.Join(dir, "link.tf")); err != nil {
		t.Skip(err)
	}
	inv, _ := Load(dir, Options{})
	want := anyTypeFailures("read", "link.tf:1:1")
	if diff := cmp.Diff(want, failureLines(inv.Failures, dir)); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}

// anyTypeFailures are the failure lines of a file of the root module that
// could not be read (kind "read") or parsed ("parse") and may declare
// anything: every type, and each field of a normalised type that other
// resources contribute to.
func anyTypeFailures(kind, at string) []string {
	fields := []string{
		"*", "CloudTrail.metricFilters", "CloudTrail.hasSNSSubscriber",
		"IamPolicy.users", "IamPolicy.groups", "IamPolicy.roles", "IamPolicy.attachmentCount",
		"IamRole.managedPolicies", "IamRole.inlinePolicies",
		"IamUser.passwordEnabled", "IamUser.consoleAccess", "IamUser.firstAccessKey", "IamUser.secondAccessKey",
		"IamUser.managedPolicies", "IamUser.groupManagedPolicies", "IamUser.inlinePolicies", "IamUser.groups",
		"IamUser.groupInlinePolicies", "Volume.attachments",
	}
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = kind + " " + f + " @. " + at
	}
	return out
}
