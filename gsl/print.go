package gsl

import (
	"math"
	"strconv"
	"strings"
)

// Format prints a rule as canonical GSL: keywords in lower case, one space
// around operators and keywords, "should have" / "should not have", a where
// clause before "should", strings in single quotes, parentheses as written
// (and where a hand-built tree needs them). Parse(Format(r)) equals r apart
// from spans.
func Format(r *Rule) string {
	var pr printer
	pr.rule(r)
	return pr.b.String()
}

// String prints the rule as Format does.
func (r *Rule) String() string { return Format(r) }

func (n *Logical) String() string { return printExpr(n, false) }
func (n *Not) String() string     { return printExpr(n, false) }
func (n *Paren) String() string   { return printExpr(n, false) }
func (n *Path) String() string    { return printExpr(n, false) }
func (n *Self) String() string    { return printExpr(n, false) }
func (n *Literal) String() string { return printExpr(n, false) }
func (n *Compare) String() string { return printExpr(n, false) }
func (n *In) String() string      { return printExpr(n, false) }
func (n *Like) String() string    { return printExpr(n, false) }
func (n *Regex) String() string   { return printExpr(n, false) }
func (n *ListOp) String() string  { return printExpr(n, false) }
func (n *Call) String() string    { return printExpr(n, false) }

// maxShownLiteral is how much of a long string literal explanations show.
const maxShownLiteral = 40

// shortString prints an expression with the contents of list brackets
// elided ("items with [...]") and long strings cut, for explanations.
func shortString(e Expr) string { return printExpr(e, true) }

func printExpr(e Expr, elide bool) string {
	pr := printer{elide: elide}
	pr.expr(e)
	return pr.b.String()
}

type printer struct {
	b     strings.Builder
	elide bool
}

func (pr *printer) rule(r *Rule) {
	if r.List {
		pr.b.WriteString("List<" + r.Entity + ">")
	} else {
		pr.b.WriteString(r.Entity)
	}
	if r.Where != nil {
		pr.b.WriteString(" where ")
		pr.expr(r.Where)
	}
	if r.Should {
		pr.b.WriteString(" should ")
		if r.Negated {
			pr.b.WriteString("not ")
		}
		pr.b.WriteString("have ")
		pr.expr(r.Cond)
	}
	if r.Exclude != nil {
		pr.b.WriteString(" exclude ")
		pr.expr(r.Exclude)
	}
}

// wrapped prints e in parentheses when need is true.
func (pr *printer) wrapped(e Expr, need bool) {
	if need {
		pr.b.WriteByte('(')
	}
	pr.expr(e)
	if need {
		pr.b.WriteByte(')')
	}
}

// operand prints the left side of a postfix operator: "not" and logical
// expressions need parentheses there.
func (pr *printer) operand(e Expr) {
	switch e.(type) {
	case *Logical, *Not:
		pr.wrapped(e, true)
	default:
		pr.expr(e)
	}
}

func (pr *printer) expr(e Expr) {
	switch n := e.(type) {
	case *Logical:
		for i, o := range n.Operands {
			if i > 0 {
				pr.b.WriteString(" " + n.Op.String() + " ")
			}
			inner, isLogical := o.(*Logical)
			pr.wrapped(o, isLogical && !(n.Op == Or && inner.Op == And))
		}
	case *Not:
		pr.b.WriteString("not ")
		_, isLogical := n.X.(*Logical)
		pr.wrapped(n.X, isLogical)
	case *Paren:
		pr.wrapped(n.X, true)
	case *Path:
		pr.b.WriteString(strings.Join(n.Segments, "."))
	case *Self:
		pr.b.WriteByte('$')
	case *Literal:
		if str, ok := n.Value.(string); ok && pr.elide && len(str) > maxShownLiteral {
			pr.b.WriteString(quote(str[:maxShownLiteral]) + "...")
			break
		}
		pr.b.WriteString(formatLiteral(n.Value))
	case *Compare:
		pr.operand(n.X)
		pr.b.WriteString(" " + n.Op.String() + " ")
		pr.expr(n.Y)
	case *In:
		pr.operand(n.X)
		pr.b.WriteString(" in (")
		for i, l := range n.List {
			if i > 0 {
				pr.b.WriteString(", ")
			}
			pr.expr(l)
		}
		pr.b.WriteByte(')')
	case *Like:
		pr.operand(n.X)
		if n.Negated {
			pr.b.WriteString(" unlike ")
		} else {
			pr.b.WriteString(" like ")
		}
		pr.expr(n.Pattern)
	case *Regex:
		pr.operand(n.X)
		pr.b.WriteString(" regexMatch /")
		pr.b.WriteString(escapeRegex(n.Pattern))
		pr.b.WriteString("/" + n.Flags)
	case *ListOp:
		pr.operand(n.X)
		pr.b.WriteString(" " + n.Op.String() + " [")
		if pr.elide {
			pr.b.WriteString("...")
		} else {
			pr.expr(n.Elem)
		}
		pr.b.WriteByte(']')
	case *Call:
		pr.operand(n.X)
		pr.b.WriteString(" " + n.Name + "(")
		for i, a := range n.Args {
			if i > 0 {
				pr.b.WriteString(", ")
			}
			pr.expr(a)
		}
		pr.b.WriteByte(')')
	default:
		panic("gsl: cannot print node")
	}
}

// formatLiteral writes a literal value as GSL.
func formatLiteral(v any) string {
	switch x := v.(type) {
	case string:
		return quote(x)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return formatNumber(x)
	}
	panic("gsl: bad literal value")
}

// formatNumber writes a number in the GSL number syntax, without exponent
// for ordinary magnitudes.
func formatNumber(x float64) string {
	if a := math.Abs(x); a == 0 || (a >= 1e-6 && a < 1e21) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'e', -1, 64)
}

// quote writes s as a single-quoted GSL string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// escapeRegex writes a pattern between slashes: a slash becomes "\/", and
// other escapes pass through as pairs.
func escapeRegex(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '\\':
			b.WriteByte(c)
			if i+1 < len(p) {
				i++
				b.WriteByte(p[i])
			}
		case '/':
			b.WriteString(`\/`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
