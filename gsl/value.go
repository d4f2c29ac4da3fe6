package gsl

import (
	"math"
	"strconv"
	"time"

	"vigil/entity"
)

// tri is the result of a condition: Kleene's three values plus an
// evaluation error, which wins over all of them in "and", "or" and "not".
type tri uint8

const (
	tFalse tri = iota
	tTrue
	tUnknown
	tError
)

var triNames = [...]string{tFalse: "false", tTrue: "true", tUnknown: "unknown", tError: "error"}

func (t tri) String() string { return triNames[t] }

func triOf(b bool) tri {
	if b {
		return tTrue
	}
	return tFalse
}

func (t tri) not() tri {
	switch t {
	case tFalse:
		return tTrue
	case tTrue:
		return tFalse
	}
	return t
}

// errMarker is the value an expression evaluates to after an evaluation
// error; the error itself is recorded by the tracer when there is one.
type errMarker struct{}

var errVal any = &errMarker{}

// derivedUnknown is the value of an expression computed from an unknown,
// such as the length() of an unknown list.
var derivedUnknown = &entity.Unknown{Kind: entity.UnknownMaybeNull, Reason: "computed from an unknown value"}

// truthy is the value of a bare path as a condition (gsl-spec.md §3, §7.18):
// false for null, false, 'false', the empty string, [] and {}; unknown for an Unknown.
func truthy(v any) tri {
	switch x := v.(type) {
	case nil:
		return tFalse
	case bool:
		return triOf(x)
	case string:
		return triOf(x != "" && x != "false")
	case []any:
		return triOf(len(x) > 0)
	case map[string]any, *entity.Object:
		return triOf(entity.ObjectLen(x) > 0)
	case *entity.Unknown:
		return tUnknown
	}
	if v == errVal {
		return tError
	}
	return tTrue
}

// isDecimal reports whether s is exactly a number in GSL's number syntax
// (gsl-spec.md §7.14, §7.24), and its value.
func isDecimal(s string) (float64, bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > start
	}
	if !digits() {
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return 0, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// equal is "a = b" (gsl-spec.md §7.14).
func equal(a, b any) tri {
	if a == errVal || b == errVal {
		return tError
	}
	switch x := a.(type) {
	case nil:
		switch b.(type) {
		case nil:
			return tTrue
		case *entity.Unknown:
			return tUnknown
		}
		return tFalse
	case bool:
		switch y := b.(type) {
		case bool:
			return triOf(x == y)
		case string:
			return triOf((x && y == "true") || (!x && y == "false"))
		}
	case string:
		switch y := b.(type) {
		case string:
			return triOf(x == y)
		case bool:
			return triOf((y && x == "true") || (!y && x == "false"))
		case float64:
			f, ok := isDecimal(x)
			return triOf(ok && f == y)
		}
	case float64:
		switch y := b.(type) {
		case float64:
			return triOf(x == y)
		case string:
			f, ok := isDecimal(y)
			return triOf(ok && f == x)
		}
	case []any:
		if y, ok := b.([]any); ok {
			if len(x) != len(y) {
				return tFalse
			}
			out := tTrue
			for i := range x {
				switch equal(x[i], y[i]) {
				case tFalse:
					return tFalse
				case tUnknown:
					out = tUnknown
				case tError:
					return tError
				}
			}
			return out
		}
	case map[string]any, *entity.Object:
		if entity.IsObject(b) {
			return equalObjects(a, b)
		}
	case *entity.Unknown:
		return tUnknown
	}
	if _, ok := b.(*entity.Unknown); ok {
		return tUnknown
	}
	return tFalse
}

// number returns v as a number when it is one or a numeric string.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		return isDecimal(x)
	}
	return 0, false
}

// order compares a and b for < > <= >= (gsl-spec.md §7.15): numbers and
// numeric strings numerically, dates as instants, anything else false.
func order(a, b any, op CmpOp) tri {
	if a == errVal || b == errVal {
		return tError
	}
	if entity.IsUnknown(a) || entity.IsUnknown(b) {
		return tUnknown
	}
	var c int
	x, okx := number(a)
	y, oky := number(b)
	switch {
	case okx && oky:
		switch {
		case x < y:
			c = -1
		case x > y:
			c = 1
		case x == y:
		default:
			return tFalse // NaN
		}
	default:
		ta, oka := orderDate(a)
		tb, okb := orderDate(b)
		if !oka || !okb {
			return tFalse
		}
		c = ta.Compare(tb)
	}
	switch op {
	case Lt:
		return triOf(c < 0)
	case Gt:
		return triOf(c > 0)
	case Le:
		return triOf(c <= 0)
	case Ge:
		return triOf(c >= 0)
	}
	panic("gsl: bad ordering operator")
}

// orderDate reads a date for ordering: an RFC 3339 or date-only string, or an
// epoch number when compared with such a string.
func orderDate(v any) (time.Time, bool) {
	switch x := v.(type) {
	case string:
		return parseDateString(x)
	case float64:
		return epoch(x), true
	}
	return time.Time{}, false
}

// epochMillisFrom is the magnitude from which an epoch number is read as
// milliseconds rather than seconds (gsl-spec.md §7.16).
const epochMillisFrom = 1e11

func epoch(x float64) time.Time {
	if math.Abs(x) >= epochMillisFrom {
		return time.UnixMilli(int64(x)).UTC()
	}
	sec, frac := math.Modf(x)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

func parseDateString(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// canonicalText is the text like and regexMatch match a scalar against
// (gsl-spec.md §7.10).
func canonicalText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return formatNumber(x), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// describeUnknown renders an unknown as "unknown (maybe null: reason)",
// the reason cut as entity.Shown says.
func describeUnknown(u *entity.Unknown) string {
	switch {
	case u.Kind == entity.UnknownMaybeNull && u.Reason != "":
		return "unknown (maybe null: " + entity.Shown(u.Reason) + ")"
	case u.Kind == entity.UnknownMaybeNull:
		return "unknown (maybe null)"
	case u.Reason != "":
		return "unknown (" + entity.Shown(u.Reason) + ")"
	}
	return "unknown"
}

// describe renders a value for explanations.
func describe(v any) string {
	if v == errVal {
		return "an error"
	}
	if u, ok := v.(*entity.Unknown); ok {
		return describeUnknown(u)
	}
	return entity.Format(v)
}

// internAll returns the names interned (see entity.Intern).
func internAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = entity.Intern(n)
	}
	return out
}

// equalObjects compares two object values field by field; each may be a
// map or an *entity.Object.
func equalObjects(a, b any) tri {
	if entity.ObjectLen(a) != entity.ObjectLen(b) {
		return tFalse
	}
	out := tTrue
	for name, av := range entity.ObjectFields(a) {
		bv, found := entity.HasField(b, name)
		if !found {
			return tFalse
		}
		switch equal(av, bv) {
		case tFalse:
			return tFalse
		case tUnknown:
			out = tUnknown
		case tError:
			return tError
		}
	}
	return out
}
