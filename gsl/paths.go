package gsl

import (
	"slices"
	"sort"
	"strings"
)

// rulePaths lists the entity-level paths a rule reads (Program.Paths):
// its field reads (Rule.FieldReads) that are not of a list's elements.
func rulePaths(r *Rule) []string {
	var out []string
	for _, f := range r.FieldReads() {
		if !strings.Contains(f.Path, "[]") {
			out = append(out, f.Path)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// subjectPath is the attribute an expression tests, for Clause.Path: the
// path itself, a function's receiver, a list operator's list, followed
// through parentheses; "" for anything else (a literal, arithmetic).
func subjectPath(e Expr) string {
	for {
		switch n := e.(type) {
		case *Path:
			return n.String()
		case *Paren:
			e = n.X
		case *Call:
			if n.X == nil {
				return ""
			}
			e = n.X
		case *ListOp:
			e = n.X
		default:
			return ""
		}
	}
}

// ClausePaths lists the paths Explanation.Clauses can name for the rule's
// should clause: each comparison, function, bare path or list operator
// that can decide it, by subjectPath. For a List<E> rule, the clauses on
// the elements of items are listed instead of items itself, as the rule's
// messages describe those elements. A message's phrases are keyed by these
// paths (rules.Message.Lacks), and a test checks that every catalog rule
// has a phrase for each.
func (p *Program) ClausePaths() []string {
	seen := map[string]bool{}
	if p.rule.Cond != nil {
		clausePaths(p.rule.Cond, p.rule.List, seen)
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func clausePaths(e Expr, scope bool, seen map[string]bool) {
	switch n := e.(type) {
	case *Paren:
		clausePaths(n.X, scope, seen)
		return
	case *Not:
		clausePaths(n.X, scope, seen)
		return
	case *Logical:
		for _, o := range n.Operands {
			clausePaths(o, scope, seen)
		}
		return
	}
	if scope {
		if l := itemsOp(e); l != nil {
			clausePaths(l.Elem, false, seen)
			return
		}
	}
	var x Expr = e
	switch n := e.(type) {
	case *Compare:
		x = n.X
	case *In:
		x = n.X
	case *Like:
		x = n.X
	case *Regex:
		x = n.X
	}
	if s := subjectPath(x); s != "" {
		seen[s] = true
	}
}

// itemsOp returns the list operator on a List<E> rule's items that e
// tests ("items with [...] length() > 0"), or nil.
func itemsOp(e Expr) *ListOp {
	if c, ok := e.(*Compare); ok {
		e = c.X
	}
	if c, ok := e.(*Call); ok {
		e = c.X
	}
	l, ok := e.(*ListOp)
	if !ok {
		return nil
	}
	if p, ok := l.X.(*Path); ok && p.String() == "items" {
		return l
	}
	return nil
}
