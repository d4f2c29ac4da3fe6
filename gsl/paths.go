package gsl

import "sort"

// level says what bare names refer to at a point of a rule.
type level uint8

const (
	levelScope  level = iota // a List<E> rule's scope object
	levelEntity              // one entity: its paths are listed
	levelNested              // an element of a list inside an entity
)

// rulePaths lists the entity-level paths a rule reads (Program.Paths).
func rulePaths(r *Rule) []string {
	seen := map[string]bool{}
	top := levelEntity
	if r.List {
		top = levelScope
	}
	for _, e := range []Expr{r.Where, r.Cond, r.Exclude} {
		if e != nil {
			collectPaths(e, top, seen)
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func collectPaths(e Expr, lv level, seen map[string]bool) {
	switch n := e.(type) {
	case *Path:
		if lv == levelEntity {
			seen[n.String()] = true
		}
	case *ListOp:
		collectPaths(n.X, lv, seen)
		inner := levelNested
		if p, ok := n.X.(*Path); ok && lv == levelScope && p.String() == "items" {
			inner = levelEntity
		}
		collectPaths(n.Elem, inner, seen)
	default:
		Inspect(e, func(c Node) bool {
			if c == e {
				return true
			}
			if x, ok := c.(Expr); ok {
				collectPaths(x, lv, seen)
			}
			return false
		})
	}
}
