package gsl

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"vigil/entity"
)

// frame is what every compiled closure receives besides the current value:
// the scan's "now" and, in explain mode, the tracer (nil otherwise). It is
// passed by value so that evaluation does not allocate.
type frame struct {
	now time.Time
	tr  *tracer
	// probe, when set (outside explain mode), notes evaluation errors for
	// an explanation.
	probe *probe
}

// condFn evaluates an expression as a condition; valFn as a value. cur is
// the entity (or scope object) at the top, the element inside brackets.
type (
	condFn func(cur any, f frame) tri
	valFn  func(cur any, f frame) any
)

// compiler turns the AST into a tree of closures, checking functions and
// literal arguments on the way.
type compiler struct {
	// texts caches shortString of the nodes explanations print, shared by
	// concurrent Explain calls.
	texts *sync.Map
	// conds holds the compiled condition of every expression compiled as
	// one, so that scorers reuse them; it is dropped after compiling.
	conds    map[Expr]condFn
	src      string
	cfg      config
	list     bool
	errs     ErrorList
	warnings ErrorList
}

// short returns c.short(e), printed once per program.
func (c *compiler) short(e Expr) string {
	if s, ok := c.texts.Load(e); ok {
		return s.(string)
	}
	s := shortString(e)
	c.texts.Store(e, s)
	return s
}

func (c *compiler) errorf(sp Span, format string, args ...any) {
	c.errs = append(c.errs, &Diagnostic{Span: sp, Msg: fmt.Sprintf(format, args...), src: c.src})
}

func (c *compiler) warnf(sp Span, format string, args ...any) {
	c.warnings = append(c.warnings, &Diagnostic{Span: sp, Msg: fmt.Sprintf(format, args...), src: c.src})
}

// traceFail records an evaluation error when tracing, and returns errVal.
func traceFail(f frame, sp Span, format string, args ...any) any {
	if f.tr != nil {
		f.tr.fail(sp, fmt.Sprintf(format, args...))
	}
	if f.probe != nil {
		f.probe.sawErr = true
	}
	return errVal
}

// leaf wraps the fast closure of a comparison, function or bare path so
// that in explain mode the explaining closure runs instead, inside an event
// of its own. explain returns the result and up to two values it computed;
// render builds the event's text from them if the text is needed.
// path is the attribute the expression tests (see subjectPath).
func leaf(fast condFn, explain func(cur any, f frame) (r tri, x, y any), render textFn, path string) condFn {
	return func(cur any, f frame) tri {
		if f.tr == nil {
			return fast(cur, f)
		}
		ev := f.tr.open(evLeaf)
		ev.path = path
		r, x, y := explain(cur, f)
		ev.cur, ev.x, ev.y = cur, x, y
		f.tr.closeLazy(ev, r, render)
		return r
	}
}

// isText renders the text of a match of x ("x is 'abc'"), followed by
// what was expected when it did not match.
func (c *compiler) isText(x Expr, expected string) textFn {
	return func(dst []byte, ev *event, _ time.Time) []byte {
		dst = appendIs(dst, c.short(x), x, ev.x, ev.cur)
		if ev.out == tFalse {
			dst = append(dst, expected...)
		}
		return dst
	}
}

// outcomeText renders the text of an "and", "or" or "not" event: the
// expression and its outcome.
func (c *compiler) outcomeText(n Expr) textFn {
	return func(dst []byte, ev *event, _ time.Time) []byte {
		dst = append(dst, c.short(n)...)
		dst = append(dst, ": "...)
		return append(dst, ev.out.String()...)
	}
}

// triValue turns a condition's result into a value.
func triValue(r tri) any {
	switch r {
	case tTrue:
		return true
	case tFalse:
		return false
	case tUnknown:
		return derivedUnknown
	}
	return errVal
}

// cond compiles e as a condition.
func (c *compiler) cond(e Expr) condFn {
	fn := c.compileCond(e)
	if c.conds != nil {
		c.conds[e] = fn
	}
	return fn
}

func (c *compiler) compileCond(e Expr) condFn {
	switch n := e.(type) {
	case *Paren:
		return c.cond(n.X)
	case *Logical:
		return c.logical(n)
	case *Not:
		x := c.cond(n.X)
		text := c.outcomeText(n)
		return func(cur any, f frame) tri {
			if f.tr == nil {
				return x(cur, f).not()
			}
			ev := f.tr.open(evNot)
			r := x(cur, f).not()
			f.tr.closeLazy(ev, r, text)
			return r
		}
	case *Compare:
		return c.compare(n)
	case *In:
		return c.in(n)
	case *Like:
		return c.like(n)
	case *Regex:
		return c.regex(n)
	case *Call:
		return c.callCond(n)
	case *ListOp:
		if n.Op != GroupBy {
			return c.listCond(n, n.Op, n)
		}
	}
	// A value as a condition: its truthiness (gsl-spec.md §3).
	v := c.val(e)
	return leaf(func(cur any, f frame) tri { return truthy(v(cur, f)) },
		func(cur any, f frame) (tri, any, any) {
			x := v(cur, f)
			return truthy(x), x, nil
		},
		func(dst []byte, ev *event, _ time.Time) []byte {
			return appendTruthText(dst, e, c.short(e), ev.x, ev.out, ev.cur)
		}, subjectPath(e))
}

func pathExists(cur any, segs []string) bool {
	for _, s := range segs {
		var ok bool
		switch x := cur.(type) {
		case *entity.Object:
			cur, ok = x.Get(s)
		case map[string]any:
			cur, ok = x[s]
		}
		if !ok {
			return false
		}
	}
	return true
}

func (c *compiler) logical(n *Logical) condFn {
	fns := make([]condFn, len(n.Operands))
	for i, o := range n.Operands {
		fns[i] = c.cond(o)
	}
	var inner condFn
	if n.Op == And {
		// Kleene AND; every operand is evaluated so that an error anywhere
		// makes the result ERROR (gsl-spec.md §7.2, §7.7).
		inner = func(cur any, f frame) tri {
			out := tTrue
			for _, fn := range fns {
				out = andStep(out, fn(cur, f))
			}
			return out
		}
	} else {
		inner = func(cur any, f frame) tri {
			out := tFalse
			for _, fn := range fns {
				out = orStep(out, fn(cur, f))
			}
			return out
		}
	}
	text := c.outcomeText(n)
	return func(cur any, f frame) tri {
		if f.tr == nil {
			return inner(cur, f)
		}
		ev := f.tr.open(evLogic)
		r := inner(cur, f)
		f.tr.closeLazy(ev, r, text)
		return r
	}
}

// andStep folds one operand's result r into a Kleene AND's result so far.
func andStep(out, r tri) tri {
	switch r {
	case tFalse:
		if out != tError {
			return tFalse
		}
	case tUnknown:
		if out == tTrue {
			return tUnknown
		}
	case tError:
		return tError
	}
	return out
}

// orStep folds one operand's result r into a Kleene OR's result so far.
func orStep(out, r tri) tri {
	switch r {
	case tTrue:
		if out != tError {
			return tTrue
		}
	case tUnknown:
		if out == tFalse {
			return tUnknown
		}
	case tError:
		return tError
	}
	return out
}

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

// val compiles e as a value.
func (c *compiler) val(e Expr) valFn {
	switch n := e.(type) {
	case *Paren:
		return c.val(n.X)
	case *Path:
		return c.path(n)
	case *Self:
		return func(cur any, f frame) any { return cur }
	case *Literal:
		v := n.Value
		return func(any, frame) any { return v }
	case *ListOp:
		switch n.Op {
		case With:
			return c.withValue(n)
		case GroupBy:
			return c.groupBy(n)
		}
	case *Call:
		return c.call(n)
	}
	cf := c.cond(e)
	return func(cur any, f frame) any { return triValue(cf(cur, f)) }
}

// path compiles a field or dotted path. A path into a list or a scalar is
// an evaluation error; into an unknown, unknown; a missing step is null
// (gsl-spec.md §7.8).
func (c *compiler) path(n *Path) valFn {
	segs := internAll(n.Segments)
	name := strings.Join(segs, ".")
	// Where each segment was last found (see entity.FieldCache).
	caches := make([]entity.FieldCache, len(segs))
	if len(segs) == 1 {
		key, cache := segs[0], &caches[0]
		return func(cur any, f frame) any {
			if v, ok := fieldCached(cur, key, cache); ok {
				if f.tr != nil {
					if u, ok := v.(*entity.Unknown); ok {
						f.tr.unknown(name, u)
					}
				}
				return v
			}
			return walkPath(cur, segs, caches, name, n.span, f)
		}
	}
	return func(cur any, f frame) any { return walkPath(cur, segs, caches, name, n.span, f) }
}

// walkPath reads the path segs from cur; caches holds one entity.FieldCache
// per segment.
func walkPath(cur any, segs []string, caches []entity.FieldCache, name string, sp Span, f frame) any {
	for i, s := range segs {
		switch x := cur.(type) {
		case *entity.Object:
			cur, _ = x.GetCached(s, &caches[i])
			continue
		case map[string]any:
			cur = x[s]
			continue
		case nil:
			return nil
		case *entity.Unknown:
			if f.tr != nil {
				f.tr.unknown(strings.Join(segs[:i], "."), x)
			}
			return x
		case []any:
			if i == 0 {
				return traceFail(f, sp, "path '%s' cannot be read from a list element that is itself a list", name)
			}
			return traceFail(f, sp, "path '%s' goes into a list at '%s': use a list operator such as with [...] or contain [...]", name, strings.Join(segs[:i], "."))
		}
		if cur == errVal {
			return errVal
		}
		if i == 0 {
			return traceFail(f, sp, "path '%s' cannot be read from %s %s", name, entity.Kind(cur), describe(cur))
		}
		return traceFail(f, sp, "path '%s' goes into %s %s at '%s'", name, entity.Kind(cur), describe(cur), strings.Join(segs[:i], "."))
	}
	if u, ok := cur.(*entity.Unknown); ok && f.tr != nil {
		f.tr.unknown(name, u)
	}
	return cur
}

// compare compiles "x op y".
func (c *compiler) compare(n *Compare) condFn {
	if fn := c.countCompare(n); fn != nil {
		return fn
	}
	x := c.val(n.X)
	y := c.val(n.Y)
	op := n.Op
	var fast condFn
	if lit, ok := n.Y.(*Literal); ok {
		v := lit.Value
		switch op {
		case Eq:
			fast = func(cur any, f frame) tri { return equal(x(cur, f), v) }
		case Ne:
			fast = func(cur any, f frame) tri { return equal(x(cur, f), v).not() }
		default:
			fast = func(cur any, f frame) tri { return order(x(cur, f), v, op) }
		}
	} else {
		fast = func(cur any, f frame) tri { return compareValues(x(cur, f), y(cur, f), op) }
	}
	explained := leaf(fast,
		func(cur any, f frame) (tri, any, any) {
			xv, yv := x(cur, f), y(cur, f)
			return compareValues(xv, yv, op), xv, yv
		},
		func(dst []byte, ev *event, _ time.Time) []byte {
			return appendCompareText(dst, n, c.short(n.X), ev.x, ev.y, ev.out, ev.cur)
		}, subjectPath(n.X))
	lit, isLit := n.Y.(*Literal)
	key, isField := fieldKey(n.X)
	if !isLit || !isField || (op != Eq && op != Ne) {
		return explained
	}
	// The common "field = literal": one closure, no calls but the map
	// lookup and equal.
	v, neg := lit.Value, op == Ne
	var cache entity.FieldCache
	return func(cur any, f frame) tri {
		if f.tr != nil {
			return explained(cur, f)
		}
		// The type switch is written out rather than calling field: this
		// is the hottest path, and field is not inlined.
		var fv any
		switch x := cur.(type) {
		case *entity.Object:
			fv, _ = x.GetCached(key, &cache)
		case map[string]any:
			fv = x[key]
		default:
			return fast(cur, f)
		}
		r := equal(fv, v)
		if neg {
			return r.not()
		}
		return r
	}
}

// fieldKey returns the name of a one-segment path.
func fieldKey(e Expr) (string, bool) {
	if p, ok := e.(*Path); ok && len(p.Segments) == 1 {
		return entity.Intern(p.Segments[0]), true
	}
	return "", false
}

func compareValues(a, b any, op CmpOp) tri {
	switch op {
	case Eq:
		return equal(a, b)
	case Ne:
		return equal(a, b).not()
	}
	return order(a, b, op)
}

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

// anyMatch is a Kleene OR over the elements that stops at the first
// element that matches: a match decides even if another element errs.
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

// allMatch is a Kleene AND over the elements that stops at the first
// element that does not match.
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
			v, ok = fieldCached(cur, key, &cache)
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
		switch kind {
		case ContainAll:
			return allMatch(list, elem, f)
		case ContainNone:
			return anyMatch(list, elem, f).not()
		}
		return anyMatch(list, elem, f)
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
		switch elem(e, f) {
		case tTrue:
			counts.match++
		case tUnknown:
			counts.unknown++
		case tError:
			counts.errs++
		}
	}
	return counts
}

// result gives the same outcome as anyMatch / allMatch from the counts.
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
		switch r {
		case tTrue:
			counts.match++
		case tUnknown:
			counts.unknown++
		case tError:
			counts.errs++
		}
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
		switch r {
		case tTrue:
			counts.match++
		case tUnknown:
			counts.unknown++
		case tError:
			counts.errs++
		}
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

// callParts compiles a function call into its receiver and its
// implementation; ok is false after a reported error.
func (c *compiler) callParts(n *Call) (valFn, *Function, *impl, bool) {
	recv := c.val(n.X)
	b, ok := builtinIndex[n.Name]
	if !ok {
		msg := fmt.Sprintf("unknown function %s()", n.Name)
		if s := suggest(n.Name); s != "" {
			msg += fmt.Sprintf(": did you mean %s()?", s)
		}
		c.errorf(n.nameSpan, "%s", msg)
		return nil, nil, nil, false
	}
	if len(n.Args) != len(b.Params) {
		c.errorf(n.nameSpan, "%s", b.arityMessage(len(n.Args)))
		return nil, nil, nil, false
	}
	bad := false
	for i, a := range n.Args {
		if msg := b.Params[i].check(a.Value); msg != "" {
			c.errorf(a.span, "%s() %s: %s", b.Name, b.Params[i].Name, msg)
			bad = true
		}
	}
	if bad {
		return nil, nil, nil, false
	}
	if b.NotImplemented {
		c.warnf(n.nameSpan, "%s() is not implemented yet: rules using it evaluate to ERROR", b.Name)
	}
	im := b.compile(c, n)
	return recv, b, im, im != nil
}

// applyCall applies a function to its evaluated receiver: an error stays an
// error, an unknown makes the result unknown (gsl-spec.md §7.4).
func applyCall(b *Function, im *impl, v any, f frame) any {
	if v == errVal {
		return errVal
	}
	if entity.IsUnknown(v) && !b.TakesUnknown {
		return derivedUnknown
	}
	return im.apply(v, f)
}

// call compiles a function call as a value.
func (c *compiler) call(n *Call) valFn {
	recv, b, im, ok := c.callParts(n)
	if !ok {
		return func(any, frame) any { return errVal }
	}
	return func(cur any, f frame) any { return applyCall(b, im, recv(cur, f), f) }
}

// callCond compiles a function call as a condition, explained with its
// receiver's value.
func (c *compiler) callCond(n *Call) condFn {
	recv, b, im, ok := c.callParts(n)
	if !ok {
		return func(any, frame) tri { return tError }
	}
	key, isField := fieldKey(n.X)
	fast := func(cur any, f frame) tri { return truthy(applyCall(b, im, recv(cur, f), f)) }
	explained := leaf(fast,
		func(cur any, f frame) (tri, any, any) {
			v := recv(cur, f)
			res := applyCall(b, im, v, f)
			return truthy(res), v, res
		},
		func(dst []byte, ev *event, now time.Time) []byte {
			v, res := ev.x, ev.y
			switch ev.out {
			case tError:
				dst = append(dst, c.short(n)...)
				return append(dst, ": evaluation error"...)
			case tUnknown:
				dst = append(dst, c.short(n.X)...)
				dst = append(dst, " is "...)
				return appendDescribe(dst, v)
			}
			dst = append(dst, c.short(n)...)
			dst = append(dst, " is "...)
			dst = append(dst, ev.out.String()...)
			dst = append(dst, " ("...)
			dst = appendIs(dst, c.short(n.X), n.X, v, ev.cur)
			if _, isBool := res.(bool); !isBool {
				dst = append(dst, ", result "...)
				dst = appendDescribe(dst, res)
			}
			if im.detail != nil && !entity.IsUnknown(v) {
				if d := im.detail(v, frame{now: now}); d != "" {
					dst = append(dst, "; "...)
					dst = append(dst, d...)
				}
			}
			return append(dst, ')')
		}, subjectPath(n.X))
	if !isField {
		return explained
	}
	// The common "field fn(...)": one closure and the map lookup.
	var cache entity.FieldCache
	return func(cur any, f frame) tri {
		if f.tr != nil {
			return explained(cur, f)
		}
		// Written out as in compare's fast path: field is not inlined.
		var v any
		switch x := cur.(type) {
		case *entity.Object:
			v, _ = x.GetCached(key, &cache)
		case map[string]any:
			v = x[key]
		default:
			return fast(cur, f)
		}
		return truthy(applyCall(b, im, v, f))
	}
}

// in compiles "x in (a, b)": a Kleene OR of equalities.
func (c *compiler) in(n *In) condFn {
	x := c.val(n.X)
	vals := make([]any, len(n.List))
	for i, l := range n.List {
		vals[i] = l.Value
	}
	fast := func(cur any, f frame) tri { return inValues(x(cur, f), vals) }
	expected := ", expected one of " + n.String()[len(printExpr(n.X, false))+len(" in "):]
	return leaf(fast,
		func(cur any, f frame) (tri, any, any) {
			v := x(cur, f)
			return inValues(v, vals), v, nil
		},
		c.isText(n.X, expected), subjectPath(n.X))
}

func inValues(v any, vals []any) tri {
	out := tFalse
	for _, w := range vals {
		switch equal(v, w) {
		case tTrue:
			return tTrue
		case tUnknown:
			out = tUnknown
		case tError:
			return tError
		}
	}
	return out
}

// textMatcher is a compiled like pattern (likeMatcher) or regexMatch
// expression (*regexp.Regexp).
type textMatcher interface{ MatchString(string) bool }

// textMatch applies a compiled like or regexMatch pattern to v: null and
// values that are not scalars do not match, numbers and bools match by
// their canonical text (gsl-spec.md §7.10).
func textMatch(v any, re textMatcher) tri {
	switch v.(type) {
	case *entity.Unknown:
		return tUnknown
	}
	if v == errVal {
		return tError
	}
	s, ok := canonicalText(v)
	if !ok {
		return tFalse
	}
	return triOf(re.MatchString(s))
}

// like compiles "x like 'p'" and "x unlike 'p'" (exactly "not like").
func (c *compiler) like(n *Like) condFn {
	x := c.val(n.X)
	re := compileLike(n.Pattern.Value.(string))
	neg := n.Negated
	fast := func(cur any, f frame) tri {
		r := textMatch(x(cur, f), re)
		if neg {
			return r.not()
		}
		return r
	}
	op := " like "
	if neg {
		op = " unlike "
	}
	expected := ", expected" + op + n.Pattern.String()
	return leaf(fast,
		func(cur any, f frame) (tri, any, any) {
			v := x(cur, f)
			r := textMatch(v, re)
			if neg {
				r = r.not()
			}
			return r, v, nil
		},
		c.isText(n.X, expected), subjectPath(n.X))
}

// regex compiles "x regexMatch /re/flags" (RE2, found anywhere).
func (c *compiler) regex(n *Regex) condFn {
	x := c.val(n.X)
	pat := n.Pattern
	if strings.Contains(n.Flags, "i") {
		pat = "(?i)" + pat
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "error parsing regexp") {
			msg = msg[len("error parsing regexp: "):]
		}
		c.errorf(n.patSpan, "invalid regular expression: %s", msg)
		return func(any, frame) tri { return tError }
	}
	fast := func(cur any, f frame) tri { return textMatch(x(cur, f), re) }
	expected := ", expected to match /" + escapeRegex(n.Pattern) + "/" + n.Flags
	return leaf(fast,
		func(cur any, f frame) (tri, any, any) {
			v := x(cur, f)
			return textMatch(v, re), v, nil
		},
		c.isText(n.X, expected), subjectPath(n.X))
}
