package terraform

import (
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds adds every fixture file as a seed.
func fuzzSeeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		names, _ := filepath.Glob(p)
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err == nil {
				f.Add(data)
			}
		}
	}
}

// fuzzLoad writes data under name, beside a small module it calls and is
// called by, loads the tree and checks the loader's invariants.
func fuzzLoad(t *testing.T, name string, data []byte) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	mod := filepath.Join(dir, "mod")
	if err := os.Mkdir(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "main.tf"), []byte("variable \"x\" {\n  default = null\n}\noutput \"y\" {\n  value = var.x\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, diags := Load(dir, Options{})
	if inv == nil {
		t.Fatal("nil inventory")
	}
	for _, d := range diags {
		if d.Severity != 1 && d.Severity != 2 { // hcl.DiagError, hcl.DiagWarning
			t.Errorf("diagnostic with invalid severity: %#v", d)
		}
		if d.Summary == "" {
			t.Errorf("diagnostic without summary: %#v", d)
		}
	}
	for _, e := range inv.Entities {
		if e.ID == "" || e.Type == "" || e.Attrs == nil {
			t.Errorf("incomplete entity %#v", e)
		}
	}
}

func FuzzLoadHCL(f *testing.F) {
	fuzzSeeds(f, "testdata/*/*.tf", "testdata/*/*/*.tf", "testdata/*/*/*/*.tf")
	f.Add([]byte("module \"m\" {\n  source = \"./mod\"\n  x = local.a\n}\nlocals {\n  a = module.m.y\n}\n"))
	f.Add([]byte("resource \"a\" \"b\" {\n  dynamic \"c\" {\n    for_each = range(3)\n    content {\n      d = c.value\n    }\n  }\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, "main.tf", data) })
}

func FuzzLoadJSON(f *testing.F) {
	f.Add([]byte(`{"resource":{"aws_cloudtrail":{"t":{"name":"x","event_selector":{"read_write_type":"All"}}}}}`))
	f.Add([]byte(`{"module":{"m":{"source":"./mod","x":"${module.m.y}"}},"locals":{"a":"${local.a}"}}`))
	fuzzSeeds(f, "testdata/*/*/*.tf.json")
	f.Add([]byte(`{"locals":{"l":"${[for i in range(3) : i]}","m":{"${local.k}":["${[for x in local.l : x if x > 0]}"]},"k":"key"}}`))
	f.Add([]byte(`{"resource":{"a":{"b":{"dynamic":{"c":{"for_each":"${range(3)}","iterator":"i","content":{"d":"${i.value}","dynamic":{"e":[{"for_each":"${[i.key]}","content":{}}]}}}}}}}}`))
	f.Add([]byte(`{"variable":{"v":{"default":[1,2]}},"resource":{"aws_s3_bucket":{"b":{"count":"${length(var.v)}","tags":{"i":"${count.index}"}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, "main.tf.json", data) })
}

func FuzzLoadPlan(f *testing.F) {
	fuzzSeeds(f, "testdata/plans/*.json")
	f.Add([]byte(`{"format_version":"0.1","planned_values":{"root_module":{"resources":[{"address":"module.a[\"]\"].x.y","type":"x","name":"y","mode":"managed"}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "plan.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		inv, _ := Load(p, Options{})
		if inv == nil {
			t.Fatal("nil inventory")
		}
	})
}
