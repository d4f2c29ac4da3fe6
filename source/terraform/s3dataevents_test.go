package terraform

import (
	"testing"

	"vigil/entity"
)

// TestS3ObjectEventsFromHCL: the CloudTrail entities of trails in code
// say whether they record the S3 object-level write and read events of
// every bucket, from classic data resources and advanced field selectors,
// through variables and count; a value not known until apply makes the
// answer Unknown ("?"), never false nor true.
func TestS3ObjectEventsFromHCL(t *testing.T) {
	inv := load(t, "testdata/s3-data-events", Options{})
	want := map[string][2]any{
		"aws_cloudtrail.writes":      {true, false},
		"aws_cloudtrail.one_bucket":  {"?", "?"},
		"aws_cloudtrail.advanced[0]": {true, true},
		"aws_cloudtrail.advanced[1]": {true, true},
		"aws_cloudtrail.by_variable": {"?", "?"},
		"aws_cloudtrail.lambda":      {false, false},
	}
	seen := 0
	for _, e := range inv.Entities {
		if e.Type != "CloudTrail" {
			continue
		}
		w, ok := want[e.ID]
		if !ok {
			t.Errorf("unexpected trail %s", e.ID)
			continue
		}
		seen++
		for i, attr := range []string{"hasS3ObjectWriteEvents", "hasS3ObjectReadEvents"} {
			got := e.Attrs[attr]
			if w[i] == "?" {
				if u, ok := got.(*entity.Unknown); !ok || u.Reason == "" {
					t.Errorf("%s %s = %v, want Unknown with a reason", e.ID, attr, got)
				}
				continue
			}
			if got != w[i] {
				t.Errorf("%s %s = %v, want %v", e.ID, attr, got, w[i])
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d trails, want %d", seen, len(want))
	}
}
