package e2e

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"vigil/entity"
	"vigil/filterpattern"
	"vigil/gsl"
)

// BenchmarkEvalMON05RealPatterns is gsl's BenchmarkEvalMON05 with the real
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

func benchMON05Patterns(b *testing.B, pf gsl.PatternFuncs) {
	benchFailingScope(b, gsl.MustCompile(ruleMon05, gsl.WithPatterns(pf)), trailScope(10000), 10000)
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

// TestMON05RealPatterns evaluates MON.05, and a filterPatternCovers rule,
// with the real filter-pattern functions, each case twice (the second time
// from the matchers' memory) and from several goroutines at once (go test
// -race).
func TestMON05RealPatterns(t *testing.T) {
	const (
		cis45Compact = `{($.eventName=CreateTrail)||($.eventName=UpdateTrail)||($.eventName=DeleteTrail)||($.eventName=StartLogging)||($.eventName=StopLogging)}`
		covers       = `List<CloudTrail> should have items with [metricFilters with [filterPattern filterPatternCovers('{ $.eventName = CreateTrail }')] length() > 0]`
	)
	trail := func(patterns ...any) map[string]any {
		var filters []any
		for _, p := range patterns {
			filters = append(filters, map[string]any{"filterName": "f", "filterPattern": p})
		}
		return map[string]any{"hasSNSSubscriber": "true", "metricFilters": filters}
	}
	scope := func(trails ...map[string]any) any {
		items := make([]any, len(trails))
		for i, tr := range trails {
			items[i] = tr
		}
		return map[string]any{"items": items}
	}
	tests := []struct {
		name, rule string
		scope      any
		want       gsl.Outcome
		line       string // a line the explanation must hold
	}{
		{"MON.05 pass: CIS 4.5 spelled another way", ruleMon05,
			scope(trail(`{ $.eventName = CreateTrail }`, cis45Compact)), gsl.Pass, ""},
		{"MON.05 fail: a pattern that does not parse", ruleMon05,
			scope(trail(`{ $.eventName = CreateTrail }`, `{ $.eventName = }`, 42.0)), gsl.Fail,
			`filterPattern isFilterPatternEqual('{ ($.eventName = CreateTrail) || ($.even'...) is false (filterPattern is '{ $.eventName = }'; the pattern '{ $.eventName = }' could not be parsed: 1:17: expected a value after "=", found "}", in filter pattern "{ $.eventName = }")`},
		{"covers pass: a wildcard covers CreateTrail", covers,
			scope(trail(`{ $.eventName = CreateTrail && $.x = 1 }`), trail(`{ $.eventName = *Trail }`)), gsl.Pass, ""},
		{"covers fail: narrower and unrelated patterns", covers,
			scope(trail(`{ $.eventName = CreateTrail && $.x = 1 }`, `ERROR`, `{ $.eventName = Create* && $.eventName = *Bucket }`)), gsl.Fail, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := gsl.MustCompile(tc.rule, gsl.WithPatterns(filterpattern.NewCache()))
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for range 2 {
						if got := p.Eval(tc.scope, testNow).Outcome; got != tc.want {
							t.Errorf("Eval: %v, want %v", got, tc.want)
						}
						ex := p.Explain(tc.scope, testNow)
						if ex.Outcome != tc.want {
							t.Errorf("Explain: %v, want %v: %s", ex.Outcome, tc.want, ex.Summary)
						}
						if tc.line != "" && !slices.ContainsFunc(ex.Lines, func(l string) bool { return strings.TrimSpace(l) == tc.line }) {
							t.Errorf("explanation lacks\n  %s\nit is:\n  %s", tc.line, strings.Join(ex.Lines, "\n  "))
						}
					}
				})
			}
			wg.Wait()
		})
	}
}

// trailScope builds a List<CloudTrail> scope of n trails with 5 metric
// filters each, none of which matches MON.05's pattern, frozen as the
// engine freezes every entity before it evaluates rules (gsl's benchmarks
// build the same).
func trailScope(n int) any {
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
	return entity.Freeze(map[string]any{"items": items})
}

// benchFailingScope times p.Eval on a scope of n trails where the rule
// fails, and reports the time and the CPU time per trail, as gsl's
// benchmarks do.
func benchFailingScope(b *testing.B, p *gsl.Program, scope any, n int) {
	// A first evaluation fills what the rule memoises (the pattern
	// matchers); building the scope allocated tens of MB, and without a
	// collection here the collector would mark them while the loop runs
	// and bill it to Eval.
	if p.Eval(scope, testNow).Outcome != gsl.Fail {
		b.Fatal("want FAIL")
	}
	runtime.GC()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if p.Eval(scope, testNow).Outcome != gsl.Fail {
			b.Fatal("want FAIL")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/trail")
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/trail")
}
