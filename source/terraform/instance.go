package terraform

import (
	"slices"
	"strings"

	"vigil/entity"
)

// instance is one resource instance, read from HCL or from a plan, before it
// becomes entities. It is the common ground of both inputs: normalisation
// works on instances only.
type instance struct {
	addr    string // "module.trail.aws_cloudtrail.this[0]"
	module  string // module instance path, "" for the root
	managed bool
	// lazy is set for an instance that is not an entity: only the
	// CloudTrail normalisation reads it, and only a few of its attributes.
	lazy bool
	typ  string
	name string
	// attrs holds the converted attributes of an instance that is not
	// lazy, and refs lists, per attribute, the addresses of the resource
	// instances its value was read from.
	attrs map[string]any
	refs  map[string][]string
	// pending holds the evaluated attributes of a lazy instance, and
	// converted those of them attr has converted, by position: a few
	// attributes in a slice cost less than two maps.
	pending      bodyValues
	converted    []convertedAttr
	origin       entity.Origin
	suppressions []entity.Suppression
}

func (ev *evaluation) newInstance(mi *modInst, rs *resState, ri *resInst, attrs bodyValues) *instance {
	d := rs.decl
	in := &instance{
		addr: ri.addr, module: mi.path, managed: d.managed, typ: d.typ, name: d.name,
		origin: entity.Origin{
			File:  d.rng.Filename,
			Start: entity.Pos{Line: d.rng.Start.Line, Col: d.rng.Start.Column},
			End:   entity.Pos{Line: d.rng.End.Line, Col: d.rng.End.Column},
		},
	}
	if !ev.types.entity(d.typ) && d.typ != "aws_cloudtrail" {
		// Only the CloudTrail normalisation reads it, and only a few of
		// its attributes: convert those when read. A trail is converted
		// whole, for the normalised entity.
		in.pending, in.lazy = attrs, true
	} else {
		in.attrs = make(map[string]any, len(attrs))
		for _, a := range attrs {
			in.convert(a)
		}
		for name, def := range providerDefaults[d.typ] {
			if v, ok := in.attrs[name]; !ok || v == nil {
				in.attrs[name] = def
			}
		}
	}
	sups, diags := suppressionsFor(mi.cfg.comments[d.rng.Filename], d.rng)
	ev.report(diags)
	in.suppressions = sups
	return in
}

// convert converts one evaluated attribute to an entity value, with the
// addresses of the resources it was read from.
func (in *instance) convert(a bodyValue) {
	var c converter
	in.attrs[a.name] = c.value(a.val, nil)
	if len(c.refs) > 0 {
		if in.refs == nil {
			in.refs = map[string][]string{}
		}
		slices.Sort(c.refs)
		in.refs[a.name] = c.refs
	}
}

// convertedAttr is an attribute of a lazy instance as attr converted it.
type convertedAttr struct {
	val  any
	refs []string
	done bool
}

// attr returns the attribute name, converting it first if it is pending:
// nil when the configuration does not set it and the provider gives it no
// default.
func (in *instance) attr(name string) any {
	if !in.lazy {
		return in.attrs[name]
	}
	var v any
	if c := in.convertedAt(name); c != nil {
		v = c.val
	}
	if v == nil {
		v = providerDefaults[in.typ][name]
	}
	return v
}

// convertedAt converts the pending attribute name of a lazy instance, once,
// and returns it; nil when the configuration does not set it.
func (in *instance) convertedAt(name string) *convertedAttr {
	for i := range in.pending {
		if in.pending[i].name != name {
			continue
		}
		if in.converted == nil {
			in.converted = make([]convertedAttr, len(in.pending))
		}
		c := &in.converted[i]
		if !c.done {
			var conv converter
			c.val, c.done = conv.value(in.pending[i].val, nil), true
			if len(conv.refs) > 0 {
				slices.Sort(conv.refs)
				c.refs = conv.refs
			}
		}
		return c
	}
	return nil
}

// refsOf returns the addresses of the resource instances attribute name
// was read from.
func (in *instance) refsOf(name string) []string {
	if !in.lazy {
		return in.refs[name]
	}
	if c := in.convertedAt(name); c != nil {
		return c.refs
	}
	return nil
}

// providerDefaults are the values the AWS provider gives arguments the
// configuration leaves out, for the resources vigil's rules read. A plan
// carries them already; HCL gets them here, so that a rule on the native
// entity gives the same result on both.
var providerDefaults = map[string]map[string]any{
	"aws_cloudtrail": {
		"enable_logging": true, "is_multi_region_trail": false, "is_organization_trail": false,
		"include_global_service_events": true, "enable_log_file_validation": false,
	},
	"aws_cloudwatch_metric_alarm": {"actions_enabled": true},
	"aws_sns_topic_subscription":  {"endpoint_auto_confirms": false},
}

// entities turns the instances of one root module into entities: every
// managed resource of a wanted type as a native entity, and each
// aws_cloudtrail also as a normalised CloudTrail when that is wanted.
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
		if in.typ == "aws_cloudtrail" && types.entity("CloudTrail") {
			if g == nil {
				g = newGraph(instances)
			}
			out = append(out, &entity.Entity{
				Type: "CloudTrail", ID: in.addr, Name: displayName(in), Scope: scope,
				Origin: in.origin, Attrs: g.cloudTrail(in), Suppressions: in.suppressions,
			})
		}
	}
	return out
}

// normalisationInputs are the resource types the CloudTrail normalisation
// (cloudtrail.go) reads.
var normalisationInputs = []string{
	"aws_cloudtrail", "aws_cloudwatch_log_group", "aws_cloudwatch_log_metric_filter",
	"aws_cloudwatch_metric_alarm", "aws_sns_topic", "aws_sns_topic_subscription",
}

// typeFilter is Options.Types as a set; nil wants every type.
type typeFilter map[string]bool

func newTypeFilter(types []string) typeFilter {
	if len(types) == 0 {
		return nil
	}
	f := typeFilter{}
	for _, t := range types {
		f[t] = true
	}
	return f
}

// entity reports whether entities of type typ are wanted.
func (f typeFilter) entity(typ string) bool { return f == nil || f[typ] }

// instance reports whether resources of type typ must become instances:
// they are wanted as entities, or the normalisation of a wanted CloudTrail
// reads them.
func (f typeFilter) instance(typ string) bool {
	return f.entity(typ) || f["CloudTrail"] && slices.Contains(normalisationInputs, typ)
}

func displayName(in *instance) string {
	if s, ok := in.attr("name").(string); ok && s != "" {
		return s
	}
	return in.name
}

// graph indexes the instances of one root module for following references.
type graph struct {
	byAddr map[string]*instance
	byType map[string][]*instance
	// What is worked out once about each alarm and each topic, by its
	// position in byType: every metric filter looks at every alarm, and
	// every alarm of a topic at the topic. A summary is shared by the
	// entities that hold it, which only read it.
	alarmSummaries []alarmSummary
	topicSummaries []topicSummary
}

// alarmSummary is what the normalisation found out about one alarm.
type alarmSummary struct {
	metrics     [][2]any // alarmMetrics
	metricsRead bool
	entry       map[string]any // the normalised alarm, once built
	sub         tri
}

type topicSummary struct {
	entry map[string]any
	sub   tri
}

func newGraph(instances []*instance) *graph {
	g := &graph{byAddr: make(map[string]*instance, len(instances)), byType: map[string][]*instance{}}
	for _, in := range instances {
		g.byAddr[in.addr] = in
		key := in.typ
		if !in.managed {
			key = "data." + key
		}
		g.byType[key] = append(g.byType[key], in)
	}
	for _, list := range g.byType {
		slices.SortStableFunc(list, func(a, b *instance) int { return strings.Compare(a.addr, b.addr) })
	}
	return g
}

// position returns the position of in in list, which is sorted by address
// as newGraph sorts byType's lists and holds in. (A plan may repeat an
// address.)
func position(list []*instance, in *instance) int {
	i, _ := slices.BinarySearchFunc(list, in.addr, func(e *instance, addr string) int { return strings.Compare(e.addr, addr) })
	for list[i] != in {
		i++
	}
	return i
}
