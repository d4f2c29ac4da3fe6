package entity_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"vigil/entity"
)

func TestInventoryRoundTrip(t *testing.T) {
	golden, err := os.ReadFile("testdata/inventory.json")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := entity.Decode(golden)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Entities) != 2 || len(inv.Failures) != 1 || len(inv.Scopes) != 1 {
		t.Fatalf("decoded %d entities, %d failures, %d scopes", len(inv.Entities), len(inv.Failures), len(inv.Scopes))
	}
	trail := inv.Entities[0]
	u, ok := trail.Attrs["cloudWatchLogsRoleArn"].(*entity.Unknown)
	if !ok || u.Kind != entity.UnknownSet || u.Reason != "known after apply" {
		t.Errorf("cloudWatchLogsRoleArn = %#v, want a set unknown with its reason", trail.Attrs["cloudWatchLogsRoleArn"])
	}
	if v, ok := trail.Lookup("status.isLogging"); !ok || v != true {
		t.Errorf("status.isLogging = %v, %v", v, ok)
	}
	if v, ok := trail.Lookup("kmsKeyId"); !ok || v != nil {
		t.Errorf("kmsKeyId = %v, %v; want an explicit null", v, ok)
	}
	tf := inv.Entities[1]
	if u, ok := tf.Attrs["cloud_watch_logs_group_arn"].(*entity.Unknown); !ok || u.Kind != entity.UnknownMaybeNull {
		t.Errorf("cloud_watch_logs_group_arn = %#v, want maybe-null unknown", tf.Attrs["cloud_watch_logs_group_arn"])
	}
	if got := tf.Origin.String(); got != "modules/trail/main.tf:3:1" {
		t.Errorf("origin = %q", got)
	}

	var out bytes.Buffer
	if err := inv.Encode(&out); err != nil {
		t.Fatal(err)
	}
	if out.String() != string(golden) {
		t.Errorf("re-encoded inventory differs from the golden file:\n%s", out.String())
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", ``, "empty input: want a JSON document"},
		{"syntax", "{\"vigil_inventory\": 1,\n \"entities\": [}", "2:15: invalid character '}' looking for beginning of value"},
		{"no version", `{"entities": []}`, `not a vigil inventory: the "vigil_inventory" version field is missing`},
		{"future version", `{"vigil_inventory": 2}`, "inventory version 2 is not supported: this vigil reads version 1"},
		{"unknown field", `{"vigil_inventory": 1, "entites": []}`, `json: unknown field "entites"`},
		{"no type", `{"vigil_inventory": 1, "entities": [{"id": "x", "attrs": {}}]}`, `entities[0] (id "x") has no type`},
		{"dollar attr", `{"vigil_inventory": 1, "entities": [{"type": "T", "id": "x", "attrs": {"a": {"$ref": 1}}}]}`,
			`entities[0] (id "x"): attrs.a.$ref: attribute names may not begin with '$'`},
		{"dollar attr in a list", `{"vigil_inventory": 1, "entities": [{"type": "T", "id": "x", "attrs": {"a": [1, {"b": {"$x": 1}}]}}]}`,
			`entities[0] (id "x"): attrs.a[1].b.$x: attribute names may not begin with '$'`},
		{"bad unknown kind", `{"vigil_inventory": 1, "entities": [{"type": "T", "id": "x", "attrs": {"a": {"$unknown": "nope"}}}]}`,
			`entities[0] (id "x"): attrs.a: unknown value kind "nope": want "set" or "maybe-null"`},
		{"unknown extra key", `{"vigil_inventory": 1, "entities": [{"type": "T", "id": "x", "attrs": {"a": {"$unknown": "set", "why": "x"}}}]}`,
			`entities[0] (id "x"): attrs.a: an unknown value has only "$unknown" and "reason", found "why"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := entity.Decode([]byte(tt.in))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\nwant    %q", err, tt.want)
			}
		})
	}
}

func TestDecodeAttrList(t *testing.T) {
	inv, err := entity.DecodeAttrList([]byte(`[{"isMultiRegionTrail": true}, {"x": {"$unknown": "set"}}]`), "CloudTrail", "input")
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Entities) != 2 || inv.Entities[1].ID != "#1" || inv.Entities[1].Type != "CloudTrail" {
		t.Fatalf("entities = %+v", inv.Entities)
	}
	if !entity.IsUnknown(inv.Entities[1].Attrs["x"]) {
		t.Errorf("x = %#v, want unknown", inv.Entities[1].Attrs["x"])
	}
	_, err = entity.DecodeAttrList([]byte(`[1]`), "CloudTrail", "input")
	if err == nil || err.Error() != "[0]: want an object of attributes, found number" {
		t.Errorf("err = %v", err)
	}
}

func TestMarshalRejectsDollarNames(t *testing.T) {
	inv := &entity.Inventory{Entities: []*entity.Entity{{Type: "T", ID: "x", Attrs: map[string]any{"$bad": 1.0}}}}
	var b bytes.Buffer
	err := inv.Encode(&b)
	if err == nil || !strings.Contains(err.Error(), "names may not begin with '$'") {
		t.Errorf("err = %v", err)
	}
}

func TestNormalize(t *testing.T) {
	s := "x"
	var nilp *string
	in := map[string]any{"n": 3, "p": &s, "np": nilp, "l": []string{"a"}, "m": map[string]int32{"k": 2}}
	got, err := entity.Normalize(in)
	if err != nil {
		t.Fatal(err)
	}
	if entity.Format(got) != "{l: ['a'], m: {k: 2}, n: 3, np: null, p: 'x'}" {
		t.Errorf("Normalize = %s", entity.Format(got))
	}
	if _, err := entity.Normalize(struct{}{}); err == nil {
		t.Error("Normalize(struct{}{}) succeeded")
	}
}

// TestInputFailures: a failure of a file keeps its kind and position through
// the JSON format, a document written before those fields existed reads as
// collection failures, and each kind renders with its place.
func TestInputFailures(t *testing.T) {
	parse := entity.Failure{Kind: entity.FailureParse, Type: "aws_cloudtrail", Scope: "infra", File: "infra/bad.tf", Line: 2, Col: 10,
		Error: "Invalid expression: Expected the start of an expression."}
	inv := &entity.Inventory{Failures: []entity.Failure{parse}}
	var b bytes.Buffer
	if err := inv.Encode(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"kind": "parse"`) || !strings.Contains(b.String(), `"col": 10`) {
		t.Errorf("encoded failure lacks its kind or column:\n%s", b.String())
	}
	back, err := entity.Decode(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Failures) != 1 || back.Failures[0] != parse {
		t.Errorf("decoded %+v, want %+v", back.Failures, parse)
	}
	old, err := entity.Decode([]byte(`{"vigil_inventory": 1, "scopes": [], "entities": [],
		"failures": [{"type": "CloudTrail", "scope": "1", "region": "eu-west-1", "call": "cloudtrail:DescribeTrails", "error": "AccessDenied"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if f := old.Failures[0]; f.Kind != entity.FailureCollect || f.IsInput() {
		t.Errorf("an old failure reads as kind %q, input %v", f.Kind, f.IsInput())
	}
	tests := []struct {
		f    entity.Failure
		want string
	}{
		{parse, "infra/bad.tf:2:10: does not parse: Invalid expression: Expected the start of an expression."},
		{entity.Failure{Kind: entity.FailureRead, File: "nope/", Error: "no such file or directory"}, "nope/: cannot be read: no such file or directory"},
		{entity.Failure{Kind: entity.FailureRead, File: "big.tf", Line: 1, Error: "too large"}, "big.tf:1: cannot be read: too large"},
		{old.Failures[0], "cloudtrail:DescribeTrails in eu-west-1: AccessDenied"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	if !parse.IsInput() || !tests[1].f.IsInput() {
		t.Error("parse and read failures are not input failures")
	}
}
