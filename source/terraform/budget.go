package terraform

// Bounds on the memory of the values evaluation builds. cty strings are
// Go strings and collections hold references to their elements: reading a
// value, or putting it in a list, copies little. What allocates is where
// values are combined: templates ("${a}${b}", %{for} directives), function
// calls (join, concat, format, replace, jsonencode...), decoding
// (jsondecode, yamldecode, whose YAML aliases expand), and the literals an
// expression copies each time it is evaluated. Each of these checks the
// size of what it builds against MaxValueBytes and charges it to the
// scan's budget, MaxBuiltBytes: before building it where the size can be
// told beforehand (the parts of a template, the arguments of a function
// call, the elements of a for expression), right after otherwise.

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"go.yaml.in/yaml/v4"
)

// elemBytes is what a value counts beyond the bytes of its string: about
// what go-cty spends on each element, number or bool.
const elemBytes = 32

// spendBatch is how many bytes an evaluation counts on its own before
// adding them to the shared budget: an atomic add for every template
// would cost more than the template.
const spendBatch = 64 << 10

// errValueTooLarge is the error of a template part or function call that
// would build a value larger than MaxValueBytes. It does not say how
// much larger: a for expression may go past the limit for each element,
// and says so once.
type errValueTooLarge struct{}

func (errValueTooLarge) Error() string {
	return fmt.Sprintf("this would build a value of more than %d bytes; vigil builds values of at most that size, and treats this one as unknown", MaxValueBytes)
}

// errBudgetSpent is the error of whatever would build a value once the
// scan's values have taken MaxBuiltBytes.
type errBudgetSpent struct{}

func (errBudgetSpent) Error() string {
	return fmt.Sprintf("the values built while evaluating the Terraform of this scan would take more than %d bytes; vigil stops there and treats the rest as unknown", MaxBuiltBytes)
}

// valueBudget counts the bytes the evaluation of one tree builds,
// against MaxBuiltBytes. Its root modules, evaluated in parallel, share
// it.
type valueBudget struct{ built atomic.Int64 }

// spend charges n bytes, and fails once more than MaxBuiltBytes are
// spent.
func (b *valueBudget) spend(n int64) error {
	if b.built.Add(n) > MaxBuiltBytes {
		return errBudgetSpent{}
	}
	return nil
}

// build checks that a value of n bytes may be built, and charges it.
func (b *valueBudget) build(n int64) error {
	if n > MaxValueBytes {
		return errValueTooLarge{}
	}
	return b.spend(n)
}

// spend charges n bytes built by this evaluation, adding them to the
// tree's budget a batch at a time. Once the budget is spent, every charge
// fails.
func (ev *evaluation) spend(n int64) error {
	if ev.budgetSpent {
		return errBudgetSpent{}
	}
	ev.unspent += n
	if ev.unspent < spendBatch {
		return nil
	}
	return ev.flushSpent()
}

// flushSpent adds what this evaluation counted to the tree's budget.
func (ev *evaluation) flushSpent() error {
	n := ev.unspent
	ev.unspent = 0
	if err := ev.t.budget.spend(n); err != nil {
		ev.budgetSpent = true
		return err
	}
	return nil
}

// build checks that a value of n bytes may be built, and charges it.
func (ev *evaluation) build(n int64) error {
	if n > MaxValueBytes {
		return errValueTooLarge{}
	}
	return ev.spend(n)
}

// budgetSpentReason is why a value is unknown once the budget is spent.
const budgetSpentReason = "evaluation stopped: the values built would take too much memory"

// spendSource charges the bytes of expr's source, whose literals
// evaluating it copies (a module called 600 times copies them 600 times),
// and reports whether it may be evaluated: once the budget is spent,
// nothing more is. A literal or a plain reference copies nothing, and is
// not charged.
func (ev *evaluation) spendSource(expr hcl.Expression) bool {
	r := expr.Range()
	err := ev.spend(int64(r.End.Byte - r.Start.Byte))
	if err != nil {
		ev.reportBuild(err, r)
	}
	return err == nil
}

// reportBuild reports err, the error of building a value of the
// expression at rng: a value too large, or the budget spent, which is
// reported once per root module. It returns the summary.
func (ev *evaluation) reportBuild(err error, rng hcl.Range) string {
	if _, spent := err.(errBudgetSpent); spent {
		if ev.firstReport(limitBuiltBytes) {
			ev.report(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Too much data built", Detail: sentence(err), Subject: rng.Ptr()}})
		}
		return "Too much data built"
	}
	ev.report(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Value too large", Detail: sentence(err), Subject: rng.Ptr()}})
	return "Value too large"
}

// sentence is err's message as a sentence of a diagnostic's detail.
func sentence(err error) string {
	s := err.Error()
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// limitDiags returns diags to report, with the diagnostics of function
// calls that went past a limit saying so plainly: too many elements
// (MaxForElements), a value too large (MaxValueBytes) or the budget spent
// (MaxBuiltBytes). The first of a root module to go past a budget is
// kept: once it is spent, everything after it fails the same way. A part
// of a template templateFunc refuses is reported as HCL reports it.
func (ev *evaluation) limitDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	out := diags[:0:0]
	for _, d := range diags {
		switch err := limitError(d).(type) {
		case errTooManyElements:
			if !ev.firstReport(limitForElements) {
				continue
			}
			d.Summary, d.Detail = "Too many elements", sentence(err)
		case errValueTooLarge:
			d.Summary, d.Detail = "Value too large", sentence(err)
		case errBudgetSpent:
			if !ev.firstReport(limitBuiltBytes) {
				continue
			}
			d.Summary, d.Detail = "Too much data built", sentence(err)
		case nil:
			// A part of a template that templateFunc joins: as HCL says it.
			var arg function.ArgError
			if extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d); ok && extra.CalledFunctionName() == templateFunc && errors.As(extra.FunctionCallError(), &arg) {
				d.Summary, d.Detail = "Invalid template interpolation value", arg.Error()
				if d.Expression != nil {
					d.Subject = d.Expression.Range().Ptr() // the whole part, not its start
				}
			}
		}
		out = append(out, d)
	}
	return out
}

// limitError returns the limit a function call of d went past, or nil.
func limitError(d *hcl.Diagnostic) error {
	extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
	if !ok || extra.FunctionCallError() == nil {
		return nil
	}
	err := extra.FunctionCallError()
	var elements errTooManyElements
	var large errValueTooLarge
	var spent errBudgetSpent
	switch {
	case errors.As(err, &elements):
		return elements
	case errors.As(err, &large):
		return large
	case errors.As(err, &spent):
		return spent
	}
	return nil
}

// valueBytes returns the size of v as MaxValueBytes counts it, or a
// number larger than limit once it is larger: it looks no further. A
// string counts its bytes; a collection, elemBytes for itself and for
// each element, and its strings' bytes.
func valueBytes(v cty.Value, limit int64) int64 {
	if s, ok := knownString(v); ok {
		return int64(len(s))
	}
	var n int64
	addValueBytes(v, &n, limit)
	return n
}

func addValueBytes(v cty.Value, n *int64, limit int64) {
	v, _ = v.Unmark()
	*n += elemBytes
	if *n > limit || !v.IsKnown() || v.IsNull() {
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		*n += int64(len(v.AsString()))
	case ty.IsObjectType():
		for name := range ty.AttributeTypes() {
			*n += int64(len(name))
			if addValueBytes(v.GetAttr(name), n, limit); *n > limit {
				return
			}
		}
	case ty.IsMapType():
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			*n += int64(len(k.AsString()))
			if addValueBytes(e, n, limit); *n > limit {
				return
			}
		}
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if addValueBytes(e, n, limit); *n > limit {
				return
			}
		}
	}
}

// estimate returns how many bytes a function would build from args, at
// least, before it is called; it may stop counting past MaxValueBytes.
type estimate func(args []cty.Value) (int64, error)

// argsBytes is the estimate of most functions that build values: the
// size of their arguments, which they copy.
func argsBytes(args []cty.Value) (int64, error) {
	var n int64
	for _, a := range args {
		if addValueBytes(a, &n, MaxValueBytes); n > MaxValueBytes {
			break
		}
	}
	return n, nil
}

// afterwards is the estimate of functions whose result cannot be told
// from their arguments (file, templatefile): it is checked once built.
func afterwards([]cty.Value) (int64, error) { return 0, nil }

// builders are the functions that build values, with the estimate of
// each that does not copy its arguments alone. The other functions give
// a number, a bool, a value of fixed size or one of their arguments.
var builders = map[string]estimate{
	"chomp": nil, "lower": nil, "upper": nil, "title": nil, "trim": nil, "trimprefix": nil,
	"trimsuffix": nil, "trimspace": nil, "strrev": nil, "substr": nil,
	"join": joinBytes, "format": formatBytes, "formatlist": formatListBytes, "indent": indentBytes,
	"replace": replaceBytes, "split": splitBytes, "regexall": regexAllBytes,

	"concat": nil, "flatten": nil, "merge": nil, "distinct": nil, "compact": nil, "reverse": nil,
	"sort": nil, "slice": nil, "keys": nil, "values": nil, "zipmap": nil, "chunklist": nil,
	"setunion": nil, "setintersection": nil, "setsubtract": nil, "setproduct": setProductBytes,
	"range": rangeBytes,

	"jsonencode": nil, "yamlencode": nil, "base64encode": nil, "base64decode": nil, "urlencode": nil,
	"jsondecode": jsonTextBytes, "yamldecode": yamlTextBytes, "csvdecode": csvTextBytes,
	"tolist": nil, "toset": nil, "tomap": nil, "tostring": nil, "tonumber": nil, "parseint": nil,

	"file": afterwards, "filebase64": afterwards, "templatefile": afterwards, "fileset": afterwards,
}

// withinArgs are the builders whose result is no larger than their
// arguments, as valueBytes counts: a subset, a reordering or a
// regrouping of them. What they build is charged as estimated, without
// counting it again.
var withinArgs = map[string]bool{
	"trim": true, "trimprefix": true, "trimsuffix": true, "trimspace": true, "chomp": true, "strrev": true,
	"substr": true, "concat": true, "flatten": true, "merge": true, "distinct": true, "compact": true,
	"reverse": true, "sort": true, "slice": true, "keys": true, "values": true, "zipmap": true,
	"setunion": true, "setintersection": true, "setsubtract": true, "base64decode": true,
	"tolist": true, "toset": true, "tomap": true, "tostring": true, "tonumber": true, "parseint": true,
}

// sizedFunctions returns the functions of funcs that build values, each
// checking the size of what it builds and charging it to b.
func sizedFunctions(funcs map[string]function.Function, b *valueBudget) map[string]function.Function {
	out := make(map[string]function.Function, len(builders))
	for name, f := range funcs {
		if est, ok := builders[name]; ok {
			out[name] = sized(f, est, withinArgs[name], b)
		}
	}
	return out
}

// sizedContext returns the context every root module's is a child of:
// the functions that build values, sized, in front of baseContext's.
func (t *tree) sizedContext() *hcl.EvalContext {
	t.sizedOnce.Do(func() {
		t.sized = baseContext.NewChild()
		t.sized.Functions = sizedFunctions(baseFunctions, &t.budget)
	})
	return t.sized
}

// withSizedFunctions returns templatefile, f, handing its templates the
// sized functions: it gives them the base functions and those of
// ev.funcs, which the sized ones join on first use. (Most root modules
// call no templatefile, and copying the table for each would cost more
// than evaluating some.)
func (ev *evaluation) withSizedFunctions(f function.Function) function.Function {
	return function.New(&function.Spec{
		Params:   f.Params(),
		VarParam: f.VarParam(),
		Type:     function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if !ev.sizedJoined {
				ev.sizedJoined = true
				for name, g := range ev.t.sized.Functions {
					if _, own := ev.funcs[name]; !own {
						ev.funcs[name] = g
					}
				}
			}
			return f.Call(args)
		},
	})
}

// sized returns f, checking first that the estimate of what it builds
// from its arguments is within MaxValueBytes, then that what it built is,
// and charging that to b; or, when bounded (the result is no larger than
// the estimate), charging the estimate. Its parameters take what f's take (HCL converts
// arguments to their types) but also unknown, null and marked values, so
// that f itself deals with them as it would unwrapped: the refinements of
// its unknown results are kept. Its type is left to f, which checks the
// arguments when called: checking them here too would walk every
// argument once more.
func sized(f function.Function, est estimate, bounded bool, b *valueBudget) function.Function {
	if est == nil {
		est = argsBytes
	}
	params := f.Params()
	open := make([]function.Parameter, len(params))
	for i, p := range params {
		open[i] = openParam(p)
	}
	var varParam *function.Parameter
	if vp := f.VarParam(); vp != nil {
		p := openParam(*vp)
		varParam = &p
	}
	return function.New(&function.Spec{
		Params:   open,
		VarParam: varParam,
		Type:     function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			n, err := est(args)
			if err != nil {
				return cty.NilVal, err
			}
			if n > MaxValueBytes {
				return cty.NilVal, errValueTooLarge{}
			}
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			if !bounded {
				n = valueBytes(v, MaxValueBytes)
			}
			if !v.IsKnown() && !v.IsMarked() {
				// go-cty drops the marks of arguments it takes marked
				// when it gives an unknown without calling f: keep why
				// they are unknown.
				v = v.WithMarks(argMarks(args))
			}
			if err := b.build(n); err != nil {
				return cty.NilVal, err
			}
			return v, nil
		},
	})
}

// argMarks returns the marks of args and of the values in them.
func argMarks(args []cty.Value) cty.ValueMarks {
	marks := cty.ValueMarks{}
	for _, a := range args {
		_, m := a.UnmarkDeep()
		for k := range m {
			marks[k] = struct{}{}
		}
	}
	return marks
}

// openParam is p, also taking unknown, null, marked and dynamically typed
// values.
func openParam(p function.Parameter) function.Parameter {
	p.AllowUnknown, p.AllowNull, p.AllowMarked, p.AllowDynamicType = true, true, true, true
	return p
}

// knownString returns the string v holds, if it is a known string.
func knownString(v cty.Value) (string, bool) {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// knownLength returns the number of elements of v, if it is a known
// collection.
func knownLength(v cty.Value) int64 {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return 0
	}
	return int64(v.LengthInt())
}

// times is a*b, or MaxInt64 when that overflows: sizes only grow.
func times(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

// joinBytes: the lists, and the separator between each two elements.
func joinBytes(args []cty.Value) (int64, error) {
	n, _ := argsBytes(args)
	sep, _ := knownString(args[0])
	var elements int64
	for _, l := range args[1:] {
		elements += knownLength(l)
	}
	return n + times(int64(len(sep)), elements), nil
}

// formatBytes: each verb may give the largest argument, padded. Padding
// beyond MaxPadding is left to boundPadding to refuse, which says why.
func formatBytes(args []cty.Value) (int64, error) {
	fmtStr, ok := knownString(args[0])
	pad, _ := formatPadding(args)
	if !ok || pad > MaxPadding {
		return 0, nil
	}
	var largest int64
	for _, a := range args[1:] {
		largest = max(largest, valueBytes(a, MaxValueBytes))
	}
	verbs := int64(strings.Count(fmtStr, "%"))
	return int64(len(fmtStr)) + times(verbs, int64(pad)+largest), nil
}

// formatListBytes: formatBytes for each element of the longest list.
func formatListBytes(args []cty.Value) (int64, error) {
	fmtStr, ok := knownString(args[0])
	pad, _ := formatPadding(args)
	if !ok || pad > MaxPadding {
		return 0, nil
	}
	var largest, rows int64 = 0, 1
	for _, a := range args[1:] {
		a, _ = a.Unmark()
		if !a.IsKnown() || a.IsNull() {
			continue
		}
		if !a.Type().IsListType() && !a.Type().IsTupleType() && !a.Type().IsSetType() {
			largest = max(largest, valueBytes(a, MaxValueBytes))
			continue
		}
		rows = max(rows, int64(a.LengthInt()))
		for it := a.ElementIterator(); it.Next() && largest <= MaxValueBytes; {
			_, e := it.Element()
			largest = max(largest, valueBytes(e, MaxValueBytes))
		}
	}
	verbs := int64(strings.Count(fmtStr, "%"))
	return times(rows, elemBytes+int64(len(fmtStr))+times(verbs, int64(pad)+largest)), nil
}

// indentBytes: the string, and the spaces added to each line.
func indentBytes(args []cty.Value) (int64, error) {
	s, _ := knownString(args[1])
	spaces, _ := indentPadding(args)
	if spaces > MaxPadding {
		return 0, nil
	}
	return int64(len(s)) + times(int64(spaces), int64(strings.Count(s, "\n"))), nil
}

// replaceBytes: the string, and each replacement. A regular expression
// (/like this/) may match at every position, and each $1 in the
// replacement may repeat what it matched.
func replaceBytes(args []cty.Value) (int64, error) {
	s, ok1 := knownString(args[0])
	search, ok2 := knownString(args[1])
	repl, ok3 := knownString(args[2])
	if !ok1 || !ok2 || !ok3 {
		return 0, nil
	}
	n, r := int64(len(s)), int64(len(repl))
	switch {
	case len(search) > 1 && search[0] == '/' && search[len(search)-1] == '/':
		refs := int64(strings.Count(repl, "$"))
		return n + times(n+1, r) + times(refs, n), nil
	case search == "":
		return n + times(int64(utf8.RuneCountInString(s))+1, r), nil
	}
	return n + times(int64(strings.Count(s, search)), max(0, r-int64(len(search)))), nil
}

// splitBytes: the string, and an element for each piece.
func splitBytes(args []cty.Value) (int64, error) {
	sep, ok1 := knownString(args[0])
	s, ok2 := knownString(args[1])
	if !ok1 || !ok2 {
		return 0, nil
	}
	pieces := int64(utf8.RuneCountInString(s))
	if sep != "" {
		pieces = int64(strings.Count(s, sep)) + 1
	}
	return int64(len(s)) + times(pieces, elemBytes), nil
}

// regexAllBytes: the string, and an element for each match, which may
// be at every position.
func regexAllBytes(args []cty.Value) (int64, error) {
	s, _ := knownString(args[1])
	return int64(len(s)) + times(int64(len(s))+1, elemBytes), nil
}

// setProductBytes: a tuple for each element of the product. A product
// beyond MaxForElements is left to the element budget to refuse.
func setProductBytes(args []cty.Value) (int64, error) {
	product := int64(1)
	for _, a := range args {
		product = times(product, knownLength(a))
	}
	if product > MaxForElements {
		return 0, nil
	}
	return times(product, times(elemBytes, int64(len(args))+1)), nil
}

// rangeBytes: up to 1,024 numbers, which go-cty allows.
func rangeBytes([]cty.Value) (int64, error) { return 1024 * elemBytes, nil }

// textBytes estimates what decoding s builds: its bytes, and an element
// for each byte of structural that may start one.
func textBytes(args []cty.Value, structural string) int64 {
	s, _ := knownString(args[0])
	n := int64(len(s)) + elemBytes
	for i := 0; i < len(structural); i++ {
		n += elemBytes * int64(strings.Count(s, structural[i:i+1]))
	}
	return n
}

func jsonTextBytes(args []cty.Value) (int64, error) { return textBytes(args, ",:[{"), nil }
func csvTextBytes(args []cty.Value) (int64, error)  { return textBytes(args, ",\n"), nil }
func yamlTextBytes(args []cty.Value) (int64, error) { return yamlBytes(args) }

// yamlBytes estimates what yamldecode builds from a YAML text, aliases
// expanded: decoding copies an anchored node for each alias to it, and
// nine lines of aliases to aliases make a billion strings. A text that
// may have aliases is parsed into nodes first (which keep aliases as
// references) to count them.
func yamlBytes(args []cty.Value) (int64, error) {
	n := textBytes(args, ",:-[{\n?")
	s, ok := knownString(args[0])
	if !ok || n > MaxValueBytes || !strings.Contains(s, "*") || !strings.Contains(s, "&") || yamlTooDeep(s) {
		return n, nil // a text nested too deeply is refused by boundedDecode
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		return 0, fmt.Errorf("yamldecode: vigil could not count what the text's aliases expand to: %v", err)
	}
	sizes := map[*yaml.Node]int64{}
	return yamlNodeBytes(&doc, sizes, MaxValueBytes), nil
}

// yamlNodeBytes returns the size of what node decodes to, its aliases
// expanded, or more than limit once it is more; sizes remembers that of
// each anchored node, -1 while it is counted.
func yamlNodeBytes(node *yaml.Node, sizes map[*yaml.Node]int64, limit int64) int64 {
	if node.Kind == yaml.AliasNode {
		target := node.Alias
		if target == nil {
			return elemBytes
		}
		n, seen := sizes[target]
		switch {
		case seen && n < 0:
			return limit + 1 // an alias inside its own anchor: endless
		case seen:
			return n
		}
		sizes[target] = -1
		n = yamlNodeBytes(target, sizes, limit)
		sizes[target] = n
		return n
	}
	n := elemBytes + int64(len(node.Value))
	for _, c := range node.Content {
		if n += yamlNodeBytes(c, sizes, limit); n > limit {
			return n
		}
	}
	return n
}

// templateFunc is the one part of every template with an interpolation
// or a directive (see boundForExprs): it joins the template's parts as
// HCL would, after checking that the string is within MaxValueBytes, and
// charges it. Its first argument is the number of the %{for} directive
// the template is the body of, or 0: the bodies of a directive add up
// to the directive's string, which its for expression starts (see
// forElements), and each is checked with those before it.
const templateFunc = "vigil/template"

// template is templateFunc for this evaluation.
func (ev *evaluation) template() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "directive", Type: cty.String}},
		VarParam: &function.Parameter{
			Name: "parts", Type: cty.DynamicPseudoType,
			AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true,
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			directive, _ := strconv.ParseInt(args[0].AsString(), 10, 64)
			return ev.joinParts(directive, args[1:])
		},
	})
}

// joinParts joins parts, the values of a template's parts, as HCL's
// TemplateExpr does: a null part or one that is not a string or cannot
// become one is an error; an unknown part makes the string unknown (but
// not null); marks carry over. The string is checked, and charged, before
// it is built: twice its size, since HCL copies the one part of the
// template it is, and three times for the body of a directive, which HCL
// copies once more to join the bodies.
func (ev *evaluation) joinParts(directive int64, parts []cty.Value) (cty.Value, error) {
	// Most templates have a few parts: keep their strings, and marks, on
	// the stack, as simpleTemplate does.
	var strBuf [8]string
	var markBuf [4]cty.ValueMarks
	strs, marks := strBuf[:0], markBuf[:0]
	size, known := int64(0), true
	for i, p := range parts {
		p, m := p.Unmark()
		if len(m) > 0 {
			marks = append(marks, m)
		}
		switch {
		case p.IsNull():
			return cty.NilVal, function.NewArgErrorf(i+1, "The expression result is null. Cannot include a null value in a string template.")
		case !p.IsKnown():
			known = false
			continue
		}
		if p.Type() != cty.String {
			str, err := convertTo(p, cty.String)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(i+1, "Cannot include the given value in a string template: %s.", err)
			}
			p = str
		}
		strs = append(strs, p.AsString())
		size += int64(len(strs[len(strs)-1]))
	}
	if !known {
		return cty.UnknownVal(cty.String).RefineNotNull().WithMarks(marks...), nil
	}
	total, copies := size, int64(2)
	if directive != 0 {
		total += ev.templates[directive]
		copies = 3
	}
	if total > MaxValueBytes {
		return cty.NilVal, errValueTooLarge{}
	}
	if directive != 0 {
		put(&ev.templates, directive, total)
	}
	if err := ev.spend(copies * size); err != nil {
		return cty.NilVal, err
	}
	var b strings.Builder
	b.Grow(int(size))
	for _, s := range strs {
		b.WriteString(s)
	}
	return cty.StringVal(b.String()).WithMarks(marks...), nil
}

// splatFunc is the function the source of every splat expression
// (list[*].name) is passed through, with the bytes of what the splat
// evaluates for each element: it charges the list the splat builds.
const splatFunc = "vigil/splat"

// splat is splatFunc for this evaluation.
func (ev *evaluation) splat() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "source", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true},
			{Name: "each", Type: cty.Number},
		},
		Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if err := ev.chargeElements(knownLength(args[0]), args[1]); err != nil {
				return cty.NilVal, err
			}
			return args[0], nil
		},
	})
}

// chargeElements charges n elements of a for expression or splat, each
// evaluating an expression of body bytes.
func (ev *evaluation) chargeElements(n int64, body cty.Value) error {
	if n == 0 {
		return nil
	}
	each, _ := body.AsBigFloat().Int64()
	return ev.spend(times(n, elemBytes+each))
}

// diagsLimit returns the first limit a function call of diags went past.
func diagsLimit(diags hcl.Diagnostics) error {
	for _, d := range diags {
		if err := limitError(d); err != nil {
			return err
		}
	}
	return nil
}
