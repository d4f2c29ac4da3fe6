package gsl

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"vigil/entity"
)

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// reportCPU adds a "cpu-ns/<unit>" metric: CPU time rather than wall time
// per operation (divided by per), which a machine shared with other work
// inflates much less. Run with -cpu 1.
func reportCPU(b *testing.B, start time.Duration, per int, unit string) {
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N)/float64(per), "cpu-ns/"+unit)
}

// mon05 is D9.AWS.MON.05 with its exact pattern string (seed 004).
const mon05 = `List<CloudTrail> should have items with [hasSNSSubscriber='true' and metricFilters with [filterPattern isFilterPatternEqual('{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) ||($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName =StopLogging) }')] length() > 0]`

var benchNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func BenchmarkCompileMON05(b *testing.B) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := Compile(mon05, WithPatterns(stubPatterns{})); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start, 1, "op")
}

// BenchmarkEvalSimple evaluates a one-comparison rule on one trail, in the
// frozen form the engine evaluates ("frozen") and as maps ("maps").
func BenchmarkEvalSimple(b *testing.B) {
	p := MustCompile("CloudTrail should have isMultiRegionTrail=true")
	attrs := map[string]any{"name": "main", "isMultiRegionTrail": true, "isOrganizationTrail": false,
		"s3BucketName": "logs", "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/abc", "homeRegion": "us-east-1"}
	for _, form := range []struct {
		name  string
		attrs any
	}{{"frozen", entity.Freeze(attrs)}, {"maps", attrs}} {
		b.Run(form.name, func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				if p.Eval(form.attrs, benchNow).Outcome != Pass {
					b.Fatal("want PASS")
				}
			}
			reportCPU(b, start, 1, "op")
		})
	}
}

// trailScope builds a List<CloudTrail> scope of n trails with 5 metric
// filters each, none of which matches MON.05's pattern, frozen as the
// engine freezes every entity before it evaluates rules.
func trailScope(n int) any {
	return entity.Freeze(trailMaps(n))
}

// trailMaps is trailScope as the maps sources build.
func trailMaps(n int) map[string]any {
	items := make([]any, n)
	for i := range items {
		filters := make([]any, 5)
		for j := range filters {
			filters[j] = map[string]any{
				"filterName":    fmt.Sprintf("f%d", j),
				"filterPattern": fmt.Sprintf("{ ($.eventName = Other%d) || ($.eventName = More%d) }", j, j),
				"logGroupName":  "trail-logs",
			}
		}
		items[i] = map[string]any{
			"name":               fmt.Sprintf("trail-%d", i),
			"isMultiRegionTrail": true,
			"hasSNSSubscriber":   "true",
			"metricFilters":      filters,
		}
	}
	return map[string]any{"items": items}
}

// BenchmarkEvalMON05 evaluates MON.05 over 10,000 trails with 5 metric
// filters each where no trail passes, so every trail and filter is
// visited. It uses stubPatterns, which compares strings.
func BenchmarkEvalMON05(b *testing.B) {
	benchFailingScope(b, MustCompile(mon05, WithPatterns(stubPatterns{})), trailScope(10000), 10000)
}

// benchFailingScope times p.Eval on a scope of n trails where the rule
// fails, and reports the time per trail.
func benchFailingScope(b *testing.B, p *Program, scope any, n int) {
	// A first evaluation fills what the rule memoises (the pattern
	// matchers); building the scope allocated tens of MB, and without a
	// collection here the collector would mark them while the loop runs
	// and bill it to Eval.
	if p.Eval(scope, benchNow).Outcome != Fail {
		b.Fatal("want FAIL")
	}
	runtime.GC()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if p.Eval(scope, benchNow).Outcome != Fail {
			b.Fatal("want FAIL")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/trail")
	reportCPU(b, start, n, "trail")
}

// BenchmarkEvalMON05Maps is BenchmarkEvalMON05 on the maps sources build,
// not frozen: what freezing saves.
func BenchmarkEvalMON05Maps(b *testing.B) {
	benchFailingScope(b, MustCompile(mon05, WithPatterns(stubPatterns{})), trailMaps(10000), 10000)
}

// BenchmarkExplainMON05 explains the failing MON.05 scope of 10,000 trails:
// every element is traced and the closest ten are kept.
func BenchmarkExplainMON05(b *testing.B) {
	p := MustCompile(mon05, WithPatterns(stubPatterns{}))
	scope := trailScope(10000)
	b.ReportAllocs()
	for b.Loop() {
		if p.Explain(scope, benchNow).Outcome != Fail {
			b.Fatal("want FAIL")
		}
	}
}

// BenchmarkExplainMON05FiveTrails explains a failing MON.05 scope of five
// trails, an organisation account's usual shape: every element is shown.
func BenchmarkExplainMON05FiveTrails(b *testing.B) {
	p := MustCompile(mon05, WithPatterns(stubPatterns{}))
	scope := trailScope(5)
	b.ReportAllocs()
	for b.Loop() {
		if p.Explain(scope, benchNow).Outcome != Fail {
			b.Fatal("want FAIL")
		}
	}
}

// BenchmarkEvalMON05Sizes is BenchmarkEvalMON05 over scopes of growing
// size: what a trail costs once the trails no longer fit in the caches.
func BenchmarkEvalMON05Sizes(b *testing.B) {
	p := MustCompile(mon05, WithPatterns(stubPatterns{}))
	for _, n := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprintf("trails=%d", n), func(b *testing.B) {
			benchFailingScope(b, p, trailScope(n), n)
		})
	}
}

// mapFloorSink keeps the compiler from dropping mapFloor's loads.
var mapFloorSink int

// BenchmarkMapFloorMON05 does by hand, with no evaluator, the memory
// accesses any evaluation of MON.05 over map[string]any must make: per
// trail two lookups in the trail's map, and per filter one lookup and the
// first byte of the pattern (the pattern functions read it). It is the
// floor for EvalMON05 with this representation of entities.
func BenchmarkMapFloorMON05(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprintf("trails=%d", n), func(b *testing.B) {
			items := trailMaps(n)["items"].([]any)
			runtime.GC()
			for b.Loop() {
				hits := 0
				for _, it := range items {
					m := it.(map[string]any)
					if m["hasSNSSubscriber"] == "true" {
						hits++
					}
					for _, f := range m["metricFilters"].([]any) {
						if s, ok := f.(map[string]any)["filterPattern"].(string); ok && s != "" && s[0] == '!' {
							hits++
						}
					}
				}
				mapFloorSink += hits
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/trail")
		})
	}
}

// BenchmarkSummarizeMON05 summarizes a failing MON.05 scope of one trail,
// the shape of the 10,000-resource scan's scopes, as the text and CSV
// reports do for each of its 16,000 findings: "serial" on one goroutine,
// "parallel" on GOMAXPROCS at once, as the engine's workers do.
func BenchmarkSummarizeMON05(b *testing.B) {
	p := MustCompile(mon05, WithPatterns(stubPatterns{}))
	scope := trailScope(1)
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		start := cpuTime()
		for b.Loop() {
			if p.Summarize(scope, benchNow).Outcome != Fail {
				b.Fatal("want FAIL")
			}
		}
		reportCPU(b, start, 1, "op")
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		start := cpuTime()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if p.Summarize(scope, benchNow).Outcome != Fail {
					panic("want FAIL")
				}
			}
		})
		reportCPU(b, start, 1, "op")
	})
	// With the clauses a rule's message is written from (WithClauses).
	withClauses := MustCompile(mon05, WithPatterns(stubPatterns{}), WithClauses())
	b.Run("clauses", func(b *testing.B) {
		b.ReportAllocs()
		start := cpuTime()
		for b.Loop() {
			if len(withClauses.Summarize(scope, benchNow).Clauses) == 0 {
				b.Fatal("want clauses")
			}
		}
		reportCPU(b, start, 1, "op")
	})
}
