package terraform

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
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
	// evaluations counts expressions evaluated, against MaxEvaluations.
	evaluations int
	// depth is how many evaluations (eval and plainValue) are under way,
	// one inside another, against MaxEvalDepth; deepReported is set once
	// that is reported.
	depth        int
	deepReported bool
	// deepValueReported is set once a value nested too deeply is reported.
	deepValueReported bool
	// elements counts the elements for expressions and setproduct went
	// through, against MaxForElements.
	elements         int
	elementsReported bool
	// moduleInstances counts the module instances created, against
	// MaxModuleInstances; modulesReported is set once running out is
	// reported.
	moduleInstances int
	modulesReported bool
	// unexpanded holds, for each type of resource declared in the
	// modules of calls a limit kept from being expanded, the first such
	// call (see unexpandedFailures); unexpandedSeen, the modules looked
	// through.
	unexpanded     map[string]unexpandedCall
	unexpandedSeen map[*moduleConfig]bool
	// unspent counts bytes built not yet added to the tree's budget
	// (see spend); budgetSpent is set once the budget is spent, and
	// budgetReported once that is reported.
	unspent        int64
	budgetSpent    bool
	budgetReported bool
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

// Instance keys of the expansions with one instance; read only.
var (
	singleKeys  = []string{""}
	unknownKeys = []string{"[*]"}
)

type expansion uint8

const (
	single expansion = iota
	counted
	keyed
	unknownExpansion
)

type resState struct {
	decl  *resourceDecl
	mi    *modInst
	state memoState
	mode  expansion
	why   string // for unknownExpansion
	insts []*resInst
	// single and one hold the instance of a resource without count or
	// for_each, which insts then is.
	single resInst
	one    [1]*resInst
	// values caches what references read, by wants.key: a for_each of
	// 10,000 that reads its sibling by key would otherwise rebuild the
	// sibling's 10,000 objects each time.
	values map[string]cty.Value
}

type resInst struct {
	addr  string
	key   string // the index or key as written in the address, "" for single
	fr    *frame
	state memoState
	attrs bodyValues
}

type callState struct {
	decl  *callDecl
	state memoState
	mode  expansion
	why   string
	// stopped is set when a limit kept the call from being expanded:
	// its outputs are then values vigil did not compute.
	stopped bool
	keys    []string
	insts   []*modInst
}

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
// resource whose type is wanted. When CloudTrail is wanted, a managed
// resource of another type still gets an instance with no attributes: the
// normalisation must tell a reference to a resource declared here (an
// alarm action on an aws_autoscaling_policy) from one it cannot follow,
// whichever types the caller reads.
func (ev *evaluation) emit(mi *modInst) {
	trails := ev.types.entity("CloudTrail")
	for _, d := range mi.cfg.resources {
		rs := ev.resource(mi, d.key)
		wanted := d.managed && ev.types.instance(d.typ)
		for _, ri := range ev.expand(rs) {
			attrs := ev.instanceAttrs(ri, rs.decl)
			switch {
			case wanted:
				ev.out = append(ev.out, ev.newInstance(mi, rs, ri, attrs))
			case d.managed && trails:
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
		if !ev.deepReported {
			ev.deepReported = true
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
	if !ev.deepValueReported {
		ev.deepValueReported = true
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

// resource returns the state of the resource or data source with key
// ("aws_x.y", "data.aws_x.y") in mi, or nil if it is not declared.
func (ev *evaluation) resource(mi *modInst, key string) *resState {
	if rs, ok := mi.resources[key]; ok {
		return rs
	}
	d, ok := mi.cfg.byKey[key]
	if !ok {
		return nil
	}
	rs := &resState{decl: d, mi: mi}
	put(&mi.resources, key, rs)
	return rs
}

// expand evaluates the count or for_each of a resource into its instances.
func (ev *evaluation) expand(rs *resState) []*resInst {
	switch rs.state {
	case evaluated:
		return rs.insts
	case inProgress:
		ev.cycle(evalStep{rs.mi, "", rs.decl.key}, rs.decl.defRange.Ptr())
		return nil
	}
	mi := rs.mi
	base := mi.prefix() + rs.decl.key
	if rs.decl.count == nil && rs.decl.forEach == nil {
		// One instance, in the module's plain frame: most resources.
		rs.single = resInst{addr: base, fr: &mi.plain}
		rs.one[0] = &rs.single
		rs.insts, rs.mode, rs.state = rs.one[:], single, evaluated
		return rs.insts
	}
	rs.state = inProgress
	ev.push(evalStep{what: base})
	mode, why, keys, frames := ev.expansion(mi, rs.decl.count, rs.decl.forEach, base)
	ev.pop()
	if keys == nil && rs.decl.managed {
		// A count or for_each that is invalid or past MaxInstances: the
		// resource has no instance, and a List rule must not pass on a
		// list that lacks them.
		put(&ev.unexpanded, rs.decl.typ, unexpandedCall{base, "its count or for_each could not be expanded (see the error there)", rs.decl.defRange})
	}
	rs.mode, rs.why = mode, why
	insts := make([]resInst, len(keys))
	rs.insts = make([]*resInst, len(keys))
	for i, k := range keys {
		insts[i] = resInst{addr: base + k, key: k, fr: &frames[i]}
		rs.insts[i] = &insts[i]
	}
	rs.state = evaluated
	return rs.insts
}

// expansion evaluates count or for_each (at most one is set) and returns the
// instance keys as written in addresses, with a frame for each.
func (ev *evaluation) expansion(mi *modInst, count, forEach hcl.Expression, what string) (expansion, string, []string, []frame) {
	switch {
	case count != nil:
		marked := ev.eval(count, &mi.plain, nil)
		v, _ := marked.Unmark()
		if !v.IsKnown() {
			why := ev.unknownInstances("count", what, marked, count.Range())
			return unknownExpansion, why, unknownKeys, []frame{{mi: mi, countIdx: unknownSet(cty.Number, why)}}
		}
		n, err := convertTo(v, cty.Number)
		var size int
		if err == nil && !n.IsNull() {
			bf := n.AsBigFloat()
			if bf.IsInt() {
				if i, acc := bf.Int64(); acc == 0 {
					size = int(i)
					if int64(size) != i {
						size = -1
					}
				} else {
					size = -1
				}
			} else {
				err = fmt.Errorf("not a whole number")
			}
		}
		if err != nil || n.IsNull() || size < 0 {
			ev.report(hcl.Diagnostics{{
				Severity: hcl.DiagError, Summary: "Invalid count argument",
				Detail:  "The count argument must be a whole number, zero or more.",
				Subject: count.Range().Ptr(),
			}})
			return single, "", nil, nil
		}
		if size > MaxInstances {
			ev.tooMany(what, size, count.Range())
			return single, "", nil, nil
		}
		keys := make([]string, size)
		frames := make([]frame, size)
		for i := range size {
			keys[i] = "[" + strconv.Itoa(i) + "]"
			frames[i] = frame{mi: mi, countIdx: cty.NumberIntVal(int64(i))}
		}
		return counted, "", keys, frames
	case forEach != nil:
		marked := ev.eval(forEach, &mi.plain, nil)
		v, marks := marked.Unmark()
		// The cheap tests first: IsWhollyKnown walks the whole value.
		if (!v.IsKnown() || !v.Type().IsMapType() && !v.Type().IsObjectType()) && !v.IsWhollyKnown() {
			why := ev.unknownInstances("for_each", what, marked, forEach.Range())
			return unknownExpansion, why, unknownKeys, []frame{{mi: mi, eachKey: unknownSet(cty.String, why), eachVal: unknownMaybeNull(why)}}
		}
		ty := v.Type()
		if v.IsNull() || !(ty.IsMapType() || ty.IsObjectType() || ty.IsSetType() && ty.ElementType() == cty.String) {
			ev.report(hcl.Diagnostics{{
				Severity: hcl.DiagError, Summary: "Invalid for_each argument",
				Detail:  fmt.Sprintf("The for_each argument must be a map, or a set of strings, not %s.", ty.FriendlyName()),
				Subject: forEach.Range().Ptr(),
			}})
			return single, "", nil, nil
		}
		if n := v.LengthInt(); n > MaxInstances {
			ev.tooMany(what, n, forEach.Range())
			return single, "", nil, nil
		}
		keys := make([]string, 0, v.LengthInt())
		frames := make([]frame, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			k, _ = k.Unmark()
			if ty.IsSetType() {
				k = e
			}
			k, _ = k.Unmark()
			if !k.IsKnown() || k.IsNull() {
				continue
			}
			keys = append(keys, "["+strconv.Quote(k.AsString())+"]")
			frames = append(frames, frame{mi: mi, eachKey: k.WithMarks(marks), eachVal: e.WithMarks(marks)})
		}
		return keyed, "", keys, frames
	}
	return single, "", singleKeys, []frame{{mi: mi}}
}

// unknownInstances warns that how many instances what has is unknown,
// since its argument arg (count or for_each), whose value is v, is, and
// returns why, for the values of the representative instance. An
// argument vigil did not compute (a limit or an error stopped it) says
// so, rather than that it is known only after apply. The warning names
// what without instance keys: the same for every instance of the module
// it is in, it is given once.
func (ev *evaluation) unknownInstances(arg, what string, v cty.Value, rng hcl.Range) string {
	if reason, stopped := stopReason(v); stopped {
		ev.report(hcl.Diagnostics{{
			Severity: hcl.DiagWarning,
			Summary:  "Instances not computed",
			Detail:   fmt.Sprintf("How many instances of %s exist is unknown: vigil did not compute its %s (%s); it checks one representative instance, addressed [*].", withoutKeys(what), arg, reason),
			Subject:  rng.Ptr(),
		}})
		return fmt.Sprintf("the %s of %s was not computed: %s", arg, what, reason)
	}
	ev.report(hcl.Diagnostics{{
		Severity: hcl.DiagWarning,
		Summary:  "Instances known only after apply",
		Detail:   fmt.Sprintf("How many instances of %s exist depends on values known only after apply; vigil checks one representative instance, addressed [*].", withoutKeys(what)),
		Subject:  rng.Ptr(),
	}})
	return fmt.Sprintf("the %s of %s is known only after apply", arg, what)
}

func (ev *evaluation) tooMany(what string, n int, rng hcl.Range) {
	ev.report(hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Too many instances",
		Detail:   fmt.Sprintf("%s would have %d instances; vigil expands at most %d.", what, n, MaxInstances),
		Subject:  rng.Ptr(),
	}})
}

// instanceAttrs evaluates the arguments and nested blocks of one resource
// instance.
func (ev *evaluation) instanceAttrs(ri *resInst, d *resourceDecl) bodyValues {
	switch ri.state {
	case evaluated:
		return ri.attrs
	case inProgress:
		ev.cycle(evalStep{what: ri.addr}, d.defRange.Ptr())
		return nil
	}
	ri.state = inProgress
	ev.push(evalStep{what: ri.addr})
	var blocks int
	ri.attrs = ev.evalBody(d.body, ri.fr, nil, &blocks)
	for i, a := range ri.attrs {
		if tooDeep(a.val) {
			ri.attrs[i].val = ev.deepValue(ri.addr+"."+a.name, d.defRange)
		}
	}
	ev.pop()
	ri.state = evaluated
	return ri.attrs
}

// jsonBlockTypes are the nested block types of the resources vigil
// normalises; in .tf.json files blocks and object arguments look alike, so
// these are turned into lists of objects as native syntax would give.
var jsonBlockTypes = map[string]bool{
	"event_selector": true, "advanced_event_selector": true, "data_resource": true, "field_selector": true,
	"insight_selector": true, "metric_transformation": true, "metric_query": true, "metric": true,
}

// bodyValue is one evaluated argument, or the blocks of one nested block
// type, of a body.
type bodyValue struct {
	name string
	val  cty.Value
}

// bodyValues are the evaluated arguments and nested blocks of a body, each
// name once, in no particular order. A resource has a handful: a slice
// costs less to build and to search than a map.
type bodyValues []bodyValue

func (b bodyValues) get(name string) (cty.Value, bool) {
	for _, e := range b {
		if e.name == name {
			return e.val, true
		}
	}
	return cty.NilVal, false
}

// set sets name to v, replacing an earlier value of name.
func (b *bodyValues) set(name string, v cty.Value) {
	for i := range *b {
		if (*b)[i].name == name {
			(*b)[i].val = v
			return
		}
	}
	*b = append(*b, bodyValue{name, v})
}

// object is b as a cty object.
func (b bodyValues) object() cty.Value {
	m := make(map[string]cty.Value, len(b))
	for _, e := range b {
		m[e.name] = e.val
	}
	return cty.ObjectVal(m)
}

// evalBody evaluates the arguments and nested blocks of a body; count
// counts the nested blocks of the whole resource, against MaxInstances.
func (ev *evaluation) evalBody(body hcl.Body, fr *frame, iters map[string]cty.Value, count *int) bodyValues {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return ev.evalJSONBody(body, fr, iters, count)
	}
	out := make(bodyValues, 0, len(sb.Attributes)+len(sb.Blocks))
	for name, a := range sb.Attributes {
		if metaArguments[name] {
			continue
		}
		out = append(out, bodyValue{name, ev.eval(a.Expr, fr, iters)}) // names of a map: no repeats
	}
	if len(sb.Blocks) == 0 {
		return out
	}
	blocks := make(map[string][]cty.Value, len(sb.Blocks))
	var unknownBlocks map[string]cty.Value // made by expandDynamic when needed
	for _, b := range sb.Blocks {
		switch b.Type {
		case "lifecycle", "provisioner", "connection":
		case "dynamic":
			if d, ok := ev.nativeDynamic(b); ok {
				ev.expandDynamic(d, fr, iters, blocks, &unknownBlocks, count)
			}
		default:
			if !ev.countBlock(count, b.DefRange()) {
				continue
			}
			blocks[b.Type] = append(blocks[b.Type], ev.evalBody(b.Body, fr, iters, count).object())
		}
	}
	// Blocks take the place of an argument of the same name, and an unknown
	// dynamic block that of the blocks.
	for typ, list := range blocks {
		out.set(typ, cty.TupleVal(list))
	}
	for typ, v := range unknownBlocks {
		out.set(typ, v)
	}
	return out
}

// countBlock counts one more nested block of a resource, and reports
// whether it is within MaxInstances; the first one beyond is reported.
func (ev *evaluation) countBlock(count *int, rng hcl.Range) bool {
	*count++
	if *count <= MaxInstances {
		return true
	}
	if *count == MaxInstances+1 {
		ev.report(hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Too many nested blocks",
			Detail:   fmt.Sprintf("This resource would have more than %d nested blocks; vigil stops expanding there.", MaxInstances),
			Subject:  rng.Ptr(),
		}})
	}
	return false
}

// dynamicSchema finds the dynamic blocks of a JSON body, which without a
// schema would read as one argument named "dynamic".
var dynamicSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "dynamic", LabelNames: []string{"type"}}}}

// dynamicBodySchema is what a dynamic block of a JSON body holds.
var dynamicBodySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "for_each"}, {Name: "iterator"}, {Name: "labels"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "content"}},
}

// evalJSONBody evaluates a body of a .tf.json file. JSON does not tell
// blocks from object arguments: the nested block types vigil normalises
// (jsonBlockTypes) become lists of objects, as native syntax gives, and
// dynamic blocks expand as in native syntax.
func (ev *evaluation) evalJSONBody(body hcl.Body, fr *frame, iters map[string]cty.Value, count *int) bodyValues {
	content, rest, diags := body.PartialContent(dynamicSchema)
	ev.report(diags)
	attrs, diags := rest.JustAttributes()
	ev.report(diags)
	out := make(bodyValues, 0, len(attrs))
	for name, a := range attrs {
		if metaArguments[name] {
			continue
		}
		v := ev.eval(a.Expr, fr, iters)
		if jsonBlockTypes[name] && v.IsKnown() && !v.IsNull() && (v.Type().IsObjectType() || v.Type().IsMapType()) {
			v = cty.TupleVal([]cty.Value{v})
		}
		out = append(out, bodyValue{name, v}) // names of a map: no repeats
	}
	if content == nil || len(content.Blocks) == 0 {
		return out
	}
	blocks := map[string][]cty.Value{}
	var unknownBlocks map[string]cty.Value
	for _, b := range content.Blocks {
		if d, ok := ev.jsonDynamic(b); ok {
			ev.expandDynamic(d, fr, iters, blocks, &unknownBlocks, count)
		}
	}
	// Blocks written out beside dynamic ones of the same type come first.
	for typ, list := range blocks {
		if v, ok := out.get(typ); ok && v.IsKnown() && !v.IsNull() && v.Type().IsTupleType() {
			list = append(v.AsValueSlice(), list...)
		}
		out.set(typ, cty.TupleVal(list))
	}
	for typ, v := range unknownBlocks {
		out.set(typ, v)
	}
	return out
}

// dynamicBlock is a dynamic block of either syntax, taken apart.
type dynamicBlock struct {
	typ      string // the type of the blocks it generates
	iterName string
	forEach  hcl.Expression
	content  hcl.Body
	defRange hcl.Range
}

// nativeDynamic takes apart a dynamic block of native syntax; ok is false,
// and the problem reported, when it is malformed.
func (ev *evaluation) nativeDynamic(b *hclsyntax.Block) (dynamicBlock, bool) {
	if len(b.Labels) != 1 {
		ev.report(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid dynamic block", Detail: "A dynamic block needs one label: the type of block it generates.", Subject: b.DefRange().Ptr()}})
		return dynamicBlock{}, false
	}
	d := dynamicBlock{typ: b.Labels[0], iterName: b.Labels[0], defRange: b.DefRange()}
	for name, a := range b.Body.Attributes {
		switch name {
		case "for_each":
			d.forEach = a.Expr
		case "iterator":
			if kw := hcl.ExprAsKeyword(a.Expr); kw != "" {
				d.iterName = kw
			}
		}
	}
	for _, cb := range b.Body.Blocks {
		if cb.Type == "content" {
			d.content = cb.Body
		}
	}
	return d, ev.checkDynamic(d)
}

// jsonDynamic takes apart a dynamic block of a JSON body:
//
//	"dynamic": {"setting": {"for_each": "${var.settings}", "iterator": "s", "content": {...}}}
func (ev *evaluation) jsonDynamic(b *hcl.Block) (dynamicBlock, bool) {
	d := dynamicBlock{typ: b.Labels[0], iterName: b.Labels[0], defRange: b.DefRange}
	c, _, diags := b.Body.PartialContent(dynamicBodySchema)
	ev.report(diags)
	if a := c.Attributes["for_each"]; a != nil {
		d.forEach = a.Expr
	}
	if a := c.Attributes["iterator"]; a != nil {
		kw := hcl.ExprAsKeyword(a.Expr)
		if kw == "" {
			ev.report(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid dynamic iterator", Detail: "The iterator of a dynamic block must be a name, such as \"setting\".", Subject: a.Expr.Range().Ptr()}})
			return dynamicBlock{}, false
		}
		d.iterName = kw
	}
	for _, cb := range c.Blocks {
		d.content = cb.Body
	}
	return d, ev.checkDynamic(d)
}

func (ev *evaluation) checkDynamic(d dynamicBlock) bool {
	if d.forEach == nil || d.content == nil {
		ev.report(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid dynamic block", Detail: "A dynamic block needs a for_each argument and a content block.", Subject: d.defRange.Ptr()}})
		return false
	}
	return true
}

// expandDynamic evaluates a dynamic block into the blocks it generates.
func (ev *evaluation) expandDynamic(d dynamicBlock, fr *frame, iters map[string]cty.Value, blocks map[string][]cty.Value, unknown *map[string]cty.Value, count *int) {
	if *count > MaxInstances {
		return
	}
	typ, forEach := d.typ, d.forEach
	coll, marks := ev.eval(forEach, fr, iters).Unmark()
	if !coll.IsKnown() {
		put(unknown, typ, unknownMaybeNull(fmt.Sprintf("the for_each of dynamic %q at %s is known only after apply", typ, rangeString(forEach.Range()))).WithMarks(marks))
		return
	}
	if coll.IsNull() || !coll.CanIterateElements() {
		ev.report(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid dynamic for_each value", Detail: "The for_each of a dynamic block must be a collection.", Subject: forEach.Range().Ptr()}})
		return
	}
	if coll.LengthInt() > MaxInstances {
		ev.tooMany("dynamic "+typ, coll.LengthInt(), forEach.Range())
		return
	}
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		child := make(map[string]cty.Value, len(iters)+1)
		for n, x := range iters {
			child[n] = x
		}
		child[d.iterName] = cty.ObjectVal(map[string]cty.Value{"key": k.WithMarks(marks), "value": v.WithMarks(marks)})
		if !ev.countBlock(count, d.defRange) || ev.evaluations > MaxEvaluations {
			return
		}
		blocks[typ] = append(blocks[typ], ev.evalBody(d.content, fr, child, count).object())
	}
}

func (ev *evaluation) call(mi *modInst, name string) *callState {
	if cs, ok := mi.calls[name]; ok {
		return cs
	}
	d, ok := mi.cfg.callNames[name]
	if !ok {
		return nil
	}
	cs := &callState{decl: d}
	put(&mi.calls, name, cs)
	return cs
}

// expandCall evaluates a module call's count or for_each and creates its
// child instances; a call whose module was not loaded has none.
func (ev *evaluation) expandCall(cs *callState, mi *modInst) []*modInst {
	switch cs.state {
	case evaluated:
		return cs.insts
	case inProgress:
		ev.cycle(evalStep{mi, "module.", cs.decl.name}, cs.decl.rng.Ptr())
		return nil
	}
	d := cs.decl
	child, _ := ev.callee(mi, d)
	if child == nil {
		cs.state = evaluated
		return nil
	}
	base := mi.prefix() + "module." + d.name
	if mi.depth+1 > MaxModuleDepth {
		// Without the instance keys, the same for every instance of the
		// calls above: reported once.
		ev.report(hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Modules nested too deeply",
			Detail:   fmt.Sprintf("%s is nested %d modules deep; vigil follows at most %d. A module that calls itself never ends.", withoutKeys(base), mi.depth+1, MaxModuleDepth),
			Subject:  d.srcRng.Ptr(),
		}})
		cs.state, cs.mode, cs.stopped = evaluated, unknownExpansion, true
		limit := fmt.Sprintf("modules nested more than %d deep", MaxModuleDepth)
		cs.why = fmt.Sprintf("the outputs of %s are unknown: %s", base, limit)
		ev.notExpanded(mi, cs, base, limit)
		return nil
	}
	cs.state = inProgress
	ev.push(evalStep{what: base})
	mode, why, keys, frames := ev.expansion(mi, d.count, d.forEach, base)
	ev.pop()
	// Checked before the instances are made: a call that would go past
	// the budget makes none.
	if len(keys) > MaxModuleInstances-ev.moduleInstances {
		ev.tooManyModules(d)
		cs.state, cs.mode, cs.stopped = evaluated, unknownExpansion, true
		limit := fmt.Sprintf("the module calls of this root module would create more than %d module instances", MaxModuleInstances)
		cs.why = fmt.Sprintf("the outputs of %s are unknown: %s", base, limit)
		ev.notExpanded(mi, cs, base, limit)
		return nil
	}
	ev.moduleInstances += len(keys)
	cs.mode, cs.why, cs.keys = mode, why, keys
	for i, k := range keys {
		cs.insts = append(cs.insts, ev.newModInst(child, base+k, d, &frames[i], mi.depth+1))
	}
	cs.state = evaluated
	return cs.insts
}

// callee returns the module the call d of module instance mi calls: a
// local module, or the one terraform init installed for the root module;
// nil when it is not loaded, and then why.
func (ev *evaluation) callee(mi *modInst, d *callDecl) (*moduleConfig, string) {
	if d.child != nil || d.isLocal() || d.source == "" {
		return d.child, d.unloaded
	}
	if in := ev.installed[joinKey(mi.key, d.name)]; in != nil {
		return in.cfg, in.why
	}
	return nil, d.unloaded
}

// tooManyModules reports, once per root module, that the module call d
// would create more module instances than MaxModuleInstances allows: once
// the budget is spent, every call after it fails the same way.
func (ev *evaluation) tooManyModules(d *callDecl) {
	if ev.modulesReported {
		return
	}
	ev.modulesReported = true
	ev.report(hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Too many module instances",
		Detail:   fmt.Sprintf("The module calls of the root module in %s would create more than %d module instances; vigil stops here: the outputs of this call, and of the calls it did not expand, are unknown, and their resources are not checked.", ev.root.dir, MaxModuleInstances),
		Subject:  d.rng.Ptr(),
	}})
}

// unexpandedCall is a module call a limit kept from being expanded.
type unexpandedCall struct {
	addr string    // module.a[0].module.b
	why  string    // the limit
	rng  hcl.Range // the call
}

// notExpanded records the resource types declared in the module of cs, a
// call of mi, and in those it calls, local or installed (see installed.go),
// which a limit (why) kept from being expanded at address addr.
func (ev *evaluation) notExpanded(mi *modInst, cs *callState, addr, why string) {
	call := unexpandedCall{addr, why, cs.decl.rng}
	var walk func(cfg *moduleConfig)
	walk = func(cfg *moduleConfig) {
		if cfg == nil || ev.unexpandedSeen[cfg] {
			return
		}
		put(&ev.unexpandedSeen, cfg, true)
		for _, r := range cfg.resources {
			if _, ok := ev.unexpanded[r.typ]; r.managed && !ok {
				put(&ev.unexpanded, r.typ, call)
			}
		}
		for _, c := range cfg.calls {
			walk(c.child)
		}
	}
	child, _ := ev.callee(mi, cs.decl)
	walk(child)
	// The modules installed for calls below this one, whichever way
	// leads to them.
	below := joinKey(mi.key, cs.decl.name) + "."
	for _, k := range sortedKeys(ev.installed) {
		if strings.HasPrefix(k, below) {
			walk(ev.installed[k].cfg)
		}
	}
}

// unexpandedFailures returns, for the root module scope, a collection
// failure for each resource type (and CloudTrail, for aws_cloudtrail)
// that modules a limit kept from being expanded declare: a List<E> rule
// must not pass on a list that may lack some. Each names the call where
// expansion stopped as its entity, which no entity is, so that the rules
// about each entity that was built are unaffected.
func (ev *evaluation) unexpandedFailures(scope string) []entity.Failure {
	out := make([]entity.Failure, 0, len(ev.unexpanded))
	add := func(typ string, c unexpandedCall) {
		out = append(out, entity.Failure{
			Type: typ, Scope: scope, Entity: c.addr, Call: rangeString(c.rng),
			Error: fmt.Sprintf("the resources of %s were not expanded: %s", c.addr, c.why),
		})
	}
	for _, typ := range sortedKeys(ev.unexpanded) {
		c := ev.unexpanded[typ]
		add(typ, c)
		switch {
		case typ == "aws_cloudtrail":
			add("CloudTrail", c)
		case slices.Contains(normalisationInputs, typ):
			// A missing metric filter, alarm, topic or subscription may be
			// what any trail's monitoring chain lacks.
			for _, attr := range [...]string{"metricFilters", "hasSNSSubscriber"} {
				out = append(out, entity.Failure{
					Type: "CloudTrail", Attr: attr, Scope: scope, Call: rangeString(c.rng),
					Error: fmt.Sprintf("the resources of %s were not expanded: %s", c.addr, c.why),
				})
			}
		}
	}
	return out
}

// withoutKeys returns addr without its instance keys ("module.a[0]" and
// `module.a["k"]` are both "module.a"), for a diagnostic that is the same
// for every instance.
func withoutKeys(addr string) string {
	if !strings.Contains(addr, "[") {
		return addr
	}
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case quoted && c == '\\':
			i++ // an escaped character of a quoted key
		case quoted:
			quoted = c != '"'
		case c == '"' && depth > 0:
			quoted = true
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
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
