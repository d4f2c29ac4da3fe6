package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
	"vigil/source/aws"
	"vigil/source/aws/awsfake"
	"vigil/source/terraform"
)

// The helpers below stand in for the test helpers of the packages whose
// tests moved here, built on those packages' exported API.

// catalogPlan compiles the embedded catalog with the filter-pattern
// functions, as a scan does.
func catalogPlan(t testing.TB) *engine.Plan {
	t.Helper()
	rs, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.Compile(rs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// verdictLines returns the findings of run as "RULE entity-name RESULT"
// ("-" for an account or root module), sorted.
func verdictLines(run *engine.Run) []string {
	var out []string
	for _, f := range run.Findings {
		name := "-"
		if f.Entity != nil {
			name = f.Entity.Name
		}
		out = append(out, f.Rule.ID+" "+name+" "+string(f.Result))
	}
	slices.Sort(out)
	return out
}

// loadInventory reads an inventory JSON file.
func loadInventory(t testing.TB, path string) *entity.Inventory {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := entity.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// runOn runs p on inv at the zero time.
func runOn(t testing.TB, p *engine.Plan, inv *entity.Inventory) *engine.Run {
	t.Helper()
	run, err := p.Run(context.Background(), inv, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// findingKey names a finding: "RULE scope entity-name" ("-" for a scope
// finding).
func findingKey(f *engine.Finding) string {
	name := "-"
	if f.Entity != nil {
		name = f.Entity.Name
	}
	return f.Rule.ID + " " + f.Scope + " " + name
}

// wantFinding is one expected finding.
type wantFinding struct {
	// key is "RULE scope entity-name" (see findingKey).
	key    string
	result engine.Result
	// msg must appear in the finding's message ("" for PASS, which has
	// none).
	msg string
}

// checkFindings checks the findings of the rules named in ruleIDs against
// wants: each wanted finding is there once, with its result and message,
// a FAIL carries a trace, and no other finding of those rules is.
func checkFindings(t *testing.T, run *engine.Run, ruleIDs []string, wants []wantFinding) {
	t.Helper()
	got := map[string]*engine.Finding{}
	for _, f := range run.Findings {
		for _, id := range ruleIDs {
			if f.Rule.ID == id {
				if got[findingKey(f)] != nil {
					t.Errorf("two findings for %s", findingKey(f))
				}
				got[findingKey(f)] = f
			}
		}
	}
	for _, w := range wants {
		f := got[w.key]
		if f == nil {
			t.Errorf("no finding %s", w.key)
			continue
		}
		delete(got, w.key)
		if f.Result != w.result {
			t.Errorf("%s: result %s (%s), want %s", w.key, f.Result, f.Explanation, w.result)
		}
		if w.msg == "" && f.Explanation != "" {
			t.Errorf("%s: unexpected message %q", w.key, f.Explanation)
		}
		if !strings.Contains(f.Explanation, w.msg) {
			t.Errorf("%s: message %q lacks %q", w.key, f.Explanation, w.msg)
		}
		if f.Result == engine.Fail && len(f.Trace) == 0 {
			t.Errorf("%s: FAIL without an explanation trace", w.key)
		}
	}
	for k, f := range got {
		t.Errorf("unexpected finding %s: %s %s", k, f.Result, f.Explanation)
	}
}

// terraformFixture is the path of a fixture of source/terraform's
// testdata (see its README.md).
func terraformFixture(name string) string {
	return filepath.Join("../../source/terraform/testdata", filepath.FromSlash(name))
}

// loadTerraform loads path with the Terraform source and fails the test on
// any error diagnostic.
func loadTerraform(t *testing.T, path string, opts terraform.Options) *entity.Inventory {
	t.Helper()
	inv, diags := terraform.Load(path, opts)
	if diags.HasErrors() {
		t.Fatalf("Load(%s): %s", path, diags.Error())
	}
	return inv
}

// writeModule writes src as the main.tf of a new temporary directory and
// returns the directory.
func writeModule(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// scenarioRegions are the regions the AWS scenario's tests scan.
var scenarioRegions = []string{"us-east-1", "eu-west-1", "ap-southeast-2"}

// collectFromFake runs the AWS collector against an in-process fake
// serving w, at the scenario's time, with the developer's AWS
// configuration kept out.
func collectFromFake(t *testing.T, w awsfake.World, opts aws.Options) *entity.Inventory {
	t.Helper()
	srv := awsfake.NewServer(w)
	t.Cleanup(srv.Close)
	for k, v := range map[string]string{"AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_ENDPOINT_URL": "", "AWS_RETRY_MODE": "", "AWS_MAX_ATTEMPTS": ""} {
		t.Setenv(k, v)
	}
	opts.Endpoint = srv.URL
	opts.Credentials = credentials.NewStaticCredentialsProvider("AKIDSCANNED", "scanned-secret-key", "")
	opts.MaxBackoff = time.Millisecond
	opts.Now = func() time.Time { return awsfake.ScenarioNow }
	inv, err := aws.Collect(context.Background(), opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return inv
}
