package gsl

import (
	"runtime"
	"testing"

	"vigil/filterpattern"
)

// BenchmarkEvalMON05RealPatterns is BenchmarkEvalMON05 with the real
// filter-pattern comparison that vigil scans use (filterpattern.Cache): a
// scan sees a few distinct patterns many times, so after the first trail
// every comparison is a hit of the rule's matcher, which the warm-up
// evaluation before the timed loop fills.
func BenchmarkEvalMON05RealPatterns(b *testing.B) {
	benchMON05Patterns(b, filterpattern.NewCache())
}

// BenchmarkEvalMON05PairwisePatterns is BenchmarkEvalMON05RealPatterns
// with each comparison made as it was before the rule's pattern was
// compiled once: Cache.Equal(s, want), which looks both patterns up under
// the cache's lock on every call. What the matcher saves.
func BenchmarkEvalMON05PairwisePatterns(b *testing.B) {
	benchMON05Patterns(b, pairwisePatterns{filterpattern.NewCache()})
}

func benchMON05Patterns(b *testing.B, pf PatternFuncs) {
	p := MustCompile(mon05, WithPatterns(pf))
	scope := trailScope(10000)
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
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/trail")
	reportCPU(b, start, 10000, "trail")
}

// pairwisePatterns compares each pattern with the rule's through
// Cache.Equal and Cache.Covers.
type pairwisePatterns struct{ c *filterpattern.Cache }

func (pp pairwisePatterns) EqualTo(want string) (func(string) (bool, error), error) {
	if _, err := pp.c.Parse(want); err != nil {
		return nil, err
	}
	return func(s string) (bool, error) { return pp.c.Equal(s, want) }, nil
}

func (pp pairwisePatterns) Covering(want string) (func(string) (bool, error), error) {
	if _, err := pp.c.Parse(want); err != nil {
		return nil, err
	}
	return func(s string) (bool, error) { return pp.c.Covers(s, want) }, nil
}
