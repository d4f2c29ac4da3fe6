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

// unknownMaybeNull is a value of any type that may turn out null.
func unknownMaybeNull(reason string) cty.Value {
	return cty.DynamicVal.Mark(reasonMark(reason))
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
		return v.AsString()
	case ty == cty.Bool:
		return v.True()
	case ty == cty.Number:
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
