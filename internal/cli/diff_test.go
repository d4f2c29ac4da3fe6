package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
	"vigil/source/snapshot"
)

// diffSnapshots collects the fake account into old.json, and writes
// new.json with the legacy trail deleted, the regional trail made
// multi-region and a new single-region trail added.
func diffSnapshots(t *testing.T) (oldPath, newPath string) {
	fakeAWS(t)
	dir := t.TempDir()
	oldPath, newPath = filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	if code, _, stderr := run(t, "", append([]string{"collect", "aws", "-o", oldPath}, regionFlags...)...); code != 0 {
		t.Fatalf("collect: %s", stderr)
	}
	inv, err := snapshot.Load(oldPath)
	if err != nil {
		t.Fatal(err)
	}
	var kept []*entity.Entity
	for _, e := range inv.Entities {
		switch e.Name {
		case "legacy":
			continue
		case "regional":
			e.Attrs["isMultiRegionTrail"] = true
		case "adv-all":
			added := *e
			added.ID, added.Name = strings.Replace(e.ID, "adv-all", "added", 1), "added"
			kept = append(kept, &added)
		}
		kept = append(kept, e)
	}
	inv.Entities = kept
	if err := snapshot.Save(newPath, inv); err != nil {
		t.Fatal(err)
	}
	return oldPath, newPath
}

func TestDiff(t *testing.T) {
	oldPath, newPath := diffSnapshots(t)

	code, stdout, stderr := run(t, "", "diff", "--format", "json", "--only", "D9.AWS.LOG.01", oldPath, newPath)
	if code != ExitFailed {
		t.Errorf("exit %d, want 1 (a FAIL appeared); stderr %s", code, stderr)
	}
	var doc struct {
		Changes   []findingChange `json:"changes"`
		Unchanged int             `json:"unchanged"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	var got []string
	for _, c := range doc.Changes {
		got = append(got, c.Kind+" "+c.RuleID+" "+c.Name+" "+c.Old+">"+c.New)
	}
	want := []string{
		"appeared D9.AWS.LOG.01 added >FAIL",
		"changed D9.AWS.LOG.01 regional FAIL>PASS",
		"disappeared D9.AWS.LOG.01 legacy FAIL>",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if doc.Unchanged != 5 {
		t.Errorf("unchanged = %d, want 5", doc.Unchanged)
	}

	code, stdout, _ = run(t, "", "diff", "--only", "D9.AWS.LOG.01", oldPath, newPath)
	for _, line := range []string{"+ D9.AWS.LOG.01  111111111111  added", "~ D9.AWS.LOG.01  111111111111  regional  FAIL → PASS",
		"- D9.AWS.LOG.01  111111111111  legacy", "1 appeared, 1 disappeared, 1 changed, 5 unchanged"} {
		if !strings.Contains(stdout, line) {
			t.Errorf("text output lacks %q:\n%s", line, stdout)
		}
	}
	if code != ExitFailed {
		t.Errorf("text: exit %d", code)
	}
}

// TestDiffNoChange compares a snapshot with itself: nothing changed,
// exit 0.
func TestDiffNoChange(t *testing.T) {
	oldPath, _ := diffSnapshots(t)
	code, stdout, stderr := run(t, "", "diff", oldPath, oldPath)
	if code != 0 || !strings.Contains(stdout, "0 appeared, 0 disappeared, 0 changed") {
		t.Errorf("exit %d, stdout %s, stderr %s", code, stdout, stderr)
	}
}

func TestDiffErrors(t *testing.T) {
	oldPath, _ := diffSnapshots(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"diff", oldPath}, "accepts 2 arg(s)"},
		{[]string{"diff", oldPath, "/nonexistent/new.json"}, "/nonexistent/new.json: no such file"},
		{[]string{"diff", "--format", "sarif", oldPath, oldPath}, "--format: want text or json"},
		{[]string{"diff", "--only", "NOPE.*", oldPath, oldPath}, "--only NOPE.*: no rule has this ID"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, "", tt.args...)
		if code != ExitBadUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, stderr, tt.want)
		}
	}
}

// TestDiffFindings pins the matching (rule, scope, entity; scope-level
// findings of List<E> rules have no entity) and what counts as a
// regression.
func TestDiffFindings(t *testing.T) {
	mon05 := &rules.Rule{ID: "D9.AWS.MON.05"}
	log01 := &rules.Rule{ID: "D9.AWS.LOG.01"}
	trail := func(id string) *entity.Entity { return &entity.Entity{ID: id, Name: id, Scope: "1"} }
	old := []*engine.Finding{
		{Rule: mon05, Scope: "1", Result: engine.Pass},
		{Rule: mon05, Scope: "2", Result: engine.Error},
		{Rule: log01, Entity: trail("a"), Result: engine.Fail},
		{Rule: log01, Entity: trail("b"), Result: engine.Pass},
	}
	new := []*engine.Finding{
		{Rule: mon05, Scope: "1", Result: engine.Error, Message: "logs:DescribeMetricFilters denied"},
		{Rule: mon05, Scope: "2", Result: engine.Pass},
		{Rule: log01, Entity: trail("a"), Result: engine.Fail},
		{Rule: log01, Entity: trail("b"), Scope: "1", Result: engine.Pass},
	}
	changes, unchanged := diffFindings(old, new)
	want := []findingChange{
		{Kind: "changed", RuleID: "D9.AWS.MON.05", Scope: "1", Old: "PASS", New: "ERROR", Message: "logs:DescribeMetricFilters denied"},
		{Kind: "changed", RuleID: "D9.AWS.MON.05", Scope: "2", Old: "ERROR", New: "PASS"},
	}
	if diff := cmp.Diff(want, changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if unchanged != 2 {
		t.Errorf("unchanged = %d, want 2", unchanged)
	}
	if !changes[0].regression() || changes[1].regression() {
		t.Errorf("regression: %v %v", changes[0].regression(), changes[1].regression())
	}
	if (findingChange{Kind: "disappeared", Old: "FAIL"}).regression() {
		t.Errorf("a FAIL that disappeared is not a regression")
	}
}
