package gsl

import (
	"strconv"
	"time"

	"vigil/entity"
)

// This file renders the texts of explanations. Each function appends to a
// buffer, so that a trace line is built in the tracer's buffer with no
// intermediate strings: a scan explains thousands of findings, each with
// dozens of lines.

// textFn appends the text of an event, built from the inputs recorded in
// it, to dst; now is the time of the evaluation. Each is made once, when a
// rule is compiled.
type textFn func(dst []byte, ev *event, now time.Time) []byte

// appendDescribe appends a value as explanations show it: "'abc'", "3",
// "unknown (maybe null: reason)", "an error".
func appendDescribe(dst []byte, v any) []byte {
	if v == errVal {
		return append(dst, "an error"...)
	}
	if u, ok := v.(*entity.Unknown); ok {
		return appendDescribeUnknown(dst, u)
	}
	return entity.AppendFormat(dst, v)
}

// appendDescribeUnknown appends describeUnknown(u).
func appendDescribeUnknown(dst []byte, u *entity.Unknown) []byte {
	switch {
	case u.Kind == entity.UnknownMaybeNull && u.Reason != "":
		dst = append(dst, "unknown (maybe null: "...)
	case u.Kind == entity.UnknownMaybeNull:
		return append(dst, "unknown (maybe null)"...)
	case u.Reason != "":
		dst = append(dst, "unknown ("...)
	default:
		return append(dst, "unknown"...)
	}
	dst = entity.AppendShown(dst, u.Reason)
	return append(dst, ')')
}

// appendDescribeAt appends the description of x, the value of e, saying
// "missing" for a path that does not exist.
func appendDescribeAt(dst []byte, e Expr, x any, cur any) []byte {
	if x == nil {
		if p, ok := e.(*Path); ok && !pathExists(cur, p.Segments) {
			return append(dst, "missing"...)
		}
	}
	return appendDescribe(dst, x)
}

// appendIs appends "text is <x described>".
func appendIs(dst []byte, text string, e Expr, x any, cur any) []byte {
	dst = append(dst, text...)
	dst = append(dst, " is "...)
	return appendDescribeAt(dst, e, x, cur)
}

// appendTruthText appends the text of a value used as a condition.
func appendTruthText(dst []byte, e Expr, text string, x any, r tri, cur any) []byte {
	switch r {
	case tTrue:
		return appendIs(dst, text, e, x, cur)
	case tFalse:
		dst = appendIs(dst, text, e, x, cur)
		return append(dst, ", expected a value that is not empty or false"...)
	case tUnknown:
		dst = append(dst, text...)
		dst = append(dst, " is "...)
		return appendDescribe(dst, x)
	}
	dst = append(dst, text...)
	return append(dst, ": evaluation error"...)
}

// appendCompareText appends the text of a comparison "x op y" whose sides
// had the values xv and yv and whose result was r.
func appendCompareText(dst []byte, n *Compare, xText string, xv, yv any, r tri, cur any) []byte {
	switch r {
	case tUnknown:
		if entity.IsUnknown(yv) && !entity.IsUnknown(xv) {
			dst = append(dst, n.Y.String()...)
			dst = append(dst, " is "...)
			return appendDescribe(dst, yv)
		}
		return appendIs(dst, xText, n.X, xv, cur)
	case tError:
		dst = append(dst, shortString(n)...)
		return append(dst, ": evaluation error"...)
	}
	dst = appendIs(dst, xText, n.X, xv, cur)
	switch {
	case r == tFalse && n.Op == Eq:
		dst = append(dst, ", expected "...)
	case r == tFalse:
		dst = append(dst, ", expected "...)
		dst = append(dst, n.Op.String()...)
		dst = append(dst, ' ')
	case n.Op == Eq:
		return dst
	case n.Op == Ne:
		dst = append(dst, ", not "...)
	default:
		dst = append(dst, ", "...)
		dst = append(dst, n.Op.String()...)
		dst = append(dst, ' ')
	}
	// What was expected: the literal, or the other side and its value.
	if _, ok := n.Y.(*Literal); ok {
		return appendDescribe(dst, yv)
	}
	dst = append(dst, n.Y.String()...)
	dst = append(dst, " ("...)
	dst = appendDescribeAt(dst, n.Y, yv, cur)
	return append(dst, ')')
}

func matchWord(r tri) string {
	switch r {
	case tTrue:
		return "matches"
	case tFalse:
		return "does not match"
	case tUnknown:
		return "unknown"
	}
	return "error"
}

// appendElementLabel appends the text of element i of the list called
// name, whose result was r: "metricFilters[2] (filterName 'f2'): does not
// match".
func appendElementLabel(dst []byte, name string, i int, e any, r tri) []byte {
	dst = appendElementName(dst, name, i, e)
	dst = append(dst, ": "...)
	return append(dst, matchWord(r)...)
}

// appendElementName appends "metricFilters[2] (filterName 'f2')".
func appendElementName(dst []byte, name string, i int, e any) []byte {
	dst = append(dst, name...)
	dst = append(dst, '[')
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, ']')
	return appendElementHint(dst, e)
}

// hintFields are the fields that name a list element, in order of
// preference.
var hintFields = internAll([]string{"id", "name", "filterName", "key"})

// appendElementHint names a list element by its id, name or filterName
// field, or a scalar element by its value.
func appendElementHint(dst []byte, e any) []byte {
	switch e.(type) {
	case map[string]any, *entity.Object:
	case []any:
		return dst
	default:
		dst = append(dst, ' ')
		return appendDescribe(dst, e)
	}
	for _, k := range hintFields {
		v, _ := entity.FieldOf(e, k)
		if s, ok := v.(string); ok && s != "" {
			dst = append(dst, " ("...)
			dst = append(dst, k...)
			dst = append(dst, ' ')
			// v, not s: s would be boxed again, which allocates.
			dst = entity.AppendFormat(dst, v)
			return append(dst, ')')
		}
	}
	return dst
}

// appendCounts appends "3 of 5 elements match, 1 unknown".
func (e elementCounts) appendTo(dst []byte) []byte {
	dst = strconv.AppendInt(dst, int64(e.match), 10)
	dst = append(dst, " of "...)
	dst = strconv.AppendInt(dst, int64(e.n), 10)
	if e.n == 1 {
		dst = append(dst, " element matches"...)
	} else {
		dst = append(dst, " elements match"...)
	}
	if e.unknown > 0 {
		dst = append(dst, ", "...)
		dst = strconv.AppendInt(dst, int64(e.unknown), 10)
		dst = append(dst, " unknown"...)
	}
	if e.errs > 0 {
		dst = append(dst, ", "...)
		dst = strconv.AppendInt(dst, int64(e.errs), 10)
		dst = append(dst, " with errors"...)
	}
	return dst
}

func (e elementCounts) String() string { return string(e.appendTo(nil)) }
