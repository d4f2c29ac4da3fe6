package terraform

import (
	"slices"

	"github.com/zclconf/go-cty/cty"

	"vigil/entity"
)

// instance is one resource instance, read from HCL or from a plan, before it
// becomes entities. It is the common ground of both inputs: normalisation
// works on instances only.
type instance struct {
	addr    string // "module.trail.aws_cloudtrail.this[0]"
	managed bool
	// lazy is set for an instance that is not an entity: only a mapping
	// (see mapping.go) reads it, and only a few of its attributes.
	lazy bool
	typ  string
	name string
	// attrs holds the converted attributes of an instance that is not
	// lazy, and refs lists, per attribute, the addresses of the resource
	// instances its value was read from.
	attrs map[string]any
	refs  map[string][]string
	// pending holds the evaluated attributes of a lazy instance, which
	// attr converts when the normalisation reads them.
	pending      bodyValues
	origin       entity.Origin
	suppressions []entity.Suppression
	// secrets records the strings of the instance's sensitive values as
	// they are converted; shared by the instances of one input.
	secrets *entity.Secrets
}

func (ev *evaluation) newInstance(mi *modInst, rs *resState, ri *resInst, attrs bodyValues) *instance {
	d := rs.decl
	in := &instance{
		addr: ri.addr, managed: d.managed, typ: d.typ, name: d.name, secrets: ev.t.secrets,
		origin: entity.Origin{
			File:  d.rng.Filename,
			Start: entity.Pos{Line: d.rng.Start.Line, Col: d.rng.Start.Column},
			End:   entity.Pos{Line: d.rng.End.Line, Col: d.rng.End.Column},
		},
	}
	if !ev.types.entity(d.typ) && !givesEntities(d.typ) {
		// Only a mapping reads it, and only a few of its attributes:
		// convert those when read. A resource that gives a normalised
		// entity (a trail) is converted whole, for the entity.
		in.pending, in.lazy = attrs, true
	} else {
		in.attrs = make(map[string]any, len(attrs)+len(providerDefaults[d.typ]))
		for _, a := range attrs {
			in.convert(a)
		}
		for name, def := range providerDefaults[d.typ] {
			if v, ok := in.attrs[name]; !ok || v == nil {
				in.attrs[name] = def
			}
		}
	}
	sups, diags := suppressionsFor(mi.cfg.comments[d.rng.Filename], d.rng, ev.t.l.opts.RuleIDs)
	ev.report(diags)
	in.suppressions = sups
	return in
}

// convert converts one evaluated attribute to an entity value, with the
// addresses of the resources it was read from.
func (in *instance) convert(a bodyValue) {
	c := converter{secrets: in.secrets}
	in.attrs[a.name] = c.value(a.val, nil)
	if len(c.refs) > 0 {
		if in.refs == nil {
			in.refs = map[string][]string{}
		}
		slices.Sort(c.refs)
		in.refs[a.name] = c.refs
	}
}

// attr returns the attribute name: nil when the configuration does not set
// it and the provider gives it no default.
func (in *instance) attr(name string) any {
	v, _ := in.attrRefs(name)
	return v
}

// attrRefs returns the attribute name, as attr does, and the addresses of
// the resource instances its value was read from. A lazy instance converts
// the attribute on every call, keeping nothing: the normalisation reads each
// attribute once (see graph).
func (in *instance) attrRefs(name string) (any, []string) {
	if !in.lazy {
		return in.attrs[name], in.refs[name]
	}
	var v any
	var refs []string
	if val, ok := in.pending.get(name); ok {
		c := converter{secrets: in.secrets}
		v = c.value(val, nil)
		if len(c.refs) > 0 {
			slices.Sort(c.refs)
			refs = c.refs
		}
	}
	if v == nil {
		v = providerDefaults[in.typ][name]
	}
	return v, refs
}

// metricTransformation is what the normalisation reads of one
// metric_transformation block of a metric filter.
type metricTransformation struct{ name, namespace, value, dimensions any }

// metricTransformations returns the metric_transformation blocks of a
// metric filter as list and object read attr("metric_transformation"), or
// the Unknown they are. A lazy instance reads the three arguments of each
// block without converting the whole block first.
func (in *instance) metricTransformations() ([]metricTransformation, *entity.Unknown) {
	if in.lazy {
		if v, ok := in.pending.get("metric_transformation"); ok {
			if ts, ok := readMetricTransformations(v); ok {
				return ts, nil
			}
		}
	}
	items, u := list(in.attr("metric_transformation"))
	if u != nil {
		return nil, u
	}
	ts := make([]metricTransformation, len(items))
	for i, t := range items {
		m := object(t)
		ts[i] = metricTransformation{m["name"], m["namespace"], m["value"], m["dimensions"]}
	}
	return ts, nil
}

// readMetricTransformations reads metric_transformation blocks from their
// evaluated value as converting it whole (converter.value) and reading the
// result would. ok is false when v is not a known sequence, or holds a
// sensitive value: the caller converts it then.
func readMetricTransformations(v cty.Value) (ts []metricTransformation, ok bool) {
	if isSensitive(v) {
		return nil, false
	}
	v, reasons := unmarkReasons(v, nil)
	if !v.IsKnown() || v.IsNull() {
		return nil, false
	}
	if ty := v.Type(); !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
		return nil, false
	}
	n := v.LengthInt()
	ts = make([]metricTransformation, 0, n)
	// A list's or tuple's blocks are read by index, which costs no
	// allocation; a set's with an iterator, in the same order.
	var set cty.ElementIterator
	if v.Type().IsSetType() {
		set = v.ElementIterator()
	}
	var c converter
	for i := range n {
		var marked cty.Value
		if set != nil {
			set.Next()
			_, marked = set.Element()
		} else {
			marked = v.Index(indexKey(i))
		}
		e, reasons := unmarkReasons(marked, reasons)
		if !e.IsKnown() || e.IsNull() || !e.Type().IsObjectType() {
			m := object(c.value(marked, reasons))
			ts = append(ts, metricTransformation{m["name"], m["namespace"], m["value"], m["dimensions"]})
			continue
		}
		arg := func(name string) any {
			if !e.Type().HasAttribute(name) {
				return nil
			}
			return c.value(e.GetAttr(name), reasons)
		}
		ts = append(ts, metricTransformation{arg("name"), arg("namespace"), arg("value"), arg("dimensions")})
	}
	return ts, true
}

// indexKey returns index i as a cty number.
func indexKey(i int) cty.Value {
	if i < len(indexKeys) {
		return indexKeys[i]
	}
	return cty.NumberIntVal(int64(i))
}

// indexKeys are the indexes of the first blocks of a list, made once.
var indexKeys = func() (keys [8]cty.Value) {
	for i := range keys {
		keys[i] = cty.NumberIntVal(int64(i))
	}
	return keys
}()

// unmarkReasons unmarks v and adds the reasons it was marked with to
// reasons, as converter.value does.
func unmarkReasons(v cty.Value, reasons []string) (cty.Value, []string) {
	if !v.IsMarked() {
		return v, reasons
	}
	v, marks := v.Unmark()
	for m := range marks {
		if r, ok := m.(reasonMark); ok {
			reasons = append(reasons[:len(reasons):len(reasons)], string(r))
		}
	}
	return v, reasons
}

// entities turns the instances of one root module into entities: every
// managed resource of a wanted type as a native entity, and each resource
// that gives a normalised entity of a wanted type (an aws_cloudtrail a
// CloudTrail) also as that entity.
func entities(instances []*instance, scope string, types typeFilter) []*entity.Entity {
	var out []*entity.Entity
	var g *graph
	for _, in := range instances {
		if !in.managed {
			continue
		}
		if types.entity(in.typ) {
			out = append(out, &entity.Entity{
				Type: in.typ, ID: in.addr, Name: displayName(in), Scope: scope,
				Origin: in.origin, Attrs: in.attrs, Suppressions: in.suppressions,
			})
		}
		out = append(out, normalised(in, instances, &g, scope, types)...)
	}
	return out
}

func displayName(in *instance) string {
	if s, ok := in.attr("name").(string); ok && s != "" {
		return s
	}
	return in.name
}
