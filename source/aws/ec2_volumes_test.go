package aws

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/source/aws/awsfake"
)

// TestVolumes: each EBS volume is an entity identified by an ARN made from
// its ID, with its encryption, size, type and attachments, each with its
// state; the regions are not listed when only volumes are wanted.
func TestVolumes(t *testing.T) {
	inv, srv := collect(t, scenarioWorld(), Options{Types: []string{TypeVolume}, Regions: scannedRegions})
	arn := func(region, id string) string { return "arn:aws:ec2:" + region + ":" + acct + ":volume/" + id }
	attachment := func(instance, device, state string) map[string]any {
		return map[string]any{"instanceId": instance, "device": device, "state": state,
			"attachTime": "2025-01-01T00:00:00Z", "deleteOnTermination": true}
	}
	want := map[string]map[string]any{
		"web-root": {"id": arn("us-east-1", "vol-0aaaaaaaaaaaaaaaa"), "arn": arn("us-east-1", "vol-0aaaaaaaaaaaaaaaa"),
			"name": "web-root", "volumeId": "vol-0aaaaaaaaaaaaaaaa", "encrypted": true,
			"kmsKeyId": awsfake.ScenarioKeyARN("us-east-1", "1234"), "size": 20.0, "volumeType": "gp3", "state": "in-use",
			"availabilityZone": "us-east-1a", "attachments": []any{attachment("i-0123456789abcdef0", "/dev/xvda", "attached")},
			"tags": []any{map[string]any{"key": "Name", "value": "web-root"}}},
		"vol-0bbbbbbbbbbbbbbbb": {"id": arn("us-east-1", "vol-0bbbbbbbbbbbbbbbb"), "arn": arn("us-east-1", "vol-0bbbbbbbbbbbbbbbb"),
			"name": "vol-0bbbbbbbbbbbbbbbb", "volumeId": "vol-0bbbbbbbbbbbbbbbb", "encrypted": false, "kmsKeyId": nil,
			"size": 8.0, "volumeType": "io2", "state": "in-use", "availabilityZone": "us-east-1a",
			"attachments": []any{attachment("i-0fedcba9876543210", "/dev/sdf", "detaching")}, "tags": []any{}},
		"vol-0cccccccccccccccc": {"id": arn("ap-southeast-2", "vol-0cccccccccccccccc"), "arn": arn("ap-southeast-2", "vol-0cccccccccccccccc"),
			"name": "vol-0cccccccccccccccc", "volumeId": "vol-0cccccccccccccccc", "encrypted": false, "kmsKeyId": nil,
			"size": 100.0, "volumeType": "st1", "state": "available", "availabilityZone": "ap-southeast-2a",
			"attachments": []any{}, "tags": []any{}},
	}
	got := map[string]map[string]any{}
	for _, e := range ofType(inv, TypeVolume) {
		got[e.Name] = e.Attrs
		if e.ID != e.Attrs["arn"] {
			t.Errorf("volume %s: ID %s is not its ARN", e.Name, e.ID)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" || len(inv.Failures) != 0 {
		t.Errorf("volumes (-want +got):\n%s\nfailures %v", diff, inv.Failures)
	}
	if len(ofType(inv, TypeRegion)) != 0 || srv.CallsByAction()["ec2:DescribeRegions"] != 0 {
		t.Error("regions were listed when only volumes were wanted")
	}
}
