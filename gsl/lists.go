package gsl

import (
	"time"
	"vigil/entity"
)

// The list operators (with, contain, contain-all, contain-none, with as a
// value, groupBy, and "with [...] length() op k") are compiled here.
// elementCounts.result defines what contain, contain-all and contain-none
// say of their elements' outcomes (gsl-spec.md §7.5); the fast loops
// (anyMatch, allMatch) that stop at a deciding element are tested to say
// the same.

// listOf resolves the value a list operator applies to: null is the empty
// list, an unknown makes the operator unknown, any other non-list is an
// evaluation error (gsl-spec.md §7.5, §7.9).
func listOf(v any, what string, sp Span, f frame) ([]any, tri) {
	switch x := v.(type) {
	case []any:
		return x, tTrue
	case nil:
		return nil, tTrue
	case *entity.Unknown:
		return nil, tUnknown
	}
	if v == errVal {
		return nil, tError
	}
	traceFail(f, sp, "%s needs a list, found %s %s", what, entity.Kind(v), describe(v))
	return nil, tError
}

// anyMatch is contain's fast evaluation: a Kleene OR over the elements
// that stops at the first element that matches, which decides even if
// another element errs. allMatch is contain-all's: a Kleene AND that stops
// at the first element that does not match. They are written out, small
// enough to be inlined into the loop every list operator runs, and what
// they say is elementCounts.result's: TestFastListsAgreeWithResult checks
// them against it on every sequence of outcomes up to four elements.
func anyMatch(list []any, elem condFn, f frame) tri {
	out := tFalse
	for _, e := range list {
		switch elem(e, f) {
		case tTrue:
			return tTrue
		case tUnknown:
			if out == tFalse {
				out = tUnknown
			}
		case tError:
			out = tError
		}
	}
	return out
}

// allMatch is contain-all's fast evaluation (see anyMatch).
func allMatch(list []any, elem condFn, f frame) tri {
	out := tTrue
	for _, e := range list {
		switch elem(e, f) {
		case tFalse:
			return tFalse
		case tUnknown:
			if out == tTrue {
				out = tUnknown
			}
		case tError:
			out = tError
		}
	}
	return out
}

// matchElements is what a list operator of kind says of list, by its fast
// evaluation.
func matchElements(list []any, elem condFn, f frame, kind ListOpKind) tri {
	switch kind {
	case ContainAll:
		return allMatch(list, elem, f)
	case ContainNone:
		return anyMatch(list, elem, f).not()
	}
	return anyMatch(list, elem, f)
}

// listCond compiles a list operator used as a condition. kind is the
// operator's meaning (With and Contain mean the same as conditions); text
// labels the explanation.
func (c *compiler) listCond(n *ListOp, kind ListOpKind, label Expr) condFn {
	x := c.val(n.X)
	elem := c.cond(n.Elem)
	score := c.scorer(n.Elem)
	what := "'" + n.Op.String() + "'"
	path := subjectPath(n.X)
	key, isField := fieldKey(n.X)
	// The texts of the list's event and of its elements' events.
	countsText := func(dst []byte, ev *event, _ time.Time) []byte {
		dst = append(dst, c.short(label)...)
		dst = append(dst, ": "...)
		return ev.counts.appendTo(dst)
	}
	unknownText := func(dst []byte, ev *event, _ time.Time) []byte {
		dst = append(dst, c.short(label)...)
		dst = append(dst, ": "...)
		dst = append(dst, c.short(n.X)...)
		dst = append(dst, " is "...)
		return appendDescribe(dst, ev.x)
	}
	outcomeText := c.outcomeText(label)
	elemText := func(dst []byte, ev *event, _ time.Time) []byte {
		return appendElementLabel(dst, c.short(n.X), ev.idx, ev.x, ev.out)
	}
	var cache entity.FieldCache
	fast := func(cur any, f frame) tri {
		var v any
		ok := false
		if isField {
			v, ok = entity.FieldOfCached(cur, key, &cache)
		}
		if !ok {
			v = x(cur, f)
		}
		list, r := listOf(v, what, n.span, f)
		if r != tTrue {
			return r
		}
		if f.probe != nil && f.probe.exhaustive {
			// Looking for errors as a trace would meet them: every
			// element, past the one that decides.
			return countElements(list, elem, f).result(kind)
		}
		return matchElements(list, elem, f, kind)
	}
	return func(cur any, f frame) tri {
		if f.tr == nil {
			return fast(cur, f)
		}
		ev := f.tr.open(evList)
		ev.path = path
		v := x(cur, f)
		list, r := listOf(v, what, n.span, f)
		switch {
		case r == tUnknown:
			ev.x = v
			f.tr.closeLazy(ev, r, unknownText)
			return r
		case r == tError && f.tr.lastErr != "":
			f.tr.close(ev, r, f.tr.lastErr)
			return r
		case r != tTrue:
			f.tr.closeLazy(ev, r, outcomeText)
			return r
		}
		ev.counts = traceElements(list, elem, score, f, elemText, kind)
		r = ev.counts.result(kind)
		ev.elemOut = r
		if kind == ContainNone {
			ev.elemOut = r.not()
		}
		f.tr.closeLazy(ev, r, countsText)
		return r
	}
}

// elementCounts tallies an explained list operator.
type elementCounts struct {
	n, match, unknown, errs int
}

// probe is where evaluations outside explain mode note errors for an
// explanation.
type probe struct {
	// sawErr is set by every evaluation error.
	sawErr bool
	// exhaustive makes list operators evaluate every element, as a trace
	// does, so that sawErr also notes errors past the deciding element.
	exhaustive bool
}

// countElements evaluates elem on every element and counts the results.
func countElements(list []any, elem condFn, f frame) elementCounts {
	counts := elementCounts{n: len(list)}
	for _, e := range list {
		counts = counts.with(elem(e, f))
	}
	return counts
}

// with returns the counts with one more element outcome r tallied (n, the
// number of elements, is set by whoever starts counting).
func (e elementCounts) with(r tri) elementCounts {
	switch r {
	case tTrue:
		e.match++
	case tUnknown:
		e.unknown++
	case tError:
		e.errs++
	}
	return e
}

// result is what a list operator of kind says of its elements, from the
// counts of their outcomes: contain is a Kleene OR over them in which a
// match decides even past an error, contain-all a Kleene AND in which a
// mismatch does, and contain-none the negation of contain. It is the
// definition of these operators' meaning; the fast evaluations (anyMatch,
// allMatch) are checked against it.
func (e elementCounts) result(kind ListOpKind) tri {
	switch kind {
	case ContainAll:
		switch {
		case e.n-e.match-e.unknown-e.errs > 0:
			return tFalse
		case e.errs > 0:
			return tError
		case e.unknown > 0:
			return tUnknown
		}
		return tTrue
	case ContainNone:
		return elementCounts.result(e, Contain).not()
	}
	switch {
	case e.match > 0:
		return tTrue
	case e.errs > 0:
		return tError
	case e.unknown > 0:
		return tUnknown
	}
	return tFalse
}

// withValue compiles "L with [e]" as a value: the elements that match. It
// is unknown when an element's condition is unknown (gsl-spec.md §7.5).
func (c *compiler) withValue(n *ListOp) valFn {
	x := c.val(n.X)
	elem := c.cond(n.Elem)
	return func(cur any, f frame) any {
		list, r := listOf(x(cur, f), "'with'", n.span, f)
		if r != tTrue {
			return triValue(r)
		}
		out := []any{}
		state := tTrue
		for _, e := range list {
			switch elem(e, f) {
			case tTrue:
				out = append(out, e)
			case tUnknown:
				if state == tTrue {
					state = tUnknown
				}
			case tError:
				state = tError
			}
		}
		if state != tTrue {
			return triValue(state)
		}
		return out
	}
}

// countCompare compiles "L with [e] length() op k" when it asks only
// whether some element matches (> 0, >= 1, != 0) or none does (= 0, < 1,
// <= 0), so that it stops at the first match.
func (c *compiler) countCompare(n *Compare) condFn {
	call, ok := n.X.(*Call)
	if !ok || call.Name != "length" || len(call.Args) != 0 {
		return nil
	}
	lo, ok := call.X.(*ListOp)
	if !ok || lo.Op != With {
		return nil
	}
	lit, ok := n.Y.(*Literal)
	if !ok {
		return nil
	}
	k, ok := lit.Value.(float64)
	if !ok {
		return nil
	}
	some := (n.Op == Gt && k == 0) || (n.Op == Ge && k == 1) || (n.Op == Ne && k == 0)
	none := (n.Op == Eq && k == 0) || (n.Op == Lt && k == 1) || (n.Op == Le && k == 0)
	switch {
	case some:
		return c.listCond(lo, With, n)
	case none:
		return c.listCond(lo, ContainNone, n)
	}
	return nil
}

// groupBy compiles "L groupBy [e]": a list of {key, values} objects, one
// per distinct value of e in order of first appearance (gsl-spec.md §7.32).
func (c *compiler) groupBy(n *ListOp) valFn {
	x := c.val(n.X)
	key := c.val(n.Elem)
	return func(cur any, f frame) any {
		list, r := listOf(x(cur, f), "'groupBy'", n.span, f)
		if r != tTrue {
			return triValue(r)
		}
		type group struct {
			key    any
			values []any
		}
		var groups []*group
	elements:
		for _, e := range list {
			k := key(e, f)
			if k == errVal {
				return errVal
			}
			if entity.IsUnknown(k) {
				return derivedUnknown
			}
			for _, g := range groups {
				if equal(g.key, k) == tTrue {
					g.values = append(g.values, e)
					continue elements
				}
			}
			groups = append(groups, &group{key: k, values: []any{e}})
		}
		out := make([]any, len(groups))
		for i, g := range groups {
			out[i] = map[string]any{"key": g.key, "values": g.values}
		}
		return out
	}
}
