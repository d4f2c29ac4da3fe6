package terraform

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"vigil/entity"
)

// maxUnknownFunctionRetries bounds how often one expression is re-evaluated
// after stubbing functions vigil does not have.
const maxUnknownFunctionRetries = 8

// unknownString is a string known only after apply that will be set.
var unknownString = cty.UnknownVal(cty.String).RefineNotNull()

// alwaysSetAttributes are computed attributes every AWS resource has once
// created: a reference to one is an Unknown that will certainly be set.
var alwaysSetAttributes = map[string]bool{"arn": true, "id": true}

// sameAsArgument lists, by resource type, the computed attributes that
// the AWS provider documents as equal to one of the resource's arguments:
// a reference to one reads that argument's value, when the configuration
// sets it, instead of an Unknown. CIS modules pass a metric filter's id
// to its alarm's metric_name, which only this makes a known chain. Each
// entry is checked against the provider's documentation and code (the
// resource's d.SetId): aws_cloudwatch_log_metric_filter's id is its name,
// aws_cloudwatch_log_group's its name, and aws_cloudwatch_metric_alarm's
// its alarm_name. Left out: aws_cloudtrail, whose id was its name and is
// its ARN in later provider versions, and aws_sns_topic and
// aws_sns_topic_subscription, whose id is their ARN, itself known only
// after apply.
var sameAsArgument = map[string]map[string]string{
	"aws_cloudwatch_log_metric_filter": {"id": "name"},
	"aws_cloudwatch_log_group":         {"id": "name"},
	"aws_cloudwatch_metric_alarm":      {"id": "alarm_name"},
}

// evaluation evaluates one root module and the local modules it calls.
// Everything is evaluated lazily and at most once: a reference to a local,
// a variable, a module output or a resource evaluates it on first use.
type evaluation struct {
	t        *tree
	root     *moduleConfig
	rootVals map[string]cty.Value
	diags    hcl.Diagnostics
	seen     map[string]bool // diagnostics already reported
	stack    []evalStep      // what is being evaluated, for cycle messages
	// funcs are the functions of this root module: file functions read
	// relative to its directory, where terraform runs, and stand-ins for
	// unsupported functions. ctx holds them, as a child of baseContext;
	// every expression's context is a child of ctx.
	funcs map[string]function.Function
	ctx   *hcl.EvalContext
	// rootTraversals caches what the root module's expressions reference;
	// tree.traversals, those of modules every root may call.
	rootTraversals map[hcl.Expression][]hcl.Traversal
	// limitCounters count what the evaluation used of the limits.
	limitCounters
	// unexpanded holds, for each type of resource declared in the
	// modules of calls a limit kept from being expanded, the first such
	// call (see unexpandedFailures); unexpandedSeen, the modules looked
	// through.
	unexpanded     map[string]unexpandedCall
	unexpandedSeen map[*moduleConfig]bool
	// templates holds, by directive number, the bytes of the string of
	// the %{for} directive being built (see template).
	templates map[int64]int64
	// sizedJoined is set once the sized functions are in funcs, for
	// templatefile (see withSizedFunctions).
	sizedJoined bool
	// types says which resource instances become instances in out.
	types typeFilter
	out   []*instance
	// installed are the modules terraform init installed for the root
	// module, by key (see installed.go).
	installed map[string]*installedCall
	// undeclaredDiags holds the diagnostic of each name a module
	// references but does not declare (see undeclared).
	undeclaredDiags map[string]*hcl.Diagnostic
}

type memoState uint8

const (
	unevaluated memoState = iota
	inProgress
	evaluated
)

type memo struct {
	state memoState
	val   cty.Value
}

// modInst is one instance of a module: the root, or one expansion of a
// module call.
type modInst struct {
	cfg       *moduleConfig
	path      string // "" for the root, `module.a`, `module.a["k"].module.b`
	pre       string // path + "." (prefix of addresses), "" for the root
	key       string // the path as modules.json keys it: "", "a", "a.b"
	call      *callDecl
	callFrame *frame // the caller's frame, where the call's inputs evaluate
	depth     int
	vars      map[string]*memo
	locals    map[string]*memo
	outputs   map[string]*memo
	resources map[string]*resState
	calls     map[string]*callState
	// varObjs and localObjs cache the "var" and "local" objects built for
	// evaluation contexts, by wants.key.
	varObjs   map[string]cty.Value
	localObjs map[string]cty.Value
	// plain is the frame of expressions outside any count or for_each:
	// locals, outputs, and the count and for_each themselves.
	plain frame
}

func (mi *modInst) prefix() string { return mi.pre }

// evalStep is one entry of the evaluation stack: what, in module instance
// mi (nil when what is a whole address). The address is built only for a
// cycle's message.
type evalStep struct {
	mi   *modInst
	kind string // "var.", "local.", "module.", "output.", or "" for an address
	what string // a name, or an address
}

func (s evalStep) String() string {
	if s.mi == nil {
		return s.kind + s.what
	}
	return s.mi.pre + s.kind + s.what
}

// frame is where an expression evaluates: a module instance, and the
// count.index or each.key/each.value of the block it belongs to.
type frame struct {
	mi       *modInst
	countIdx cty.Value
	eachKey  cty.Value
	eachVal  cty.Value
	// countObj and eachObj are the "count" and "each" objects, built on
	// first use: every expression of an instance that reads them shares
	// them.
	countObj cty.Value
	eachObj  cty.Value
}

func (fr *frame) count() cty.Value {
	if fr.countObj == cty.NilVal {
		fr.countObj = cty.ObjectVal(map[string]cty.Value{"index": fr.countIdx})
	}
	return fr.countObj
}

func (fr *frame) each() cty.Value {
	if fr.eachObj == cty.NilVal {
		fr.eachObj = cty.ObjectVal(map[string]cty.Value{"key": fr.eachKey, "value": fr.eachVal})
	}
	return fr.eachObj
}

const (
	single expansion = iota
	counted
	keyed
	unknownExpansion
)

func newEvaluation(t *tree, root *moduleConfig, sources *variableSources, inDir map[string]variableValue, types typeFilter) *evaluation {
	ev := &evaluation{t: t, root: root, seen: map[string]bool{}, funcs: functions(root.dir, t.allowed), types: types}
	ev.funcs["setproduct"] = ev.setProduct()
	ev.funcs["sensitive"] = sensitiveFunc(t.secrets)
	for _, name := range []string{"setproduct", "file", "filebase64", "fileset", "templatefile"} {
		if f, ok := ev.funcs[name]; ok {
			ev.funcs[name] = sized(f, builders[name], false, &t.budget)
		}
	}
	if f, ok := ev.funcs["templatefile"]; ok {
		ev.funcs["templatefile"] = ev.withSizedFunctions(f)
	}
	ev.funcs[forElementsFunc] = ev.forElements()
	ev.funcs[templateFunc] = ev.template()
	ev.funcs[splatFunc] = ev.splat()
	ev.funcs["range"] = ev.rangeWithinElements(t.sizedContext().Functions["range"])
	ev.ctx = t.sizedContext().NewChild()
	ev.ctx.Functions = ev.funcs
	ev.rootVals = ev.rootVariables(root, sources, inDir)
	ev.installed = t.installed[root]
	return ev
}

func (ev *evaluation) run() []*instance {
	ev.emit(ev.newModInst(ev.root, "", nil, nil, 0))
	ev.flushSpent()
	return ev.out
}

func (ev *evaluation) newModInst(cfg *moduleConfig, path string, call *callDecl, callFrame *frame, depth int) *modInst {
	pre := ""
	if path != "" {
		pre = path + "."
	}
	// The maps are made on first write: most module instances use few
	// of them, and a root module with its calls makes many instances.
	mi := &modInst{cfg: cfg, path: path, pre: pre, call: call, callFrame: callFrame, depth: depth}
	if call != nil && callFrame != nil {
		mi.key = joinKey(callFrame.mi.key, call.name)
	}
	mi.plain.mi = mi
	return mi
}

// emit evaluates every resource and data source of mi and of the modules
// it calls, for their diagnostics, and makes an instance of each managed
// resource whose type is wanted. When a wanted mapping sees all resources
// (CloudTrail's), a managed resource of another type still gets an
// instance with no attributes: the normalisation must tell a reference to
// a resource declared here (an alarm action on an aws_autoscaling_policy)
// from one it cannot follow, whichever types the caller reads.
func (ev *evaluation) emit(mi *modInst) {
	seeAll := ev.types.seesAllResources()
	for _, d := range mi.cfg.resources {
		rs := ev.resource(mi, d.key)
		wanted := d.managed && ev.types.instance(d.typ)
		for _, ri := range ev.expand(rs) {
			attrs := ev.instanceAttrs(ri, rs.decl)
			switch {
			case wanted:
				ev.out = append(ev.out, ev.newInstance(mi, rs, ri, attrs))
			case d.managed && seeAll:
				ev.out = append(ev.out, &instance{addr: ri.addr, managed: true, lazy: true, typ: d.typ, name: d.name})
			}
		}
	}
	for _, c := range mi.cfg.calls {
		cs := ev.call(mi, c.name)
		for _, child := range ev.expandCall(cs, mi) {
			ev.emit(child)
		}
	}
}

func (ev *evaluation) report(diags hcl.Diagnostics) {
	for _, d := range diags {
		key := d.Summary + "\x00" + d.Detail
		if d.Subject != nil {
			key += "\x00" + d.Subject.String()
		}
		if ev.seen[key] {
			continue
		}
		ev.seen[key] = true
		// The evaluation context is large and only useful to an interactive
		// debugger; drop it so diagnostics do not pin the whole evaluation.
		d.EvalContext = nil
		ev.diags = append(ev.diags, d)
	}
}

// eval evaluates expr in fr, with iters holding dynamic block iterators. An
// expression that fails to evaluate is reported and yields an Unknown that
// may be null.
func (ev *evaluation) eval(expr hcl.Expression, fr *frame, iters map[string]cty.Value) cty.Value {
	// Each reference to a local, a variable, an output or a resource is
	// evaluated inside the evaluation that reads it: a chain of 200,000
	// locals, each reading the one before, ran the program out of stack.
	if ev.depth >= MaxEvalDepth {
		if ev.firstReport(limitEvalDepth) {
			ev.report(hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Evaluation nested too deeply",
				Detail:   fmt.Sprintf("Evaluating this needs expressions and the values they read nested more than %d deep; vigil treats what lies deeper as unknown.", MaxEvalDepth),
				Subject:  expr.Range().Ptr(),
			}})
		}
		return notComputed("evaluation nested too deeply")
	}
	ev.depth++
	v := ev.evalExpr(expr, fr, iters)
	ev.depth--
	return v
}

// evalExpr is eval within the bound on depth.
func (ev *evaluation) evalExpr(expr hcl.Expression, fr *frame, iters map[string]cty.Value) cty.Value {
	ev.evaluations++
	if ev.evaluations > MaxEvaluations {
		if ev.evaluations == MaxEvaluations+1 {
			ev.report(hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Configuration too large to evaluate",
				Detail:   fmt.Sprintf("The root module in %s needs more than %d expression evaluations; vigil stops there and treats the rest as unknown.", ev.root.dir, MaxEvaluations),
				Subject:  expr.Range().Ptr(),
			}})
		}
		return notComputed("evaluation stopped: the configuration is too large")
	}
	switch e := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		return e.Val
	case *hclsyntax.TemplateWrapExpr:
		return ev.eval(e.Wrapped, fr, iters)
	case *hclsyntax.TemplateExpr:
		if v, ok := ev.simpleTemplate(e, fr, iters); ok {
			return v
		}
		if isSimpleTemplate(e) {
			return ev.evalWithContext(ev.t.boundedCopy(e), fr, iters)
		}
	case *hclsyntax.IndexExpr, *hclsyntax.RelativeTraversalExpr, *hclsyntax.TupleConsExpr, *hclsyntax.ObjectConsExpr:
		if !ev.spendSource(expr) {
			return notComputed(budgetSpentReason)
		}
		if v, ok := ev.plainValue(expr, fr, iters); ok {
			return v
		}
	case *hclsyntax.ScopeTraversalExpr:
		if v, diags, ok := ev.traverse(e.Traversal, fr, iters); ok {
			ev.report(diags)
			if diags.HasErrors() {
				return notComputed(fmt.Sprintf("the expression at %s could not be evaluated: %s", rangeString(expr.Range()), firstError(diags)))
			}
			return v
		}
	case hclsyntax.Expression:
	default: // JSON
		if tmpl := ev.t.jsonForExpr(expr); tmpl != nil {
			return ev.evalWithContext(tmpl, fr, iters)
		}
	}
	return ev.evalWithContext(expr, fr, iters)
}

// evalWithContext evaluates expr with HCL in an evaluation context that
// holds what it references.
func (ev *evaluation) evalWithContext(expr hcl.Expression, fr *frame, iters map[string]cty.Value) cty.Value {
	var traversals []hcl.Traversal
	if fr.mi.cfg == ev.root {
		// Only this evaluation reads the root module's expressions: its
		// own cache lets them go with it.
		var ok bool
		if traversals, ok = ev.rootTraversals[expr]; !ok {
			traversals = expr.Variables()
			put(&ev.rootTraversals, expr, traversals)
		}
	} else if cached, ok := ev.t.traversals.Load(expr); ok {
		traversals = cached.([]hcl.Traversal)
	} else {
		traversals = expr.Variables()
		ev.t.traversals.Store(expr, traversals)
	}
	// An expression of a called module that references nothing has the
	// same value in every instance of the module, from every root.
	constant := len(traversals) == 0 && fr.mi.cfg != ev.root
	if constant {
		if c, ok := ev.t.constants.Load(expr); ok && c.(constantValue).ok {
			return c.(constantValue).val
		}
	}
	if !ev.spendSource(expr) {
		return notComputed(budgetSpentReason)
	}
	for range maxUnknownFunctionRetries {
		ctx := ev.context(fr, iters, traversals)
		v, diags := expr.Value(ctx)
		if ev.stubUnknownFunctions(diags) {
			continue
		}
		if constant {
			ev.t.rememberConstant(expr, v, diags)
		}
		hideSensitiveArguments(outsideDiags(diags), ev.t.secrets)
		ev.report(ev.limitDiags(diags))
		if diags.HasErrors() {
			return notComputed(fmt.Sprintf("the expression at %s could not be evaluated: %s", rangeString(expr.Range()), firstError(diags)))
		}
		return v
	}
	return notComputed(fmt.Sprintf("the expression at %s calls too many unsupported functions", rangeString(expr.Range())))
}

// constantValue is what tree.constants holds for an expression that
// references nothing: its value, when ok.
type constantValue struct {
	val cty.Value
	ok  bool
}

// rememberConstant keeps v, the value of expr, which references nothing,
// for the other instances of its module: unless evaluating it said
// anything, or it calls a function that may give another value elsewhere
// (the file functions read relative to the root module; setproduct and for
// expressions charge the root module's budget; stand-ins warn).
func (t *tree) rememberConstant(expr hcl.Expression, v cty.Value, diags hcl.Diagnostics) {
	if _, done := t.constants.Load(expr); done {
		return
	}
	ok := len(diags) == 0
	if node, native := expr.(hclsyntax.Node); ok && native {
		hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
			if call, isCall := n.(*hclsyntax.FunctionCallExpr); isCall {
				if _, base := baseFunctions[call.Name]; !base || call.Name == "setproduct" {
					ok = false
				}
			}
			return nil
		})
	} else {
		ok = false
	}
	t.constants.Store(expr, constantValue{v, ok})
}

// stubUnknownFunctions adds an unknown-valued stand-in for every function
// diags say does not exist, and reports whether it added any.
func (ev *evaluation) stubUnknownFunctions(diags hcl.Diagnostics) bool {
	added := false
	for _, d := range diags {
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallUnknownDiagExtra](d)
		if !ok {
			continue
		}
		name := extra.CalledFunctionNamespace() + extra.CalledFunctionName()
		if _, exists := ev.funcs[name]; exists {
			continue
		}
		ev.funcs[name] = unsupportedFunc(name)
		added = true
		ev.report(hcl.Diagnostics{{
			Severity: hcl.DiagWarning,
			Summary:  "Unsupported function",
			Detail:   fmt.Sprintf("vigil does not implement %s(); its results are treated as unknown.", name),
			Subject:  d.Subject,
		}})
	}
	return added
}

// hideSensitiveArguments rewrites the diagnostic of a function call that
// failed on a sensitive argument, so that it does not show the value: the
// functions' errors quote their arguments ("cannot convert "s3cr3t" to
// number"). The arguments are evaluated again to see their marks, which
// costs something only when a call fails.
//
// Only an input with sensitive values can fail on one (marking a value
// records it in secrets), and vigil's own functions (vigil/...) fail on
// limits, not on values: these are not looked at, so that an expression
// that fails in a loop a hundred thousand times is not evaluated again as
// often.
func hideSensitiveArguments(diags hcl.Diagnostics, secrets *entity.Secrets) {
	if secrets.Len() == 0 {
		return
	}
	for _, d := range diags {
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
		if !ok || d.Expression == nil || d.EvalContext == nil || strings.HasPrefix(extra.CalledFunctionName(), "vigil/") {
			continue
		}
		args := []hcl.Expression{d.Expression}
		if call, ok := d.Expression.(*hclsyntax.FunctionCallExpr); ok {
			args = make([]hcl.Expression, len(call.Args))
			for i, a := range call.Args {
				args[i] = a
			}
		}
		for _, a := range args {
			if v, _ := a.Value(d.EvalContext); isSensitive(v) {
				d.Detail = fmt.Sprintf("The call to %s() failed on a sensitive argument; vigil does not show its value.", extra.CalledFunctionName())
				break
			}
		}
	}
}

func firstError(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			return strings.TrimSuffix(d.Summary, ".")
		}
	}
	return "error"
}

func rangeString(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// attrStep returns the attribute name at step i of tr, or "" when there is
// none.
func attrStep(tr hcl.Traversal, i int) string {
	if i >= len(tr) {
		return ""
	}
	switch s := tr[i].(type) {
	case hcl.TraverseAttr:
		return s.Name
	case hcl.TraverseRoot:
		return s.Name
	}
	return ""
}

// firstAttrFrom returns the first attribute name at or after step i,
// skipping index steps ("[0]", `["k"]`), or "" for none.
func firstAttrFrom(tr hcl.Traversal, i int) string {
	for ; i < len(tr); i++ {
		if a, ok := tr[i].(hcl.TraverseAttr); ok {
			return a.Name
		}
	}
	return ""
}

// cycle reports a reference cycle through step and returns an Unknown.
func (ev *evaluation) cycle(step evalStep, subject *hcl.Range) cty.Value {
	what := step.String()
	start := 0
	for i, s := range ev.stack {
		if s.String() == what {
			start = i
		}
	}
	chain := make([]string, 0, len(ev.stack)-start+1)
	for _, s := range ev.stack[start:] {
		chain = append(chain, s.String())
	}
	chain = append(chain, what)
	ev.report(hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Cycle in references",
		Detail:   fmt.Sprintf("%s depends on itself: %s. Break the cycle; Terraform rejects it too.", what, strings.Join(chain, " → ")),
		Subject:  subject,
	}})
	return notComputed(what + " depends on itself")
}

// tooDeep reports whether v nests deeper than MaxNesting: each evaluation
// may nest a value up to MaxNesting deeper than the values it reads, and
// what reads values (conversion to entities, functions such as jsonencode)
// recurses on them.
func tooDeep(v cty.Value) bool { return typeDepth(v.Type(), MaxNesting) > MaxNesting }

// deepValue is the Unknown that stands for the value of what, which nests
// too deeply. The first such value of a root module is reported: a
// configuration that builds one usually builds many, one from another.
func (ev *evaluation) deepValue(what string, rng hcl.Range) cty.Value {
	if ev.firstReport(limitNesting) {
		ev.report(hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Value nested too deeply",
			Detail:   fmt.Sprintf("The value of %s nests more than %d levels deep; vigil treats it, and any value like it, as unknown.", what, MaxNesting),
			Subject:  rng.Ptr(),
		}})
	}
	return notComputed("the value of " + what + " nests too deeply")
}

// typeDepth returns how deeply collections and structures nest in t, or
// more than limit when they nest deeper: it looks no deeper.
func typeDepth(t cty.Type, limit int) int {
	if limit < 0 {
		return 1
	}
	d := 0
	switch {
	case t.IsListType() || t.IsSetType() || t.IsMapType():
		return 1 + typeDepth(t.ElementType(), limit-1)
	case t.IsObjectType():
		for _, at := range t.AttributeTypes() {
			if d = max(d, typeDepth(at, limit-1)); d > limit {
				break
			}
		}
	case t.IsTupleType():
		for _, et := range t.TupleElementTypes() {
			if d = max(d, typeDepth(et, limit-1)); d > limit {
				break
			}
		}
	default:
		return 0
	}
	return 1 + d
}

func (ev *evaluation) push(step evalStep) { ev.stack = append(ev.stack, step) }
func (ev *evaluation) pop()               { ev.stack = ev.stack[:len(ev.stack)-1] }

// local returns local value name of mi; traversals are those of the
// expression that reads it, for pointing at the reference should it be
// undeclared (found only then: most references are fine).
func (ev *evaluation) local(mi *modInst, name string, traversals []hcl.Traversal) cty.Value {
	a, ok := mi.cfg.locals[name]
	if !ok {
		return ev.undeclared(mi.cfg, "local value", name, subjectFor(traversals, "local", name))
	}
	return ev.memoized(mi, &mi.locals, "local.", name, a.Expr)
}

// memoized evaluates a local value or an output of module instance mi once,
// keeping the result in memos, and reports a cycle when the evaluation
// needs itself.
func (ev *evaluation) memoized(mi *modInst, memos *map[string]*memo, kind, name string, expr hcl.Expression) cty.Value {
	m := (*memos)[name]
	if m == nil {
		m = &memo{}
		put(memos, name, m)
	}
	what := evalStep{mi, kind, name}
	switch m.state {
	case evaluated:
		return m.val
	case inProgress:
		return ev.cycle(what, expr.Range().Ptr())
	}
	m.state = inProgress
	ev.push(what)
	m.val = ev.eval(expr, &mi.plain, nil)
	if tooDeep(m.val) {
		m.val = ev.deepValue(what.String(), expr.Range())
	}
	ev.pop()
	m.state = evaluated
	return m.val
}

// variable returns input variable name of mi; traversals are as for local.
func (ev *evaluation) variable(mi *modInst, name string, traversals []hcl.Traversal) cty.Value {
	decl, ok := mi.cfg.variables[name]
	if !ok {
		return ev.undeclared(mi.cfg, "input variable", name, subjectFor(traversals, "var", name))
	}
	if mi.call == nil {
		return ev.rootVals[name]
	}
	m := mi.vars[name]
	if m == nil {
		m = &memo{}
		put(&mi.vars, name, m)
	}
	if m.state == evaluated {
		return m.val
	}
	what := evalStep{mi, "var.", name}
	switch m.state {
	case inProgress:
		return ev.cycle(what, decl.rng.Ptr())
	}
	m.state = inProgress
	ev.push(what)
	vt := ev.varType(decl)
	if in, ok := mi.call.inputs[name]; ok {
		m.val = ev.typed(decl, vt, ev.eval(in.Expr, mi.callFrame, nil), in.Expr.Range())
		if tooDeep(m.val) {
			m.val = ev.deepValue(what.String(), in.Expr.Range())
		}
	} else if decl.def != nil {
		m.val = ev.defaultValue(decl, vt)
	} else {
		ev.report(hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Missing required argument",
			Detail:   fmt.Sprintf("The module %q has no value for its variable %q, which has no default.", mi.call.name, name),
			Subject:  mi.call.rng.Ptr(),
		}})
		m.val = cty.UnknownVal(vt.ty).Mark(reasonMark(fmt.Sprintf("variable %s of module %s has no value", name, mi.call.name)))
	}
	if decl.sensitive {
		m.val = markSensitive(m.val, ev.t.secrets)
	}
	ev.pop()
	m.state = evaluated
	return m.val
}

// output returns output name of mi, marked sensitive when it is declared
// so (the memo then keeps the marked value).
func (ev *evaluation) output(mi *modInst, name string) cty.Value {
	v := ev.memoized(mi, &mi.outputs, "output.", name, mi.cfg.outputs[name].Expr)
	if mi.cfg.sensitiveOutputs[name] && !v.HasMark(sensitiveMark{}) {
		v = markSensitive(v, ev.t.secrets)
		if m := mi.outputs[name]; m != nil && m.state == evaluated {
			m.val = v
		}
	}
	return v
}

// put sets (*m)[k] to v, making the map on first use.
func put[K comparable, V any](m *map[K]V, k K, v V) {
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// modulePath is path.module: the module's directory relative to the root
// module's, where terraform runs.
func (ev *evaluation) modulePath(cfg *moduleConfig) string {
	rel, err := filepath.Rel(ev.root.dir, cfg.dir)
	if err != nil {
		return cfg.dir
	}
	return filepath.ToSlash(rel)
}
