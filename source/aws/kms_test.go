package aws

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

// keysOnly collects the KMS keys only.
var keysOnly = Options{Types: []string{TypeKMS}, Regions: scannedRegions, MaxAttempts: 2}

// keyByID returns the collected keys by key ID.
func keyByID(inv *entity.Inventory) map[string]*entity.Entity {
	out := map[string]*entity.Entity{}
	for _, e := range ofType(inv, TypeKMS) {
		out[e.Name] = e
	}
	return out
}

// TestKMSKeys: every key of every region is an entity with its metadata;
// rotationStatus is read for customer-managed symmetric keys only, is
// true for an AWS-managed key and false for an asymmetric one; a key
// pending deletion has its deletion date.
func TestKMSKeys(t *testing.T) {
	inv, _ := collect(t, scenarioWorld(), keysOnly)
	keys := keyByID(inv)
	tests := []struct {
		id                         string
		customer, rotation         any
		state, spec, deletion, reg any
	}{
		{"1234", true, true, "Enabled", "SYMMETRIC_DEFAULT", nil, "us-east-1"},
		{"5678", true, false, "Enabled", "SYMMETRIC_DEFAULT", nil, "us-east-1"},
		{"aws-ebs", false, true, "Enabled", "SYMMETRIC_DEFAULT", nil, "us-east-1"},
		{"signing", true, false, "Enabled", "RSA_2048", nil, "us-east-1"},
		{"retired", true, false, "PendingDeletion", "SYMMETRIC_DEFAULT", "2026-11-29T10:00:00Z", "us-east-1"},
		{"9abc", true, true, "Enabled", "SYMMETRIC_DEFAULT", nil, "eu-west-1"},
	}
	if len(keys) != len(tests) || len(inv.Failures) != 0 {
		t.Fatalf("%d keys, failures %v; want %d keys", len(keys), inv.Failures, len(tests))
	}
	for _, tt := range tests {
		e := keys[tt.id]
		if e == nil {
			t.Errorf("no key %s", tt.id)
			continue
		}
		got := []any{e.Attrs["isCustomerManaged"], e.Attrs["rotationStatus"], e.Attrs["keyState"], e.Attrs["keySpec"],
			e.Attrs["deletionDate"], e.Region}
		want := []any{tt.customer, tt.rotation, tt.state, tt.spec, tt.deletion, tt.reg}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("key %s: customer, rotation, state, spec, deletion, region (-want +got):\n%s", tt.id, diff)
		}
		if e.ID != awsfake.ScenarioKeyARN(tt.reg.(string), tt.id) || e.Attrs["arn"] != e.ID || e.Attrs["keyId"] != tt.id {
			t.Errorf("key %s: id %s, attrs %v", tt.id, e.ID, e.Attrs)
		}
	}
}

// TestKMSKeyFaults: a key whose rotation status is denied has that field
// alone Unknown, with one failure naming the key; a key that cannot be
// described has every field but its ARN and ID Unknown, with one failure
// for the whole key; a region whose keys cannot be listed is a failure to
// list keys there; the other keys are read in full.
func TestKMSKeyFaults(t *testing.T) {
	tests := []struct {
		name  string
		world func(w *awsfake.World)
		// unknown are "keyID attr" of the Unknown fields.
		unknown []string
		// failures are "region entity attr call code".
		failures []string
		keys     int
	}{
		{name: "rotation denied on one key", world: func(w *awsfake.World) { w.KMSKeys[1].RotationDenied = true },
			unknown:  []string{"5678 rotationStatus"},
			failures: []string{"us-east-1 " + awsfake.ScenarioKeyARN("us-east-1", "5678") + " rotationStatus kms:GetKeyRotationStatus AccessDeniedException"},
			keys:     6},
		{name: "describe denied in one region", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "kms:DescribeKey", Region: "eu-west-1", Code: "AccessDeniedException"}}
		}, unknown: []string{"9abc deletionDate", "9abc description", "9abc isCustomerManaged", "9abc keyManager",
			"9abc keySpec", "9abc keyState", "9abc keyUsage", "9abc origin", "9abc rotationStatus"},
			failures: []string{"eu-west-1 " + awsfake.ScenarioKeyARN("eu-west-1", "9abc") + "  kms:DescribeKey AccessDeniedException"},
			keys:     6},
		{name: "listing denied in one region", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "kms:ListKeys", Region: "eu-west-1", Code: "AccessDeniedException"}}
		}, failures: []string{"eu-west-1   kms:ListKeys AccessDeniedException"}, keys: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := scenarioWorld()
			w.Faults = nil
			tt.world(&w)
			inv, srv := collect(t, w, keysOnly)
			var unknown, failures []string
			for _, e := range ofType(inv, TypeKMS) {
				for _, attr := range slices.Sorted(maps.Keys(e.Attrs)) {
					if entity.IsUnknown(e.Attrs[attr]) {
						unknown = append(unknown, e.Name+" "+attr)
					}
				}
			}
			for _, f := range inv.Failures {
				code, _, _ := strings.Cut(f.Error, ":")
				failures = append(failures, fmt.Sprintf("%s %s %s %s %s", f.Region, f.Entity, f.Attr, f.Call, code))
			}
			if diff := cmp.Diff(tt.unknown, unknown); diff != "" {
				t.Errorf("unknown fields (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.failures, failures); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
			if n := len(ofType(inv, TypeKMS)); n != tt.keys {
				t.Errorf("%d keys, want %d", n, tt.keys)
			}
			if n := srv.CallsByAction()["kms:GetKeyRotationStatus"]; n > 4 {
				t.Errorf("%d GetKeyRotationStatus calls: more than the customer-managed symmetric keys", n)
			}
		})
	}
}
