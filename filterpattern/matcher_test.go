package filterpattern

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// corpusPatterns returns every pattern text of the test data: the CIS
// variants, the patterns of the match corpus and of the parse cases (some
// of which do not parse), each once.
func corpusPatterns(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, ctl := range loadCIS(t).Controls {
		for _, p := range ctl.Distinct {
			add(p)
		}
	}
	for _, path := range []string{"testdata/filterpatterns.jsonl", "testdata/filterpattern-parse-cases.jsonl"} {
		readJSONL(t, path, func(line int, raw []byte) {
			var c struct {
				Pattern string `json:"pattern"`
			}
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatalf("%s:%d: %v", path, line, err)
			}
			add(c.Pattern)
		})
	}
	return out
}

// TestMatchersAgreeWithCache compares every CIS pattern, as the fixed
// pattern of EqualTo and Covering, with every pattern of the test data:
// each answer, and each error, is what Cache.Equal and Cache.Covers give,
// asked first (a miss) and again (a hit).
func TestMatchersAgreeWithCache(t *testing.T) {
	all := corpusPatterns(t)
	var wants []string
	for _, ctl := range loadCIS(t).Controls {
		wants = append(wants, ctl.Distinct...)
	}
	c, ref := NewCache(), NewCache()
	bad, equal, covered := 0, 0, 0
	for _, want := range wants {
		eq, err := c.EqualTo(want)
		if err != nil {
			t.Fatalf("EqualTo(%q): %v", want, err)
		}
		cov, err := c.Covering(want)
		if err != nil {
			t.Fatalf("Covering(%q): %v", want, err)
		}
		for round := range 2 {
			for _, s := range all {
				for _, tc := range []struct {
					name string
					test func(string) (bool, error)
					ref  func(a, b string) (bool, error)
				}{{"EqualTo", eq, ref.Equal}, {"Covering", cov, ref.Covers}} {
					got, gotErr := tc.test(s)
					exp, expErr := tc.ref(s, want)
					if got != exp || fmt.Sprint(gotErr) != fmt.Sprint(expErr) {
						t.Fatalf("round %d: %s(%q)(%q) = %v, %v; Cache says %v, %v", round, tc.name, want, s, got, gotErr, exp, expErr)
					}
					if round == 0 && tc.name == "EqualTo" {
						switch {
						case gotErr != nil:
							bad++
						case got:
							equal++
						}
					}
					if round == 0 && tc.name == "Covering" && got {
						covered++
					}
				}
			}
		}
	}
	// The data exercises every kind of answer.
	if bad == 0 || equal < len(wants) || covered <= equal {
		t.Errorf("%d errors, %d equal, %d covered over %d×%d comparisons", bad, equal, covered, len(wants), len(all))
	}
}

func TestMatcherFixedPatternDoesNotParse(t *testing.T) {
	c := NewCache()
	want := `1:17: expected a value after "=", found "}", in filter pattern "{ $.eventName = }"`
	for name, compile := range map[string]func(string) (func(string) (bool, error), error){
		"EqualTo": c.EqualTo, "Covering": c.Covering,
	} {
		test, err := compile(`{ $.eventName = }`)
		if test != nil || err == nil || err.Error() != want {
			t.Errorf("%s: got %v, %v; want error %s", name, test != nil, err, want)
		}
		var perr *Error
		if !errors.As(err, &perr) || perr.Offset != 16 {
			t.Errorf("%s: error %#v does not unwrap to an *Error at offset 16", name, err)
		}
	}
}

// TestMatcherHitAllocatesNothing: a pattern the matcher has answered
// before costs no allocation, for an answer and for a parse error alike.
func TestMatcherHitAllocatesNothing(t *testing.T) {
	c := NewCache()
	eq, _ := c.EqualTo(cis44Compact)
	cov, _ := c.Covering(cis45)
	for _, s := range []string{cis44Spaced, cis45, `{ $.n = `} {
		eq(s)
		cov(s)
		if n := testing.AllocsPerRun(100, func() { eq(s); cov(s) }); n != 0 {
			t.Errorf("%q: a hit allocates %v times", s, n)
		}
	}
}

// TestMatcherHitTakesNoLock: once the matcher has seen its patterns a few
// times, it answers them with its lock held elsewhere.
func TestMatcherHitTakesNoLock(t *testing.T) {
	c := NewCache()
	m, err := c.newMatcher(cis45, Equal)
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for i := range 50 {
		patterns = append(patterns, fmt.Sprintf(`{ ($.eventName = E%d) || ($.eventName = F%d) }`, i, i))
	}
	patterns = append(patterns, `{ $.n = `, cis45)
	for range 3 {
		for _, s := range patterns {
			m.test(s)
		}
	}
	if r := m.memo.read.Load(); r == nil || len(*r) != len(patterns) {
		t.Fatalf("published table is not complete")
	}
	m.memo.mu.Lock()
	defer m.memo.mu.Unlock()
	done := make(chan bool)
	go func() {
		for _, s := range patterns {
			if ok, err := m.test(s); ok != (s == cis45) || (err != nil) != (s == `{ $.n = `) {
				t.Errorf("%q: %v, %v", s, ok, err)
			}
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a hit waits for the matcher's lock")
	}
}

// TestMatcherBounded feeds one matcher more distinct patterns than it may
// remember; it stays within its bound and keeps answering right.
func TestMatcherBounded(t *testing.T) {
	c := NewCache()
	m, err := c.newMatcher(`{ $.n = 7 }`, Equal)
	if err != nil {
		t.Fatal(err)
	}
	for i := range MaxCacheEntries*2 + 10 {
		s := fmt.Sprintf(`{ $.n = %d }`, i)
		if ok, err := m.test(s); err != nil || ok != (i == 7) {
			t.Fatalf("%s: %v, %v", s, ok, err)
		}
		m.memo.mu.Lock()
		held := len(m.memo.next)
		m.memo.mu.Unlock()
		if r := m.memo.read.Load(); len(*r) > MaxCacheEntries || held > MaxCacheEntries {
			t.Fatalf("after %d patterns the matcher holds %d + %d answers, limit %d each", i+1, len(*r), held, MaxCacheEntries)
		}
	}
	if ok, err := m.test(`{ $.n = 7 }`); !ok || err != nil {
		t.Errorf("after the tables started again: %v, %v", ok, err)
	}
}

// TestMatchersConcurrent is meant for go test -race: goroutines share
// matchers of one cache and ask them about many distinct patterns, some of
// which do not parse, in different orders.
func TestMatchersConcurrent(t *testing.T) {
	var patterns []string
	for i := range 400 {
		switch i % 4 {
		case 0:
			patterns = append(patterns, fmt.Sprintf(`{ ($.eventName = CreateTrail) || ($.eventName = E%d) }`, i))
		case 1:
			patterns = append(patterns, fmt.Sprintf(`{ $.eventName = *Trail || $.n > %d }`, i))
		case 2:
			patterns = append(patterns, fmt.Sprintf(`{ $.n = %d `, i)) // does not parse
		default:
			patterns = append(patterns, fmt.Sprintf(`{($.eventName=CreateTrail)||($.eventName=E%d)}`, i-3))
		}
	}
	// The last two have && clauses, which Covers reaches through the
	// disjunctive normal form of want.
	wants := []string{`{ $.eventName = CreateTrail || $.eventName = E0 }`, `{ $.eventName = CreateTrail }`, cis45, cis43,
		`{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }`}
	type want struct {
		ok  bool
		err string
	}
	ref := NewCache()
	expect := make([][2][]want, len(wants))
	for w, fixed := range wants {
		for _, s := range patterns {
			eq, eqErr := ref.Equal(s, fixed)
			cov, covErr := ref.Covers(s, fixed)
			expect[w][0] = append(expect[w][0], want{eq, fmt.Sprint(eqErr)})
			expect[w][1] = append(expect[w][1], want{cov, fmt.Sprint(covErr)})
		}
	}
	c := NewCache()
	tests := make([][2]func(string) (bool, error), len(wants))
	for w, fixed := range wants {
		tests[w][0], _ = c.EqualTo(fixed)
		tests[w][1], _ = c.Covering(fixed)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for round := range 3 {
				for k := range patterns {
					i := (k*(2*g+1) + round*97) % len(patterns) // a different order per goroutine
					for w := range wants {
						for kind := range 2 {
							ok, err := tests[w][kind](patterns[i])
							if e := expect[w][kind][i]; ok != e.ok || fmt.Sprint(err) != e.err {
								t.Errorf("wants[%d] kind %d, %q: %v, %v; want %v, %s", w, kind, patterns[i], ok, err, e.ok, e.err)
								return
							}
						}
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestCoversDoesNotRewriteSharedPatterns pins a data race: Covers, through
// dnf, normalised a parsed pattern's comparisons again and so rewrote
// their keys while other goroutines comparing the same pattern read them.
// A parsed pattern must come out of Covers untouched.
func TestCoversDoesNotRewriteSharedPatterns(t *testing.T) {
	keys := func(p *Pattern) []*byte {
		var out []*byte
		var walk func(e expr)
		walk = func(e expr) {
			switch e := e.(type) {
			case *cond:
				out = append(out, unsafe.StringData(e.key))
			case *logic:
				out = append(out, unsafe.StringData(e.key))
				for _, o := range e.operands {
					walk(o)
				}
			}
		}
		walk(p.expr)
		return out
	}
	for _, tc := range []struct{ a, b string }{
		{`{ $.eventSource = kms.amazonaws.com }`, `{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`},
		{cis45, cis43},
		{cis43, `{ ($.a = 1 || $.b = 2) && ($.c = 3 || $.d = 4) }`},
	} {
		a, b := mustParse(t, tc.a), mustParse(t, tc.b)
		beforeA, beforeB := keys(a), keys(b)
		Covers(a, b)
		Covers(b, a)
		if !slices.Equal(keys(a), beforeA) || !slices.Equal(keys(b), beforeB) {
			t.Errorf("Covers(%q, %q) rewrote a key of a parsed pattern", tc.a, tc.b)
		}
	}
}

// FuzzMatchers checks EqualTo and Covering against Cache.Equal and
// Cache.Covers on arbitrary patterns, each asked twice so that the second
// answer comes from the matcher's memory.
func FuzzMatchers(f *testing.F) {
	var seeds []string
	seedPatterns(f, func(p string) { seeds = append(seeds, p) })
	for i := range seeds {
		f.Add(seeds[i], seeds[(i+1)%len(seeds)], seeds[(i+7)%len(seeds)])
	}
	f.Fuzz(func(t *testing.T, want, a, b string) {
		c, ref := NewCache(), NewCache()
		eq, eqErr := c.EqualTo(want)
		cov, covErr := c.Covering(want)
		_, refErr := ref.Parse(want)
		if fmt.Sprint(eqErr) != fmt.Sprint(refErr) || fmt.Sprint(covErr) != fmt.Sprint(refErr) || (eq == nil) != (refErr != nil) || (cov == nil) != (refErr != nil) {
			t.Fatalf("compiling %q: EqualTo %v, Covering %v; Parse %v", want, eqErr, covErr, refErr)
		}
		if refErr != nil {
			return
		}
		for range 2 {
			for _, s := range []string{a, b, want} {
				got, gotErr := eq(s)
				exp, expErr := ref.Equal(s, want)
				if got != exp || fmt.Sprint(gotErr) != fmt.Sprint(expErr) {
					t.Fatalf("EqualTo(%q)(%q) = %v, %v; Cache.Equal %v, %v", want, s, got, gotErr, exp, expErr)
				}
				got, gotErr = cov(s)
				exp, expErr = ref.Covers(s, want)
				if got != exp || fmt.Sprint(gotErr) != fmt.Sprint(expErr) {
					t.Fatalf("Covering(%q)(%q) = %v, %v; Cache.Covers %v, %v", want, s, got, gotErr, exp, expErr)
				}
			}
		}
	})
}

// A scan's metric filters: few distinct patterns, each read from many
// entities, so every text is its own string.
func scanPatterns() []string {
	var ps []string
	for range 200 {
		for j := range 5 {
			ps = append(ps, fmt.Sprintf(`{ ($.eventName = Other%d) || ($.eventName = More%d) }`, j, j))
		}
	}
	return ps
}

// cisScanPatterns is scanPatterns with the CIS metric filters, 60 to 600
// bytes long: more texts than a small map holds, each hashed in full.
func cisScanPatterns(b *testing.B) []string {
	var ps []string
	for range 20 {
		for _, ctl := range loadCIS(b).Controls {
			for _, p := range ctl.Distinct {
				ps = append(ps, strings.Clone(p))
			}
		}
	}
	return ps
}

func BenchmarkMatcherHit(b *testing.B) {
	c := NewCache()
	for _, bc := range []struct {
		name     string
		compile  func(string) (func(string) (bool, error), error)
		patterns func(*testing.B) []string
	}{
		{"EqualTo", c.EqualTo, func(*testing.B) []string { return scanPatterns() }},
		{"Covering", c.Covering, func(*testing.B) []string { return scanPatterns() }},
		{"EqualTo/CIS", c.EqualTo, cisScanPatterns},
	} {
		b.Run(bc.name, func(b *testing.B) {
			test, err := bc.compile(cis45)
			if err != nil {
				b.Fatal(err)
			}
			ps := bc.patterns(b)
			for _, s := range ps {
				test(s)
				test(s)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := test(ps[i]); err != nil {
					b.Fatal(err)
				}
				if i++; i == len(ps) {
					i = 0
				}
			}
		})
	}
}

// BenchmarkMatcherHitParallel is BenchmarkMatcherHit from several
// goroutines at once (run with -cpu 1,2,4): hits share no written memory.
func BenchmarkMatcherHitParallel(b *testing.B) {
	test, err := NewCache().EqualTo(cis45)
	if err != nil {
		b.Fatal(err)
	}
	ps := scanPatterns()
	for _, s := range ps {
		test(s)
		test(s)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if ok, err := test(ps[i]); ok || err != nil {
				b.Error(ok, err)
				return
			}
			if i++; i == len(ps) {
				i = 0
			}
		}
	})
}

// BenchmarkMatcherMiss asks fresh matchers about MaxCacheEntries distinct
// patterns the cache has already parsed: the cost of remembering answers
// (ns per pattern), which copy-on-write must keep constant, not linear.
func BenchmarkMatcherMiss(b *testing.B) {
	c := NewCache()
	ps := make([]string, MaxCacheEntries-1)
	for i := range ps {
		ps[i] = fmt.Sprintf(`{ $.n = %d }`, i)
		c.Parse(ps[i])
	}
	b.ReportAllocs()
	for b.Loop() {
		test, _ := c.EqualTo(`{ $.n = 7 }`)
		for _, s := range ps {
			test(s)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ps)), "ns/pattern")
}
