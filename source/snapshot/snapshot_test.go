package snapshot

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

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

// TestReadSizeLimit refuses input beyond the limit without reading it all
// (with a small limit: Read uses MaxSize).
func TestReadSizeLimit(t *testing.T) {
	const limit = 1 << 16
	r := &zeros{n: 10 * limit}
	_, err := readLimited(r, limit)
	if err == nil || !strings.Contains(err.Error(), "larger than 65536 bytes") {
		t.Fatalf("err = %v", err)
	}
	if r.read > 2*limit {
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

// maxFuzzInput bounds the inputs FuzzParse tries. The fuzzer minimises
// every input that finds new code, by trying it without each byte and each
// run of bytes: a number of runs that grows with the square of the input's
// length. On the golden files (2 to 3 KB) one minimisation took the whole
// default minute, and the fuzzer reported no executions meanwhile. Small
// inputs reach every part of the format.
const maxFuzzInput = 512

// FuzzParse parses, writes back and parses again. Its seeds are small
// snapshots with each part of the format (see maxFuzzInput); the golden
// files are read whole by TestRoundTrip.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{"vigil_inventory":1,"collected_at":"2026-11-22T10:00:00Z","tool":"vigil","scopes":[{"kind":"aws-account","id":"1","name":"prod","regions":["eu-west-1","us-east-1"]}],` +
			`"entities":[{"type":"CloudTrail","id":"arn:t","name":"t","scope":"1","region":"us-east-1","origin":{"api":["cloudtrail:DescribeTrails"]},` +
			`"attrs":{"isMultiRegionTrail":true,"n":1.5,"z":null,"tags":[{"key":"k","value":"v"}],"status":{"isLogging":false}}}]}`,
		`{"vigil_inventory":1,"scopes":[{"kind":"aws-account","id":"1"}],"entities":[],` +
			`"failures":[{"type":"CloudTrail","attr":"metricFilters","scope":"1","region":"eu-west-1","entity":"arn:x","call":"logs:DescribeMetricFilters","error":"AccessDenied: no"}]}`,
		`{"vigil_inventory":1,"scopes":[{"kind":"terraform-module","id":"envs/prod"}],"entities":[{"type":"aws_cloudtrail","id":"aws_cloudtrail.main","scope":"envs/prod",` +
			`"origin":{"file":"main.tf","start":{"line":3,"col":1},"end":{"line":9,"col":2}},"suppressions":[{"rule":"D9.TF.AWS.LOG.01","reason":"r","expires":"2027-01-31","source":"main.tf:2"}],"attrs":{"kms_key_id":{"$unknown":"set","reason":"known after apply"},"x":[{"$unknown":"maybe-null"}]}}]}`,
		`{"vigil_inventory": 1, "scopes": [{"kind": "k", "id": "1"}], "entities": [{"type": "T", "id": "x", "scope": "1", "attrs": {"a": {"$unknown": "set"}}}]}`,
	} {
		if _, err := Parse([]byte(seed)); err != nil || len(seed) > maxFuzzInput {
			f.Fatalf("seed of %d bytes does not parse: %v\n%s", len(seed), err, seed)
		}
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
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
