package filterpattern

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

// MaxMatchSteps bounds the work of matching a space-delimited pattern with
// several ellipses against one event (each "..." may take any number of
// fields). Past it the event does not match.
const MaxMatchSteps = 100_000

// Match reports whether a log event matches p, following AWS's rules:
//
//   - Term patterns look for each term as a case-sensitive substring of the
//     event: every plain term must appear, no -term may appear, and when there
//     are ?terms at least one of them must appear.
//   - JSON patterns parse the event as JSON; an event that is not JSON does
//     not match. A comparison whose selector is missing, or reaches an
//     object, an array or null, is false, for = and != alike; only NOT
//     EXISTS and IS NULL test for those.
//   - = and != with a number compare numerically against JSON numbers and as
//     text against strings ("400" = 400 as text); < <= > >= are true only for
//     numbers. Strings compare case-sensitively, with * at the start or end as
//     a wildcard.
//   - Space-delimited patterns split the event at spaces, keeping text in
//     "double quotes" or [brackets] as one field (without the quotes or
//     brackets); the number of fields must equal the number of slots unless
//     the pattern has an ellipsis.
func (p *Pattern) Match(event string) bool {
	switch p.kind {
	case KindTerms:
		return matchTerms(p.terms, event)
	case KindJSON:
		root, ok := decodeEvent(event)
		if !ok {
			return false
		}
		return eval(p.expr, jsonResolver{root})
	case KindDelimited:
		return p.matchDelimited(splitEvent(event))
	}
	return false
}

func matchTerms(terms []term, event string) bool {
	hasOptional, optionalFound := false, false
	for _, t := range terms {
		var found bool
		if t.re != nil {
			found = t.re.MatchString(event)
		} else {
			found = strings.Contains(event, t.text)
		}
		switch t.mode {
		case termRequired:
			if !found {
				return false
			}
		case termExcluded:
			if found {
				return false
			}
		case termOptional:
			hasOptional = true
			optionalFound = optionalFound || found
		}
	}
	return !hasOptional || optionalFound
}

func decodeEvent(event string) (any, bool) {
	d := json.NewDecoder(strings.NewReader(event))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, false // trailing data
	}
	return v, true
}

// resolver finds the value a comparison looks at: a JSON node, or the text
// of a space-delimited field (as a json.Number when it is a number).
type resolver interface {
	resolve(c *cond) (v any, found bool)
}

type jsonResolver struct{ root any }

func (r jsonResolver) resolve(c *cond) (any, bool) {
	cur := r.root
	for _, s := range c.path {
		if s.isIndex {
			list, ok := cur.([]any)
			if !ok || s.index >= len(list) {
				return nil, false
			}
			cur = list[s.index]
			continue
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[s.name]; !ok {
			return nil, false
		}
	}
	return cur, true
}

type fieldResolver struct{ fields []string }

func (r fieldResolver) resolve(c *cond) (any, bool) {
	text := r.fields[c.field]
	if _, ok := parseNumber(text); ok {
		return json.Number(text), true
	}
	return text, true
}

func eval(e expr, r resolver) bool {
	switch e := e.(type) {
	case *cond:
		return evalCond(e, r)
	case *logic:
		if e.op == opAnd {
			for _, o := range e.operands {
				if !eval(o, r) {
					return false
				}
			}
			return true
		}
		for _, o := range e.operands {
			if eval(o, r) {
				return true
			}
		}
		return false
	}
	return false
}

func evalCond(c *cond, r resolver) bool {
	v, found := r.resolve(c)
	switch c.op {
	case cmpNotExists:
		return !found
	case cmpIsNull:
		return found && v == nil
	case cmpIsTrue, cmpIsFalse:
		b, ok := v.(bool)
		return found && ok && b == (c.op == cmpIsTrue)
	}
	if !found {
		return false
	}
	var text string
	var num float64
	isNum := false
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = string(x)
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return false
		}
		num, isNum = f, true
	case bool:
		text = strconv.FormatBool(x)
	default:
		return false // null, object or array: not a value node
	}
	switch c.op {
	case cmpEq:
		return c.val.matches(text, num, isNum)
	case cmpNe:
		return !c.val.matches(text, num, isNum)
	}
	if !isNum {
		return false
	}
	switch c.op {
	case cmpLt:
		return num < c.val.num
	case cmpLe:
		return num <= c.val.num
	case cmpGt:
		return num > c.val.num
	case cmpGe:
		return num >= c.val.num
	}
	return false
}

// matches reports whether a value node (its text, and its number when it is
// a JSON number) equals v.
func (v value) matches(text string, num float64, isNum bool) bool {
	switch {
	case v.re != nil:
		return v.re.MatchString(text)
	case v.any:
		return true
	case v.isNum && isNum:
		return v.num == num
	}
	return wildcardMatch(v, text)
}

func wildcardMatch(v value, s string) bool {
	switch {
	case v.prefix && v.suffix:
		return strings.Contains(s, v.core)
	case v.prefix:
		return strings.HasSuffix(s, v.core)
	case v.suffix:
		return strings.HasPrefix(s, v.core)
	}
	return s == v.core
}

// splitEvent splits a space-delimited event into fields. Text between double
// quotes or square brackets is one field.
func splitEvent(event string) []string {
	var fields []string
	i := 0
	for {
		for i < len(event) && isSpace(event[i]) {
			i++
		}
		if i >= len(event) {
			return fields
		}
		var closer byte
		switch event[i] {
		case '"':
			closer = '"'
		case '[':
			closer = ']'
		}
		if closer != 0 {
			end := strings.IndexByte(event[i+1:], closer)
			if end >= 0 {
				fields = append(fields, event[i+1:i+1+end])
				i += end + 2
				continue
			}
		}
		start := i
		for i < len(event) && !isSpace(event[i]) {
			i++
		}
		fields = append(fields, event[start:i])
	}
}

func (p *Pattern) matchDelimited(tokens []string) bool {
	assign := make([]string, len(p.fields))
	budget := MaxMatchSteps
	var try func(fi, ti int) bool
	try = func(fi, ti int) bool {
		budget--
		if budget < 0 {
			return false
		}
		if fi == len(p.fields) {
			return ti == len(tokens) && (p.expr == nil || eval(p.expr, fieldResolver{assign}))
		}
		if p.fields[fi].ellipsis {
			for k := ti; k <= len(tokens); k++ {
				if try(fi+1, k) {
					return true
				}
			}
			return false
		}
		if ti == len(tokens) {
			return false
		}
		assign[fi] = tokens[ti]
		return try(fi+1, ti+1)
	}
	return try(0, 0)
}
