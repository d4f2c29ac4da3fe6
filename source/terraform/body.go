package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// A resource's body is evaluated into its attribute values: arguments, nested
// blocks (also those of JSON syntax) and dynamic blocks, counted against
// MaxInstances.

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

// jsonBlockTypes are the nested block types of the resources and data
// sources vigil's mappings read (see mapping.blocks); in .tf.json files
// blocks and object arguments look alike, so these are turned into lists
// of objects as native syntax would give.
var jsonBlockTypes = map[string]bool{}

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
