package aws

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

// TestInstances: each EC2 instance but the terminated ones is an entity
// identified by its ID, with {arn} of its instance profile or null when it
// has none; the instances of a region come from every page (two a page on
// the fake), and the regions are not listed when only instances are wanted.
func TestInstances(t *testing.T) {
	w := scenarioWorld()
	w.Instances = append(w.Instances,
		awsfake.Instance{Account: acct, Region: "us-east-1", ID: "i-0dddddddddddddddd", State: "stopped"},
		awsfake.Instance{Account: acct, Region: "us-east-1", ID: "i-0eeeeeeeeeeeeeeee", State: "terminated",
			Tags: map[string]string{"Name": "gone"}})
	inv, srv := collect(t, w, Options{Types: []string{TypeInstance}, Regions: scannedRegions})
	want := map[string]map[string]any{
		"web": {"id": "i-0123456789abcdef0", "name": "web", "instanceId": "i-0123456789abcdef0", "state": "running",
			"iamInstanceProfile": map[string]any{"arn": "arn:aws:iam::" + acct + ":instance-profile/web"},
			"vpcId":              "vpc-0a1", "subnetId": "subnet-0b2a", "publicIpAddress": "203.0.113.10",
			"tags": []any{map[string]any{"key": "Name", "value": "web"}}},
		"batch": {"id": "i-0fedcba9876543210", "name": "batch", "instanceId": "i-0fedcba9876543210", "state": "running",
			"iamInstanceProfile": nil, "vpcId": "vpc-0a1", "subnetId": "subnet-0b2a", "publicIpAddress": nil,
			"tags": []any{map[string]any{"key": "Name", "value": "batch"}, map[string]any{"key": "team", "value": "data"}}},
		"i-0dddddddddddddddd": {"id": "i-0dddddddddddddddd", "name": "i-0dddddddddddddddd", "instanceId": "i-0dddddddddddddddd",
			"state": "stopped", "iamInstanceProfile": nil, "vpcId": nil, "subnetId": nil, "publicIpAddress": nil, "tags": []any{}},
	}
	got := map[string]map[string]any{}
	for _, e := range ofType(inv, TypeInstance) {
		got[e.Name] = e.Attrs
		if e.ID != e.Attrs["instanceId"] || e.Region != "us-east-1" {
			t.Errorf("instance %s: ID %s, region %s", e.Name, e.ID, e.Region)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" || len(inv.Failures) != 0 {
		t.Errorf("instances (-want +got):\n%s\nfailures %v", diff, inv.Failures)
	}
	if n := srv.CallsByAction()["ec2:DescribeInstances"]; n < len(scannedRegions)+1 {
		t.Errorf("%d ec2:DescribeInstances calls: the second page of us-east-1 was not read", n)
	}
	if len(ofType(inv, TypeRegion)) != 0 || srv.CallsByAction()["ec2:DescribeRegions"] != 0 {
		t.Error("regions were listed when only instances were wanted")
	}
}

// TestInstancesDenied: a region where ec2:DescribeInstances is denied is
// one failure to list Instance there, so that rules on instances give
// ERROR rather than PASS for lack of instances; the other regions are
// listed.
func TestInstancesDenied(t *testing.T) {
	w := scenarioWorld()
	w.Faults = []awsfake.Fault{{Action: "ec2:DescribeInstances", Region: "us-east-1", Code: "UnauthorizedOperation", Status: 403}}
	w.Instances = append(w.Instances, awsfake.Instance{Account: acct, Region: "eu-west-1", ID: "i-0aaaaaaaaaaaaaaaa"})
	inv, _ := collect(t, w, Options{Types: []string{TypeInstance}, Regions: scannedRegions, MaxAttempts: 2})
	if len(inv.Failures) != 1 {
		t.Fatalf("failures %v, want one", inv.Failures)
	}
	f := inv.Failures[0]
	want := entity.Failure{Type: TypeInstance, Scope: acct, Region: "us-east-1", Call: "ec2:DescribeInstances", Error: f.Error}
	if f != want || f.Error == "" {
		t.Errorf("failure %+v, want %+v", f, want)
	}
	instances := ofType(inv, TypeInstance)
	if len(instances) != 1 || instances[0].ID != "i-0aaaaaaaaaaaaaaaa" {
		t.Errorf("instances %v, want only eu-west-1's", instances)
	}
}
