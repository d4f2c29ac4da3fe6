package terraform

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// maxFuzzInput bounds the inputs the fuzz targets try. The fuzzer
// minimises every input that finds new code, trying it without each byte
// and each run of bytes: runs that grow with the square of its length. A
// plan fixture of 18 KB kept one minimisation going for the whole default
// minute, during which the fuzzer ran nothing else (9 executions a second
// over 10 minutes). Small inputs reach every part of the loader.
const maxFuzzInput = 2 << 10

// oneThread makes the loader work on one goroutine: the fuzzer keeps an
// input that reaches code no other did, and the order in which parallel
// goroutines run changes what code one run reaches, so that every input
// looked new and was minimised at length.
var oneThread = sync.OnceFunc(func() { runtime.GOMAXPROCS(1) })

// fuzzSeeds adds every fixture file small enough to fuzz as a seed.
func fuzzSeeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		names, _ := filepath.Glob(p)
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err == nil && len(data) <= maxFuzzInput {
				f.Add(data)
			}
		}
	}
}

// fuzzLoad writes data under name, beside a small module it calls and is
// called by, loads the tree and checks the loader's invariants.
func fuzzLoad(t *testing.T, name string, data []byte) {
	if len(data) > maxFuzzInput {
		return
	}
	oneThread()
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
	// A plan with every part vigil reads, small enough to fuzz.
	f.Add([]byte(`{"format_version":"1.2","variables":{"v":{"value":"s"}},` +
		`"planned_values":{"root_module":{"resources":[{"address":"aws_cloudtrail.t","mode":"managed","type":"aws_cloudtrail","name":"t",` +
		`"values":{"name":"t","cloud_watch_logs_group_arn":null,"tags":{"a":"b"}},"sensitive_values":{"tags":{"a":true}}}],` +
		`"child_modules":[{"address":"module.m","resources":[{"address":"module.m.aws_cloudwatch_log_group.g","mode":"managed","type":"aws_cloudwatch_log_group","name":"g","values":{"name":"g"}}]}]}},` +
		`"resource_changes":[{"address":"aws_cloudtrail.t","change":{"actions":["create"],"after_unknown":{"cloud_watch_logs_group_arn":true,"arn":true},"after_sensitive":{"name":true}}}],` +
		`"prior_state":{"values":{"root_module":{"resources":[{"address":"data.aws_caller_identity.c","mode":"data","type":"aws_caller_identity","name":"c","values":{"account_id":"1"}}]}}},` +
		`"configuration":{"root_module":{"variables":{"v":{"sensitive":true}},"resources":[{"address":"aws_cloudtrail.t","expressions":{"cloud_watch_logs_group_arn":{"references":["module.m.arn","module.m"]}}}],` +
		`"module_calls":{"m":{"source":"./m","expressions":{"x":{"references":["var.v"]}},"module":{"outputs":{"arn":{"expression":{"references":["aws_cloudwatch_log_group.g.arn","aws_cloudwatch_log_group.g"]}}}}}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		oneThread()
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
