package aws

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

// regionsOnly collects the Region entities only.
var regionsOnly = Options{Types: []string{TypeRegion}}

// analyzer is an analyzer of the scenario's account as a Region lists it.
func analyzer(region, name, typ, status string) map[string]any {
	return map[string]any{"name": name, "arn": "arn:aws:access-analyzer:" + region + ":" + acct + ":analyzer/" + name,
		"type": typ, "status": status}
}

// TestRegionAccessAnalyzers: each scanned region is a Region entity with
// the analyzers of that region and of the scanned account only; an
// analyzer that is not ACTIVE does not count as one; a region without
// analyzers has an empty list; a region whose analyzers cannot be listed
// (access denied, a region named but not enabled) has both attributes
// Unknown and a failure each naming access-analyzer:ListAnalyzers, while
// the other regions are read.
func TestRegionAccessAnalyzers(t *testing.T) {
	usEast := []any{analyzer("us-east-1", "account", "ACCOUNT", "ACTIVE"), analyzer("us-east-1", "org", "ORGANIZATION", "DISABLED")}
	euWest := []any{analyzer("eu-west-1", "old", "ACCOUNT", "DISABLED")}
	type want struct {
		analyzers any // nil: Unknown
		active    any
	}
	tests := []struct {
		name    string
		world   func(w *awsfake.World)
		regions []string
		want    map[string]want
		// failures are "region attr call code".
		failures []string
	}{
		{name: "scenario", world: func(*awsfake.World) {},
			want: map[string]want{"us-east-1": {usEast, true}, "eu-west-1": {euWest, false}, "ap-southeast-2": {[]any{}, false}}},
		{name: "an analyzer that failed", world: func(w *awsfake.World) {
			w.Analyzers = []awsfake.Analyzer{{Account: acct, Region: "eu-west-1", Name: "broken", Status: "FAILED"},
				{Account: acct, Region: "eu-west-1", Name: "new", Status: "CREATING"}}
		}, regions: []string{"eu-west-1"},
			want: map[string]want{"eu-west-1": {[]any{analyzer("eu-west-1", "broken", "ACCOUNT", "FAILED"),
				analyzer("eu-west-1", "new", "ACCOUNT", "CREATING")}, false}}},
		{name: "access denied in one region", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "access-analyzer:ListAnalyzers", Region: "eu-west-1", Code: "AccessDeniedException",
				Status: 403, Message: "User is not authorized to perform: access-analyzer:ListAnalyzers"}}
		}, want: map[string]want{"us-east-1": {usEast, true}, "eu-west-1": {}, "ap-southeast-2": {[]any{}, false}},
			failures: []string{"eu-west-1 accessAnalyzers access-analyzer:ListAnalyzers AccessDeniedException",
				"eu-west-1 hasActiveAccessAnalyzer access-analyzer:ListAnalyzers AccessDeniedException"}},
		{name: "a region named but not enabled", world: func(*awsfake.World) {}, regions: []string{"me-south-1", "us-east-1"},
			want: map[string]want{"us-east-1": {usEast, true}, "me-south-1": {}},
			failures: []string{"me-south-1 accessAnalyzers access-analyzer:ListAnalyzers UnrecognizedClientException",
				"me-south-1 hasActiveAccessAnalyzer access-analyzer:ListAnalyzers UnrecognizedClientException"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := scenarioWorld()
			w.Faults = nil
			tt.world(&w)
			opts := regionsOnly
			opts.Regions, opts.MaxAttempts = tt.regions, 2
			inv, _ := collect(t, w, opts)
			var failures []string
			for _, f := range inv.Failures {
				if !strings.HasPrefix(f.Call, "access-analyzer:") {
					continue // the other services' reads of the Region, tested beside them
				}
				code, _, _ := strings.Cut(f.Error, ":")
				failures = append(failures, fmt.Sprintf("%s %s %s %s", f.Entity, f.Attr, f.Call, code))
				if f.Type != TypeRegion || f.Region != f.Entity {
					t.Errorf("failure %+v is not about the Region of its region", f)
				}
			}
			if diff := cmp.Diff(tt.failures, failures); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
			got := ofType(inv, TypeRegion)
			if len(got) != len(tt.want) || len(inv.Entities) != len(got) {
				t.Fatalf("%d regions of %d entities, want %d", len(got), len(inv.Entities), len(tt.want))
			}
			for _, e := range got {
				checkRegion(t, e, tt.want[e.ID].analyzers, tt.want[e.ID].active)
			}
		})
	}
}

// checkRegion checks a Region's identity and its analyzers; a nil
// analyzers wants both attributes Unknown, naming the action.
func checkRegion(t *testing.T, e *entity.Entity, analyzers, active any) {
	t.Helper()
	if e.Name != e.ID || e.Region != e.ID || e.Scope != acct || e.Attrs["id"] != e.ID || e.Attrs["name"] != e.ID {
		t.Errorf("region %s: name %q, region %q, scope %q, attrs %v", e.ID, e.Name, e.Region, e.Scope, e.Attrs)
	}
	if analyzers == nil {
		for _, a := range accessAnalyzerAttrs {
			u, ok := e.Attrs[a].(*entity.Unknown)
			if !ok || !strings.Contains(u.Reason, "access-analyzer:ListAnalyzers") {
				t.Errorf("region %s %s = %v, want Unknown naming the action", e.ID, a, e.Attrs[a])
			}
		}
		return
	}
	if diff := cmp.Diff(analyzers, e.Attrs["accessAnalyzers"]); diff != "" {
		t.Errorf("region %s accessAnalyzers (-want +got):\n%s", e.ID, diff)
	}
	if e.Attrs["hasActiveAccessAnalyzer"] != active {
		t.Errorf("region %s hasActiveAccessAnalyzer = %v, want %v", e.ID, e.Attrs["hasActiveAccessAnalyzer"], active)
	}
}

// TestAccessAnalyzersPagination: the analyzers are read page by page,
// whatever the page size, in order of name, and an endpoint that keeps
// answering with a next token ends in a failure, not a hang.
func TestAccessAnalyzersPagination(t *testing.T) {
	w := scenarioWorld()
	w.Faults = nil
	var want []any
	for i := range 5 {
		name := fmt.Sprintf("analyzer-%d", i)
		w.Analyzers = append(w.Analyzers, awsfake.Analyzer{Account: acct, Region: "eu-west-1", Name: name, Status: "DISABLED"})
		want = append(want, analyzer("eu-west-1", name, "ACCOUNT", "DISABLED"))
	}
	w.Analyzers = append(w.Analyzers, awsfake.Analyzer{Account: acct, Region: "eu-west-1", Name: "z-last"})
	// The scenario's "old" comes first from the fake, between them by name.
	want = append(want, analyzer("eu-west-1", "old", "ACCOUNT", "DISABLED"), analyzer("eu-west-1", "z-last", "ACCOUNT", "ACTIVE"))
	opts := regionsOnly
	opts.Regions = []string{"eu-west-1"}
	for _, size := range []int{1, 2, 50} {
		w.PageSize = size
		inv, srv := collect(t, w, opts)
		e := ofType(inv, TypeRegion)[0]
		if diff := cmp.Diff(want, e.Attrs["accessAnalyzers"]); diff != "" {
			t.Errorf("page size %d (-want +got):\n%s", size, diff)
		}
		if e.Attrs["hasActiveAccessAnalyzer"] != true {
			t.Errorf("page size %d: the active analyzer on the last page was missed", size)
		}
		if n, pages := srv.CallsByAction()["access-analyzer:ListAnalyzers"], (7+size-1)/size; n != pages {
			t.Errorf("page size %d: %d calls, want %d", size, n, pages)
		}
	}
	w.PageSize, w.EndlessPages = 2, true
	inv, _ := collect(t, w, opts)
	var failures []entity.Failure
	for _, f := range inv.Failures {
		if f.Call == "access-analyzer:ListAnalyzers" {
			failures = append(failures, f)
		}
	}
	if len(failures) != 2 || !strings.Contains(failures[0].Error, "more than 1000 pages") {
		t.Errorf("failures %v, want the endless listing reported", inv.Failures)
	}
}
