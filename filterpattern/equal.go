package filterpattern

import (
	"slices"
	"strings"
)

// Equal reports whether a and b are the same filter pattern once normalised
// (gsl-spec.md §4): white space ignored, quoted and unquoted forms of a value
// equal, redundant parentheses removed, nested && and || flattened, and the
// operands of each && and || compared as sets (order and duplicates do not
// matter). Space-delimited patterns are compared by field position, so the
// names given to fields do not matter either. Patterns of different kinds
// are never equal.
func Equal(a, b *Pattern) bool { return a.key == b.key }

// MaxCoverSteps bounds the work of one Covers call; past it Covers answers
// false (it could not prove coverage).
const MaxCoverSteps = 100_000

// Covers reports whether it can prove that a matches every event that b
// matches. It is sound, never complete: true means a is at least as broad as
// b; false means a is narrower or that Covers cannot tell. It decides:
//
//   - the empty pattern, which matches every event, covers everything;
//   - equal patterns cover each other;
//   - JSON patterns (and space-delimited ones with the same slots), by
//     structure, on b as written and on b's disjunctive normal form (up to
//     MaxDNFClauses clauses): a covers b || c when it covers both; a && c
//     covers b when both cover b; a || c covers b when a or c alone covers
//     b; a covers b && c when it covers b or c alone. Comparisons on the
//     same selector are compared exactly: wildcards ($.eventName = *Trail
//     covers $.eventName = CreateTrail, $.x = abc* covers $.x = abcd*), =
//     against != ($.x != a covers $.x = b), numeric ranges ($.n > 1 covers
//     $.n >= 2), and $.x = * covers every =, <, <=, >, >=, IS TRUE and IS
//     FALSE test of $.x.
//   - term patterns: a's terms are implied by b's when each term a requires
//     is part of a term b requires, each term a excludes contains a term b
//     excludes, and one of a's ?terms is part of a term b requires, or of
//     each of b's ?terms when b has no plain terms (how AWS mixes ?terms with
//     plain terms is not documented, so Covers holds under either reading).
//
// It cannot prove coverage that needs several of a's clauses together for
// one clause of b (a: $.n < 5 || $.n >= 5 does cover b: $.n > 3, but Covers
// says false), nor coverage between different kinds of pattern.
func Covers(a, b *Pattern) bool {
	if a.kind == KindTerms && len(a.terms) == 0 {
		return true
	}
	if a.key == b.key {
		return true
	}
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case KindTerms:
		return coversTerms(a.terms, b.terms)
	case KindJSON:
		return coversCond(a.expr, b.expr)
	case KindDelimited:
		if !slices.Equal(slotShape(a.fields), slotShape(b.fields)) {
			return false
		}
		if a.expr == nil {
			return true
		}
		if b.expr == nil {
			return false
		}
		return coversCond(a.expr, b.expr)
	}
	return false
}

// coversCond reports whether condition a provably holds whenever b does:
// first clause by clause over b's disjunctive normal form (so that
// ($.s = x && ($.e = 1 || $.e = 2)) is covered by
// ($.s = x && $.e = 1) || ($.s = x && $.e = 2)), then on b as written.
func coversCond(a, b expr) bool {
	budget := MaxCoverSteps
	if terms := dnf(b); terms != nil {
		proved := true
		for _, t := range terms {
			if !coversExpr(a, t, &budget) {
				proved = false
				break
			}
		}
		if proved {
			return true
		}
	}
	return coversExpr(a, b, &budget)
}

// MaxDNFClauses bounds the disjunctive normal form Covers and Uncovered
// compute; a condition whose form would have more clauses is used as
// written.
const MaxDNFClauses = 256

// dnf returns the clauses of e's disjunctive normal form, each a comparison
// or a normalised && of comparisons, or nil when there would be more than
// MaxDNFClauses of them.
func dnf(e expr) []expr {
	conj := dnfConds(e)
	if conj == nil {
		return nil
	}
	out := make([]expr, len(conj))
	for i, cs := range conj {
		if len(cs) == 1 {
			out[i] = cs[0]
			continue
		}
		ops := make([]expr, len(cs))
		for j, c := range cs {
			ops[j] = c
		}
		out[i] = normalizeExpr(&logic{op: opAnd, operands: ops})
	}
	return out
}

func dnfConds(e expr) [][]*cond {
	switch e := e.(type) {
	case *cond:
		return [][]*cond{{e}}
	case *logic:
		if e.op == opOr {
			var out [][]*cond
			for _, o := range e.operands {
				d := dnfConds(o)
				if d == nil || len(out)+len(d) > MaxDNFClauses {
					return nil
				}
				out = append(out, d...)
			}
			return out
		}
		out := [][]*cond{nil}
		for _, o := range e.operands {
			d := dnfConds(o)
			if d == nil || len(out)*len(d) > MaxDNFClauses {
				return nil
			}
			next := make([][]*cond, 0, len(out)*len(d))
			for _, x := range out {
				for _, y := range d {
					next = append(next, append(slices.Clip(x), y...))
				}
			}
			out = next
		}
		return out
	}
	return nil
}

func slotShape(fields []field) []bool {
	shape := make([]bool, len(fields))
	for i, f := range fields {
		shape[i] = f.ellipsis
	}
	return shape
}

func coversExpr(a, b expr, budget *int) bool {
	*budget--
	if *budget < 0 {
		return false
	}
	if exprKey(a) == exprKey(b) {
		return true
	}
	al, aLogic := a.(*logic)
	bl, bLogic := b.(*logic)
	if bLogic && bl.op == opOr {
		for _, o := range bl.operands {
			if !coversExpr(a, o, budget) {
				return false
			}
		}
		return true
	}
	if aLogic && al.op == opAnd {
		for _, o := range al.operands {
			if !coversExpr(o, b, budget) {
				return false
			}
		}
		return true
	}
	if aLogic { // ||
		for _, o := range al.operands {
			if coversExpr(o, b, budget) {
				return true
			}
		}
	}
	if bLogic { // &&
		for _, o := range bl.operands {
			if coversExpr(a, o, budget) {
				return true
			}
		}
	}
	if !aLogic && !bLogic {
		return condCovers(a.(*cond), b.(*cond))
	}
	return false
}

func sameSelector(a, b *cond) bool {
	if a.path == nil || b.path == nil {
		return a.path == nil && b.path == nil && a.field == b.field
	}
	return slices.Equal(a.path, b.path)
}

// condCovers reports whether comparison a holds whenever comparison b holds.
func condCovers(a, b *cond) bool {
	if !sameSelector(a, b) {
		return false
	}
	if a.key == b.key {
		return true
	}
	switch a.op {
	case cmpEq:
		switch {
		case b.op == cmpEq:
			return valueCovers(a.val, b.val)
		case b.op == cmpIsTrue:
			return a.val.matches("true", 0, false)
		case b.op == cmpIsFalse:
			return a.val.matches("false", 0, false)
		case b.op.ordering():
			return a.val.any
		}
	case cmpNe:
		switch b.op {
		case cmpNe:
			return valueCovers(b.val, a.val)
		case cmpEq:
			return disjoint(a.val, b.val)
		case cmpIsTrue:
			return !a.val.matches("true", 0, false)
		case cmpIsFalse:
			return !a.val.matches("false", 0, false)
		}
	case cmpLt, cmpLe, cmpGt, cmpGe:
		if b.op.ordering() {
			return rangeCovers(a.op, a.val.num, b.op, b.val.num)
		}
	}
	return false
}

// exact reports whether v matches one text only: no wildcard, no regex.
func (v value) exact() bool { return v.re == nil && !v.any && !v.prefix && !v.suffix }

// valueCovers reports whether "= x" matches every value node "= y" matches.
func valueCovers(x, y value) bool {
	switch {
	case x.any:
		return true
	case x.re != nil || y.re != nil:
		return x.re != nil && y.re != nil && x.text == y.text
	case y.any:
		return false
	case x.isNum || y.isNum:
		// A number matches JSON numbers by value and strings by text: only
		// the same text is sure to cover it.
		return x.text == y.text
	}
	switch {
	case x.exact():
		return y.exact() && x.core == y.core
	case x.prefix && x.suffix: // *c*
		return strings.Contains(y.core, x.core)
	case x.suffix: // c*
		return !y.prefix && strings.HasPrefix(y.core, x.core)
	default: // *c
		return !y.suffix && strings.HasSuffix(y.core, x.core)
	}
}

// disjoint reports whether no value node matches both "= a" and "= b", so
// that "!= a" holds whenever "= b" does.
func disjoint(a, b value) bool {
	switch {
	case a.any || b.any || a.re != nil || b.re != nil:
		return false
	case b.exact() && !b.isNum:
		// b matches the text b.text only (no number has non-numeric text).
		return !a.matches(b.text, 0, false)
	case a.exact() && !a.isNum:
		return !b.matches(a.text, 0, false)
	case a.isNum && b.isNum:
		return a.num != b.num && a.text != b.text
	}
	return false
}

// rangeCovers reports whether every number n with "n bop bv" also has
// "n aop av".
func rangeCovers(aop cmpOp, av float64, bop cmpOp, bv float64) bool {
	aLower := aop == cmpGt || aop == cmpGe
	bLower := bop == cmpGt || bop == cmpGe
	if aLower != bLower {
		return false
	}
	aIncl := aop == cmpGe || aop == cmpLe
	bIncl := bop == cmpGe || bop == cmpLe
	if aLower {
		return bv > av || bv == av && (aIncl || !bIncl)
	}
	return bv < av || bv == av && (aIncl || !bIncl)
}

func termsOf(terms []term, mode termMode) []term {
	var out []term
	for _, t := range terms {
		if t.mode == mode {
			out = append(out, t)
		}
	}
	return out
}

// termImplies reports whether an event that contains big surely contains
// small.
func termImplies(big, small term) bool {
	if big.re != nil || small.re != nil {
		return big.re != nil && small.re != nil && big.text == small.text
	}
	return strings.Contains(big.text, small.text)
}

func coversTerms(a, b []term) bool {
	bReq, bExc, bOpt := termsOf(b, termRequired), termsOf(b, termExcluded), termsOf(b, termOptional)
	for _, t := range termsOf(a, termRequired) {
		if !slices.ContainsFunc(bReq, func(r term) bool { return termImplies(r, t) }) {
			return false
		}
	}
	for _, t := range termsOf(a, termExcluded) {
		// b's events lack some x with x part of t, so they lack t.
		if !slices.ContainsFunc(bExc, func(x term) bool { return termImplies(t, x) }) {
			return false
		}
	}
	aOpt := termsOf(a, termOptional)
	if len(aOpt) == 0 {
		return true
	}
	impliesSome := func(r term) bool {
		return slices.ContainsFunc(aOpt, func(o term) bool { return termImplies(r, o) })
	}
	if slices.ContainsFunc(bReq, impliesSome) {
		return true
	}
	// When b also has plain terms, AWS may ignore its ?terms (the guide
	// does not say how the two mix), so they prove nothing.
	if len(bOpt) == 0 || len(bReq) > 0 {
		return false
	}
	for _, o := range bOpt {
		if !impliesSome(o) {
			return false
		}
	}
	return true
}

// Clauses returns the top-level clauses of p in canonical form: the operands
// of a JSON pattern's outermost && or ||, the terms of a term pattern, or
// the whole pattern otherwise.
func Clauses(p *Pattern) []string {
	switch p.kind {
	case KindTerms:
		out := make([]string, len(p.terms))
		for i, t := range p.terms {
			out[i] = formatTerm(t)
		}
		return out
	case KindJSON:
		if l, ok := p.expr.(*logic); ok {
			return operandTexts(l)
		}
		return []string{formatCond(p.expr.(*cond), nil)}
	}
	return []string{Format(p)}
}

func operandTexts(l *logic) []string {
	out := make([]string, len(l.operands))
	for i, o := range l.operands {
		switch o := o.(type) {
		case *cond:
			out[i] = formatCond(o, nil)
		case *logic:
			out[i] = "(" + formatLogic(o, nil, true) + ")"
		}
	}
	return out
}

// Difference explains why a and b are not Equal: the top-level clauses
// found only in a and only in b. When the two patterns join their clauses
// differently (one with &&, the other with ||) or are of different kinds,
// it returns the whole patterns.
func Difference(a, b *Pattern) (onlyA, onlyB []string) {
	if Equal(a, b) {
		return nil, nil
	}
	opA, opB := topOp(a), topOp(b)
	if a.kind != b.kind || a.kind == KindDelimited || opA != opB && opA != "" && opB != "" {
		return []string{Format(a)}, []string{Format(b)}
	}
	ca, cb := Clauses(a), Clauses(b)
	for _, c := range ca {
		if !slices.Contains(cb, c) {
			onlyA = append(onlyA, c)
		}
	}
	for _, c := range cb {
		if !slices.Contains(ca, c) {
			onlyB = append(onlyB, c)
		}
	}
	return onlyA, onlyB
}

// topOp is the outermost connective of a JSON pattern ("" for one
// comparison, which may be compared with either connective's operands).
func topOp(p *Pattern) string {
	if l, ok := p.expr.(*logic); ok && p.kind == KindJSON {
		return l.op.String()
	}
	return ""
}

// Uncovered returns the clauses of b that Covers cannot show a to cover:
// the clauses of b's disjunctive normal form (the operands of its outermost
// || when it is already one), or b as a whole. It is empty exactly when
// Covers(a, b) is true.
func Uncovered(a, b *Pattern) []string {
	if Covers(a, b) {
		return nil
	}
	if a.kind != KindJSON || b.kind != KindJSON {
		return []string{Format(b)}
	}
	terms := dnf(b.expr)
	if len(terms) < 2 {
		return []string{Format(b)}
	}
	var out []string
	for _, t := range terms {
		budget := MaxCoverSteps
		if !coversExpr(a.expr, t, &budget) {
			switch t := t.(type) {
			case *cond:
				out = append(out, formatCond(t, nil))
			case *logic:
				out = append(out, formatLogic(t, nil, true))
			}
		}
	}
	if len(out) == 0 { // covered clause by clause, but the budget ran out on the whole
		return []string{Format(b)}
	}
	return out
}
