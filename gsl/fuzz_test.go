package gsl

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/diag"
	"vigil/entity"
)

// fuzzSeeds are the published rules plus the malformed ones.
func fuzzSeeds(f *testing.F) []string {
	var out []string
	for _, c := range loadCorpus(f) {
		out = append(out, c.Logic)
	}
	for _, m := range malformed {
		out = append(out, m.src)
	}
	for _, c := range evalCases {
		out = append(out, c.source())
	}
	return out
}

// FuzzParse: parsing never panics or hangs; what parses prints to text
// that parses to the same tree, and printing is idempotent; compiling
// never panics.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		r, err := Parse(src)
		if err != nil {
			if diag.AsList(err) == nil {
				t.Fatalf("error without position: %v", err)
			}
			_ = diag.AsList(err).In("fuzz", Pos{}).Render()
			return
		}
		s := Format(r)
		r2, err := Parse(s)
		if err != nil {
			t.Fatalf("Format(Parse(%q)) = %q does not parse: %v", src, s, err)
		}
		if d := cmp.Diff(r, r2, astEqual); d != "" {
			t.Fatalf("round trip of %q via %q (-want +got):\n%s", src, s, d)
		}
		if s2 := Format(r2); s2 != s {
			t.Fatalf("Format not idempotent: %q then %q", s, s2)
		}
		if _, err := Compile(src, WithPatterns(stubPatterns{})); err != nil && diag.AsList(err) == nil {
			t.Fatalf("compile error without position: %v", err)
		}
	})
}

// FuzzEval: evaluating any compiled rule on any JSON entity never panics,
// errors carry a position, and Explain agrees with Eval.
func FuzzEval(f *testing.F) {
	attrs := []string{`{}`, `{"a": [1, "x", null, {"b": {"$unknown": "set"}}]}`}
	for _, c := range evalCases {
		attrs = append(attrs, c.attrs)
	}
	for _, c := range seedCases {
		attrs = append(attrs, c.attrs)
	}
	for i, s := range fuzzSeeds(f) {
		f.Add(s, attrs[i%len(attrs)])
	}
	f.Fuzz(func(t *testing.T, src, js string) {
		p, err := Compile(src, WithPatterns(stubPatterns{}))
		if err != nil {
			return
		}
		var probe any
		if json.Unmarshal([]byte(js), &probe) != nil {
			return
		}
		root := map[string]any{}
		if m := attrsOrNil(js); m != nil {
			root = m
		}
		if p.Target().List {
			root = map[string]any{"items": []any{root, root}}
		}
		now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
		r := p.Eval(root, now)
		if r.Outcome == Error {
			if r.Err == nil || !strings.Contains(r.Err.Error(), ":") {
				t.Fatalf("ERROR without a positioned error: %v", r.Err)
			}
		}
		ex := p.Explain(root, now)
		if ex.Outcome != r.Outcome {
			t.Fatalf("%q on %s: Explain %v, Eval %v", src, js, ex.Outcome, r.Outcome)
		}
		// The frozen form the engine evaluates gives the same result and
		// the same explanation.
		frozen := entity.Freeze(root)
		if fr := p.Eval(frozen, now); fr.Outcome != r.Outcome || fmt.Sprint(fr.Err) != fmt.Sprint(r.Err) {
			t.Fatalf("%q on %s: frozen Eval %v (%v), maps %v (%v)", src, js, fr.Outcome, fr.Err, r.Outcome, r.Err)
		}
		if fx := p.Explain(frozen, now); fx.Summary != ex.Summary || !slices.Equal(fx.Lines, ex.Lines) {
			t.Fatalf("%q on %s: frozen explanation differs:\n%s\n%s\nmaps:\n%s\n%s", src, js,
				fx.Summary, strings.Join(fx.Lines, "\n"), ex.Summary, strings.Join(ex.Lines, "\n"))
		}
		if !p.Target().List {
			return
		}
		// A list longer than an explanation shows: Explain traces only
		// the elements it shows, and must still agree with Eval and with
		// an explanation that evaluates every element in full.
		items := make([]any, 3*maxTracedElements/2)
		for i := range items {
			items[i] = root["items"].([]any)[0]
			if i%3 == 1 {
				items[i] = map[string]any{}
			}
		}
		long := map[string]any{"items": items}
		r = p.Eval(long, now)
		ex = p.Explain(long, now)
		if ex.Outcome != r.Outcome {
			t.Fatalf("%q on a long list of %s: Explain %v, Eval %v", src, js, ex.Outcome, r.Outcome)
		}
		full := p.explain(long, now, true, true)
		if ex.Summary != full.Summary || strings.Join(ex.Lines, "\n") != strings.Join(full.Lines, "\n") {
			t.Fatalf("%q on a long list of %s: explanations differ:\n%s\n%s\nand\n%s\n%s", src, js,
				ex.Summary, strings.Join(ex.Lines, "\n"), full.Summary, strings.Join(full.Lines, "\n"))
		}
	})
}

// attrsOrNil decodes an attribute object, or returns nil when js is not
// one.
func attrsOrNil(js string) map[string]any {
	inv, err := decodeAttrs(js)
	if err != nil {
		return nil
	}
	return inv
}
