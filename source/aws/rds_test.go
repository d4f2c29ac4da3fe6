package aws

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

// TestDBInstances: each DB instance of the scanned account is an entity
// with the fields of its rds:DescribeDBInstances answer; another
// account's instance is not listed; an instance without a KMS key or a
// subnet group has null there.
func TestDBInstances(t *testing.T) {
	inv, _ := collect(t, scenarioWorld(), Options{Types: []string{TypeRDS}, Regions: scannedRegions})
	arn := func(region, id string) string { return "arn:aws:rds:" + region + ":" + acct + ":db:" + id }
	want := map[string]map[string]any{
		"orders": {"id": arn("us-east-1", "orders"), "arn": arn("us-east-1", "orders"), "name": "orders",
			"engine": "postgres", "engineVersion": "16.3", "instanceClass": "db.t3.micro", "clusterIdentifier": nil,
			"isStorageEncrypted": true, "kmsKeyId": awsfake.ScenarioKeyARN("us-east-1", "1234"),
			"publiclyAccessible": false, "isPublic": false, "autoMinorVersionUpgrade": true, "isMultiAvailabilityZone": true,
			"backupRetentionPeriod": 7.0, "dbSubnetGroupName": "private-db", "vpcId": "vpc-0a1b2c3d",
			"tags": []any{map[string]any{"key": "team", "value": "payments"}}},
		"legacy-reports": {"id": arn("eu-west-1", "legacy-reports"), "arn": arn("eu-west-1", "legacy-reports"),
			"name": "legacy-reports", "engine": "mysql", "engineVersion": "16.3", "instanceClass": "db.t3.micro",
			"clusterIdentifier": nil, "isStorageEncrypted": false, "kmsKeyId": nil, "publiclyAccessible": true,
			"isPublic": true, "autoMinorVersionUpgrade": false, "isMultiAvailabilityZone": false,
			"backupRetentionPeriod": 0.0, "dbSubnetGroupName": "default", "vpcId": "vpc-0e0e0e0e", "tags": []any{}},
	}
	got := map[string]map[string]any{}
	for _, e := range ofType(inv, TypeRDS) {
		got[e.Name] = e.Attrs
	}
	if diff := cmp.Diff(want, got); diff != "" || len(inv.Failures) != 0 {
		t.Errorf("DB instances (-want +got):\n%s\nfailures %v", diff, inv.Failures)
	}
}

// TestDataListingFailures: a region whose RDS instances, file systems or
// volumes cannot be listed is one failure to list that type there, with
// no attribute and no entity named, so that rules on the type give ERROR
// for the account rather than pass for lack of entities; the other
// regions are listed.
func TestDataListingFailures(t *testing.T) {
	tests := []struct {
		typ, action string
		entities    int
	}{
		{TypeRDS, "rds:DescribeDBInstances", 1},
		{TypeEFS, "elasticfilesystem:DescribeFileSystems", 1},
		{TypeVolume, "ec2:DescribeVolumes", 3},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			w := scenarioWorld()
			w.Faults = []awsfake.Fault{{Action: tt.action, Region: "eu-west-1", Code: "AccessDenied", Status: 403}}
			if tt.typ == TypeVolume {
				w.Faults[0].Code = "UnauthorizedOperation"
			}
			inv, _ := collect(t, w, Options{Types: []string{tt.typ}, Regions: scannedRegions, MaxAttempts: 2})
			if len(inv.Failures) != 1 {
				t.Fatalf("failures %v, want one", inv.Failures)
			}
			f := inv.Failures[0]
			want := entity.Failure{Type: tt.typ, Scope: acct, Region: "eu-west-1", Call: tt.action, Error: f.Error}
			if f != want {
				t.Errorf("failure %+v, want %+v", f, want)
			}
			if n := len(ofType(inv, tt.typ)); n != tt.entities {
				t.Errorf("%d entities, want %d", n, tt.entities)
			}
		})
	}
}
