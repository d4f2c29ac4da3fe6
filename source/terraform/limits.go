package terraform

// Bounds on the work for expressions and setproduct may do: a
// configuration can ask for billions of elements in a few characters
// ([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]),
// and a hostile or broken change must not hang the CI job that scans it.

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// forElementsFunc is the function every for expression's collection is
// passed through (see boundForExprs): it charges the collection's elements
// to the evaluation's budget. The namespace keeps it apart from
// Terraform's functions.
const forElementsFunc = "vigil::for_elements"

// boundForExprs makes every for expression under node pass its collection
// through forElementsFunc, so that evaluating it charges its elements to
// MaxForElements. It changes node in place, once, before any evaluation.
func boundForExprs(node hclsyntax.Node) {
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		f, ok := n.(*hclsyntax.ForExpr)
		if !ok {
			return nil
		}
		if call, ok := f.CollExpr.(*hclsyntax.FunctionCallExpr); ok && call.Name == forElementsFunc {
			return nil
		}
		rng := f.CollExpr.Range()
		f.CollExpr = &hclsyntax.FunctionCallExpr{
			Name: forElementsFunc, Args: []hclsyntax.Expression{f.CollExpr},
			NameRange: rng, OpenParenRange: rng, CloseParenRange: rng,
		}
		return nil
	})
}

// boundFileForExprs bounds the for expressions of a parsed .tf file, src,
// but for those of variable blocks: their defaults are evaluated without
// functions, as Terraform does.
func boundFileForExprs(f *hcl.File, src []byte) {
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok || !hasForKeyword(src) {
		return
	}
	for _, b := range body.Blocks {
		if b.Type != "variable" {
			boundForExprs(b)
		}
	}
}

// hasForKeyword reports whether src may hold a for expression: whether
// "for" appears other than as part of a longer name (for_each, format),
// right after the "[" or "{" that opens a for expression or the "%{" (or
// "%{~") of a template's for directive. Across a line end or a comment it
// cannot tell, and says yes. Most files have none, and need no walk of
// their syntax tree.
func hasForKeyword(src []byte) bool {
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("for"))
		if j < 0 {
			return false
		}
		j += i
		i = j + 3
		if j > 0 && isNameByte(src[j-1]) || j+3 < len(src) && isNameByte(src[j+3]) {
			continue
		}
		k := j - 1
		for k >= 0 && (src[k] == ' ' || src[k] == '\t' || src[k] == '\r') {
			k--
		}
		if k < 0 {
			return true
		}
		switch src[k] {
		case '[', '{', '~', '/', '\n':
			return true
		}
	}
}

// isNameByte reports whether b is an ASCII byte of an HCL identifier. A
// byte of a multi-byte letter is not, which can only make hasForKeyword
// say yes more often.
func isNameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-'
}

// errTooManyElements is the error of forElementsFunc and setproduct once
// the budget is spent; evalWithContext rewrites the diagnostic it yields.
type errTooManyElements struct{}

func (errTooManyElements) Error() string {
	return fmt.Sprintf("the for expressions and setproduct calls of this root module would go through more than %d elements; vigil stops there and treats the value as unknown", MaxForElements)
}

// charge counts n more elements against MaxForElements.
func (ev *evaluation) charge(n int) error {
	if n > MaxForElements-ev.elements {
		ev.elements = MaxForElements + 1
		return errTooManyElements{}
	}
	ev.elements += n
	return nil
}

// forElements is forElementsFunc for this evaluation: it returns its
// argument as it is, once its elements are charged.
func (ev *evaluation) forElements() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{
			Name: "collection", Type: cty.DynamicPseudoType,
			AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true,
		}},
		Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, _ := args[0].Unmark()
			if v.IsKnown() && !v.IsNull() && v.CanIterateElements() {
				if err := ev.charge(v.LengthInt()); err != nil {
					return cty.NilVal, err
				}
			}
			return args[0], nil
		},
	})
}

// setProduct is setproduct, whose result has the product of its
// arguments' lengths as elements, charged first. Its parameters are those
// of go-cty's, which does the work.
func (ev *evaluation) setProduct() function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "sets", Type: cty.DynamicPseudoType, AllowMarked: true, AllowUnknown: true},
		Type: func(args []cty.Value) (cty.Type, error) {
			return stdlib.SetProductFunc.ReturnTypeForValues(args)
		},
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			n := 1
			for _, a := range args {
				a, _ = a.Unmark()
				if !a.IsKnown() || a.IsNull() || !a.CanIterateElements() {
					continue // setproduct makes an unknown, or reports it
				}
				l := a.LengthInt()
				if l != 0 && n > (MaxForElements+1)/l {
					n = MaxForElements + 1
					break
				}
				n *= l
			}
			if err := ev.charge(n); err != nil {
				return cty.NilVal, err
			}
			return stdlib.SetProductFunc.Call(args)
		},
	})
}

// tooManyElements returns diags to report, with the diagnostic of a call
// that went over MaxForElements saying so plainly, pointing at the
// collection of the for expression or at the setproduct call. Only the
// first of a root module is kept: once the budget is spent, every for
// expression after it fails the same way.
func (ev *evaluation) tooManyElements(diags hcl.Diagnostics) hcl.Diagnostics {
	out := diags[:0:0]
	for _, d := range diags {
		var err errTooManyElements
		if extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d); ok && errors.As(extra.FunctionCallError(), &err) {
			if ev.elementsReported {
				continue
			}
			ev.elementsReported = true
			d.Summary = "Too many elements"
			d.Detail = strings.ToUpper(err.Error()[:1]) + err.Error()[1:] + "."
		}
		out = append(out, d)
	}
	return out
}

// jsonForExpr returns, for a JSON value with a for expression in one of
// its strings ("${[for s in var.subnets : s.id]}"), the same value in
// native syntax, its strings parsed as templates as HCL parses them on each
// evaluation, with its for expressions bounded; nil for any other
// expression. Results are cached: modules are evaluated many times.
//
// A string nested in a JSON array or object is placed at the start of the
// whole value: the JSON parser keeps no position for it.
func (t *tree) jsonForExpr(expr hcl.Expression) hcl.Expression {
	if c, ok := t.jsonTemplates.Load(expr); ok {
		out, _ := c.(hcl.Expression)
		return out
	}
	var out hcl.Expression
	v, diags := expr.Value(nil) // the JSON value as written
	if !diags.HasErrors() && mentionsFor(v) {
		if native, ok := jsonAsSyntax(v, expr.Range()); ok && hasForExpr(native) {
			boundForExprs(native)
			out = native
		}
	}
	t.jsonTemplates.Store(expr, out)
	return out
}

// mentionsFor reports whether a string or key of v contains "for".
func mentionsFor(v cty.Value) bool {
	if !v.IsKnown() || v.IsNull() {
		return false
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return strings.Contains(v.AsString(), "for")
	case ty.IsObjectType():
		for name := range ty.AttributeTypes() {
			if strings.Contains(name, "for") || mentionsFor(v.GetAttr(name)) {
				return true
			}
		}
	case ty.IsTupleType():
		for it := v.ElementIterator(); it.Next(); {
			if _, e := it.Element(); mentionsFor(e) {
				return true
			}
		}
	}
	return false
}

// jsonAsSyntax turns a JSON value read without a context into the native
// expression HCL evaluates it as; ok is false when a string does not parse
// as a template (HCL then reports it).
func jsonAsSyntax(v cty.Value, rng hcl.Range) (hclsyntax.Expression, bool) {
	ty := v.Type()
	switch {
	case ty == cty.String && v.IsKnown() && !v.IsNull():
		return jsonTemplate(v.AsString(), rng)
	case ty.IsObjectType() && !v.IsNull():
		names := make([]string, 0, len(ty.AttributeTypes()))
		for name := range ty.AttributeTypes() {
			names = append(names, name)
		}
		sort.Strings(names)
		obj := &hclsyntax.ObjectConsExpr{SrcRange: rng, OpenRange: rng}
		for _, name := range names {
			key, ok := jsonTemplate(name, rng)
			if !ok {
				return nil, false
			}
			val, ok := jsonAsSyntax(v.GetAttr(name), rng)
			if !ok {
				return nil, false
			}
			obj.Items = append(obj.Items, hclsyntax.ObjectConsItem{
				KeyExpr: &hclsyntax.ObjectConsKeyExpr{Wrapped: key, ForceNonLiteral: true}, ValueExpr: val,
			})
		}
		return obj, true
	case ty.IsTupleType() && !v.IsNull():
		tuple := &hclsyntax.TupleConsExpr{SrcRange: rng, OpenRange: rng}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			x, ok := jsonAsSyntax(e, rng)
			if !ok {
				return nil, false
			}
			tuple.Exprs = append(tuple.Exprs, x)
		}
		return tuple, true
	}
	return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: rng}, true
}

// jsonTemplate parses a JSON string as HCL does, starting just past the
// opening quote of rng.
func jsonTemplate(src string, rng hcl.Range) (hclsyntax.Expression, bool) {
	start := hcl.Pos{Line: rng.Start.Line, Column: rng.Start.Column + 1, Byte: rng.Start.Byte + 1}
	expr, diags := hclsyntax.ParseTemplate([]byte(src), rng.Filename, start)
	return expr, !diags.HasErrors()
}

func hasForExpr(node hclsyntax.Node) bool {
	found := false
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		if _, ok := n.(*hclsyntax.ForExpr); ok {
			found = true
		}
		return nil
	})
	return found
}

// boundPadding returns f, checking first with padding that its arguments
// ask for no more than MaxPadding characters of padding.
func boundPadding(f function.Function, padding func(args []cty.Value) (int, bool)) function.Function {
	return function.New(&function.Spec{
		Params:   f.Params(),
		VarParam: f.VarParam(),
		Type:     func(args []cty.Value) (cty.Type, error) { return f.ReturnTypeForValues(args) },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if n, ok := padding(args); ok && n > MaxPadding {
				return cty.NilVal, fmt.Errorf("it asks for %d characters of padding; vigil allows at most %d", n, MaxPadding)
			}
			return f.Call(args)
		},
	})
}

// formatPadding returns the widest width or precision of the verbs of
// format's (and formatlist's) format string, if it is known.
func formatPadding(args []cty.Value) (int, bool) {
	if len(args) == 0 {
		return 0, false
	}
	v, _ := args[0].Unmark()
	if !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
		return 0, false
	}
	s := v.AsString()
	widest := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		i++
		if i < len(s) && s[i] == '%' {
			continue
		}
		// An argument index, "%[2]d", then flags.
		if i < len(s) && s[i] == '[' {
			for i < len(s) && s[i] != ']' {
				i++
			}
			i++
		}
		for i < len(s) && strings.IndexByte("+-# 0", s[i]) >= 0 {
			i++
		}
		// Width, then precision.
		for range 2 {
			n := 0
			for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
				n = min(10*n+int(s[i]-'0'), 1<<30)
			}
			widest = max(widest, n)
			if i >= len(s) || s[i] != '.' {
				break
			}
			i++
		}
	}
	return widest, true
}

// indentPadding returns the spaces indent would add, if known.
func indentPadding(args []cty.Value) (int, bool) {
	if len(args) == 0 {
		return 0, false
	}
	v, _ := args[0].Unmark()
	if !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.Number) {
		return 0, false
	}
	f, _ := v.AsBigFloat().Float64()
	return int(min(f, 1<<30)), true
}
