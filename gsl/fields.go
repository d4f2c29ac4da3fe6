package gsl

import (
	"sort"
	"strings"
)

// FieldRead is a field a rule reads from the entity it is about.
type FieldRead struct {
	// Path is the field's path from the entity, with "[]" after a list
	// whose elements a list operator reads: "status.isLogging",
	// "metricFilters[].filterPattern".
	Path string
	// Span is where the path is written in the rule.
	Span Span
}

// FieldReads lists the fields the rule reads from the entity it is about,
// in the order they are written. Inside the brackets of a list operator a
// path is read from each element of the list: it is listed below the
// list's path, with "[]" ("metricFilters with [filterPattern like 'x']"
// reads "metricFilters" and "metricFilters[].filterPattern"). For a
// List<E> rule, the fields are those read inside the brackets of a list
// operator on items; the scope object's own paths ("items") are not
// listed. Paths inside the brackets of a list that is not a path (the
// groups of groupBy, "$") are not listed either: what they read cannot be
// told from the rule.
func (r *Rule) FieldReads() []FieldRead {
	var out []FieldRead
	top := readContext{known: true}
	if r.List {
		top = readContext{scope: true}
	}
	for _, e := range []Expr{r.Where, r.Cond, r.Exclude} {
		if e != nil {
			fieldReads(e, top, &out)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Span.Start.Offset < out[j].Span.Start.Offset })
	return out
}

// readContext says what bare paths refer to at a point of a rule.
type readContext struct {
	// scope is set at the top of a List<E> rule, where paths are the scope
	// object's.
	scope bool
	// known is set where paths are fields of the entity, below prefix
	// ("metricFilters[]."); when neither is set, what paths refer to
	// cannot be told.
	known  bool
	prefix string
}

func fieldReads(e Expr, ctx readContext, out *[]FieldRead) {
	switch n := e.(type) {
	case *Path:
		if ctx.known {
			*out = append(*out, FieldRead{Path: ctx.prefix + strings.Join(n.Segments, "."), Span: n.span})
		}
	case *ListOp:
		fieldReads(n.X, ctx, out)
		var inner readContext
		x := n.X
		for {
			p, ok := x.(*Paren)
			if !ok {
				break
			}
			x = p.X
		}
		if p, ok := x.(*Path); ok {
			switch {
			case ctx.scope && len(p.Segments) == 1 && p.Segments[0] == "items":
				inner = readContext{known: true}
			case ctx.known:
				inner = readContext{known: true, prefix: ctx.prefix + strings.Join(p.Segments, ".") + "[]."}
			}
		}
		fieldReads(n.Elem, inner, out)
	default:
		Inspect(e, func(c Node) bool {
			if c == e {
				return true
			}
			if x, ok := c.(Expr); ok {
				fieldReads(x, ctx, out)
			}
			return false
		})
	}
}

// WithFieldCheck supplies a check of the fields the rule reads (see
// Rule.FieldReads): the language knows no entity types, its user does.
// check returns "" for a field the entity type has, or one it cannot
// tell, or else why not ("CloudTrail has no field "isMultiRegionTrial"
// (did you mean "isMultiRegionTrail"?)"), which becomes a warning at the
// path (Program.Warnings): the rule still compiles.
func WithFieldCheck(check func(entity, path string) string) Option {
	return func(c *config) { c.fields = check }
}
