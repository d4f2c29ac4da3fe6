package gsl

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	benchFailingScope(b, MustCompile(mon05, WithPatterns(pf)), trailScope(10000), 10000)
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
		want       Outcome
		line       string // a line the explanation must hold
	}{
		{"MON.05 pass: CIS 4.5 spelled another way", mon05,
			scope(trail(`{ $.eventName = CreateTrail }`, cis45Compact)), Pass, ""},
		{"MON.05 fail: a pattern that does not parse", mon05,
			scope(trail(`{ $.eventName = CreateTrail }`, `{ $.eventName = }`, 42.0)), Fail,
			`filterPattern isFilterPatternEqual('{ ($.eventName = CreateTrail) || ($.even'...) is false (filterPattern is '{ $.eventName = }'; the pattern '{ $.eventName = }' could not be parsed: col 17: expected a value after "=", found "}", in filter pattern "{ $.eventName = }")`},
		{"covers pass: a wildcard covers CreateTrail", covers,
			scope(trail(`{ $.eventName = CreateTrail && $.x = 1 }`), trail(`{ $.eventName = *Trail }`)), Pass, ""},
		{"covers fail: narrower and unrelated patterns", covers,
			scope(trail(`{ $.eventName = CreateTrail && $.x = 1 }`, `ERROR`, `{ $.eventName = Create* && $.eventName = *Bucket }`)), Fail, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := MustCompile(tc.rule, WithPatterns(filterpattern.NewCache()))
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for range 2 {
						if got := p.Eval(tc.scope, benchNow).Outcome; got != tc.want {
							t.Errorf("Eval: %v, want %v", got, tc.want)
						}
						ex := p.Explain(tc.scope, benchNow)
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

// countingPatterns counts how often a rule's pattern is compiled and how
// often the compiled test runs.
type countingPatterns struct {
	compiled, tested atomic.Int64
}

func (c *countingPatterns) EqualTo(want string) (func(string) (bool, error), error) {
	c.compiled.Add(1)
	test, err := stubPatterns{}.EqualTo(want)
	return func(s string) (bool, error) { c.tested.Add(1); return test(s) }, err
}

func (c *countingPatterns) Covering(want string) (func(string) (bool, error), error) {
	return c.EqualTo(want)
}

// TestRulePatternCompiledOnce: the rule's own pattern is compiled with the
// rule, not per evaluation; each entity pattern costs one test.
func TestRulePatternCompiledOnce(t *testing.T) {
	var pf countingPatterns
	p := MustCompile(mon05, WithPatterns(&pf))
	scope := trailScope(100)
	for range 3 {
		if p.Eval(scope, benchNow).Outcome != Fail {
			t.Fatal("want FAIL")
		}
	}
	if c, n := pf.compiled.Load(), pf.tested.Load(); c != 1 || n != 3*100*5 {
		t.Errorf("pattern compiled %d times, tested %d times; want 1 and %d", c, n, 3*100*5)
	}
}
