package gsl

import (
	"runtime"
	"testing"

	"vigil/filterpattern"
)

// BenchmarkEvalMON05RealPatterns is BenchmarkEvalMON05 with the real
// filter-pattern comparison that vigil scans use (filterpattern.Cache): a
// scan sees a few distinct patterns many times, so after the first trail
// every comparison is a cache hit.
func BenchmarkEvalMON05RealPatterns(b *testing.B) {
	p := MustCompile(mon05, WithPatterns(filterpattern.NewCache()))
	scope := trailScope(10000)
	runtime.GC()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if p.Eval(scope, benchNow).Outcome != Fail {
			b.Fatal("want FAIL")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/trail")
	reportCPU(b, start, 10000, "trail")
}
