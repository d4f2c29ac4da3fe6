package terraform

import (
	"fmt"
	"strconv"
	"strings"
	"vigil/entity"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Expansion turns the count and for_each of resources and module calls into
// their instances, lazily and at most once each, within the limits of
// limits.go; a call a limit kept from expanding is recorded, so that the
// resource types its modules declare are reported as not checked.

// Instance keys of the expansions with one instance; read only.
var (
	singleKeys  = []string{""}
	unknownKeys = []string{"[*]"}
)

type expansion uint8

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
	if !ev.firstReport(limitModules) {
		return
	}
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
// failure for each resource type that modules a limit kept from being
// expanded declare, and for the normalised types those resources give or
// contribute to (CloudTrail, for aws_cloudtrail; its metricFilters, for a
// metric filter): a List<E> rule must not pass on a list that may lack
// some. A failure of a type names the call where expansion stopped as its
// entity, which no entity is, so that the rules about each entity that was
// built are unaffected.
func (ev *evaluation) unexpandedFailures(scope string) []entity.Failure {
	out := make([]entity.Failure, 0, len(ev.unexpanded))
	for _, typ := range sortedKeys(ev.unexpanded) {
		c := ev.unexpanded[typ]
		failure := entity.Failure{
			Type: typ, Scope: scope, Entity: c.addr, Call: rangeString(c.rng),
			Error: fmt.Sprintf("the resources of %s were not expanded: %s", c.addr, c.why),
		}
		out = append(out, failure)
		for _, m := range mappingsReading[typ] {
			if m.gives(typ) {
				f := failure
				f.Type = m.typ
				out = append(out, f)
				continue
			}
			// A missing metric filter, alarm, topic or subscription may
			// be what any trail's monitoring chain lacks.
			for _, attr := range m.fieldsFrom(typ) {
				f := failure
				f.Type, f.Attr, f.Entity = m.typ, attr, ""
				out = append(out, f)
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
