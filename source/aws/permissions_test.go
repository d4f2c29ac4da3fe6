package aws

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	policyFile = "../../docs/iam-policy.json"
	awsDocFile = "../../docs/aws.md"
	// The permissions table of docs/aws.md sits between these lines.
	tableStart = "<!-- permissions: generated from the registry by go test ./source/aws -run Policy -update -->\n"
	tableEnd   = "<!-- end of permissions -->\n"
)

// TestPolicyFile keeps docs/iam-policy.json what the registry gives;
// -update rewrites it.
func TestPolicyFile(t *testing.T) {
	if *update {
		if err := os.WriteFile(policyFile, policy(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(policyFile)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(policy()), string(data)); diff != "" {
		t.Errorf("docs/iam-policy.json is not what the registry gives (-registry +file); run go test ./source/aws -run Policy -update:\n%s", diff)
	}
}

// TestPolicyTableInDocs keeps the permissions table of docs/aws.md what
// the registry gives; -update rewrites it.
func TestPolicyTableInDocs(t *testing.T) {
	data, err := os.ReadFile(awsDocFile)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	before, rest, ok1 := strings.Cut(doc, tableStart)
	table, after, ok2 := strings.Cut(rest, tableEnd)
	if !ok1 || !ok2 {
		t.Fatalf("docs/aws.md has no permissions table between %q and %q", tableStart, tableEnd)
	}
	if *update {
		table = permissionsTable()
		if err := os.WriteFile(awsDocFile, []byte(before+tableStart+table+tableEnd+after), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(permissionsTable(), table); diff != "" {
		t.Errorf("the permissions table of docs/aws.md is not what the registry gives (-registry +file); run go test ./source/aws -run Policy -update:\n%s", diff)
	}
}

// TestPolicyRegistry checks what each service file registers: a client,
// actions of its own service each with a purpose, registered once across
// the registry, and entity types that some service lists.
func TestPolicyRegistry(t *testing.T) {
	if len(services) == 0 {
		t.Fatal("no service registered")
	}
	listed := Types()
	seen := map[string]string{}
	for _, s := range services {
		if s.newClient == nil {
			t.Errorf("%s: no client", s.name)
		}
		if len(s.actions) == 0 {
			t.Errorf("%s: no action", s.name)
		}
		for _, a := range s.actions {
			prefix, op, _ := strings.Cut(a.name, ":")
			if prefix != s.name || op == "" {
				t.Errorf("%s: action %q is not one of the service's", s.name, a.name)
			}
			if other, dup := seen[a.name]; dup {
				t.Errorf("%s: action %s is registered by %s too", s.name, a.name, other)
			}
			seen[a.name] = s.name
			if strings.TrimSpace(a.purpose) == "" {
				t.Errorf("%s: no purpose", a.name)
			}
			for _, f := range a.fills {
				if f.entityType == "" || len(f.attrs) == 0 {
					t.Errorf("%s: entity type %q with attributes %v", a.name, f.entityType, f.attrs)
				}
				if !slices.Contains(listed, f.entityType) {
					t.Errorf("%s fills %s, which no service lists", a.name, f.entityType)
				}
			}
		}
		if (s.list == nil) != (len(s.listed) == 0) || (s.enrich == nil) != (s.enriched == "") {
			t.Errorf("%s: a list or enrich step without its type, or the reverse", s.name)
		}
		var filled []string
		for _, a := range s.actions {
			for _, f := range a.fills {
				filled = append(filled, f.entityType)
			}
		}
		for _, typ := range append(slices.Clone(s.listed), s.enriched) {
			if typ != "" && !slices.Contains(filled, typ) {
				t.Errorf("%s: lists or enriches %s, but none of its actions fills it", s.name, typ)
			}
		}
	}
	actions := Actions()
	if !slices.IsSorted(actions) || len(actions) != len(seen) {
		t.Errorf("Actions() = %v: want the %d registered actions, sorted, each once", actions, len(seen))
	}
}

// TestPolicyMatchesCalls keeps Actions and the calls the collector really
// makes in step: a scan that uses every code path (all regions, an assumed
// role, tags, the whole monitoring chain) calls exactly the registered
// actions, plus sts:AssumeRole on the caller's side.
func TestPolicyMatchesCalls(t *testing.T) {
	w := scenarioWorld()
	w.Faults = nil
	role := "arn:aws:iam::" + acct + ":role/VigilAudit"
	w.Account, w.Keys, w.Roles = "333333333333", map[string]string{}, map[string]string{role: ""}
	_, srv := collect(t, w, Options{RoleARN: role})
	var called []string
	for action := range srv.CallsByAction() {
		if action != "sts:AssumeRole" {
			called = append(called, action)
		}
	}
	slices.Sort(called)
	if diff := cmp.Diff(Actions(), called); diff != "" {
		t.Errorf("Actions() vs calls made (-registered +called):\n%s", diff)
	}
}
