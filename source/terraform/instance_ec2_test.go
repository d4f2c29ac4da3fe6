package terraform

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

// TestInstanceMapping reads testdata/instances: an instance with the
// profile of a declared role, workers from count without one (null), and
// an instance whose profile comes from a variable without a value
// (Unknown, never null); the IDs are known after apply.
func TestInstanceMapping(t *testing.T) {
	inv := load(t, "testdata/instances", Options{Types: []string{"Instance"}})
	cases := []storageCase{
		{"Instance", "aws_instance.web", "name", "web"},
		{"Instance", "aws_instance.web", "state", "running"},
		{"Instance", "aws_instance.web", "subnetId", "subnet-0abc1234"},
		{"Instance", "aws_instance.web", "iamInstanceProfile.arn", unknownWith("known after apply")},
		{"Instance", "aws_instance.web", "instanceId", unknownWith("known after apply")},
		{"Instance", "aws_instance.web", "tags", []any{map[string]any{"key": "Name", "value": "web"},
			map[string]any{"key": "team", "value": "platform"}}},
		{"Instance", "aws_instance.web", "publicIpAddress", unknownWith("only known in a live account")},
		{"Instance", "aws_instance.worker[0]", "iamInstanceProfile", nil},
		{"Instance", "aws_instance.worker[1]", "iamInstanceProfile", nil},
		{"Instance", "aws_instance.worker[1]", "subnetId", unknownWith("known after apply")},
		{"Instance", "aws_instance.configured", "iamInstanceProfile", unknownWith("profile_name")},
	}
	for _, c := range cases {
		e := find(t, inv, c.typ, c.id)
		got, ok := at(e.Attrs, c.path)
		if !ok {
			t.Errorf("%s %s has no %s", c.typ, c.id, c.path)
			continue
		}
		if want, isUnknown := c.want.(unknownWith); isUnknown {
			u, ok := got.(*entity.Unknown)
			if !ok || !strings.Contains(u.Reason, string(want)) {
				t.Errorf("%s %s %s = %s, want an Unknown saying %q", c.typ, c.id, c.path, entity.Format(got), want)
			}
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s %s %s (-want +got):\n%s", c.typ, c.id, c.path, diff)
		}
	}
	if n := len(inv.Entities); n != 4 {
		t.Errorf("%d entities, want the 4 instances", n)
	}
}
