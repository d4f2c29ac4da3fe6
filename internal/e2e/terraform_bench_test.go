package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2/hclparse"

	"vigil/engine"
	"vigil/rules"
	"vigil/source/terraform"
)

// corpusRootResources is how many resources one root module of the
// generated corpus declares, with its module calls: 3 (logging) + 12
// (alarms: topic, subscription, 5 filters, 5 alarms) + 3 (bucket) + 11
// (iam: 2 users, 2 keys, a group, 2 memberships, a policy and its
// attachment, a role and its attachment) + 3 of its own.
const corpusRootResources = 32

// writeCorpus writes the generated corpus of source/terraform's
// testdata/corpus into dir: its shared modules, and numbered copies of its
// root module envs/team until the tree declares at least resources
// resources. source/terraform's tests write the same corpus.
func writeCorpus(tb testing.TB, dir string, resources int) {
	tb.Helper()
	src := terraformFixture("corpus")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		name = filepath.ToSlash(name)
		rest, ok := strings.CutPrefix(name, "envs/team/")
		if !ok {
			return writeCorpusFile(dir, name, data)
		}
		for i := 0; i*corpusRootResources < resources; i++ {
			root := bytes.ReplaceAll(data, []byte("{{N}}"), []byte(strconv.Itoa(i)))
			if err := writeCorpusFile(dir, fmt.Sprintf("envs/team%04d/%s", i, rest), root); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// writeCorpusFile writes data under dir as name, a slash-separated path.
func writeCorpusFile(dir, name string, data []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// TestCorpusGenerator: 160 resources make five root modules, and MON.05
// is UNKNOWN on each, whose only subscription is an unconfirmed e-mail.
func TestCorpusGenerator(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 160)
	inv := loadTerraform(t, dir, terraform.Options{})
	native := 0
	for _, e := range inv.Entities {
		if strings.HasPrefix(e.Type, "aws_") {
			native++
		}
	}
	if len(inv.Scopes) != 5 || native != 160 {
		t.Errorf("%d root modules, %d resources; want 5 and 160", len(inv.Scopes), native)
	}
	got := evaluate(t, inv, map[string]string{"MON.05": ruleMon05})
	if len(got) != 5 {
		t.Errorf("MON.05 on %d root modules, want 5: %v", len(got), got)
	}
	for k, v := range got {
		if v != "UNKNOWN" { // the only subscription is e-mail, unconfirmed
			t.Errorf("%s: %s", k, v)
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func maxRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // KiB → MiB
}

var corpusSizes = []int{1_000, 10_000}

// corpus returns a generated corpus per size, written once per process.
var corpora = map[int]struct {
	dir   string
	files []string
}{}

func corpus(b *testing.B, size int) (string, []string) {
	if c, ok := corpora[size]; ok {
		return c.dir, c.files
	}
	dir, err := os.MkdirTemp("", "vigil-tf-corpus")
	if err != nil {
		b.Fatal(err)
	}
	writeCorpus(b, dir, size)
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		// Every file a scan parses: the modules and the variable files.
		if err == nil && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tfvars")) {
			files = append(files, p)
		}
		return nil
	})
	corpora[size] = struct {
		dir   string
		files []string
	}{dir, files}
	return dir, files
}

func report(b *testing.B, files int, cpu0 time.Duration) {
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(maxRSS(), "maxRSS-MiB")
}

// benchCorpora times op once per iteration on each generated corpus, and
// reports files per second, CPU time and peak memory.
func benchCorpora(b *testing.B, op func(b *testing.B, dir string, files []string)) {
	for _, size := range corpusSizes {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			dir, files := corpus(b, size)
			runtime.GC()
			cpu0 := cpuTime()
			for b.Loop() {
				op(b, dir, files)
			}
			report(b, len(files), cpu0)
		})
	}
}

// BenchmarkParseFloor parses every file of the corpus with hclparse and
// nothing else: the floor a loader cannot beat.
func BenchmarkParseFloor(b *testing.B) {
	benchCorpora(b, func(b *testing.B, _ string, files []string) {
		p := hclparse.NewParser()
		for _, f := range files {
			if _, diags := p.ParseHCLFile(f); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	})
}

// BenchmarkLoad loads, evaluates and normalises the corpus.
func BenchmarkLoad(b *testing.B) {
	benchCorpora(b, func(b *testing.B, dir string, _ []string) {
		if _, diags := terraform.Load(dir, terraform.Options{}); diags.HasErrors() {
			b.Fatal(diags)
		}
	})
}

// BenchmarkLoadForCatalog loads the corpus as vigil scan does for the
// embedded catalog: only the entity types its rules read.
func BenchmarkLoadForCatalog(b *testing.B) {
	types := catalogTypes(b)
	benchCorpora(b, func(b *testing.B, dir string, _ []string) {
		if _, diags := terraform.Load(dir, terraform.Options{Types: types}); diags.HasErrors() {
			b.Fatal(diags)
		}
	})
}

// catalogTypes returns the entity types of the embedded catalog's rules.
func catalogTypes(b *testing.B) []string {
	rs, err := rules.Catalog()
	if err != nil {
		b.Fatal(err)
	}
	var types []string
	for _, r := range rs {
		if !slices.Contains(types, r.Entity) {
			types = append(types, r.Entity)
		}
	}
	return types
}

// BenchmarkScan is the whole scan: load, evaluate, normalise and run the
// embedded catalog, as vigil scan does with its default text report: the
// loader builds only the entity types the rules read, and findings carry
// their one-line message but no trace (see engine.Options.NoTraces).
func BenchmarkScan(b *testing.B) { benchScan(b, true) }

// BenchmarkScanWithTraces is BenchmarkScan for the reports that print
// each finding's trace (JSON, SARIF, HTML).
func BenchmarkScanWithTraces(b *testing.B) { benchScan(b, false) }

func benchScan(b *testing.B, noTraces bool) {
	rs, err := rules.Catalog()
	if err != nil {
		b.Fatal(err)
	}
	types := catalogTypes(b)
	benchCorpora(b, func(b *testing.B, dir string, _ []string) {
		// Compiled in the loop, with a new filter-pattern cache, as each
		// run of vigil scan does: matches remembered from the previous
		// iteration would make the catalog look cheaper than it is.
		plan, err := engine.Compile(rs, engine.Options{NoTraces: noTraces})
		if err != nil {
			b.Fatal(err)
		}
		inv, diags := terraform.Load(dir, terraform.Options{Types: types})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		if _, err := plan.Run(context.Background(), inv, time.Time{}); err != nil {
			b.Fatal(err)
		}
	})
}

// TestWriteCorpus writes the 10,000-resource benchmark corpus into the
// directory named by VIGIL_WRITE_CORPUS, to time the vigil binary on it:
//
//	VIGIL_WRITE_CORPUS=/tmp/corpus go test ./internal/e2e -run TestWriteCorpus
//	/usr/bin/time -v vigil scan /tmp/corpus > /dev/null
func TestWriteCorpus(t *testing.T) {
	dir := os.Getenv("VIGIL_WRITE_CORPUS")
	if dir == "" {
		t.Skip("set VIGIL_WRITE_CORPUS to a directory to write the corpus")
	}
	writeCorpus(t, dir, 10_000)
}
