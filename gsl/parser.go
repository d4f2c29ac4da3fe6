package gsl

import (
	"fmt"
	"strings"
)

// Limits on hostile input (gsl-spec.md §7.25).
const (
	// MaxDepth bounds the nesting of parentheses, brackets and "not".
	MaxDepth = 256
	// MaxSourceBytes bounds the length of a rule's text.
	MaxSourceBytes = 64 << 10
	// maxNodes bounds the number of AST nodes of one rule.
	maxNodes = 10000
)

// parser is a recursive-descent parser over the lexer's tokens. It stops at
// the first error: later ones are usually noise.
type parser struct {
	src   string
	toks  []token
	i     int
	depth int
	nodes int
}

// bail carries the first error out of the recursion.
type bail struct{ err *Diagnostic }

// Parse parses a rule or query. Its error is an ErrorList holding the first
// syntax error, with its position.
func Parse(src string) (r *Rule, err error) {
	if len(src) > MaxSourceBytes {
		return nil, ErrorList{diagnostic(src, Span{Pos{Line: 1, Col: 1}, Pos{Line: 1, Col: 1}}, fmt.Sprintf("rule is longer than %d bytes", MaxSourceBytes))}
	}
	toks, lerr := lex(src)
	if lerr != nil {
		return nil, ErrorList{lerr}
	}
	p := &parser{src: src, toks: toks}
	defer func() {
		if x := recover(); x != nil {
			b, ok := x.(bail)
			if !ok {
				panic(x)
			}
			r, err = nil, ErrorList{b.err}
		}
	}()
	return p.rule(), nil
}

func (p *parser) tok() token  { return p.toks[p.i] }
func (p *parser) peek() token { return p.toks[min(p.i+1, len(p.toks)-1)] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) failAt(sp Span, format string, args ...any) {
	panic(bail{diagnostic(p.src, sp, fmt.Sprintf(format, args...))})
}

// fail reports that the current token is not what was expected.
func (p *parser) fail(expected string) {
	t := p.tok()
	p.failAt(t.span, "expected %s, found %s", expected, t.describe())
}

func (p *parser) node() {
	p.nodes++
	if p.nodes > maxNodes {
		p.failAt(p.tok().span, "rule has more than %d nodes", maxNodes)
	}
}

func (p *parser) enter(t token) {
	p.depth++
	if p.depth > MaxDepth {
		p.failAt(t.span, "nesting deeper than %d", MaxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

func span(a, b Span) Span { return Span{a.Start, b.End} }

func (p *parser) rule() *Rule {
	r := &Rule{}
	t := p.next()
	switch {
	case t.kind == tList:
		r.Entity, r.List = t.text, true
	case t.kind == tIdent && !strings.Contains(t.text, "."):
		r.Entity = t.text
	default:
		p.failAt(t.span, "expected an entity type such as CloudTrail or List<CloudTrail>, found %s", t.describe())
	}
	r.EntitySpan = t.span
	if p.tok().is("where") {
		p.next()
		r.Where = p.expr()
	}
	if p.tok().is("should") {
		p.next()
		r.Should = true
		if p.tok().is("not") {
			p.next()
			r.Negated = true
		}
		if p.tok().is("have") {
			p.next()
		}
		r.Cond = p.expr()
		if p.tok().is("where") {
			w := p.next()
			if r.Where != nil {
				p.failAt(w.span, "a rule may have only one 'where': this one follows a leading 'where'")
			}
			r.Where = p.expr()
		}
	}
	if t := p.tok(); t.kind == tIdent && strings.EqualFold(t.text, "exclude") {
		p.next()
		r.Exclude = p.expr()
	}
	if t := p.tok(); t.kind != tEOF {
		switch {
		case !r.Should && r.Where == nil:
			p.fail("'where', 'should' or end of rule")
		case !r.Should:
			p.fail("an operator, 'and', 'or', 'should' or end of rule")
		default:
			p.fail("an operator, 'and', 'or' or end of rule")
		}
	}
	r.span = span(p.toks[0].span, p.toks[len(p.toks)-1].span)
	return r
}

func (p *parser) expr() Expr {
	x := p.and()
	if !p.tok().is("or") {
		return x
	}
	l := &Logical{Op: Or, Operands: []Expr{x}}
	for p.tok().is("or") {
		p.next()
		p.node()
		l.Operands = append(l.Operands, p.and())
	}
	l.span = span(x.Span(), l.Operands[len(l.Operands)-1].Span())
	return l
}

func (p *parser) and() Expr {
	x := p.unary()
	if !p.tok().is("and") {
		return x
	}
	l := &Logical{Op: And, Operands: []Expr{x}}
	for p.tok().is("and") {
		p.next()
		p.node()
		l.Operands = append(l.Operands, p.unary())
	}
	l.span = span(x.Span(), l.Operands[len(l.Operands)-1].Span())
	return l
}

func (p *parser) unary() Expr {
	if t := p.tok(); t.is("not") {
		p.next()
		p.node()
		p.enter(t)
		x := p.unary()
		p.leave()
		return &Not{X: x, span: span(t.span, x.Span())}
	}
	return p.postfix()
}

func (p *parser) postfix() Expr {
	x := p.primary()
	for {
		t := p.tok()
		switch {
		case t.kind == tCmp:
			p.next()
			p.node()
			y := p.operand("a value after '" + t.text + "'")
			x = &Compare{X: x, Op: cmpOp(t.text), Y: y, span: span(x.Span(), y.Span())}
		case t.is("in"):
			p.next()
			p.node()
			list, end := p.inList(t)
			x = &In{X: x, List: list, span: span(x.Span(), end)}
		case t.is("like") || t.is("unlike"):
			p.next()
			p.node()
			s := p.tok()
			if s.kind != tString {
				p.fail("a quoted pattern after '" + t.raw + "'")
			}
			p.next()
			lit := &Literal{Value: s.text, span: s.span}
			x = &Like{X: x, Pattern: lit, Negated: t.text == "unlike", span: span(x.Span(), s.span)}
		case t.is("regexmatch"):
			p.next()
			p.node()
			re := p.tok()
			if re.kind != tRegex {
				p.fail("a regular expression /.../ after 'regexMatch'")
			}
			p.next()
			x = &Regex{X: x, Pattern: re.text, Flags: re.flags, span: span(x.Span(), re.span), patSpan: re.span}
		case t.is("with") || t.is("contain") || t.is("contain-any") || t.is("contain-all") || t.is("contain-none"):
			p.next()
			p.node()
			elem, end := p.bracket(t)
			x = &ListOp{X: x, Op: listOpKind(t.text), Elem: elem, span: span(x.Span(), end)}
		case t.kind == tIdent && t.text == "groupBy" && p.peek().kind == tLBrack:
			p.next()
			p.node()
			elem, end := p.bracket(t)
			x = &ListOp{X: x, Op: GroupBy, Elem: elem, span: span(x.Span(), end)}
		case t.kind == tIdent && p.peek().kind == tLParen:
			if strings.Contains(t.text, ".") {
				p.failAt(t.span, "expected a function name, found path '%s'", t.text)
			}
			p.next()
			p.node()
			args, end := p.args(t)
			x = &Call{X: x, Name: t.text, Args: args, span: span(x.Span(), end), nameSpan: t.span}
		default:
			return x
		}
	}
}

func cmpOp(s string) CmpOp {
	for i, n := range cmpNames {
		if n == s {
			return CmpOp(i)
		}
	}
	panic("gsl: bad comparison operator " + s)
}

func listOpKind(s string) ListOpKind {
	for i, n := range listOpNames {
		if n == s {
			return ListOpKind(i)
		}
	}
	panic("gsl: bad list operator " + s)
}

// closing reports a missing closing bracket, naming where it opened.
func (p *parser) closing(open token, want string) {
	t := p.tok()
	opened := open.span.Start
	d := diagnostic(p.src, t.span, fmt.Sprintf("expected '%s' to close the '%s' at %s, found %s", want, open.text, opened, t.describe()))
	d.Ref = opened
	panic(bail{d})
}

// bracket parses "[ expr ]" after a list operator.
func (p *parser) bracket(op token) (Expr, Span) {
	open := p.tok()
	if open.kind != tLBrack {
		p.fail("'[' after '" + op.raw + "'")
	}
	p.next()
	p.enter(open)
	if p.tok().kind == tRBrack {
		p.fail("a condition inside '[ ]'")
	}
	e := p.expr()
	if p.tok().kind != tRBrack {
		if p.tok().kind == tEOF {
			p.closing(open, "]")
		}
		p.fail("an operator, 'and', 'or' or ']'")
	}
	end := p.next()
	p.leave()
	return e, end.span
}

// inList parses "( literal {, literal} )" after in.
func (p *parser) inList(in token) ([]*Literal, Span) {
	open := p.tok()
	if open.kind != tLParen {
		p.fail("'(' after 'in'")
	}
	p.next()
	var list []*Literal
	for {
		lit := p.literal("a quoted string, number, true or false in the list after 'in'")
		list = append(list, lit)
		if p.tok().kind == tComma {
			p.next()
			continue
		}
		if p.tok().kind == tRParen {
			return list, p.next().span
		}
		if p.tok().kind == tEOF {
			p.closing(open, ")")
		}
		p.fail("',' or ')' in the list after 'in'")
	}
}

// args parses a function's "( [literal {, literal}] )".
func (p *parser) args(name token) ([]*Literal, Span) {
	open := p.next()
	var args []*Literal
	if p.tok().kind == tRParen {
		return nil, p.next().span
	}
	for {
		args = append(args, p.literal(fmt.Sprintf("an argument of %s: a quoted string, number, true or false", name.text)))
		if p.tok().kind == tComma {
			p.next()
			continue
		}
		if p.tok().kind == tRParen {
			return args, p.next().span
		}
		if p.tok().kind == tEOF {
			p.closing(open, ")")
		}
		p.fail("',' or ')' after an argument of " + name.text)
	}
}

// literal parses a string, number or bool.
func (p *parser) literal(expected string) *Literal {
	t := p.tok()
	var v any
	switch {
	case t.kind == tString:
		v = t.text
	case t.kind == tNumber:
		v = t.num
	case t.is("true"):
		v = true
	case t.is("false"):
		v = false
	default:
		p.fail(expected)
	}
	p.next()
	p.node()
	return &Literal{Value: v, span: t.span}
}

// operand parses the right side of a comparison: a literal, a path or $.
func (p *parser) operand(expected string) Expr {
	t := p.tok()
	switch t.kind {
	case tIdent:
		p.next()
		p.node()
		return &Path{Segments: strings.Split(t.text, "."), span: t.span}
	case tDollar:
		p.next()
		p.node()
		return &Self{span: t.span}
	}
	return p.literal(expected)
}

func (p *parser) primary() Expr {
	t := p.tok()
	switch {
	case t.kind == tLParen:
		p.next()
		p.node()
		p.enter(t)
		x := p.expr()
		if p.tok().kind != tRParen {
			if p.tok().kind == tEOF {
				p.closing(t, ")")
			}
			p.fail("an operator, 'and', 'or' or ')'")
		}
		end := p.next()
		p.leave()
		return &Paren{X: x, span: span(t.span, end.span)}
	case t.kind == tIdent, t.kind == tDollar:
		return p.operand("")
	case t.kind == tString, t.kind == tNumber, t.is("true"), t.is("false"):
		return p.literal("")
	}
	p.fail("a condition: a field name, '$', '(', 'not' or a value")
	return nil
}
