package filterpattern

import (
	"encoding/json"
	"testing"
)

// seedPatterns adds every pattern of the test corpora to a fuzz target's
// seed corpus.
func seedPatterns(f *testing.F, add func(p string)) {
	seen := map[string]bool{}
	addOnce := func(p string) {
		if !seen[p] {
			seen[p] = true
			add(p)
		}
	}
	t := &testing.T{}
	readJSONL(t, "testdata/filterpatterns.jsonl", func(_ int, raw []byte) {
		var c matchCase
		if json.Unmarshal(raw, &c) == nil {
			addOnce(c.Pattern)
		}
	})
	readJSONL(t, "testdata/filterpattern-parse-cases.jsonl", func(_ int, raw []byte) {
		var c parseCase
		if json.Unmarshal(raw, &c) == nil {
			addOnce(c.Pattern)
		}
	})
	for _, p := range []string{
		``, `""`, `" "`, `?ERROR ?WARN -DEBUG "a \"b\""`, `%ERR(OR)?%`,
		`{ $.a[0][1].b-c >= -1.5e+3 || $.x IS TRUE && $.y IS NULL }`,
		`{ ($.a = "x y*") && ($.b != *z) && $.c NOT EXISTS }`,
		`[a, b = 1 || b = 2, ..., c != "x*" && a = %re%, ]`,
		`{ $.errorMessage = Failed authentication }`,
	} {
		addOnce(p)
	}
}

var fuzzEvents = []string{
	`{"a":[{"b":1},{"b-c":2}],"x":true,"y":null,"eventName":"CreateTrail","n":1e3}`,
	`127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534`,
	`ERROR WARN message`,
}

// FuzzParse checks that Parse never panics and that every parsable pattern
// is Equal to itself and to the parse of its canonical form.
func FuzzParse(f *testing.F) {
	seedPatterns(f, func(p string) { f.Add(p) })
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Parse(src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q) error %T is not *Error", src, err)
			}
			_ = err.(*Error).Snippet()
			return
		}
		if !Equal(p, p) || !Covers(p, p) {
			t.Fatalf("%q is not Equal to or covered by itself", src)
		}
		canon := Format(p)
		q, err := Parse(canon)
		if err != nil {
			t.Fatalf("Format(%q) = %q does not parse: %v", src, canon, err)
		}
		if !Equal(p, q) {
			t.Fatalf("Parse(Format(p)) is not Equal to p:\n src   %q\n canon %q\n again %q", src, canon, Format(q))
		}
		if again := Format(q); again != canon {
			t.Fatalf("Format is not stable: %q then %q", canon, again)
		}
		for _, e := range fuzzEvents {
			if p.Match(e) != q.Match(e) {
				t.Fatalf("%q and its canonical form %q disagree on %q", src, canon, e)
			}
		}
	})
}

// FuzzEqual checks that Equal is reflexive and symmetric, that equal
// patterns match the same events, and that Covers is sound: when Covers(a,
// b), every event b matches (the fuzzed one and the samples) a matches too.
func FuzzEqual(f *testing.F) {
	var seeds []string
	seedPatterns(f, func(p string) { seeds = append(seeds, p) })
	for i := range seeds {
		f.Add(seeds[i], seeds[(i+1)%len(seeds)], fuzzEvents[i%len(fuzzEvents)])
	}
	f.Add(`{ $.eventName = *Trail || $.eventName = StartLogging }`, `{ $.eventName = CreateTrail }`, `{"eventName":"CreateTrail"}`)
	f.Add(`{ $.n != 5 }`, `{ $.n = 6 }`, `{"n":6}`)
	f.Add(`?ERROR ?WARN`, `ERROR -DEBUG`, `ERROR here`)
	f.Fuzz(func(t *testing.T, a, b, event string) {
		pa, errA := Parse(a)
		pb, errB := Parse(b)
		if errA != nil || errB != nil {
			return
		}
		if !Equal(pa, pa) || !Equal(pb, pb) {
			t.Fatalf("not reflexive: %q, %q", a, b)
		}
		eq := Equal(pa, pb)
		if eq != Equal(pb, pa) {
			t.Fatalf("not symmetric: %q, %q", a, b)
		}
		events := append([]string{event}, fuzzEvents...)
		if eq {
			if !Covers(pa, pb) || !Covers(pb, pa) {
				t.Fatalf("equal patterns %q and %q do not cover each other", a, b)
			}
			for _, e := range events {
				if pa.Match(e) != pb.Match(e) {
					t.Fatalf("equal patterns %q and %q disagree on %q", a, b, e)
				}
			}
		}
		if Covers(pa, pb) {
			for _, e := range events {
				if pb.Match(e) && !pa.Match(e) {
					t.Fatalf("Covers(%q, %q) but only the second matches %q", a, b, e)
				}
			}
		}
		_ = Uncovered(pa, pb)
	})
}
