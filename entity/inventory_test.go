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
