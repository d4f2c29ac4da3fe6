package aws

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/source/aws/awsfake"
	"vigil/source/snapshot"
)

const goldenSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

// collectedForSnapshot reads a small fake account (one trail, its log group denied)
// through the live collector, as `vigil collect aws` does.
func collectedForSnapshot(t *testing.T) *entity.Inventory {
	lg := awsfake.LogGroup{Account: "123456789012", Region: "eu-west-1", Name: "trail-logs"}
	w := awsfake.World{Account: "123456789012", Regions: []awsfake.Region{{Name: "us-east-1"}, {Name: "eu-west-1"}},
		Trails: []awsfake.Trail{{Name: "main", Account: "123456789012", HomeRegion: "us-east-1", MultiRegion: true,
			LogGroupARN: lg.ARN(), Status: awsfake.TrailStatus{IsLogging: true,
				LatestCloudWatchLogsDeliveryTime: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)}}},
		LogGroups: []awsfake.LogGroup{lg},
		Faults:    []awsfake.Fault{{Action: "logs:DescribeMetricFilters", Code: "AccessDeniedException", Message: "not authorized"}},
	}
	srv := awsfake.NewServer(w)
	t.Cleanup(srv.Close)
	for _, k := range []string{"AWS_PROFILE", "AWS_ENDPOINT_URL"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	t.Setenv("AWS_REGION", "us-east-1")
	inv, err := Collect(context.Background(), Options{Endpoint: srv.URL, MaxBackoff: time.Millisecond, Tool: "vigil test",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", goldenSecret, "session-token-example"),
		Now:         func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// TestSnapshotGolden pins the snapshot of a collection byte for byte, and
// that it holds no credentials. source/snapshot/testdata/collected.json is
// a copy of the golden file.
func TestSnapshotGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := snapshot.Write(&buf, collectedForSnapshot(t)); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/snapshot.json", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("snapshot (-golden +got); run with -update if intended:\n%s", diff)
	}
	for _, s := range []string{goldenSecret, "AKIDEXAMPLE", "session-token-example"} {
		if strings.Contains(buf.String(), s) {
			t.Errorf("snapshot contains credential %q", s)
		}
	}
}
