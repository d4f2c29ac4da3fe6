package terraform

import (
	"slices"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"vigil/entity"
)

// reasonMark is a cty mark that says why a value is unknown.
type reasonMark string

// refMark is a cty mark that records the address of the resource instance a
// value was read from ("module.trail.aws_cloudwatch_log_group.this").
type refMark string

// sensitiveMark is a cty mark on a value Terraform would not show: the
// value of a variable or an output declared sensitive, of sensitive(), or
// of an attribute a plan marks sensitive. Marks travel through expressions
// and function calls, so what is computed from a sensitive value is
// sensitive too. Rules read such values as any other; the strings in them
// are recorded in the inventory's Secrets, which keeps them out of every
// report and message.
type sensitiveMark struct{}

// markSensitive marks v sensitive and records its strings in secrets at
// once, so that a diagnostic about it is redacted even if it never reaches
// an entity.
func markSensitive(v cty.Value, secrets *entity.Secrets) cty.Value {
	addSecrets(v, secrets)
	return v.Mark(sensitiveMark{})
}

// addSecrets records the known strings and numbers in v.
func addSecrets(v cty.Value, secrets *entity.Secrets) {
	v, _ = v.UnmarkDeep()
	_ = cty.Walk(v, func(_ cty.Path, x cty.Value) (bool, error) {
		if x.IsKnown() && !x.IsNull() {
			addLeaf(x, secrets)
		}
		return true, nil
	})
}

// addLeaf records v, if it is a known string or number, in secrets. Bools
// are not recorded: redacting every "true" would leave nothing readable.
func addLeaf(v cty.Value, secrets *entity.Secrets) {
	switch v.Type() {
	case cty.String:
		secrets.Add(v.AsString())
	case cty.Number:
		secrets.Add(v.AsBigFloat().Text('g', -1))
	}
}

// isSensitive reports whether v or a value in it is marked sensitive.
func isSensitive(v cty.Value) bool {
	if v.HasMark(sensitiveMark{}) {
		return true
	}
	if !v.ContainsMarked() {
		return false
	}
	_, pvm := v.UnmarkDeepWithPaths()
	for _, p := range pvm {
		if _, ok := p.Marks[sensitiveMark{}]; ok {
			return true
		}
	}
	return false
}

// stopMark is a cty mark on a value vigil did not compute, because a
// limit or an error stopped it: unlike a value known only after apply,
// which Terraform would know once it applies.
type stopMark struct{}

// unknownMaybeNull is a value of any type that may turn out null.
func unknownMaybeNull(reason string) cty.Value {
	return cty.DynamicVal.Mark(reasonMark(reason))
}

// notComputed is the Unknown that stands for a value vigil did not
// compute, with the reason.
func notComputed(reason string) cty.Value {
	return cty.DynamicVal.WithMarks(cty.NewValueMarks(reasonMark(reason), stopMark{}))
}

// stopReason returns why v, or a value in it, was not computed, if it
// was not: the reasons it carries, joined.
func stopReason(v cty.Value) (string, bool) {
	_, marks := v.UnmarkDeep()
	if _, stopped := marks[stopMark{}]; !stopped {
		return "", false
	}
	var reasons []string
	for m := range marks {
		if r, ok := m.(reasonMark); ok {
			reasons = append(reasons, string(r))
		}
	}
	return joinReasons(reasons), true
}

// unknownSet is a value of type ty that will certainly be set.
func unknownSet(ty cty.Type, reason string) cty.Value {
	return cty.UnknownVal(ty).RefineNotNull().Mark(reasonMark(reason))
}

func convertTo(v cty.Value, ty cty.Type) (cty.Value, error) { return convert.Convert(v, ty) }

// converter turns cty values into entity values, collecting the resource
// addresses the values were read from. An attribute reads from few
// resources, so refs is a short list rather than a set.
type converter struct {
	refs []string
	// secrets records the strings of the sensitive values converted; nil
	// records nothing.
	secrets *entity.Secrets
	// sensitive is set while a sensitive value is converted.
	sensitive bool
}

func (c *converter) addRef(addr string) {
	if !slices.Contains(c.refs, addr) {
		c.refs = append(c.refs, addr)
	}
}

func (c *converter) value(v cty.Value, reasons []string) any {
	if v.IsMarked() {
		var marks cty.ValueMarks
		v, marks = v.Unmark()
		for m := range marks {
			switch m := m.(type) {
			case reasonMark:
				reasons = append(reasons[:len(reasons):len(reasons)], string(m))
			case refMark:
				c.addRef(string(m))
			case sensitiveMark:
				if !c.sensitive {
					c.sensitive = true
					defer func() { c.sensitive = false }()
				}
			}
		}
	}
	if !v.IsKnown() {
		kind := entity.UnknownMaybeNull
		if v.Type() != cty.DynamicPseudoType && !v.Range().CouldBeNull() {
			kind = entity.UnknownSet
		}
		return entity.NewUnknown(kind, joinReasons(reasons))
	}
	if v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		if c.sensitive && c.secrets != nil {
			c.secrets.Add(v.AsString())
		}
		return v.AsString()
	case ty == cty.Bool:
		return v.True()
	case ty == cty.Number:
		if c.sensitive && c.secrets != nil {
			addLeaf(v, c.secrets)
		}
		f, _ := v.AsBigFloat().Float64()
		return f
	case ty.IsObjectType():
		// By attribute rather than with an element iterator, which sorts
		// the names and makes a cty string of each: the result is a map.
		atys := ty.AttributeTypes()
		out := make(map[string]any, len(atys))
		for name := range atys {
			out[name] = c.value(v.GetAttr(name), reasons)
		}
		return out
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, c.value(e, reasons))
		}
		return out
	case ty.IsMapType():
		out := make(map[string]any, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = c.value(e, reasons)
		}
		return out
	}
	return entity.NewUnknown(entity.UnknownMaybeNull, "value of type "+ty.FriendlyName()+" has no entity equivalent")
}

func joinReasons(reasons []string) string {
	if len(reasons) == 0 {
		return "known after apply"
	}
	if len(reasons) == 1 {
		return reasons[0]
	}
	s := append([]string(nil), reasons...)
	sort.Strings(s)
	out := s[:1]
	for _, r := range s[1:] {
		if r != out[len(out)-1] {
			out = append(out, r)
		}
	}
	return strings.Join(out, "; ")
}
