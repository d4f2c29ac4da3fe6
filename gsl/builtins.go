package gsl

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/agext/levenshtein"

	"vigil/diag"
	"vigil/entity"
)

// Function describes a built-in function: a receiver on its left, literal
// arguments in parentheses ("d after(-1, 'days')"). The checker and the
// rule documentation read the same table.
type Function struct {
	Name string
	// Params are the literal arguments, all required.
	Params []Param
	// Doc says what the function does, in one or two sentences.
	Doc string
	// Example is a rule fragment using it.
	Example string
	// NotImplemented marks functions published rules use that vigil cannot
	// evaluate yet: they compile, evaluate to ERROR, and lint warns.
	NotImplemented bool
	// TakesUnknown marks functions that decide on an unknown receiver
	// themselves (isEmpty); every other function is unknown on one.
	TakesUnknown bool
	// compile checks what it needs beyond the parameters and returns the
	// implementation, or nil after reporting an error.
	compile func(c *compiler, n *Call) *impl
}

// Param is one argument of a function.
type Param struct {
	Name string
	// Kind is "string", "number" or "integer".
	Kind string
	// Check validates a literal value beyond its kind; "" when it is fine.
	Check func(v any) string
}

// impl is a function's compiled implementation: apply computes the result
// from a known receiver (not unknown, not an error); detail, if set, adds
// to the explanation.
type impl struct {
	apply  func(v any, f frame) any
	detail func(v any, f frame) string
}

func (p Param) check(v any) string {
	switch p.Kind {
	case "string":
		if _, ok := v.(string); !ok {
			return fmt.Sprintf("want a quoted string, found %s", formatLiteral(v))
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return fmt.Sprintf("want a number, found %s", formatLiteral(v))
		}
	case "integer":
		x, ok := v.(float64)
		if !ok || x != math.Trunc(x) || math.Abs(x) > 1e9 {
			return fmt.Sprintf("want a whole number, found %s", formatLiteral(v))
		}
	}
	if p.Check != nil {
		return p.Check(v)
	}
	return ""
}

func (b *Function) arityMessage(found int) string {
	switch len(b.Params) {
	case 0:
		return fmt.Sprintf("%s() takes no arguments, found %d", b.Name, found)
	case 1:
		return fmt.Sprintf("%s() takes 1 argument (%s), found %d", b.Name, b.Params[0].Name, found)
	}
	names := make([]string, len(b.Params))
	for i, p := range b.Params {
		names[i] = p.Name
	}
	return fmt.Sprintf("%s() takes %d arguments (%s), found %d", b.Name, len(b.Params), strings.Join(names, ", "), found)
}

// builtins is the function table; builtinIndex indexes it by name.
var (
	builtins     []*Function
	builtinIndex = map[string]*Function{}
)

func init() {
	builtins = []*Function{
		{Name: "isEmpty", Doc: "True when the receiver is missing, null, '', [] or {}. An unknown that will be set is not empty; one that may be null is unknown.",
			Example: "cloud_watch_logs_role_arn isEmpty()", TakesUnknown: true, compile: compileIsEmpty},
		{Name: "length", Doc: "The number of elements of a list or map, or of characters of a string; 0 for null.",
			Example: "metricFilters length() > 0", compile: compileLength},
		{Name: "after", Params: dateParams, Doc: "True when the receiver, a date (RFC 3339 or epoch seconds or milliseconds), is later than now plus amount units.",
			Example: "status.latestCloudWatchLogsDeliveryTime after(-1, 'days')", compile: compileDate(true)},
		{Name: "before", Params: dateParams, Doc: "True when the receiver date is earlier than now plus amount units.",
			Example: "expiration before(30, 'days')", compile: compileDate(false)},
		{Name: "isFilterPatternEqual", Params: []Param{{Name: "pattern", Kind: "string"}},
			Doc:     "True when the receiver and the argument are the same CloudWatch Logs filter pattern once normalised.",
			Example: "filterPattern isFilterPatternEqual('{ $.eventName = CreateTrail }')", compile: compilePattern(false)},
		{Name: "filterPatternCovers", Params: []Param{{Name: "pattern", Kind: "string"}},
			Doc:     "True when the receiver filter pattern provably matches every event the argument matches.",
			Example: "filterPattern filterPatternCovers('{ $.eventName = CreateTrail }')", compile: compilePattern(true)},
		{Name: "isCIDR", Doc: "True when the receiver is an IPv4 or IPv6 block with a prefix length (10.0.0.0/8).",
			Example: "scope isCIDR()", compile: compileIsCIDR},
		{Name: "inCIDR", Params: []Param{{Name: "cidr", Kind: "string", Check: checkCIDR}},
			Doc:     "True when the receiver address or block lies within the argument block.",
			Example: "ip inCIDR('10.0.0.0/8')", compile: compileInCIDR},
		{Name: "isPublic", Doc: "True when the receiver block holds any address outside the private, loopback, link-local, shared and documentation ranges.",
			Example: "scope isPublic()", compile: compileIsPublic},
		{Name: "numberOfHosts", Doc: "The number of addresses in the receiver block: 2^(bits - prefix length).",
			Example: "scope numberOfHosts() > 256", compile: compileNumberOfHosts},
		{Name: "allowedPublicHostsForPort", Params: []Param{{Name: "port", Kind: "integer"}}, NotImplemented: true,
			Doc:     "The number of public hosts the receiver's inbound rules admit on a port (not implemented).",
			Example: "inboundRules allowedPublicHostsForPort(22) > 32", compile: compileNotImplemented},
		{Name: "allowedHostsForPort", Params: []Param{{Name: "port", Kind: "integer"}}, NotImplemented: true,
			Doc:     "The number of hosts the receiver's inbound rules admit on a port (not implemented).",
			Example: "inboundRules allowedHostsForPort(22) > 32", compile: compileNotImplemented},
	}
	for _, b := range builtins {
		if _, dup := builtinIndex[b.Name]; dup {
			panic("gsl: duplicate function " + b.Name)
		}
		builtinIndex[b.Name] = b
	}
}

// Functions returns the built-in function table, sorted by name.
func Functions() []Function {
	out := make([]Function, len(builtins))
	for i, b := range builtins {
		out[i] = *b
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// suggest returns the function name closest to name, if it is close.
func suggest(name string) string {
	best, bestD := "", 3
	for _, b := range builtins {
		if d := levenshtein.Distance(strings.ToLower(name), strings.ToLower(b.Name), nil); d < bestD {
			best, bestD = b.Name, d
		}
	}
	return best
}

func compileIsEmpty(*compiler, *Call) *impl {
	return &impl{apply: func(v any, _ frame) any {
		switch x := v.(type) {
		case nil:
			return true
		case string:
			return x == ""
		case []any:
			return len(x) == 0
		case map[string]any, *entity.Object:
			return entity.ObjectLen(x) == 0
		case *entity.Unknown:
			if x.Kind == entity.UnknownSet {
				return false
			}
			return derivedUnknown
		}
		return false
	}}
}

func compileLength(_ *compiler, n *Call) *impl {
	return &impl{apply: func(v any, f frame) any {
		switch x := v.(type) {
		case nil:
			return 0.0
		case string:
			return float64(utf8.RuneCountInString(x))
		case []any:
			return float64(len(x))
		case map[string]any, *entity.Object:
			return float64(entity.ObjectLen(x))
		}
		return traceFail(f, n.nameSpan, "length() needs a list, map or string, found %s %s", entity.Kind(v), describe(v))
	}}
}

// dateUnits maps the units of after/before, singular and plural, to their
// canonical plural.
var dateUnits = map[string]string{
	"second": "seconds", "seconds": "seconds", "minute": "minutes", "minutes": "minutes",
	"hour": "hours", "hours": "hours", "day": "days", "days": "days", "week": "weeks", "weeks": "weeks",
	"month": "months", "months": "months", "year": "years", "years": "years",
}

var dateParams = []Param{
	{Name: "amount", Kind: "integer"},
	{Name: "unit", Kind: "string", Check: func(v any) string {
		if _, ok := dateUnits[strings.ToLower(v.(string))]; !ok {
			return fmt.Sprintf("unknown time unit %s: use seconds, minutes, hours, days, weeks, months or years", formatLiteral(v))
		}
		return ""
	}},
}

// shiftTime returns now moved by n units; months and years are calendar
// arithmetic (gsl-spec.md §7.17).
func shiftTime(now time.Time, n int, unit string) time.Time {
	switch unit {
	case "seconds":
		return now.Add(time.Duration(n) * time.Second)
	case "minutes":
		return now.Add(time.Duration(n) * time.Minute)
	case "hours":
		return now.Add(time.Duration(n) * time.Hour)
	case "days":
		return now.AddDate(0, 0, n)
	case "weeks":
		return now.AddDate(0, 0, 7*n)
	case "months":
		return now.AddDate(0, n, 0)
	}
	return now.AddDate(n, 0, 0)
}

// dateOf reads a date receiver: ok false with a nil error for null and the empty string
// (the function is false), an error for anything else that is not a date.
func dateOf(v any) (time.Time, bool, error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, false, nil
	case string:
		if x == "" {
			return time.Time{}, false, nil
		}
		if t, ok := parseDateString(x); ok {
			return t, true, nil
		}
	case float64:
		return epoch(x), true, nil
	}
	return time.Time{}, false, errors.New("not a date")
}

func compileDate(after bool) func(*compiler, *Call) *impl {
	return func(_ *compiler, n *Call) *impl {
		amount, _ := n.Args[0].Value.(float64)
		unitName, _ := n.Args[1].Value.(string)
		unit := dateUnits[strings.ToLower(unitName)]
		return &impl{
			apply: func(v any, f frame) any {
				t, ok, err := dateOf(v)
				if err != nil {
					return traceFail(f, n.nameSpan, "%s() needs a date (RFC 3339, or epoch seconds or milliseconds), found %s %s", n.Name, entity.Kind(v), describe(v))
				}
				if !ok {
					return false
				}
				limit := shiftTime(f.now, int(amount), unit)
				if after {
					return t.After(limit)
				}
				return t.Before(limit)
			},
			detail: func(v any, f frame) string {
				return "limit " + shiftTime(f.now, int(amount), unit).UTC().Format(time.RFC3339)
			},
		}
	}
}

func compilePattern(covers bool) func(*compiler, *Call) *impl {
	return func(c *compiler, n *Call) *impl {
		pf := c.cfg.patterns
		if pf == nil {
			c.errorf(n.nameSpan, "%s() needs the filter-pattern functions, which are not available here", n.Name)
			return nil
		}
		lit := n.Args[0]
		want, ok := lit.Value.(string)
		if !ok {
			return nil
		}
		compileTest := pf.EqualTo
		if covers {
			compileTest = pf.Covering
		}
		test, err := compileTest(want)
		if err != nil {
			d := diagnostic(c.src, lit.span, fmt.Sprintf("%s() pattern does not parse: %v", n.Name, err))
			var pe *diag.Error
			raw := c.src[lit.span.Start.Offset:lit.span.End.Offset]
			if errors.As(err, &pe) && pe.Line > 0 && !strings.Contains(raw, `\`) {
				// The literal holds the pattern as it is, just after the
				// quote: point at the fault there, and name positions of
				// the rule; the pattern's own would only say it again.
				at := lit.span.Start
				pe = pe.In("", Pos{Offset: at.Offset + 1, Line: at.Line, Col: at.Col + 1})
				d = diagnostic(c.src, Span{pe.Pos(), pe.Pos()}, fmt.Sprintf("%s() pattern does not parse: %s", n.Name, pe.Msg))
				d.Ref = pe.Ref
			}
			c.errs = append(c.errs, d)
			return nil
		}
		return &impl{
			apply: func(v any, _ frame) any {
				s, ok := v.(string)
				if !ok {
					return false
				}
				eq, err := test(s)
				return err == nil && eq
			},
			detail: func(v any, _ frame) string {
				s, ok := v.(string)
				if !ok {
					return ""
				}
				if _, err := test(s); err != nil {
					return "the pattern " + entity.Format(s) + " could not be parsed: " + err.Error()
				}
				return ""
			},
		}
	}
}

func checkCIDR(v any) string {
	if _, err := netip.ParsePrefix(v.(string)); err != nil {
		return fmt.Sprintf("%s is not a CIDR block such as '10.0.0.0/8'", formatLiteral(v))
	}
	return ""
}

// prefixOf reads a CIDR block, or a single address as a one-address block.
func prefixOf(v any) (netip.Prefix, bool) {
	s, ok := v.(string)
	if !ok {
		return netip.Prefix{}, false
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

func compileIsCIDR(*compiler, *Call) *impl {
	return &impl{apply: func(v any, _ frame) any {
		s, ok := v.(string)
		if !ok {
			return false
		}
		_, err := netip.ParsePrefix(s)
		return err == nil
	}}
}

func compileInCIDR(_ *compiler, n *Call) *impl {
	s, _ := n.Args[0].Value.(string)
	outer, err := netip.ParsePrefix(s)
	if err != nil {
		return nil
	}
	outer = outer.Masked()
	return &impl{apply: func(v any, _ frame) any {
		p, ok := prefixOf(v)
		return ok && p.Addr().Is4() == outer.Addr().Is4() && p.Bits() >= outer.Bits() && outer.Contains(p.Addr())
	}}
}

// nonPublic lists the ranges isPublic does not count as public.
var nonPublic = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", // private
		"127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10", // loopback, link-local, shared
		"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", // documentation
		"fc00::/7", "::1/128", "fe80::/10", "2001:db8::/32",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

func compileIsPublic(*compiler, *Call) *impl {
	return &impl{apply: func(v any, _ frame) any {
		p, ok := prefixOf(v)
		if !ok {
			return false
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		for _, q := range nonPublic {
			if p.Addr().Is4() == q.Addr().Is4() && p.Bits() >= q.Bits() && q.Contains(p.Addr()) {
				return false
			}
		}
		return true
	}}
}

func compileNumberOfHosts(*compiler, *Call) *impl {
	return &impl{apply: func(v any, _ frame) any {
		p, ok := prefixOf(v)
		if !ok {
			return false
		}
		return math.Pow(2, float64(p.Addr().BitLen()-p.Bits()))
	}}
}

func compileNotImplemented(_ *compiler, n *Call) *impl {
	return &impl{apply: func(_ any, f frame) any {
		return traceFail(f, n.nameSpan, "%s() is not implemented", n.Name)
	}}
}
