package gsl

import "fmt"

// An explanation of a list operator shows the elements that came closest
// to deciding it the other way. Ranking them must not cost a trace of every
// element: a scorer evaluates an element fast and counts the
// sub-expressions that decided it, and only the best-ranked elements are
// traced.

// scoreFn evaluates a list element's condition like its condFn, and also
// counts the sub-expressions that decided the result: what an explanation
// of the element would list as deciding (see deciding), without tracing.
type scoreFn func(cur any, f frame) (tri, int)

// scorer compiles the scorer of e, an expression already compiled by cond.
// Only "and", "or", "not" and parentheses have deciding parts of their own;
// anything else decides as a whole.
func (c *compiler) scorer(e Expr) scoreFn {
	switch n := e.(type) {
	case *Paren:
		return c.scorer(n.X)
	case *Not:
		x := c.scorer(n.X)
		return func(cur any, f frame) (tri, int) {
			r, k := x(cur, f)
			return r.not(), k
		}
	case *Logical:
		ops := make([]scoreFn, len(n.Operands))
		for i, o := range n.Operands {
			ops[i] = c.scorer(o)
		}
		and := n.Op == And
		return func(cur any, f frame) (tri, int) {
			var counts [tError + 1]int
			out := tFalse
			if and {
				out = tTrue
			}
			for _, op := range ops {
				r, k := op(cur, f)
				counts[r] += k
				if and {
					out = andStep(out, r)
				} else {
					out = orStep(out, r)
				}
			}
			return out, counts[out]
		}
	}
	fn := c.conds[e]
	if fn == nil {
		fn = c.cond(e)
	}
	return func(cur any, f frame) (tri, int) { return fn(cur, f), 1 }
}

// traceElements explains a list operator's elements. Every element is
// evaluated fast, with its deciding sub-expressions counted; only the
// maxTracedElements elements that came closest to deciding the operator
// the other way are then traced, each in an event of its own, in element
// order: elements that erred first, then those with the fewest deciding
// sub-expressions against them. The others are only counted. So that the
// explanation's error is the one a full trace would record, the first and
// the last element in which any evaluation error occurred are traced too
// (their events are dropped unless they are kept).
func traceElements(list []any, elem condFn, score scoreFn, f frame, label textFn, kind ListOpKind) elementCounts {
	if len(list) <= maxTracedElements {
		return traceAllElements(list, elem, f, label, kind)
	}
	counts := elementCounts{n: len(list)}
	t := f.tr
	type ranked struct {
		idx, score int
	}
	keep := make([]ranked, 0, min(len(list), maxTracedElements)+1)
	firstErr, lastErr := -1, -1
	fast := frame{now: f.now, probe: &t.probe}
	for i, e := range list {
		t.probe.sawErr = false
		r, deciders := score(e, fast)
		if t.probe.sawErr {
			if firstErr < 0 {
				firstErr = i
			}
			lastErr = i
		}
		counts = counts.with(r)
		keep = append(keep, ranked{i, elementScore(r, kind, deciders)})
		if len(keep) > maxTracedElements {
			worst := 0
			for j, k := range keep {
				if k.score > keep[worst].score || (k.score == keep[worst].score && k.idx > keep[worst].idx) {
					worst = j
				}
			}
			keep = append(keep[:worst], keep[worst+1:]...)
		}
	}
	t.probe.sawErr = false

	parent := t.stack[len(t.stack)-1]
	start := len(parent.kids)
	var kept []*event
	trace := func(i int) *event {
		ev := t.open(evElem)
		r := elem(list[i], f)
		ev.idx, ev.x = i, list[i]
		t.closeLazy(ev, r, label)
		parent.kids = parent.kids[:start]
		return ev
	}
	// keep is in element order; merge in the elements with errors.
	var extra []int
	if firstErr >= 0 {
		extra = append(extra, firstErr)
		if lastErr != firstErr {
			extra = append(extra, lastErr)
		}
	}
	for ki, xi := 0, 0; ki < len(keep) || xi < len(extra); {
		if xi < len(extra) && (ki == len(keep) || extra[xi] < keep[ki].idx) {
			trace(extra[xi])
			xi++
			continue
		}
		if xi < len(extra) && extra[xi] == keep[ki].idx {
			xi++
		}
		ev := trace(keep[ki].idx)
		ev.score = keep[ki].score
		kept = append(kept, ev)
		ki++
	}
	parent.kids = append(parent.kids, kept...)
	parent.kids = append(parent.kids, &event{kind: evLeaf, text: fmt.Sprintf("... %d more elements not shown (the %d closest are)", len(list)-maxTracedElements, maxTracedElements)})
	return counts
}

// traceAllElements is traceElements for a list short enough to be shown
// whole: each element is traced once, with no fast evaluation first.
func traceAllElements(list []any, elem condFn, f frame, label textFn, kind ListOpKind) elementCounts {
	counts := elementCounts{n: len(list)}
	for i, e := range list {
		ev := f.tr.open(evElem)
		r := elem(e, f)
		ev.idx, ev.x = i, e
		f.tr.closeLazy(ev, r, label)
		counts = counts.with(r)
		deciders := 0
		if len(ev.kids) > 0 {
			deciders = countDeciding(ev.kids[0])
		}
		ev.score = elementScore(r, kind, deciders)
	}
	return counts
}

// elementScore ranks how close an element with result r and the given
// number of deciding sub-expressions came to deciding its list the other
// way: lower is closer.
func elementScore(r tri, kind ListOpKind, deciders int) int {
	switch {
	case r == tError:
		return -1
	case r == tTrue && kind != ContainNone, r == tFalse && kind == ContainNone:
		return 1 << 30 // agrees with the outcome: least interesting
	}
	return deciders
}
