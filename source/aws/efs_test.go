package aws

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/source/aws/awsfake"
)

// TestFileSystems: each EFS file system is an entity with its encryption,
// key and tags; its name is its Name tag, or its ID.
func TestFileSystems(t *testing.T) {
	inv, _ := collect(t, scenarioWorld(), Options{Types: []string{TypeEFS}, Regions: scannedRegions})
	arn := func(region, id string) string {
		return "arn:aws:elasticfilesystem:" + region + ":" + acct + ":file-system/" + id
	}
	common := map[string]any{"lifeCycleState": "available", "performanceMode": "generalPurpose", "throughputMode": "bursting"}
	with := func(m map[string]any) map[string]any {
		for k, v := range common {
			m[k] = v
		}
		return m
	}
	want := map[string]map[string]any{
		"shared-home": with(map[string]any{"id": arn("us-east-1", "fs-0123456789abcdef0"), "arn": arn("us-east-1", "fs-0123456789abcdef0"),
			"name": "shared-home", "fileSystemId": "fs-0123456789abcdef0", "encrypted": true,
			"kmsKeyId": awsfake.ScenarioKeyARN("us-east-1", "1234"),
			"tags":     []any{map[string]any{"key": "Name", "value": "shared-home"}, map[string]any{"key": "team", "value": "platform"}}}),
		"fs-0fedcba9876543210": with(map[string]any{"id": arn("eu-west-1", "fs-0fedcba9876543210"), "arn": arn("eu-west-1", "fs-0fedcba9876543210"),
			"name": "fs-0fedcba9876543210", "fileSystemId": "fs-0fedcba9876543210", "encrypted": false, "kmsKeyId": nil,
			"tags": []any{}}),
	}
	got := map[string]map[string]any{}
	for _, e := range ofType(inv, TypeEFS) {
		got[e.Name] = e.Attrs
	}
	if diff := cmp.Diff(want, got); diff != "" || len(inv.Failures) != 0 {
		t.Errorf("file systems (-want +got):\n%s\nfailures %v", diff, inv.Failures)
	}
}
