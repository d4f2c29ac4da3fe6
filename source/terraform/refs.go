package terraform

// References: what an expression reads, and the values it reads, built
// lazily and cached.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// simpleTemplate evaluates a string template made only of literals and
// plain references ("${var.name}-logs", "${aws_x.y.arn}:*") without an
// evaluation context, as HCL would: an unknown part makes the string an
// unknown that is not null, and marks carry over. ok is false for anything
// else, including a null or non-string part, which the general path reports.
// A string larger than MaxValueBytes, or past the budget, is reported and
// Unknown, as the general path would make it (see templateFunc).
func (ev *evaluation) simpleTemplate(e *hclsyntax.TemplateExpr, fr *frame, iters map[string]cty.Value) (cty.Value, bool) {
	if e.IsStringLiteral() {
		// A quoted string with no interpolation: its one part is the value.
		if v := e.Parts[0].(*hclsyntax.LiteralValueExpr).Val; v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			return v, true
		}
	}
	// Most templates have a few parts: keep them, and their marks, on the
	// stack and build the string in one allocation at the end.
	var partBuf [8]string
	var markBuf [4]cty.ValueMarks
	strs, marks := partBuf[:0], markBuf[:0]
	size := 0
	unknown := false
	parts := e.Parts
	if len(parts) == 1 && isCall(parts[0], templateFunc) {
		parts = parts[0].(*hclsyntax.FunctionCallExpr).Args[1:] // joined by templateFunc for HCL
	}
	for _, part := range parts {
		var v cty.Value
		switch p := part.(type) {
		case *hclsyntax.LiteralValueExpr:
			v = p.Val
		case *hclsyntax.ScopeTraversalExpr:
			var diags hcl.Diagnostics
			var ok bool
			v, diags, ok = ev.traverse(p.Traversal, fr, iters)
			if !ok || diags.HasErrors() {
				return cty.NilVal, false
			}
		default:
			return cty.NilVal, false
		}
		v, m := v.Unmark()
		if len(m) > 0 {
			marks = append(marks, m)
		}
		switch {
		case !v.IsKnown():
			unknown = true
			continue
		case v.IsNull():
			return cty.NilVal, false
		}
		if v.Type() != cty.String {
			str, err := convert.Convert(v, cty.String)
			if err != nil {
				return cty.NilVal, false
			}
			v = str
		}
		strs = append(strs, v.AsString())
		size += len(strs[len(strs)-1])
	}
	if unknown {
		return unknownString.WithMarks(marks...), true
	}
	var str string
	switch len(strs) {
	case 0:
	case 1:
		str = strs[0]
	default:
		if err := ev.build(int64(size)); err != nil {
			summary := ev.reportBuild(err, e.SrcRange)
			return notComputed(fmt.Sprintf("the expression at %s could not be evaluated: %s", rangeString(e.SrcRange), summary)), true
		}
		var b strings.Builder
		b.Grow(size)
		for _, s := range strs {
			b.WriteString(s)
		}
		str = b.String()
	}
	return cty.StringVal(str).WithMarks(marks...), true
}

// plainValue evaluates, without an evaluation context, an expression made
// only of literals, plain references and simple templates, combined by index steps
// (var.emails[count.index]), attribute steps (aws_x.y[each.key].name),
// tuples ([aws_x.y.arn]) and objects ({ Name = var.name }), as HCL would. ok is false for anything else, and
// whenever a step gives a diagnostic: the general path then evaluates the
// expression and reports it.
func (ev *evaluation) plainValue(expr hcl.Expression, fr *frame, iters map[string]cty.Value) (cty.Value, bool) {
	// Nested parts count against MaxEvalDepth as evaluations do; at the
	// limit, eval's general path reports it.
	if ev.depth >= MaxEvalDepth {
		return cty.NilVal, false
	}
	ev.depth++
	v, ok := ev.plainValueExpr(expr, fr, iters)
	ev.depth--
	return v, ok
}

// plainValueExpr is plainValue within the bound on depth.
func (ev *evaluation) plainValueExpr(expr hcl.Expression, fr *frame, iters map[string]cty.Value) (cty.Value, bool) {
	switch e := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		return e.Val, true
	case *hclsyntax.TemplateExpr:
		return ev.simpleTemplate(e, fr, iters)
	case *hclsyntax.TemplateWrapExpr:
		return ev.plainValue(e.Wrapped, fr, iters)
	case *hclsyntax.ScopeTraversalExpr:
		v, diags, ok := ev.traverse(e.Traversal, fr, iters)
		return v, ok && len(diags) == 0
	case *hclsyntax.IndexExpr:
		coll, ok := ev.plainValue(e.Collection, fr, iters)
		if !ok {
			return cty.NilVal, false
		}
		key, ok := ev.plainValue(e.Key, fr, iters)
		if !ok {
			return cty.NilVal, false
		}
		v, diags := hcl.Index(coll, key, &e.BracketRange)
		return v, len(diags) == 0
	case *hclsyntax.RelativeTraversalExpr:
		src, ok := ev.plainValue(e.Source, fr, iters)
		if !ok {
			return cty.NilVal, false
		}
		v, diags := e.Traversal.TraverseRel(src)
		return v, len(diags) == 0
	case *hclsyntax.ObjectConsExpr:
		// As HCL builds it, for keys that are names or plain strings.
		vals := make(map[string]cty.Value, len(e.Items))
		for _, item := range e.Items {
			ke, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr)
			if !ok {
				return cty.NilVal, false
			}
			var key string
			if trav, isName := ke.Wrapped.(*hclsyntax.ScopeTraversalExpr); isName && !ke.ForceNonLiteral {
				if len(trav.Traversal) != 1 {
					return cty.NilVal, false // an ambiguous key: HCL says so
				}
				key = trav.Traversal.RootName()
			} else {
				k, ok := ev.plainValue(ke.Wrapped, fr, iters)
				if !ok || k.IsMarked() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
					return cty.NilVal, false
				}
				key = k.AsString()
			}
			v, ok := ev.plainValue(item.ValueExpr, fr, iters)
			if !ok {
				return cty.NilVal, false
			}
			vals[key] = v
		}
		return cty.ObjectVal(vals), true
	case *hclsyntax.TupleConsExpr:
		vals := make([]cty.Value, len(e.Exprs))
		for i, x := range e.Exprs {
			v, ok := ev.plainValue(x, fr, iters)
			if !ok {
				return cty.NilVal, false
			}
			vals[i] = v
		}
		return cty.TupleVal(vals), true
	}
	return cty.NilVal, false
}

// traverse evaluates a plain reference ("var.name", "aws_x.y[0].arn")
// without building an evaluation context; ok is false for the references it
// leaves to the general path.
func (ev *evaluation) traverse(tr hcl.Traversal, fr *frame, iters map[string]cty.Value) (cty.Value, hcl.Diagnostics, bool) {
	mi := fr.mi
	root := tr.RootName()
	var v cty.Value
	var rest hcl.Traversal
	if iv, ok := iters[root]; ok {
		v, rest = iv, tr[1:]
	} else {
		switch root {
		case "var", "local":
			name := attrStep(tr, 1)
			if name == "" {
				return cty.NilVal, nil, false
			}
			if root == "var" {
				v = ev.variable(mi, name, []hcl.Traversal{tr})
			} else {
				v = ev.local(mi, name, []hcl.Traversal{tr})
			}
			rest = tr[2:]
		case "each":
			switch {
			case fr.eachKey == cty.NilVal:
				return cty.NilVal, nil, false
			case attrStep(tr, 1) == "key":
				v, rest = fr.eachKey, tr[2:]
			case attrStep(tr, 1) == "value":
				v, rest = fr.eachVal, tr[2:]
			default:
				v, rest = fr.each(), tr[1:]
			}
		case "count":
			switch {
			case fr.countIdx == cty.NilVal:
				return cty.NilVal, nil, false
			case attrStep(tr, 1) == "index":
				v, rest = fr.countIdx, tr[2:]
			default:
				v, rest = fr.count(), tr[1:]
			}
		case "module":
			name := attrStep(tr, 1)
			if name == "" {
				return cty.NilVal, nil, false
			}
			var w wants
			w.add(firstAttrFrom(tr, 2))
			v, rest = ev.moduleValue(mi, name, &w, []hcl.Traversal{tr}), tr[2:]
		case "data":
			typ, name := attrStep(tr, 1), attrStep(tr, 2)
			if typ == "" || name == "" {
				return cty.NilVal, nil, false
			}
			var w wants
			w.add(firstAttrFrom(tr, 3))
			v, rest = ev.resourceValue(mi, "data."+typ+"."+name, &w, []hcl.Traversal{tr}), tr[3:]
		case "path", "terraform", "self":
			return cty.NilVal, nil, false
		default:
			name := attrStep(tr, 1)
			if name == "" {
				return cty.NilVal, nil, false
			}
			var w wants
			w.add(firstAttrFrom(tr, 2))
			v, rest = ev.resourceValue(mi, root+"."+name, &w, []hcl.Traversal{tr}), tr[2:]
		}
	}
	if len(rest) == 0 {
		return v, nil, true
	}
	out, diags := rest.TraverseRel(v)
	return out, diags, true
}

// wants collects which attributes of one object the traversals of an
// expression read; all is set when one reads the object whole. Expressions
// read few names, so a slice beats a map.
type wants struct {
	names []string
	all   bool
}

// key identifies the set of attributes, for caching.
func (w *wants) key() string {
	if len(w.names) == 1 && !w.all {
		return w.names[0]
	}
	names := append([]string(nil), w.names...)
	sort.Strings(names)
	if w.all {
		names = append(names, "*")
	}
	return strings.Join(names, ",")
}

func (w *wants) add(name string) {
	if name == "" {
		w.all = true
		return
	}
	for _, n := range w.names {
		if n == name {
			return
		}
	}
	w.names = append(w.names, name)
}

// context builds the evaluation context for traversals in fr: only what they
// read is evaluated.
func (ev *evaluation) context(fr *frame, iters map[string]cty.Value, traversals []hcl.Traversal) *hcl.EvalContext {
	mi := fr.mi
	ctx := ev.ctx.NewChild()
	if len(traversals) == 0 {
		return ctx
	}
	vars := make(map[string]cty.Value, len(traversals))
	var varNames, localNames wants
	var modules map[string]*wants
	var resources map[string]map[string]*wants // "aws_x" or "data.aws_x" → name → attributes
	for _, tr := range traversals {
		root := tr.RootName()
		if v, ok := iters[root]; ok {
			vars[root] = v
			continue
		}
		switch root {
		case "var":
			varNames.add(attrStep(tr, 1))
		case "local":
			localNames.add(attrStep(tr, 1))
		case "count":
			if fr.countIdx != cty.NilVal {
				vars["count"] = fr.count()
			}
		case "each":
			if fr.eachKey != cty.NilVal {
				vars["each"] = fr.each()
			}
		case "path":
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(ev.modulePath(mi.cfg)), "root": cty.StringVal("."), "cwd": cty.StringVal("."),
			})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "self":
		case "module":
			name := attrStep(tr, 1)
			if name == "" {
				continue
			}
			if modules == nil {
				modules = map[string]*wants{}
			}
			w := modules[name]
			if w == nil {
				w = &wants{}
				modules[name] = w
			}
			w.add(firstAttrFrom(tr, 2))
		case "data":
			typ, name := attrStep(tr, 1), attrStep(tr, 2)
			if typ == "" || name == "" {
				continue
			}
			resources = addResourceWant(resources, "data."+typ, name, firstAttrFrom(tr, 3))
		default:
			name := attrStep(tr, 1)
			if name == "" {
				continue
			}
			resources = addResourceWant(resources, root, name, firstAttrFrom(tr, 2))
		}
	}
	if varNames.all || len(varNames.names) > 0 {
		vars["var"] = ev.varObject(fr, &varNames, traversals)
	}
	if localNames.all || len(localNames.names) > 0 {
		vars["local"] = ev.localObject(mi, &localNames, traversals)
	}
	if len(modules) > 0 {
		obj := map[string]cty.Value{}
		for name, w := range modules {
			obj[name] = ev.moduleValue(mi, name, w, traversals)
		}
		vars["module"] = cty.ObjectVal(obj)
	}
	var data map[string]cty.Value
	for typ, names := range resources {
		obj := map[string]cty.Value{}
		for name, w := range names {
			obj[name] = ev.resourceValue(mi, typ+"."+name, w, traversals)
		}
		if t, ok := strings.CutPrefix(typ, "data."); ok {
			if data == nil {
				data = map[string]cty.Value{}
			}
			data[t] = cty.ObjectVal(obj)
		} else {
			vars[typ] = cty.ObjectVal(obj)
		}
	}
	if len(data) > 0 {
		vars["data"] = cty.ObjectVal(data)
	}
	ctx.Variables = vars
	return ctx
}

func addResourceWant(resources map[string]map[string]*wants, typ, name, attr string) map[string]map[string]*wants {
	if resources == nil {
		resources = map[string]map[string]*wants{}
	}
	names := resources[typ]
	if names == nil {
		names = map[string]*wants{}
		resources[typ] = names
	}
	w := names[name]
	if w == nil {
		w = &wants{}
		names[name] = w
	}
	w.add(attr)
	return resources
}

// subjectFor finds the traversal that starts with root.name, for pointing a
// diagnostic at it.
func subjectFor(traversals []hcl.Traversal, parts ...string) *hcl.Range {
	for _, tr := range traversals {
		ok := true
		for i, p := range parts {
			if attrStep(tr, i) != p {
				ok = false
				break
			}
		}
		if ok {
			return tr.SourceRange().Ptr()
		}
	}
	return nil
}

// undeclared returns the value of a reference, at subject, to what (a
// "resource", a "local value") named name, which the module cfg does not
// declare: an Unknown that says so. Fixtures and partial modules refer to
// what lies elsewhere; rules that read the value give UNKNOWN, never PASS.
// Each name of a module is one warning, or an error with Options.Strict,
// at its first reference in the files (attributes are evaluated in no
// fixed order).
func (ev *evaluation) undeclared(cfg *moduleConfig, what, name string, subject *hcl.Range) cty.Value {
	key := cfg.dir + "\x00" + what + "\x00" + name
	if d := ev.undeclaredDiags[key]; d != nil {
		if subject != nil && (d.Subject == nil || before(*subject, *d.Subject)) {
			d.Subject = subject
		}
	} else {
		d = &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Reference to undeclared " + what,
			Detail:   fmt.Sprintf("No %s named %q is declared in this module; vigil treats its value as unknown, so the rules that read it give UNKNOWN (--strict makes this an error).", what, name),
			Subject:  subject,
		}
		if ev.t.l.opts.Strict {
			d.Severity = hcl.DiagError
			d.Detail = fmt.Sprintf("No %s named %q is declared in this module.", what, name)
		}
		put(&ev.undeclaredDiags, key, d)
		ev.diags = append(ev.diags, d)
	}
	return notComputed(fmt.Sprintf("%s %q is not declared", what, name))
}

// before reports whether a starts before b: in an earlier file, or
// earlier in the same file.
func before(a, b hcl.Range) bool {
	if a.Filename != b.Filename {
		return a.Filename < b.Filename
	}
	return a.Start.Byte < b.Start.Byte
}

func (ev *evaluation) varObject(fr *frame, w *wants, traversals []hcl.Traversal) cty.Value {
	mi := fr.mi
	key := w.key()
	if v, ok := mi.varObjs[key]; ok {
		return v
	}
	v := ev.buildVarObject(fr, w, traversals)
	if mi.call == nil || allEvaluated(mi.vars, w) {
		put(&mi.varObjs, key, v)
	}
	return v
}

// allEvaluated reports whether every memo w names is evaluated, so that an
// object built from them can be cached.
func allEvaluated(memos map[string]*memo, w *wants) bool {
	if w.all {
		return false
	}
	for _, n := range w.names {
		if m := memos[n]; m == nil || m.state != evaluated {
			return false
		}
	}
	return true
}

func (ev *evaluation) buildVarObject(fr *frame, w *wants, traversals []hcl.Traversal) cty.Value {
	mi := fr.mi
	names := w.names
	if w.all {
		names = sortedKeys(mi.cfg.variables)
	}
	obj := make(map[string]cty.Value, len(names))
	for _, n := range names {
		obj[n] = ev.variable(mi, n, traversals)
	}
	return cty.ObjectVal(obj)
}

func (ev *evaluation) localObject(mi *modInst, w *wants, traversals []hcl.Traversal) cty.Value {
	key := w.key()
	if v, ok := mi.localObjs[key]; ok {
		return v
	}
	v := ev.buildLocalObject(mi, w, traversals)
	if allEvaluated(mi.locals, w) {
		put(&mi.localObjs, key, v)
	}
	return v
}

func (ev *evaluation) buildLocalObject(mi *modInst, w *wants, traversals []hcl.Traversal) cty.Value {
	names := w.names
	if w.all {
		names = sortedKeys(mi.cfg.locals)
	}
	obj := make(map[string]cty.Value, len(names))
	for _, n := range names {
		obj[n] = ev.local(mi, n, traversals)
	}
	return cty.ObjectVal(obj)
}

// resourceValue is what a reference to a resource or data source reads: one
// object, a tuple of them (count) or an object of them (for_each). Each
// value carries the resource's address as a mark; attributes the
// configuration does not set are Unknown.
func (ev *evaluation) resourceValue(mi *modInst, key string, w *wants, traversals []hcl.Traversal) cty.Value {
	rs := ev.resource(mi, key)
	if rs == nil {
		parts := strings.Split(key, ".")
		what := "resource"
		if parts[0] == "data" {
			what = "data source"
		}
		return ev.undeclared(mi.cfg, what, key, subjectFor(traversals, parts...))
	}
	wk := w.key()
	if v, ok := rs.values[wk]; ok {
		return v
	}
	v, complete := ev.buildResourceValue(mi, rs, w)
	if complete {
		if rs.values == nil {
			rs.values = map[string]cty.Value{}
		}
		rs.values[wk] = v
	}
	return v
}

// buildResourceValue builds what resourceValue returns; complete is false
// when an instance could not be evaluated yet (a cycle), so the value must
// not be cached.
func (ev *evaluation) buildResourceValue(mi *modInst, rs *resState, w *wants) (cty.Value, bool) {
	key := rs.decl.key
	insts := ev.expand(rs)
	if rs.state != evaluated {
		return notComputed(mi.prefix() + key + " depends on itself"), false
	}
	for _, ri := range insts {
		ev.instanceAttrs(ri, rs.decl)
		if ri.state != evaluated {
			return notComputed(ri.addr + " depends on itself"), false
		}
	}
	switch rs.mode {
	case unknownExpansion:
		return unknownMaybeNull(rs.why).Mark(refMark(insts[0].addr)), true
	case single:
		if len(insts) == 0 {
			return unknownMaybeNull(mi.prefix() + key + " could not be expanded"), true
		}
		return ev.instanceObject(insts[0], rs.decl, w), true
	case counted:
		if len(insts) == 0 {
			return cty.EmptyTupleVal, true
		}
		list := make([]cty.Value, len(insts))
		for i, ri := range insts {
			list[i] = ev.instanceObject(ri, rs.decl, w)
		}
		return cty.TupleVal(list), true
	}
	obj := make(map[string]cty.Value, len(insts))
	for _, ri := range insts {
		k, _ := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(ri.key, "["), "]"))
		obj[k] = ev.instanceObject(ri, rs.decl, w)
	}
	return cty.ObjectVal(obj), true
}

func (ev *evaluation) instanceObject(ri *resInst, d *resourceDecl, w *wants) cty.Value {
	attrs := ev.instanceAttrs(ri, d)
	if attrs == nil && ri.state != evaluated {
		return notComputed(ri.addr + " depends on itself")
	}
	// The object as a whole carries the address: whatever is read from it
	// carries it too. A reference that names the attributes it reads gets
	// an object of those alone, rather than a copy of every attribute.
	var obj map[string]cty.Value
	if w.all {
		obj = make(map[string]cty.Value, len(attrs)+len(alwaysSetAttributes))
		for _, a := range attrs {
			obj[a.name] = a.val
		}
	} else {
		obj = make(map[string]cty.Value, len(w.names))
		for _, name := range w.names {
			if v, ok := attrs.get(name); ok {
				obj[name] = v
			}
		}
	}
	add := func(name string) {
		if _, ok := obj[name]; ok {
			return
		}
		if compute, ok := computedAttributes[d.typ][name]; ok && !d.managed {
			obj[name] = compute(ri.addr, attrs)
			return
		}
		if arg, ok := sameAsArgument[d.typ][name]; ok {
			if v, set := attrs.get(arg); set && !v.IsNull() {
				obj[name] = v
				return
			}
		}
		if alwaysSetAttributes[name] {
			obj[name] = unknownString.Mark(reasonMark("known after apply: " + ri.addr + "." + name))
			return
		}
		obj[name] = unknownMaybeNull(ri.addr + "." + name + " is not set in the configuration and is known only after apply")
	}
	for _, name := range w.names {
		add(name)
	}
	if w.all {
		for name := range alwaysSetAttributes {
			add(name)
		}
		if !d.managed {
			for name := range computedAttributes[d.typ] {
				add(name)
			}
		}
	}
	return cty.ObjectVal(obj).Mark(refMark(ri.addr))
}

// moduleValue is what a reference to a module call reads: an object of its
// outputs, or a tuple or object of such objects for count and for_each.
func (ev *evaluation) moduleValue(mi *modInst, name string, w *wants, traversals []hcl.Traversal) cty.Value {
	cs := ev.call(mi, name)
	if cs == nil {
		return ev.undeclared(mi.cfg, "module call", name, subjectFor(traversals, "module", name))
	}
	if child, why := ev.callee(mi, cs.decl); child == nil {
		return unknownMaybeNull(fmt.Sprintf("the outputs of module %s are unknown: %s", name, why))
	}
	insts := ev.expandCall(cs, mi)
	if cs.mode == unknownExpansion || cs.state != evaluated {
		why := cs.why
		if why == "" {
			why = "module " + name + " could not be expanded"
		}
		if cs.stopped {
			return notComputed(why)
		}
		return unknownMaybeNull(why)
	}
	objs := make([]cty.Value, len(insts))
	for i, child := range insts {
		names := w.names
		if w.all {
			names = sortedKeys(child.cfg.outputs)
		}
		obj := make(map[string]cty.Value, len(names))
		for _, n := range names {
			if _, ok := child.cfg.outputs[n]; ok {
				obj[n] = ev.output(child, n)
			}
		}
		objs[i] = cty.ObjectVal(obj)
	}
	switch cs.mode {
	case single:
		if len(objs) == 0 {
			return unknownMaybeNull("module " + name + " has no instance")
		}
		return objs[0]
	case counted:
		return cty.TupleVal(objs)
	}
	obj := make(map[string]cty.Value, len(objs))
	for i, k := range cs.keys {
		key, _ := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(k, "["), "]"))
		obj[key] = objs[i]
	}
	return cty.ObjectVal(obj)
}
