package terraform

// Bounds on the work for expressions and setproduct may do: a
// configuration can ask for billions of elements in a few characters
// ([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]),
// and a hostile or broken change must not hang the CI job that scans it.

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// forElementsFunc is the function every for expression's collection is
// passed through (see boundForExprs), with the bytes of the expressions
// evaluated for each element and, for a %{for} directive, its template
// number: it charges the collection's elements to the evaluation's
// budget, MaxForElements, and what evaluating the expressions for each
// copies to MaxBuiltBytes, and starts the directive's string. The slash,
// which no function name in HCL source can have, keeps it apart from
// Terraform's functions, and out of reach of the configuration.
const forElementsFunc = "vigil/for_elements"

// templateNumbers numbers the %{for} directives, for templateFunc.
var templateNumbers atomic.Int64

// boundForExprs rewrites the expressions under node that build values
// HCL does not let vigil see being built, so that evaluating them checks
// and charges what they build (see budget.go):
//
//   - every for expression passes its collection through
//     forElementsFunc;
//   - every splat expression passes its source through splatFunc;
//   - every template with an interpolation or a directive has its parts
//     joined by templateFunc, which checks the string before building
//     it; the bodies of a %{for} directive add up to its string.
//
// It changes node in place, once, before any evaluation, and reports
// whether it changed anything.
func boundForExprs(node hclsyntax.Node) bool {
	changed := false
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.ForExpr:
			if !isCall(e.CollExpr, forElementsFunc) {
				boundFor(e, 0)
				changed = true
			}
		case *hclsyntax.SplatExpr:
			if !isCall(e.Source, splatFunc) {
				e.Source = wrapExpr(splatFunc, e.Source, exprBytes(e.Each))
				changed = true
			}
		case *hclsyntax.TemplateJoinExpr:
			// The for expression of a %{for} directive starts the
			// string its bodies add up to, and each body is checked
			// with what the bodies before it built. (The parser makes
			// each body a template; the bodies are visited next.)
			if f, ok := e.Tuple.(*hclsyntax.ForExpr); ok && !isCall(f.CollExpr, forElementsFunc) {
				id := templateNumbers.Add(1)
				boundFor(f, id)
				if body, ok := f.ValExpr.(*hclsyntax.TemplateExpr); ok {
					joinTemplate(body, id)
				}
				changed = true
			}
		case *hclsyntax.TemplateExpr:
			if hasInterpolation(e) {
				joinTemplate(e, 0)
				changed = true
			}
		}
		return nil
	})
	return changed
}

// boundFor passes the collection of e through forElementsFunc, with the
// bytes of what e evaluates for each element and the number of the
// %{for} directive e is the for expression of, or 0.
func boundFor(e *hclsyntax.ForExpr, template int64) {
	body := exprBytes(e.KeyExpr) + exprBytes(e.ValExpr) + exprBytes(e.CondExpr)
	e.CollExpr = wrapExpr(forElementsFunc, e.CollExpr, body, template)
}

// hasInterpolation reports whether e has a part that is not a literal,
// and is not joined by templateFunc already.
func hasInterpolation(e *hclsyntax.TemplateExpr) bool {
	if len(e.Parts) == 1 && isCall(e.Parts[0], templateFunc) {
		return false
	}
	for _, p := range e.Parts {
		if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
			return true
		}
	}
	return false
}

// joinTemplate makes the parts of e the arguments of one call of
// templateFunc, e's one part, which joins them as HCL would, after the
// first argument: the number of the %{for} directive e is the body of,
// or 0. One call for the whole template, rather than one for each part,
// keeps what the check costs in a for expression small.
func joinTemplate(e *hclsyntax.TemplateExpr, directive int64) {
	if len(e.Parts) == 1 && isCall(e.Parts[0], templateFunc) {
		return
	}
	rng := e.SrcRange
	call := &hclsyntax.FunctionCallExpr{
		Name:      templateFunc,
		Args:      []hclsyntax.Expression{&hclsyntax.LiteralValueExpr{Val: cty.StringVal(strconv.FormatInt(directive, 10)), SrcRange: rng}},
		NameRange: rng, OpenParenRange: rng, CloseParenRange: rng,
	}
	call.Args = append(call.Args, e.Parts...)
	e.Parts = []hclsyntax.Expression{call}
}

// wrapExpr returns a call of the function name on expr and the numbers
// args, which stands where expr stood: diagnostics point at expr.
func wrapExpr(name string, expr hclsyntax.Expression, args ...int64) *hclsyntax.FunctionCallExpr {
	rng := expr.Range()
	call := &hclsyntax.FunctionCallExpr{
		Name: name, Args: []hclsyntax.Expression{expr},
		NameRange: rng, OpenParenRange: rng, CloseParenRange: rng,
	}
	for _, a := range args {
		call.Args = append(call.Args, &hclsyntax.LiteralValueExpr{Val: cty.NumberIntVal(a), SrcRange: rng})
	}
	return call
}

// isCall reports whether expr calls the function name.
func isCall(expr hclsyntax.Expression, name string) bool {
	call, ok := expr.(*hclsyntax.FunctionCallExpr)
	return ok && call.Name == name
}

// exprBytes returns the bytes of expr's source, 0 for none.
func exprBytes(expr hclsyntax.Expression) int64 {
	if expr == nil {
		return 0
	}
	r := expr.Range()
	return int64(r.End.Byte - r.Start.Byte)
}

// boundFileForExprs bounds the expressions of a parsed .tf file, src,
// (see boundForExprs) but for those of variable blocks: their defaults
// are evaluated without functions, as Terraform does.
func boundFileForExprs(f *hcl.File, src []byte) {
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok || !mayBuild(src) {
		return
	}
	for _, b := range body.Blocks {
		if b.Type != "variable" {
			boundBodyExprs(b.Body, src)
		}
	}
}

// boundBodyExprs bounds the expressions of body, and of the blocks in
// it, whose source in src may need it: most need not, and are not
// walked. Nor is an argument that is a template of literals and plain
// references ("${var.name}-logs"), the most common: simpleTemplate
// evaluates it, and checks the string itself; a bounded copy is made for
// HCL should it not (see boundedCopy).
func boundBodyExprs(body *hclsyntax.Body, src []byte) {
	for _, a := range body.Attributes {
		r := a.Expr.Range()
		if r.Start.Byte >= 0 && r.Start.Byte <= r.End.Byte && r.End.Byte <= len(src) && mayBuild(src[r.Start.Byte:r.End.Byte]) && !isSimpleTemplate(a.Expr) {
			boundForExprs(a.Expr)
		}
	}
	for _, b := range body.Blocks {
		boundBodyExprs(b.Body, src)
	}
}

// boundedCopy returns a copy of e, a template boundFileForExprs left as
// it is, bounded, for HCL to evaluate: the template is shared by the
// root modules evaluated in parallel, and some may be reading it.
func (t *tree) boundedCopy(e *hclsyntax.TemplateExpr) hcl.Expression {
	if c, ok := t.boundedCopies.Load(e); ok {
		return c.(hcl.Expression)
	}
	c := &hclsyntax.TemplateExpr{Parts: slices.Clone(e.Parts), SrcRange: e.SrcRange}
	joinTemplate(c, 0)
	actual, _ := t.boundedCopies.LoadOrStore(e, c)
	return actual.(hcl.Expression)
}

// isSimpleTemplate reports whether expr is a template of literals and
// plain references alone.
func isSimpleTemplate(expr hclsyntax.Expression) bool {
	e, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok {
		return false
	}
	for _, p := range e.Parts {
		switch p.(type) {
		case *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr:
		default:
			return false
		}
	}
	return true
}

// mayBuild reports whether src may hold an expression boundForExprs
// rewrites: a for expression, a template with interpolations or
// directives, or a splat. Most expressions do not, and need no walk of
// their syntax tree.
func mayBuild(src []byte) bool {
	return hasForKeyword(src) || bytes.Contains(src, []byte("${")) || bytes.Contains(src, []byte("%{")) ||
		bytes.Contains(src, []byte("[*]")) || bytes.Contains(src, []byte(".*"))
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
		Params: []function.Parameter{
			{Name: "collection", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true},
			{Name: "body", Type: cty.Number},
			{Name: "template", Type: cty.Number},
		},
		Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if id, _ := args[2].AsBigFloat().Int64(); id != 0 {
				put(&ev.templates, id, 0)
			}
			n := knownLength(args[0])
			if n == 0 {
				return args[0], nil
			}
			if err := ev.charge(int(n)); err != nil {
				return cty.NilVal, err
			}
			if err := ev.chargeElements(n, args[1]); err != nil {
				return cty.NilVal, err
			}
			return args[0], nil
		},
	})
}

// rangeWithinElements is range, f, that fails at once when the for
// expressions have gone through MaxForElements: a range() is most often
// the collection of a for expression, which would fail on it, and in a
// loop of nested fors each would first build its 1,024 numbers.
func (ev *evaluation) rangeWithinElements(f function.Function) function.Function {
	return function.New(&function.Spec{
		Params:   f.Params(),
		VarParam: f.VarParam(),
		Type:     func(args []cty.Value) (cty.Type, error) { return f.ReturnTypeForValues(args) },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if ev.elements > MaxForElements {
				return cty.NilVal, errTooManyElements{}
			}
			return f.Call(args)
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

// jsonForExpr returns, for a JSON value with a for expression, a splat or
// a template that builds a string in one of its strings
// ("${[for s in var.subnets : s.id]}", "${var.a}-${var.b}"), the same
// value in native syntax, its strings parsed as templates as HCL parses
// them on each evaluation, bounded (see boundForExprs); nil for any other
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
		if native, ok := jsonAsSyntax(v, expr.Range()); ok && boundForExprs(native) {
			out = native
		}
	}
	t.jsonTemplates.Store(expr, out)
	return out
}

// mentionsFor reports whether a string or key of v contains "for", an
// interpolation or directive, or a splat: whether it may need bounding.
func mentionsFor(v cty.Value) bool {
	if !v.IsKnown() || v.IsNull() {
		return false
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return mayBuild([]byte(v.AsString()))
	case ty.IsObjectType():
		for name := range ty.AttributeTypes() {
			if mayBuild([]byte(name)) || mentionsFor(v.GetAttr(name)) {
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
