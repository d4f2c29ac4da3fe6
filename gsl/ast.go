package gsl

// Node is a node of a parsed rule.
type Node interface {
	// Span is the part of the rule text the node was parsed from.
	Span() Span
	// String prints the node as canonical GSL.
	String() string
}

// Expr is an expression node: a condition or a value.
type Expr interface {
	Node
	expr()
}

// Rule is a parsed rule:
//
//	CloudTrail where region='us-east-1' should not have X exclude Y
//
// A rule with Should false is a query (a bare target with an optional where).
type Rule struct {
	// Entity is the entity type the rule is about ("CloudTrail").
	Entity string
	// List is set for List<Entity>: the rule is evaluated once per scope on
	// an object whose field "items" lists all the scope's entities.
	List bool
	// Where selects the relevant entities; nil selects all. A trailing where
	// (gsl-spec.md §7.34) is stored here too.
	Where Expr
	// Should is false for a query.
	Should bool
	// Negated is set by "should not".
	Negated bool
	// Cond is the condition after "should [not] [have]".
	Cond Expr
	// Exclude makes the entities for which it holds not relevant.
	Exclude Expr
	span    Span
	// EntitySpan is where the entity type is written.
	EntitySpan Span
}

// Span is the whole rule.
func (r *Rule) Span() Span { return r.span }

// LogicOp is "and" or "or".
type LogicOp uint8

// Logical operators.
const (
	And LogicOp = iota + 1
	Or
)

func (o LogicOp) String() string {
	if o == And {
		return "and"
	}
	return "or"
}

// Logical is "a and b and c" or "a or b or c". A parenthesised operand with
// the same operator stays a separate node.
type Logical struct {
	Op       LogicOp
	Operands []Expr
	span     Span
}

// Not is "not x".
type Not struct {
	X    Expr
	span Span
}

// Paren is "(x)". The parser keeps parentheses as the author wrote them;
// Format adds them where a hand-built tree needs them to read back the same.
type Paren struct {
	X    Expr
	span Span
}

// Path is a field or dotted path: "status.isLogging". Inside brackets it is
// relative to the current element.
type Path struct {
	Segments []string
	span     Span
}

// Self is "$": the current element inside brackets, else the entity (for
// List<E>, the scope object).
type Self struct{ span Span }

// Literal is a string, number or bool written in the rule.
type Literal struct {
	// Value is a string, float64 or bool.
	Value any
	span  Span
}

// CmpOp is a comparison operator.
type CmpOp uint8

// Comparison operators.
const (
	Eq CmpOp = iota + 1
	Ne
	Lt
	Gt
	Le
	Ge
)

var cmpNames = [...]string{Eq: "=", Ne: "!=", Lt: "<", Gt: ">", Le: "<=", Ge: ">="}

func (o CmpOp) String() string { return cmpNames[o] }

// Compare is "x = v", "port <= 22", "port <= x".
type Compare struct {
	X    Expr
	Op   CmpOp
	Y    Expr // a *Literal, *Path or *Self
	span Span
}

// In is "x in ('a', 'b')".
type In struct {
	X    Expr
	List []*Literal
	span Span
}

// Like is "x like 'a%'" or "x unlike 'a%'".
type Like struct {
	X       Expr
	Pattern *Literal // a string
	Negated bool     // unlike
	span    Span
}

// Regex is "x regexMatch /re/i".
type Regex struct {
	X       Expr
	Pattern string
	Flags   string
	span    Span
	patSpan Span
}

// ListOpKind names a list operator.
type ListOpKind uint8

// List operators.
const (
	With ListOpKind = iota + 1
	Contain
	ContainAny
	ContainAll
	ContainNone
	GroupBy
)

var listOpNames = [...]string{With: "with", Contain: "contain", ContainAny: "contain-any",
	ContainAll: "contain-all", ContainNone: "contain-none", GroupBy: "groupBy"}

func (k ListOpKind) String() string { return listOpNames[k] }

// ListOp is "L with [e]", "L contain [e]", "L contain-any [e]",
// "L contain-all [e]", "L contain-none [e]" or "L groupBy [e]". Inside the
// brackets names are fields of each element.
type ListOp struct {
	X    Expr
	Op   ListOpKind
	Elem Expr
	span Span
}

// Call is a function applied to the value on its left: "x isEmpty()",
// "d after(-1, 'days')".
type Call struct {
	X        Expr
	Name     string
	Args     []*Literal
	span     Span
	nameSpan Span
}

func (*Logical) expr() {}
func (*Not) expr()     {}
func (*Paren) expr()   {}
func (*Path) expr()    {}
func (*Self) expr()    {}
func (*Literal) expr() {}
func (*Compare) expr() {}
func (*In) expr()      {}
func (*Like) expr()    {}
func (*Regex) expr()   {}
func (*ListOp) expr()  {}
func (*Call) expr()    {}

// Span methods.

func (n *Logical) Span() Span { return n.span }
func (n *Not) Span() Span     { return n.span }
func (n *Paren) Span() Span   { return n.span }
func (n *Path) Span() Span    { return n.span }
func (n *Self) Span() Span    { return n.span }
func (n *Literal) Span() Span { return n.span }
func (n *Compare) Span() Span { return n.span }
func (n *In) Span() Span      { return n.span }
func (n *Like) Span() Span    { return n.span }
func (n *Regex) Span() Span   { return n.span }
func (n *ListOp) Span() Span  { return n.span }
func (n *Call) Span() Span    { return n.span }

// NameSpan is where the function's name is written.
func (n *Call) NameSpan() Span { return n.nameSpan }

// Inspect calls f for node and, while f returns true, for its children, in
// source order. It panics on a node type it does not know.
func Inspect(node Node, f func(Node) bool) {
	if node == nil || !f(node) {
		return
	}
	switch n := node.(type) {
	case *Rule:
		if n.Where != nil {
			Inspect(n.Where, f)
		}
		if n.Cond != nil {
			Inspect(n.Cond, f)
		}
		if n.Exclude != nil {
			Inspect(n.Exclude, f)
		}
	case *Logical:
		for _, o := range n.Operands {
			Inspect(o, f)
		}
	case *Not:
		Inspect(n.X, f)
	case *Paren:
		Inspect(n.X, f)
	case *Path, *Self, *Literal:
	case *Compare:
		Inspect(n.X, f)
		Inspect(n.Y, f)
	case *In:
		Inspect(n.X, f)
		for _, l := range n.List {
			Inspect(l, f)
		}
	case *Like:
		Inspect(n.X, f)
		Inspect(n.Pattern, f)
	case *Regex:
		Inspect(n.X, f)
	case *ListOp:
		Inspect(n.X, f)
		Inspect(n.Elem, f)
	case *Call:
		Inspect(n.X, f)
		for _, a := range n.Args {
			Inspect(a, f)
		}
	default:
		panic("gsl.Inspect: unexpected node type")
	}
}
