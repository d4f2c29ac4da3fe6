package snapshot

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/source/aws"
	"vigil/source/aws/awsfake"
)

var update = flag.Bool("update", false, "rewrite testdata/collected.json from the fake account")

const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

// collected reads a small fake account (one trail, its log group denied)
// through the live collector, as `vigil collect aws` does.
func collected(t *testing.T) *entity.Inventory {
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
	inv, err := aws.Collect(context.Background(), aws.Options{Endpoint: srv.URL, MaxBackoff: time.Millisecond, Tool: "vigil test",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", secret, "session-token-example"),
		Now:         func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// TestGolden pins the snapshot of a collection byte for byte, and that it
// holds no credentials.
func TestGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, collected(t)); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/collected.json", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/collected.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("snapshot (-golden +got); run with -update if intended:\n%s", diff)
	}
	for _, s := range []string{secret, "AKIDEXAMPLE", "session-token-example"} {
		if strings.Contains(buf.String(), s) {
			t.Errorf("snapshot contains credential %q", s)
		}
	}
}

// TestRoundTrip loads each golden file and writes it back unchanged.
func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"collected.json", "unknowns.json"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			inv, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out.json")
			if err := Save(out, inv); err != nil {
				t.Fatal(err)
			}
			want, _ := os.ReadFile(path)
			got, _ := os.ReadFile(out)
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadedSnapshotKeepsFailuresAndUnknowns checks what a replay needs.
func TestLoadedSnapshotKeepsFailuresAndUnknowns(t *testing.T) {
	inv, err := Load("testdata/collected.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Failures) != 2 || inv.Failures[0].Call != "logs:DescribeMetricFilters" {
		t.Errorf("failures = %v", inv.Failures)
	}
	if !entity.IsUnknown(inv.Entities[0].Attrs["metricFilters"]) {
		t.Errorf("metricFilters = %v, want Unknown", inv.Entities[0].Attrs["metricFilters"])
	}
	if inv.Tool != "vigil test" || !inv.CollectedAt.Equal(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("tool %q at %v", inv.Tool, inv.CollectedAt)
	}
	if got := inv.Scopes[0].Regions; len(got) != 2 {
		t.Errorf("regions %v", got)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"syntax", "{\n  \"vigil_inventory\": 1,\n  \"scopes\": [}\n", "bad.json:3:"},
		{"not an inventory", `{"format_version": "1.2"}`, `bad.json: json: unknown field "format_version"`},
		{"version", `{"vigil_inventory": 7, "scopes": []}`, "bad.json: inventory version 7 is not supported"},
		{"entity outside scopes", `{"vigil_inventory": 1, "scopes": [{"kind": "aws-account", "id": "1"}],
			"entities": [{"type": "CloudTrail", "id": "a", "scope": "2", "attrs": {}}]}`,
			`bad.json: entities[0] (id "a"): scope "2" is not among the snapshot's scopes`},
		{"duplicate entity", `{"vigil_inventory": 1, "scopes": [{"kind": "aws-account", "id": "1"}],
			"entities": [{"type": "CloudTrail", "id": "a", "scope": "1", "attrs": {}}, {"type": "CloudTrail", "id": "a", "scope": "1", "attrs": {}}]}`,
			`bad.json: entities[1]: CloudTrail "a" appears twice in scope 1`},
		{"failure without error", `{"vigil_inventory": 1, "scopes": [{"kind": "aws-account", "id": "1"}],
			"failures": [{"type": "CloudTrail", "scope": "1", "error": ""}]}`, "bad.json: failures[0]: type and error are required"},
		{"empty", "", "bad.json: empty input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.json")
			if err := os.WriteFile(path, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestReadSizeLimit refuses input beyond MaxSize without reading it all.
func TestReadSizeLimit(t *testing.T) {
	r := &zeros{n: MaxSize + 10}
	_, err := Read(r)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v", err)
	}
	if r.read > MaxSize+1 {
		t.Errorf("read %d bytes", r.read)
	}
}

type zeros struct{ n, read int }

func (z *zeros) Read(p []byte) (int, error) {
	if z.read >= z.n {
		return 0, nil
	}
	k := min(len(p), z.n-z.read)
	for i := range p[:k] {
		p[i] = ' '
	}
	z.read += k
	return k, nil
}

func TestIsSnapshot(t *testing.T) {
	tests := []struct {
		data string
		want bool
	}{
		{`{"vigil_inventory": 1}`, true},
		{`{"tool": "x", "scopes": [{"a": {"b": 1}}], "vigil_inventory": 1}`, true},
		{`{"format_version": "1.2", "planned_values": {}}`, false},
		{`[{"isMultiRegionTrail": true}]`, false},
		{`resource "aws_cloudtrail" "x" {}`, false},
		{``, false},
	}
	for _, tt := range tests {
		if got := IsSnapshot([]byte(tt.data)); got != tt.want {
			t.Errorf("IsSnapshot(%q) = %v", tt.data, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"collected.json", "unknowns.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"vigil_inventory": 1, "scopes": [{"kind": "k", "id": "1"}], "entities": [{"type": "T", "id": "x", "scope": "1", "attrs": {"a": {"$unknown": "set"}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := Parse(data)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, inv); err != nil {
			t.Fatalf("parsed but cannot write back: %v", err)
		}
		again, err := Parse(buf.Bytes())
		if err != nil {
			t.Fatalf("written snapshot does not parse: %v\n%s", err, buf.Bytes())
		}
		if len(again.Entities) != len(inv.Entities) || len(again.Failures) != len(inv.Failures) {
			t.Fatalf("round trip changed the counts")
		}
		_ = IsSnapshot(data)
	})
}
