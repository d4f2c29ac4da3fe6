package terraform

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

// TestInstalledModules: the modules terraform init installed under
// .terraform/modules (a registry module, a git module, and the registry
// module the git module calls, key "audit.alarms") are loaded like local
// modules, with their resources at their module addresses, and a module
// the manifest does not list is reported with what to do.
func TestInstalledModules(t *testing.T) {
	inv, diags := Load("testdata/installed", Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if diff := cmp.Diff([]string{
		`warning testdata/installed/main.tf:35,13-44: Module not installed: Module "vpc" (source "terraform-aws-modules/vpc/aws") is not installed: ` +
			`testdata/installed/.terraform/modules/modules.json lists no module "vpc". vigil does not download modules: run terraform init to install it. ` +
			`Until then its outputs are unknown and the resources it creates are not checked.`,
	}, describe(diags, "\x00")); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	var ids []string
	for _, e := range inv.Entities {
		if mappingOf(e.Type) == nil { // native entities only
			ids = append(ids, e.ID)
		}
	}
	slices.Sort(ids)
	want := []string{
		"module.audit.aws_sns_topic.security",
		"module.audit.aws_sns_topic_subscription.email",
		"module.audit.module.alarms.aws_cloudwatch_log_metric_filter.cloudtrail_changes",
		"module.audit.module.alarms.aws_cloudwatch_metric_alarm.cloudtrail_changes",
		"module.trail.aws_cloudtrail.this",
		"module.trail.aws_cloudwatch_log_group.this",
		"module.trail.aws_iam_role.cloudwatch",
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	trail := find(t, inv, "aws_cloudtrail", "module.trail.aws_cloudtrail.this")
	if got := trail.Origin.File; got != "testdata/installed/.terraform/modules/trail/main.tf" {
		t.Errorf("origin %s", got)
	}
	if got := attr(t, trail, "is_multi_region_trail"); got != false {
		t.Errorf("is_multi_region_trail = %v, want the root's false", got)
	}
	// The chain crosses three installed modules: the trail's log group,
	// passed by the root to the git module, whose registry module
	// filters it.
	ct := find(t, inv, "CloudTrail", "module.trail.aws_cloudtrail.this")
	filters := attr(t, ct, "metricFilters").([]any)
	if len(filters) != 1 || filters[0].(map[string]any)["filterName"] != "CloudTrailChanges" {
		t.Fatalf("metric filters %s", entity.Format(filters))
	}
	if got := first(t, first(t, filters[0], "metricTransformations"), "alarms"); first(t, got, "alarmName") != "CloudTrailChanges" {
		t.Errorf("alarms %s", entity.Format(got))
	}
	root := find(t, inv, "aws_cloudtrail", "module.trail.aws_cloudtrail.this")
	if root.Scope != "." {
		t.Errorf("scope %q", root.Scope)
	}
}

// first returns the first element of the list that is v's attribute
// name, or the attribute itself when it is not a list.
func first(t *testing.T, v any, name string) any {
	t.Helper()
	a := v.(map[string]any)[name]
	if l, ok := a.([]any); ok {
		if len(l) == 0 {
			t.Fatalf("%s is empty in %s", name, entity.Format(v))
		}
		return l[0]
	}
	return a
}

// TestInstalledModulesPerRoot: a local module that two root modules call
// calls a registry module, which each root installed in its own
// .terraform/modules: each root loads its own, keyed by the whole call
// path ("baseline.trail"), whatever count or for_each the calls have.
func TestInstalledModulesPerRoot(t *testing.T) {
	trailModule := func(multi string) string {
		return "variable \"name\" {}\nresource \"aws_cloudtrail\" \"this\" {\n  name = var.name\n  is_multi_region_trail = " + multi + "\n}\n"
	}
	manifest := `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"baseline","Source":"../../modules/baseline","Dir":"../../modules/baseline"},` +
		`{"Key":"baseline.trail","Source":"registry.terraform.io/acme/trail/aws","Version":"1.0.0","Dir":".terraform/modules/baseline.trail"}]}`
	dir := writeTree(t, map[string]string{
		"modules/baseline/main.tf":                               "variable \"env\" {}\nmodule \"trail\" {\n  source = \"acme/trail/aws\"\n  count  = 1\n  name   = \"${var.env}-trail\"\n}\n",
		"envs/prod/main.tf":                                      "module \"baseline\" {\n  source   = \"../../modules/baseline\"\n  for_each = toset([\"prod\"])\n  env      = each.key\n}\n",
		"envs/prod/.terraform/modules/modules.json":              manifest,
		"envs/prod/.terraform/modules/baseline.trail/main.tf":    trailModule("true"),
		"envs/dev/main.tf":                                       "module \"baseline\" {\n  source = \"../../modules/baseline\"\n  env    = \"dev\"\n}\n",
		"envs/dev/.terraform/modules/modules.json":               manifest,
		"envs/dev/.terraform/modules/baseline.trail/main.tf":     trailModule("false"),
		"envs/staging/main.tf":                                   "module \"baseline\" {\n  source = \"../../modules/baseline\"\n  env    = \"staging\"\n}\n",
		"envs/staging/.terraform/modules/baseline.trail/main.tf": trailModule("true"), // no manifest: not installed
	})
	inv, diags := Load(dir, Options{})
	if diff := cmp.Diff([]string{
		`warning modules/baseline/main.tf:3,12-28: Module not installed: Module "baseline.trail" (source "acme/trail/aws") is not installed: ` +
			`there is no envs/staging/.terraform/modules/modules.json. vigil does not download modules: run terraform init in envs/staging to install it. ` +
			`Until then its outputs are unknown and the resources it creates are not checked.`,
	}, describe(diags, dir)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	got := map[string]any{}
	for _, e := range inv.Entities {
		if e.Type == "aws_cloudtrail" {
			got[e.Scope+" "+e.ID] = e.Attrs["is_multi_region_trail"]
		}
	}
	want := map[string]any{
		`envs/prod module.baseline["prod"].module.trail[0].aws_cloudtrail.this`: true,
		`envs/dev module.baseline.module.trail[0].aws_cloudtrail.this`:          false,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trails (-want +got):\n%s", diff)
	}
}

// TestInstalledModuleManifests: a manifest is a file of the tree, written
// by whoever wrote it. A directory outside the root module, a link that
// leads out, or a manifest that is not one is an error naming the file,
// and nothing outside is read; a module installed from another source than
// the configuration asks for is loaded with a warning.
func TestInstalledModuleManifests(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "main.tf"), []byte("resource \"aws_cloudtrail\" \"stolen\" {\n  name = \"x\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	call := "module \"trail\" {\n  source = \"acme/trail/aws\"\n}\n"
	entry := func(dir string) string {
		return `{"Modules":[{"Key":"trail","Source":"registry.terraform.io/acme/trail/aws","Dir":"` + dir + `"}]}`
	}
	module := "resource \"aws_cloudtrail\" \"this\" {\n  name = \"t\"\n}\n"
	tests := []struct {
		name  string
		files map[string]string
		// link, when set, makes the link link → outside.
		link     string
		want     []string
		entities []string
	}{
		{
			name:     "installed",
			files:    map[string]string{"main.tf": call, ".terraform/modules/modules.json": entry(".terraform/modules/trail"), ".terraform/modules/trail/main.tf": module},
			entities: []string{"module.trail.aws_cloudtrail.this"},
		},
		{
			name:  "directory listed but missing",
			files: map[string]string{"main.tf": call, ".terraform/modules/modules.json": entry(".terraform/modules/trail")},
			want: []string{`warning main.tf:2,12-28: Module not installed: Module "trail" (source "acme/trail/aws") is listed in .terraform/modules/modules.json, ` +
				`but its directory .terraform/modules/trail is missing: run terraform init to install it. Until then its outputs are unknown and the resources it creates are not checked.`},
		},
		{
			name:  "directory outside the root module",
			files: map[string]string{"main.tf": call, ".terraform/modules/modules.json": entry("../../../../../../../.." + outside)},
			want:  []string{`error main.tf:2,12-28: Module directory outside the scanned tree: Module "trail" is installed in ` + outside + `, outside the root module's directory; vigil does not load it.`},
		},
		{
			name:  "absolute directory",
			files: map[string]string{"main.tf": call, ".terraform/modules/modules.json": entry(outside)},
			want: []string{`error main.tf:2,12-28: Invalid module manifest: .terraform/modules/modules.json gives module "trail" the directory ` + outside +
				`; terraform init writes a directory relative to the root module. vigil does not load it: run terraform init to install it.`},
		},
		{
			name:  "directory is a link that leads out",
			files: map[string]string{"main.tf": call, ".terraform/modules/modules.json": entry(".terraform/modules/trail")},
			link:  ".terraform/modules/trail",
			want: []string{`error main.tf:2,12-28: Module directory outside the scanned tree: Module "trail" is installed in .terraform/modules/trail, ` +
				`which leads through a symbolic link to ` + outside + `, outside the root module's directory; vigil does not load it.`},
		},
		{
			name:  "manifest is a link that leads out",
			files: map[string]string{"main.tf": call},
			link:  ".terraform/modules/modules.json",
			want: []string{
				`error .terraform/modules/modules.json:1,1-1: File outside the scanned tree: the module manifest .terraform/modules/modules.json, which leads to ` + outside +
					`/modules.json, outside the scanned tree and the modules it calls; vigil does not read it (use --allow-path DIR to allow a directory).`,
				`warning main.tf:2,12-28: Module not installed: Module "trail" (source "acme/trail/aws") is not installed: .terraform/modules/modules.json leads outside the scanned tree. ` +
					`vigil does not download modules: run terraform init to install it. Until then its outputs are unknown and the resources it creates are not checked.`,
			},
		},
		{
			name:  "manifest is not JSON",
			files: map[string]string{"main.tf": call, ".terraform/modules/modules.json": "{\"Modules\": [\n  {\"Key\": \"trail\",}\n]}\n"},
			want: []string{
				`error .terraform/modules/modules.json:2,19-19: Invalid module manifest: .terraform/modules/modules.json is not the module manifest terraform init writes: ` +
					`invalid character '}' looking for beginning of object key string. Run terraform init again.`,
				`warning main.tf:2,12-28: Module not installed: Module "trail" (source "acme/trail/aws") is not installed: .terraform/modules/modules.json cannot be read. ` +
					`vigil does not download modules: run terraform init to install it. Until then its outputs are unknown and the resources it creates are not checked.`,
			},
		},
		{
			name: "installed from another source",
			files: map[string]string{"main.tf": call, ".terraform/modules/trail/main.tf": module,
				".terraform/modules/modules.json": `{"Modules":[{"Key":"trail","Source":"registry.terraform.io/acme/old-trail/aws","Dir":".terraform/modules/trail"}]}`},
			want: []string{`warning main.tf:2,12-28: Installed module has another source: Module "trail" asks for "acme/trail/aws", but terraform init installed it from ` +
				`"registry.terraform.io/acme/old-trail/aws"; vigil checks the module installed in .terraform/modules/trail. Run terraform init to install the one the configuration asks for.`},
			entities: []string{"module.trail.aws_cloudtrail.this"},
		},
		{
			name: "GitHub shorthand as terraform init records it",
			files: map[string]string{"main.tf": "module \"trail\" {\n  source = \"github.com/acme/trail?ref=v1\"\n}\n", ".terraform/modules/trail/main.tf": module,
				".terraform/modules/modules.json": `{"Modules":[{"Key":"trail","Source":"git::https://github.com/acme/trail.git?ref=v1","Dir":".terraform/modules/trail"}]}`},
			entities: []string{"module.trail.aws_cloudtrail.this"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			if tt.link != "" {
				target := outside
				if strings.HasSuffix(tt.link, ".json") {
					target = filepath.Join(outside, "modules.json")
					if err := os.WriteFile(target, []byte(entry(".terraform/modules/trail")), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				p := filepath.Join(dir, filepath.FromSlash(tt.link))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(target, p); err != nil {
					t.Fatal(err)
				}
			}
			inv, diags := Load(dir, Options{})
			if diff := cmp.Diff(tt.want, describe(diags, dir)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			var ids []string
			for _, e := range inv.Entities {
				if e.Type == "aws_cloudtrail" {
					ids = append(ids, e.ID)
				}
			}
			if diff := cmp.Diff(tt.entities, ids); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSingleFile: a .tf file given alone is a root module of that one
// file: the other files of its directory, its variable files included,
// are not read, but a local module it calls and what terraform init
// installed for it are.
func TestSingleFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf":                          "variable \"multi\" {\n  default = false\n}\nresource \"aws_cloudtrail\" \"main\" {\n  name = \"main\"\n  is_multi_region_trail = var.multi\n}\nmodule \"local\" {\n  source = \"./modules/local\"\n}\nmodule \"trail\" {\n  source = \"acme/trail/aws\"\n}\n",
		"other.tf":                         "resource \"aws_cloudtrail\" \"other\" {\n  name = \"other\"\n}\n",
		"broken.tf":                        "resource {",
		"terraform.tfvars":                 "multi = true\n",
		"modules/local/main.tf":            "resource \"aws_cloudtrail\" \"local\" {\n  name = \"local\"\n}\n",
		".terraform/modules/modules.json":  `{"Modules":[{"Key":"trail","Source":"registry.terraform.io/acme/trail/aws","Dir":".terraform/modules/trail"}]}`,
		".terraform/modules/trail/main.tf": "resource \"aws_cloudtrail\" \"this\" {\n  name = \"t\"\n}\n",
	})
	inv, diags := Load(filepath.Join(dir, "main.tf"), Options{})
	if len(diags) > 0 {
		t.Fatal(diags.Error())
	}
	got := map[string]any{}
	for _, e := range inv.Entities {
		if e.Type == "aws_cloudtrail" {
			got[e.ID] = e.Attrs["is_multi_region_trail"]
		}
	}
	// var.multi keeps its default: terraform.tfvars is not read.
	want := map[string]any{"aws_cloudtrail.main": false, "module.local.aws_cloudtrail.local": false, "module.trail.aws_cloudtrail.this": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trails (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]entity.Scope{{Kind: entity.ScopeTerraformModule, ID: ".", Name: dir}}, inv.Scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
}

// TestInstalledModulesOfASelfCallingModule: a module that calls itself
// twice and a registry module has 2^MaxModuleDepth paths to the registry
// call; the walk follows only the keys the manifest lists, and a call
// that is not installed is one warning, under its shortest key.
func TestInstalledModulesOfASelfCallingModule(t *testing.T) {
	self := "module \"x\" {\n  source = \"./\"\n  count  = 0\n}\nmodule \"y\" {\n  source = \"./\"\n  count  = 0\n}\nmodule \"remote\" {\n  source = \"acme/thing/aws\"\n}\n"
	for _, tc := range []struct {
		name, manifest string
		want           []string
	}{
		{"no manifest", "", []string{`warning main.tf:10,12-28: Module not installed: Module "remote" (source "acme/thing/aws") is not installed: ` +
			`there is no .terraform/modules/modules.json. vigil does not download modules: run terraform init to install it. ` +
			`Until then its outputs are unknown and the resources it creates are not checked.`}},
		{"some installed", `{"Modules":[{"Key":"remote","Source":"acme/thing/aws","Dir":".terraform/modules/remote"},` +
			`{"Key":"x.x.remote","Source":"acme/thing/aws","Dir":".terraform/modules/remote"}]}`, []string{
			// "x.remote" is not listed: the call is reported there, once.
			`warning main.tf:10,12-28: Module not installed: Module "x.remote" (source "acme/thing/aws") is not installed: ` +
				`.terraform/modules/modules.json lists no module "x.remote". vigil does not download modules: run terraform init to install it. ` +
				`Until then its outputs are unknown and the resources it creates are not checked.`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"main.tf": self, ".terraform/modules/remote/main.tf": "resource \"aws_cloudtrail\" \"r\" {\n  name = \"r\"\n}\n"}
			if tc.manifest != "" {
				files[".terraform/modules/modules.json"] = tc.manifest
			}
			dir := writeTree(t, files)
			start := time.Now()
			inv, diags := Load(dir, Options{})
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %v", took)
			}
			if diff := cmp.Diff(tc.want, describe(diags, dir)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			var ids []string
			for _, e := range inv.Entities {
				if e.Type == "aws_cloudtrail" {
					ids = append(ids, e.ID)
				}
			}
			if want := map[bool][]string{true: {"module.remote.aws_cloudtrail.r"}}[tc.manifest != ""]; !slices.Equal(ids, want) {
				t.Errorf("entities %v, want %v", ids, want)
			}
		})
	}
}

// TestInstalledModulesNotExpanded: a call of an installed module that a
// limit keeps from being expanded leaves failures for the resource types
// of that module and of those installed below it, so that a List rule
// cannot pass on what they would have created.
func TestInstalledModulesNotExpanded(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf": "module \"trails\" {\n  source = \"acme/trails/aws\"\n  count  = 100\n}\n",
		".terraform/modules/modules.json": `{"Modules":[{"Key":"trails","Source":"registry.terraform.io/acme/trails/aws","Dir":".terraform/modules/trails"},` +
			`{"Key":"trails.inner","Source":"registry.terraform.io/acme/inner/aws","Dir":".terraform/modules/trails.inner"},` +
			`{"Key":"trails.inner.leaf","Source":"registry.terraform.io/acme/leaf/aws","Dir":".terraform/modules/trails.inner.leaf"}]}`,
		".terraform/modules/trails/main.tf":            "module \"inner\" {\n  source = \"acme/inner/aws\"\n  count  = 101\n}\n",
		".terraform/modules/trails.inner/main.tf":      "resource \"aws_cloudtrail\" \"t\" {\n  name = \"t\"\n}\nmodule \"leaf\" {\n  source = \"acme/leaf/aws\"\n}\n",
		".terraform/modules/trails.inner.leaf/main.tf": "resource \"aws_sns_topic\" \"alerts\" {\n  name = \"alerts\"\n}\n",
	})
	inv, diags := Load(dir, Options{})
	if !strings.Contains(diags.Error(), "Too many module instances") {
		t.Fatalf("diagnostics: %s", diags.Error())
	}
	types := map[string]bool{}
	for _, f := range inv.Failures {
		types[f.Type] = true
	}
	for _, typ := range []string{"aws_cloudtrail", "CloudTrail", "aws_sns_topic"} {
		if !types[typ] {
			t.Errorf("no failure for %s: %v", typ, inv.Failures)
		}
	}
}
