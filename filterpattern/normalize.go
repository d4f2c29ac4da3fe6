package filterpattern

import (
	"slices"
	"strconv"
	"strings"
)

// normalize puts a freshly parsed pattern into normal form and computes its
// key: connectives flattened, operands sorted and deduplicated, redundant
// parentheses gone, values stored unquoted, field names of space-delimited
// patterns replaced by their positions.
func normalize(p *Pattern) {
	switch p.kind {
	case KindTerms:
		p.terms = normalizeTerms(p.terms)
		p.key = "T" + formatTerms(p.terms)
	case KindJSON:
		p.expr = normalizeExpr(p.expr)
		p.key = "J" + formatJSON(p.expr)
	case KindDelimited:
		if p.expr != nil {
			p.expr = normalizeExpr(p.expr)
		}
		p.key = "D" + formatDelimited(p.fields, p.expr, nil)
	}
}

func normalizeTerms(terms []term) []term {
	out := make([]term, 0, len(terms))
	optionalAlways := false
	for _, t := range terms {
		if t.re == nil && t.text == "" {
			switch t.mode {
			case termRequired:
				continue // "" is in every event
			case termOptional:
				optionalAlways = true
				continue
			}
		}
		out = append(out, t)
	}
	if optionalAlways {
		out = slices.DeleteFunc(out, func(t term) bool { return t.mode == termOptional })
	}
	slices.SortFunc(out, func(a, b term) int {
		if a.mode != b.mode {
			return int(a.mode) - int(b.mode)
		}
		return strings.Compare(formatTerm(a), formatTerm(b))
	})
	out = slices.CompactFunc(out, func(a, b term) bool { return a.mode == b.mode && formatTerm(a) == formatTerm(b) })
	// A lone ?term (with no plain term beside it) must appear, like a
	// plain one.
	if i, n := lastOptional(out); n == 1 && !slices.ContainsFunc(out, func(t term) bool { return t.mode == termRequired }) {
		out[i].mode = termRequired
	}
	return out
}

func lastOptional(terms []term) (index, count int) {
	for i, t := range terms {
		if t.mode == termOptional {
			index, count = i, count+1
		}
	}
	return index, count
}

// normalizeExpr flattens nested connectives of the same kind, sorts and
// deduplicates operands, and computes each node's key.
func normalizeExpr(e expr) expr {
	switch e := e.(type) {
	case *cond:
		// dnf normalises a parsed pattern's comparisons again, from
		// goroutines that share the pattern: only a new one is written.
		if e.key == "" {
			e.key = formatCond(e, nil)
		}
		return e
	case *logic:
		var ops []expr
		for _, o := range e.operands {
			n := normalizeExpr(o)
			if l, ok := n.(*logic); ok && l.op == e.op {
				ops = append(ops, l.operands...)
			} else {
				ops = append(ops, n)
			}
		}
		slices.SortFunc(ops, func(a, b expr) int { return strings.Compare(exprKey(a), exprKey(b)) })
		ops = slices.CompactFunc(ops, func(a, b expr) bool { return exprKey(a) == exprKey(b) })
		if len(ops) == 1 {
			return ops[0]
		}
		l := &logic{op: e.op, operands: ops}
		l.key = formatLogic(l, nil, true)
		return l
	}
	panic("filterpattern: unknown expression node")
}

func exprKey(e expr) string {
	switch e := e.(type) {
	case *cond:
		return e.key
	case *logic:
		return e.key
	}
	panic("filterpattern: unknown expression node")
}

// Format returns the canonical form of p: patterns that are Equal have the
// same canonical form (space-delimited patterns apart from field names).
// Values are quoted only when they need it, operands of && and || are
// sorted, and each operand of a connective is parenthesised:
//
//	{ ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) }
func Format(p *Pattern) string {
	switch p.kind {
	case KindJSON:
		return formatJSON(p.expr)
	case KindDelimited:
		names := make([]string, len(p.fields))
		for i, f := range p.fields {
			names[i] = f.name
		}
		return formatDelimited(p.fields, p.expr, names)
	}
	return formatTerms(p.terms)
}

func formatTerms(terms []term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = formatTerm(t)
	}
	return strings.Join(parts, " ")
}

func formatTerm(t term) string {
	prefix := ""
	switch t.mode {
	case termOptional:
		prefix = "?"
	case termExcluded:
		prefix = "-"
	}
	if t.re != nil {
		return prefix + "%" + t.text + "%"
	}
	if isBareTerm(t.text) {
		return prefix + t.text
	}
	return prefix + quote(t.text)
}

// isBareTerm reports whether a term can be written without quotes: AWS
// requires quotes around terms with characters other than letters, digits
// and '_'.
func isBareTerm(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// isBareValue reports whether a value can be written without quotes.
func isBareValue(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_.*+-:/@", c) >= 0) {
			return false
		}
	}
	return true
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

func formatJSON(e expr) string {
	if c, ok := e.(*cond); ok {
		return "{ " + formatCond(c, nil) + " }"
	}
	return "{ " + formatLogic(e.(*logic), nil, true) + " }"
}

// formatCond renders one comparison. names holds the field names of a
// space-delimited pattern; nil renders fields by position ($1, $2, …).
func formatCond(c *cond, names []string) string {
	var b strings.Builder
	if c.path != nil {
		b.WriteByte('$')
		for _, s := range c.path {
			if s.isIndex {
				b.WriteByte('[')
				b.WriteString(strconv.Itoa(s.index))
				b.WriteByte(']')
			} else {
				b.WriteByte('.')
				b.WriteString(s.name)
			}
		}
	} else if names != nil {
		b.WriteString(names[c.field])
	} else {
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(c.field + 1))
	}
	b.WriteByte(' ')
	b.WriteString(c.op.String())
	if !c.op.unary() {
		b.WriteByte(' ')
		b.WriteString(formatValue(c.val, c.op))
	}
	return b.String()
}

func formatValue(v value, op cmpOp) string {
	switch {
	case v.re != nil:
		return "%" + v.text + "%"
	case op.ordering():
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	case isBareValue(v.text):
		return v.text
	}
	return quote(v.text)
}

// formatLogic renders a connective. In JSON patterns (and in keys) every
// operand is parenthesised; in the slots of space-delimited patterns only
// nested connectives are.
func formatLogic(l *logic, names []string, parenConds bool) string {
	parts := make([]string, len(l.operands))
	for i, o := range l.operands {
		if k := exprKey(o); names == nil && parenConds && k != "" {
			parts[i] = "(" + k + ")" // the key is this very text
			continue
		}
		switch o := o.(type) {
		case *cond:
			if parenConds {
				parts[i] = "(" + formatCond(o, names) + ")"
			} else {
				parts[i] = formatCond(o, names)
			}
		case *logic:
			parts[i] = "(" + formatLogic(o, names, parenConds) + ")"
		}
	}
	return strings.Join(parts, " "+l.op.String()+" ")
}

// firstField is the field of the first comparison of e in canonical order.
func firstField(e expr) int {
	for {
		switch x := e.(type) {
		case *cond:
			return x.field
		case *logic:
			e = x.operands[0]
		}
	}
}

// formatDelimited renders a space-delimited pattern. Each top-level conjunct
// of the conditions goes into the slot of the field its first comparison
// names, so the output parses back to the same pattern.
func formatDelimited(fields []field, e expr, names []string) string {
	var conjuncts []expr
	if l, ok := e.(*logic); ok && l.op == opAnd {
		conjuncts = l.operands
	} else if e != nil {
		conjuncts = []expr{e}
	}
	// A conjunct that is a connective is an ||; it needs parentheses only
	// when its slot holds other conjuncts.
	type slotText struct {
		text string
		or   bool
	}
	slots := make([][]slotText, len(fields))
	for _, c := range conjuncts {
		i := firstField(c)
		switch c := c.(type) {
		case *cond:
			slots[i] = append(slots[i], slotText{formatCond(c, names), false})
		case *logic:
			slots[i] = append(slots[i], slotText{formatLogic(c, names, false), true})
		}
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		switch {
		case f.ellipsis:
			parts[i] = "..."
		case len(slots[i]) == 1:
			parts[i] = slots[i][0].text
		case len(slots[i]) > 1:
			texts := make([]string, len(slots[i]))
			for j, st := range slots[i] {
				texts[j] = st.text
				if st.or {
					texts[j] = "(" + st.text + ")"
				}
			}
			parts[i] = strings.Join(texts, " && ")
		case names == nil:
			parts[i] = "$" + strconv.Itoa(i+1)
		default:
			parts[i] = f.name
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
