package gsl

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"vigil/entity"
)

// TestScorerAgreesWithTrace pins what explanations of long lists rely on:
// an element's scorer gives the same result as its traced evaluation, counts
// as many deciding sub-expressions as the trace's appendDeciding finds, and
// notes an evaluation error exactly when the trace records one (also one a
// deciding element of a nested list hides).
func TestScorerAgreesWithTrace(t *testing.T) {
	conds := []string{
		"a = 1",
		"a = 1 and b = 2",
		"a = 1 or (b = 2 and not c)",
		"not (a = 1 or b.x = 2)",
		"L with [x = 1] length() > 0 and a = 1",
		"L contain-all [x = 1] or a in (1, 2)",
		"(a = 1 and c) or (not c and b = '2') or L contain-none [x = 2]",
		"a like '1%' and b regexMatch /2/ and not (c and c)",
		"L with [x = 1] length() = 2 or L",
	}
	as := []string{`1`, `2`, `{"$unknown": "set"}`, `[1]`}
	bs := []string{`2`, `"2"`, `{"x": 2}`, `[1]`, `{"$unknown": "set"}`}
	cs := []string{`true`, `false`, `{"$unknown": "set"}`}
	ls := []string{`null`, `[{"x": 1}]`, `[[1], {"x": 1}]`, `[{"x": 2}, 5]`, `[{"x": {"$unknown": "set"}}, {"x": 1}]`, `"no list"`}
	for _, cond := range conds {
		src := "X should have " + cond
		r, err := Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", cond, err)
		}
		c := &compiler{src: src, texts: new(sync.Map), conds: map[Expr]condFn{}}
		fn := c.cond(r.Cond)
		score := c.scorer(r.Cond)
		if len(c.errs) > 0 {
			t.Fatalf("%s: %v", cond, c.errs)
		}
		n := 0
		for _, a := range as {
			for _, b := range bs {
				for _, cv := range cs {
					for _, l := range ls {
						if n++; n%3 != 0 && !strings.Contains(cond, "L") && l != "null" {
							continue
						}
						js := fmt.Sprintf(`{"a": %s, "b": %s, "c": %s, "L": %s}`, a, b, cv, l)
						attrs := attrsOf(t, js)
						pr := probe{exhaustive: true}
						got, k := score(attrs, frame{now: testNow, probe: &pr})
						saw := pr.sawErr
						tr := newTracer(src, testNow, true)
						texts := clauseTextsOf("should have")
						ev, want := tr.clause(&texts, fn, attrs, testNow)
						if got != want {
							t.Errorf("%s on %s: scorer says %s, trace %s", cond, js, got, want)
							continue
						}
						if n := countDeciding(ev.kids[0]); n != k {
							t.Errorf("%s on %s: countDeciding says %d, scorer %d", cond, js, n, k)
						}
						if wantK := len(appendDeciding(nil, ev.kids[0])); k != wantK {
							t.Errorf("%s on %s: scorer counts %d deciding, trace %d", cond, js, k, wantK)
						}
						if saw != (tr.err != nil) {
							t.Errorf("%s on %s: scorer saw an error: %v, trace recorded %v", cond, js, saw, tr.err)
						}
					}
				}
			}
		}
	}
}

// TestExplainLongListErrors: in a list longer than the explanation shows,
// the error an ERROR result reports is still the first one a full
// evaluation meets, even in an element that is not shown and whose own
// result a matching nested element decided.
func TestExplainLongListErrors(t *testing.T) {
	items := make([]string, 25)
	for i := range items {
		switch i {
		case 12:
			items[i] = `{"name": "masked", "L": [5, {"y": 1}]}`
		case 14, 20:
			items[i] = fmt.Sprintf(`{"name": "bad%d", "L": [[2]]}`, i)
		default:
			items[i] = fmt.Sprintf(`{"name": "ok%d", "L": [{"y": 1}]}`, i)
		}
	}
	root := attrsOf(t, `{"items": [`+strings.Join(items, ",")+`]}`)
	p := MustCompile("List<X> should have items contain-all [L with [y = 1]]")
	res := p.Eval(root, testNow)
	if res.Outcome != Error {
		t.Fatalf("outcome %s, want ERROR", res.Outcome)
	}
	if !strings.Contains(res.Err.Error(), "cannot be read from number 5") {
		t.Errorf("error %q, want the first one met (in element 12)", res.Err)
	}
	ex := p.Explain(root, testNow)
	var shown []string
	for _, l := range ex.Lines {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "items[") {
			shown = append(shown, strings.Fields(l)[0])
		}
	}
	want := []string{"items[0]", "items[1]", "items[2]", "items[3]", "items[4]", "items[5]", "items[6]", "items[7]", "items[14]", "items[20]"}
	if strings.Join(shown, " ") != strings.Join(want, " ") {
		t.Errorf("shown elements %v, want %v\n%s", shown, want, strings.Join(ex.Lines, "\n"))
	}
	if !strings.Contains(strings.Join(ex.Lines, "\n"), "23 of 25 elements match, 2 with errors") {
		t.Errorf("counts missing:\n%s", strings.Join(ex.Lines, "\n"))
	}
}

// TestLineInterner: a line seen before is the same string; the interner
// stays within maxInternedLines however many distinct lines arrive.
func TestLineInterner(t *testing.T) {
	in := lineInterner{m: map[string]string{}}
	a := in.intern([]byte("  metricFilters[0]: does not match"))
	b := in.intern([]byte("  metricFilters[0]: does not match"))
	if a != b || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("the same line was not shared")
	}
	for i := range maxInternedLines + 10 {
		line := fmt.Appendf(nil, "line %d", i)
		if got := in.intern(line); got != string(line) {
			t.Fatalf("intern(%q) = %q", line, got)
		}
		if len(in.m) > maxInternedLines {
			t.Fatalf("%d lines kept, more than %d", len(in.m), maxInternedLines)
		}
	}
}

// TestSummaryNamesElementsWithColons: a summary names the elements that
// decided a list by their whole label, even when a name holds ": ".
func TestSummaryNamesElementsWithColons(t *testing.T) {
	root := attrsOf(t, `{"metricFilters": [{"filterName": "cis: root usage", "filterPattern": "x"}, {"filterName": "b", "filterPattern": "y"}]}`)
	p := MustCompile("CloudTrail should have metricFilters contain [filterPattern = 'z']")
	ex := p.Summarize(root, testNow)
	want := "metricFilters contain [...]: 0 of 2 elements match (metricFilters[0] (filterName 'cis: root usage'): filterPattern is 'x', expected 'z' | metricFilters[1] (filterName 'b'): filterPattern is 'y', expected 'z')"
	if ex.Outcome != Fail || ex.Summary != want {
		t.Errorf("got %s %q\nwant FAIL %q", ex.Outcome, ex.Summary, want)
	}
}

// TestEventReset: reset leaves every field of an event zero but the
// arrays of its children and unknowns, which it keeps empty for reuse.
// It fails when a field is added to event and not to reset.
func TestEventReset(t *testing.T) {
	ev := &event{}
	v := reflect.ValueOf(ev).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
		switch f.Kind() {
		case reflect.String:
			f.SetString("text")
		case reflect.Int, reflect.Uint8:
			if f.CanInt() {
				f.SetInt(3)
			} else {
				f.SetUint(3)
			}
		case reflect.Func:
			f.Set(reflect.ValueOf(textFn(func(dst []byte, _ *event, _ time.Time) []byte { return dst })))
		case reflect.Interface:
			f.Set(reflect.ValueOf(1))
		case reflect.Struct:
			for j := range f.NumField() {
				reflect.NewAt(f.Field(j).Type(), unsafe.Pointer(f.Field(j).UnsafeAddr())).Elem().SetInt(3)
			}
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 4))
		default:
			t.Fatalf("field %s of kind %s: teach this test to set it", v.Type().Field(i).Name, f.Kind())
		}
		if f.IsZero() {
			t.Fatalf("field %s was not set", v.Type().Field(i).Name)
		}
	}
	ev.reset()
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		if f.Kind() == reflect.Slice {
			if f.Len() != 0 || f.Cap() != 4 {
				t.Errorf("%s: len %d cap %d after reset, want 0 and 4", name, f.Len(), f.Cap())
			}
			continue
		}
		if !f.IsZero() {
			t.Errorf("%s is not zero after reset", name)
		}
	}
}

// TestExplainCutsLongValues: a megabyte-long name and value are shown cut,
// with their length, in the summary and every line of the trace, and an
// unknown's long reason too.
func TestExplainCutsLongValues(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	root := attrsOf(t, `{"items": [{"name": "`+long+`", "isMultiRegionTrail": false, "kmsKeyId": "`+long+`"}]}`)
	root["items"].([]any)[0].(map[string]any)["s3BucketName"] = entity.NewUnknown(entity.UnknownSet, "known after apply: "+long)
	p := MustCompile("List<CloudTrail> should have items with [isMultiRegionTrail=true or kmsKeyId='x' or s3BucketName='y'] length() > 0")
	want := "'" + long[:entity.MaxShown] + "…' (1048576 bytes)"
	for name, ex := range map[string]*Explanation{"explain": p.Explain(root, testNow), "summarize": p.Summarize(root, testNow)} {
		text := ex.Summary + "\n" + strings.Join(ex.Lines, "\n")
		if len(text) > 16<<10 {
			t.Errorf("%s: %d bytes of explanation", name, len(text))
		}
		if !strings.Contains(text, want) || !strings.Contains(text, "… (1048595 bytes)") {
			t.Errorf("%s: the long values are not shown cut:\n%.2000s", name, text)
		}
	}
}

// TestExplanationClauses pins the structured form of a summary that rule
// messages are written from: the path each deciding clause tests, and for
// a list the closest elements with what decided each.
func TestExplanationClauses(t *testing.T) {
	p, err := Compile(`List<CloudTrail> should have items with [isMultiRegionTrail=true and status.isLogging=true and metricFilters with [pattern isEmpty()] length() > 0] length() > 0`, WithClauses())
	if err != nil {
		t.Fatal(err)
	}
	root := attrsOf(t, `{"items": [
		{"name": "a", "isMultiRegionTrail": false, "status": {"isLogging": false}, "metricFilters": []},
		{"name": "b", "isMultiRegionTrail": true, "status": {"isLogging": false}, "metricFilters": [{"pattern": "x"}]},
		{"name": "c", "isMultiRegionTrail": true, "status": {"isLogging": true}, "metricFilters": []}]}`)
	ex := p.Summarize(root, testNow)
	if ex.Outcome != Fail {
		t.Fatalf("outcome %v", ex.Outcome)
	}
	if ex := p.Explain(root, testNow); len(ex.Clauses) == 0 {
		t.Error("Explain gave no clauses")
	}
	// c fails one clause, b two, a three: closest first; the lists of the
	// elements are not followed into (maxClauseDepth).
	got := clauseText(ex.Clauses)
	want := "items FAIL {2: metricFilters FAIL} {1: status.isLogging FAIL, metricFilters FAIL} {0: isMultiRegionTrail FAIL, status.isLogging FAIL, metricFilters FAIL}"
	if got != want {
		t.Errorf("clauses\n got %s\nwant %s", got, want)
	}
}

// clauseText prints clauses compactly for tests.
func clauseText(cs []Clause) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", c.Path, c.Outcome)
		for _, e := range c.Closest {
			fmt.Fprintf(&b, " {%d: %s}", e.Index, clauseText(e.Clauses))
		}
	}
	return b.String()
}
