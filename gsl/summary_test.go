package gsl

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"vigil/entity"
)

// summaryCase is a rule the summary tests run, with entities to run it
// on besides random ones.
type summaryCase struct {
	rule  string
	attrs []map[string]any
}

// summaryCases are the bundled catalog (read from its files: the rules
// package imports this one), the gsl corpus and the seed rules, each on the
// seed cases' entities and the hand-written Terraform inventory, and the
// evaluation cases on their own entities.
func summaryCases(t testing.TB) []summaryCase {
	t.Helper()
	files, err := filepath.Glob("../rules/catalog/*/*/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalog rules: %v", err)
	}
	var rules []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Logic string `yaml:"logic"`
		}
		if err := yaml.Unmarshal(data, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		rules = append(rules, r.Logic)
	}
	for _, c := range loadCorpus(t) {
		rules = append(rules, c.Logic)
	}
	var fixed []map[string]any
	for _, c := range seedCases {
		rules = append(rules, c.rule)
		fixed = append(fixed, attrsOf(t, c.attrs))
	}
	data, err := os.ReadFile("../engine/testdata/terraform-inventory.json")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := entity.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range inv.Entities {
		fixed = append(fixed, e.Attrs)
	}
	slices.Sort(rules)
	var out []summaryCase
	for _, r := range slices.Compact(rules) {
		out = append(out, summaryCase{rule: r, attrs: fixed})
	}
	for _, c := range evalCases {
		if m := attrsOrNil(c.attrs); m != nil {
			out = append(out, summaryCase{rule: c.source(), attrs: []map[string]any{m}})
		}
	}
	return out
}

// entityGen makes random entities for a rule out of the words of its
// source: each is a field name, and each quoted string a value, so that
// conditions come out every way, with unknowns, errors and lists short and
// long enough to be cut in explanations.
type entityGen struct {
	rng    *rand.Rand
	fields []string
	values []string
}

var (
	wordRE   = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	quotedRE = regexp.MustCompile(`'([^']*)'`)
)

func newEntityGen(src string, seed uint64) *entityGen {
	g := &entityGen{rng: rand.New(rand.NewPCG(seed, 1))}
	g.fields = slices.Compact(slices.Sorted(slices.Values(wordRE.FindAllString(src, -1))))
	g.values = []string{`true`, `false`, `"true"`, `"false"`, `0`, `1`, `5`, `22`, `""`, `"x"`, `null`, `[]`, `{}`,
		`"2026-11-22T09:55:00Z"`, `"2020-01-01T00:00:00Z"`, `"!bad pattern"`,
		`{"$unknown": "set", "reason": "known after apply: aws_iam_role.trail.arn"}`,
		`{"$unknown": "set"}`,
		`{"$unknown": "maybe-null", "reason": "var.role_arn has no value"}`,
		`{"$unknown": "maybe-null"}`}
	for _, m := range quotedRE.FindAllStringSubmatch(src, -1) {
		b, _ := json.Marshal(m[1])
		g.values = append(g.values, string(b))
	}
	return g
}

// object returns a JSON object with some of the fields; depth bounds the
// nesting of objects and lists.
func (g *entityGen) object(depth int) string {
	var parts []string
	for _, f := range g.fields {
		if g.rng.IntN(3) == 0 {
			parts = append(parts, fmt.Sprintf("%q: %s", f, g.value(depth)))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (g *entityGen) value(depth int) string {
	if depth > 0 {
		switch g.rng.IntN(6) {
		case 0:
			return g.object(depth - 1)
		case 1:
			return g.list(depth - 1)
		}
	}
	return g.values[g.rng.IntN(len(g.values))]
}

// list returns a JSON list, usually of objects, at times longer than an
// explanation shows.
func (g *entityGen) list(depth int) string {
	n := g.rng.IntN(6)
	if g.rng.IntN(4) == 0 {
		n = g.rng.IntN(3 * maxTracedElements / 2)
	}
	items := make([]string, n)
	for i := range items {
		if g.rng.IntN(8) == 0 {
			items[i] = g.value(0)
		} else {
			items[i] = g.object(depth)
		}
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// root returns the value a rule is evaluated on.
func (g *entityGen) root(t testing.TB, list bool) map[string]any {
	if list {
		return attrsOf(t, `{"items": `+g.list(2)+`}`)
	}
	return attrsOf(t, g.object(2))
}

// TestSummaryMatchesOldSummary checks the summary and unknowns summarize
// builds in one buffer against the way they were built before, from
// strings (oldSummarize below), on the same traces: for every rule of
// summaryCases, on fixed and on random entities, frozen or not, with and
// without exhaustive evaluation. It also checks that Summarize says what
// Explain says.
func TestSummaryMatchesOldSummary(t *testing.T) {
	cases := summaryCases(t)
	perRule := 20
	if testing.Short() {
		perRule = 5
	}
	checked := 0
	for ci, c := range cases {
		src := c.rule
		p, err := Compile(src, WithPatterns(stubPatterns{}))
		if err != nil {
			continue
		}
		g := newEntityGen(src, uint64(ci))
		var roots []any
		for _, m := range c.attrs {
			if p.Target().List {
				roots = append(roots, map[string]any{"items": []any{m, m}})
			} else {
				roots = append(roots, m)
			}
		}
		for range perRule {
			roots = append(roots, g.root(t, p.Target().List))
		}
		for i, root := range roots {
			if i%2 == 1 {
				root = entity.Freeze(root)
			}
			for _, exhaustive := range []bool{false, true} {
				checkSummary(t, p, root, exhaustive)
			}
			ex, sum := p.Explain(root, testNow), p.Summarize(root, testNow)
			if ex.Outcome != sum.Outcome || ex.Summary != sum.Summary || !slices.Equal(ex.Unknowns, sum.Unknowns) || fmt.Sprint(ex.Err) != fmt.Sprint(sum.Err) || sum.Lines != nil {
				t.Errorf("%s on %v:\nExplain   %s %q %q %v\nSummarize %s %q %q %v", src, root,
					ex.Outcome, ex.Summary, ex.Unknowns, ex.Err, sum.Outcome, sum.Summary, sum.Unknowns, sum.Err)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Errorf("only %d evaluations checked", checked)
	}
}

// TestSummaryElementChoice checks which elements of a list a summary
// names, against oldSummaryText, on every sequence of up to six elements
// with scores 0 to 2, some of which cannot be named: an element that did
// not decide the list, or one with no events.
func TestSummaryElementChoice(t *testing.T) {
	const maxLen = 6
	total := 1
	for range maxLen {
		total *= 5
	}
	for code := range total {
		tr := newTracer("", testNow, false)
		list := &event{kind: evList, text: "L: counts", elemOut: tFalse, out: tFalse}
		for c, i := code, 0; c > 0; c, i = c/5, i+1 {
			// 0 ends the list, 1-3 are scores 0-2, 4 an element that
			// matched, and a score 2 element at an odd place has no events.
			d := c % 5
			if d == 0 {
				break
			}
			k := &event{kind: evElem, out: tFalse, score: d - 1, text: fmt.Sprintf("L[%d]: does not match", i)}
			if d == 4 {
				k.out, k.text = tTrue, fmt.Sprintf("L[%d]: matches", i)
			}
			if d != 3 || i%2 == 0 {
				k.kids = []*event{{kind: evLogic, out: k.out, kids: []*event{
					{kind: evLeaf, out: k.out, text: fmt.Sprintf("a is %d", i)},
					{kind: evLeaf, out: k.out, text: fmt.Sprintf("b is %d", i)},
					{kind: evLeaf, out: tTrue, text: "c is true"},
				}}}
			}
			list.kids = append(list.kids, k)
		}
		got := string(tr.appendSummaryText(nil, list))
		if want := oldSummaryText(tr, list); got != want {
			t.Errorf("code %d:\n got %q\nwant %q", code, got, want)
		}
		tr.release()
	}
}

// checkSummary traces p on root and compares summarize with oldSummarize
// on the trace.
func checkSummary(t testing.TB, p *Program, root any, exhaustive bool) {
	t.Helper()
	tr, decisive, outcome := p.trace(root, testNow, exhaustive)
	defer tr.release()
	if decisive == nil {
		return
	}
	got := &Explanation{Outcome: outcome, Err: tr.err}
	tr.summarize(got, decisive, false)
	want := &Explanation{Outcome: outcome, Err: tr.err}
	oldSummarize(tr, want, decisive)
	if got.Summary != want.Summary || !slices.Equal(got.Unknowns, want.Unknowns) || (got.Unknowns == nil) != (want.Unknowns == nil) {
		t.Errorf("%s on %v (exhaustive %v):\n got %q %q\nwant %q %q", p.Source(), root, exhaustive,
			got.Summary, got.Unknowns, want.Summary, want.Unknowns)
	}
}

// oldSummarize is how summaries were built before summarize: from the
// strings of every text, with the events' deciding ones in slices. It
// sets what summarize sets, but for ERROR results with an error, whose
// summary is the error's message.
func oldSummarize(t *tracer, ex *Explanation, decisive *event) {
	var texts []string
	for _, ev := range oldDeciding(decisive) {
		if s := oldSummaryText(t, ev); !slices.Contains(texts, s) {
			texts = append(texts, s)
		}
		ex.Unknowns = oldUnknownsUnder(ev, ex.Unknowns)
	}
	ex.Summary = strings.Join(texts, "; ")
	if strings.HasPrefix(t.text(decisive), "where ") && ex.Outcome == NotRelevant {
		ex.Summary = "not relevant: " + ex.Summary
	}
	if ex.Outcome == Error && ex.Err != nil {
		ex.Summary = ""
	}
}

func oldDeciding(ev *event) []*event {
	switch ev.kind {
	case evLogic, evRoot:
		var out []*event
		for _, k := range ev.kids {
			if k.out == ev.out || ev.kind == evRoot {
				out = append(out, oldDeciding(k)...)
			}
		}
		if len(out) > 0 {
			return out
		}
	case evNot:
		if len(ev.kids) == 1 {
			return oldDeciding(ev.kids[0])
		}
	}
	return []*event{ev}
}

func oldUnknownsUnder(ev *event, into []string) []string {
	if ev.out != tUnknown {
		return into
	}
	for _, n := range ev.unknowns {
		if u := n.name + ": " + describeUnknown(n.u); !slices.Contains(into, u) {
			into = append(into, u)
		}
	}
	for _, k := range ev.kids {
		into = oldUnknownsUnder(k, into)
	}
	return into
}

func oldSummaryText(t *tracer, ev *event) string {
	if ev.kind != evList {
		return t.text(ev)
	}
	var parts []string
	kids := slices.Clone(ev.kids)
	slices.SortStableFunc(kids, func(a, b *event) int { return cmp.Compare(a.score, b.score) })
	for _, k := range kids {
		if k.kind != evElem || k.out != ev.elemOut || len(k.kids) == 0 {
			continue
		}
		if len(parts) == maxSummaryElements {
			parts = append(parts, "...")
			break
		}
		var why []string
		for _, d := range oldDeciding(k.kids[0]) {
			why = append(why, t.text(d))
		}
		name := strings.TrimSuffix(t.text(k), ": "+matchWord(k.out))
		parts = append(parts, name+": "+strings.Join(why, "; "))
	}
	if len(parts) == 0 {
		return t.text(ev)
	}
	return t.text(ev) + " (" + strings.Join(parts, " | ") + ")"
}

// FuzzSummary: on any rule and entity, summarize says what oldSummarize
// says on the same trace, and Summarize what Explain says.
func FuzzSummary(f *testing.F) {
	attrs := []string{`{}`, `{"a": [1, "x", null, {"b": {"$unknown": "set"}}]}`}
	for _, c := range seedCases {
		attrs = append(attrs, c.attrs)
	}
	for _, c := range evalCases {
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
		m := attrsOrNil(js)
		if m == nil {
			return
		}
		var root any = m
		if p.Target().List {
			// Long enough for the explanation to leave elements out.
			items := make([]any, 3*maxTracedElements/2)
			for i := range items {
				items[i] = m
				if i%3 == 1 {
					items[i] = map[string]any{}
				}
			}
			root = map[string]any{"items": items}
		}
		for _, exhaustive := range []bool{false, true} {
			checkSummary(t, p, root, exhaustive)
		}
		ex, sum := p.Explain(root, testNow), p.Summarize(root, testNow)
		if ex.Outcome != sum.Outcome || ex.Summary != sum.Summary || !slices.Equal(ex.Unknowns, sum.Unknowns) || fmt.Sprint(ex.Err) != fmt.Sprint(sum.Err) {
			t.Errorf("%q on %s:\nExplain   %s %q %q %v\nSummarize %s %q %q %v", src, js,
				ex.Outcome, ex.Summary, ex.Unknowns, ex.Err, sum.Outcome, sum.Summary, sum.Unknowns, sum.Err)
		}
	})
}
