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
	c.errs = append(c.errs, diagnostic(c.src, sp, fmt.Sprintf(format, args...)))
}

func (c *compiler) warnf(sp Span, format string, args ...any) {
	c.warnings = append(c.warnings, diagnostic(c.src, sp, fmt.Sprintf(format, args...)))
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
		return traced(evNot, func(cur any, f frame) tri { return x(cur, f).not() }, c.outcomeText(n))
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
		if cur, ok = entity.HasField(cur, s); !ok {
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
	return traced(evLogic, inner, c.outcomeText(n))
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
			if v, ok := entity.FieldOfCached(cur, key, cache); ok {
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
		// Written out as in compare's fast path.
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
		// The type switch is written out rather than calling
		// entity.FieldOfCached: this is the hottest path, and a call
		// there costs a tenth of an evaluation.
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
		// Written out as in compare's fast path.
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
