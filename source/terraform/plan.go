package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	tfjson "github.com/hashicorp/terraform-json"

	"vigil/entity"
)

// maxReferenceDepth bounds how far a reference is followed through module
// variables and outputs in a plan's configuration.
const maxReferenceDepth = 64

// loadPlan builds the entities of a plan read by readPlan: planned_values
// gives the attributes, resource_changes[].change.after_unknown which of
// them are known only after apply, and configuration the references between
// resources.
func loadPlan(path string, pf *planFile, inv *entity.Inventory, types typeFilter) (*entity.Inventory, hcl.Diagnostics) {
	plan := pf.plan
	inv.Scopes = append(inv.Scopes, entity.Scope{Kind: entity.ScopeTerraformModule, ID: ".", Name: path})
	var diags hcl.Diagnostics
	if plan.PlannedValues == nil || plan.PlannedValues.RootModule == nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Plan has no planned values",
			Detail:   fmt.Sprintf("%s has no planned_values.root_module, so it declares no resources to check.", path),
			Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
		})
		return inv, diags
	}
	r := newPlanReader(path, pf)
	instances := r.instances(plan.PlannedValues.RootModule)
	inv.Entities = append(inv.Entities, entities(instances, ".", types)...)
	redactEntities(inv, r.secrets)
	return inv, append(diags, r.diags...)
}

func offsetPos(data []byte, offset int) hcl.Pos {
	if offset > len(data) {
		offset = len(data)
	}
	if offset < 0 {
		offset = 0
	}
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	col := offset - bytes.LastIndexByte(data[:offset], '\n')
	return hcl.Pos{Line: line, Column: col, Byte: offset}
}

type planReader struct {
	path    string
	plan    *tfjson.Plan
	origins map[string]hcl.Pos // see planFile
	unknown map[string]any     // address → after_unknown
	// sensitive holds each resource's after_sensitive, by address; secrets
	// records the values it and sensitive_values mark.
	sensitive map[string]any
	secrets   *entity.Secrets
	// modules lists every module instance path the plan mentions.
	modules map[string]bool
	// byModule indexes instance addresses by module path and "type.name".
	byModule map[string]map[string][]string
	diags    hcl.Diagnostics
	// resolved memoises resolve by module and reference.
	resolved map[string][]string
	seen     map[string]bool // addresses collected
}

func newPlanReader(path string, pf *planFile) *planReader {
	plan := pf.plan
	r := &planReader{
		path: path, plan: plan, origins: pf.origins,
		unknown: map[string]any{}, sensitive: map[string]any{}, secrets: &entity.Secrets{},
		modules: map[string]bool{"": true}, byModule: map[string]map[string][]string{},
		resolved: map[string][]string{}, seen: map[string]bool{},
	}
	for _, rc := range plan.ResourceChanges {
		if rc != nil && rc.Change != nil {
			r.unknown[rc.Address] = rc.Change.AfterUnknown
			r.sensitive[rc.Address] = rc.Change.AfterSensitive
		}
	}
	r.addSensitiveVariables()
	return r
}

// addSensitiveVariables records the values of the root module's variables
// that the configuration declares sensitive: a plan holds them in the
// clear.
func (r *planReader) addSensitiveVariables() {
	cfg := r.plan.Config
	if cfg == nil || cfg.RootModule == nil {
		return
	}
	for name, decl := range cfg.RootModule.Variables {
		if v := r.plan.Variables[name]; decl != nil && decl.Sensitive && v != nil {
			addSensitiveValues(v.Value, true, r.secrets)
		}
	}
}

// addSensitiveValues records in secrets the strings and numbers of v that
// mask marks: mask is true for a value that is sensitive whole, or an object
// or array of masks shaped as v is, as after_sensitive and sensitive_values
// are.
func addSensitiveValues(v, mask any, secrets *entity.Secrets) {
	switch m := mask.(type) {
	case bool:
		if !m {
			return
		}
		switch x := v.(type) {
		case string:
			secrets.Add(x)
		case float64:
			secrets.Add(strconv.FormatFloat(x, 'g', -1, 64))
		case json.Number:
			secrets.Add(x.String())
		case map[string]any:
			for _, e := range x {
				addSensitiveValues(e, true, secrets)
			}
		case []any:
			for _, e := range x {
				addSensitiveValues(e, true, secrets)
			}
		}
	case map[string]any:
		if obj, ok := v.(map[string]any); ok {
			for k, sub := range m {
				addSensitiveValues(obj[k], sub, secrets)
			}
		}
	case []any:
		if list, ok := v.([]any); ok {
			for i, sub := range m {
				if i < len(list) {
					addSensitiveValues(list[i], sub, secrets)
				}
			}
		}
	}
}

// collect gathers the resources of m and its children into out, and
// indexes them; with onlyData, only data sources not yet seen.
func (r *planReader) collect(m *tfjson.StateModule, out *[]*tfjson.StateResource, onlyData bool) {
	if m == nil {
		return
	}
	r.modules[m.Address] = true
	for _, res := range m.Resources {
		if res == nil || r.seen[res.Address] || onlyData && res.Mode != tfjson.DataResourceMode {
			continue
		}
		r.seen[res.Address] = true
		*out = append(*out, res)
		module, _, _ := splitAddress(res.Address)
		key := res.Type + "." + res.Name
		if res.Mode == tfjson.DataResourceMode {
			key = "data." + key
		}
		if r.byModule[module] == nil {
			r.byModule[module] = map[string][]string{}
		}
		r.byModule[module][key] = append(r.byModule[module][key], res.Address)
		for p := module; p != ""; p = parentModule(p) {
			r.modules[p] = true
		}
	}
	for _, c := range m.ChildModules {
		r.collect(c, out, onlyData)
	}
}

func (r *planReader) instances(root *tfjson.StateModule) []*instance {
	var resources []*tfjson.StateResource
	r.collect(root, &resources, false)
	// Data sources read while planning are in prior_state, not in
	// planned_values; they are not entities, but references to them say
	// where a value came from.
	if ps := r.plan.PriorState; ps != nil && ps.Values != nil {
		r.collect(ps.Values.RootModule, &resources, true)
	}
	out := make([]*instance, 0, len(resources))
	for _, res := range resources {
		module, _, _ := splitAddress(res.Address)
		in := &instance{
			addr: res.Address, managed: res.Mode == tfjson.ManagedResourceMode,
			typ: res.Type, name: res.Name, origin: r.origin(res.Address),
		}
		attrs, err := entity.Normalize(map[string]any(res.AttributeValues))
		m, _ := attrs.(map[string]any)
		if err != nil || m == nil {
			m = map[string]any{}
		}
		r.addSensitive(res, m)
		cfg := r.configResource(module, res)
		if cfg != nil {
			in.refs = map[string][]string{}
			for name, e := range cfg.Expressions {
				if refs := r.resolveAll(module, e, 0); len(refs) > 0 {
					in.refs[name] = refs
				}
			}
		}
		if u, ok := r.unknown[res.Address].(map[string]any); ok {
			for name, uu := range u {
				if !hasTrue(uu) {
					continue
				}
				kind, why := entity.UnknownMaybeNull, "known after apply: "+res.Address+"."+name
				if alwaysSetAttributes[name] || len(in.refs[name]) > 0 {
					kind = entity.UnknownSet
				}
				if len(in.refs[name]) > 0 {
					why = "known after apply: " + strings.Join(in.refs[name], ", ")
				}
				m[name] = mergeUnknown(m[name], uu, func() *entity.Unknown { return entity.NewUnknown(kind, why) })
			}
		}
		in.attrs = m
		out = append(out, in)
	}
	return out
}

// addSensitive records the values of res, with attributes attrs, that the
// plan marks sensitive: in the resource's sensitive_values, and in its
// change's after_sensitive.
func (r *planReader) addSensitive(res *tfjson.StateResource, attrs map[string]any) {
	if len(res.SensitiveValues) > 0 {
		var mask any
		if err := json.Unmarshal(res.SensitiveValues, &mask); err == nil {
			addSensitiveValues(attrs, mask, r.secrets)
		}
	}
	addSensitiveValues(attrs, r.sensitive[res.Address], r.secrets)
}

// origin points at the resource's entry in planned_values.
func (r *planReader) origin(addr string) entity.Origin {
	o := entity.Origin{File: r.path}
	if p, ok := r.origins[addr]; ok {
		o.Start = entity.Pos{Line: p.Line, Col: p.Column}
		o.End = o.Start
	}
	return o
}

func hasTrue(u any) bool {
	switch x := u.(type) {
	case bool:
		return x
	case map[string]any:
		for _, v := range x {
			if hasTrue(v) {
				return true
			}
		}
	case []any:
		for _, v := range x {
			if hasTrue(v) {
				return true
			}
		}
	}
	return false
}

// mergeUnknown puts an Unknown into v wherever the after_unknown tree u has
// true.
func mergeUnknown(v, u any, mk func() *entity.Unknown) any {
	if !hasTrue(u) {
		return v
	}
	switch x := u.(type) {
	case bool:
		return mk()
	case map[string]any:
		m, _ := v.(map[string]any)
		if m == nil {
			m = map[string]any{}
		}
		for k, uu := range x {
			m[k] = mergeUnknown(m[k], uu, mk)
		}
		return m
	case []any:
		l, _ := v.([]any)
		for len(l) < len(x) {
			l = append(l, nil)
		}
		for i, uu := range x {
			l[i] = mergeUnknown(l[i], uu, mk)
		}
		return l
	}
	return v
}

// moduleNames returns the call names along a module instance path:
// `module.a["k"].module.b` → [a b].
func moduleNames(path string) []string {
	var names []string
	rest := path
	for strings.HasPrefix(rest, "module.") {
		i := len("module.")
		j := i
		for j < len(rest) && rest[j] != '.' && rest[j] != '[' {
			j++
		}
		names = append(names, rest[i:j])
		if j < len(rest) && rest[j] == '[' {
			j = skipIndex(rest, j)
		}
		if j >= len(rest) {
			break
		}
		rest = rest[j+1:]
	}
	return names
}

func parentModule(path string) string {
	i := strings.LastIndex(path, ".module.")
	for i >= 0 && strings.Count(path[:i], `"`)%2 == 1 { // inside a quoted key
		i = strings.LastIndex(path[:i], ".module.")
	}
	if i < 0 {
		return ""
	}
	return path[:i]
}

func (r *planReader) configModule(module string) *tfjson.ConfigModule {
	if r.plan.Config == nil || r.plan.Config.RootModule == nil {
		return nil
	}
	m := r.plan.Config.RootModule
	for _, n := range moduleNames(module) {
		c := m.ModuleCalls[n]
		if c == nil || c.Module == nil {
			return nil
		}
		m = c.Module
	}
	return m
}

func (r *planReader) configResource(module string, res *tfjson.StateResource) *tfjson.ConfigResource {
	m := r.configModule(module)
	if m == nil {
		return nil
	}
	for _, c := range m.Resources {
		if c.Type == res.Type && c.Name == res.Name && c.Mode == res.Mode {
			return c
		}
	}
	return nil
}

// resolveAll follows the references of an expression (and of its nested
// blocks) in a module instance to the resource instances they read.
func (r *planReader) resolveAll(module string, e *tfjson.Expression, depth int) []string {
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	set := map[string]bool{}
	for _, ref := range e.References {
		for _, a := range r.resolve(module, ref, depth) {
			set[a] = true
		}
	}
	for _, block := range e.NestedBlocks {
		for _, ne := range block {
			for _, a := range r.resolveAll(module, ne, depth) {
				set[a] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// resolve follows one reference, memoised: references through module
// variables and outputs can fan out, and a hostile plan can make them loop.
func (r *planReader) resolve(module, ref string, depth int) []string {
	key := module + "\x00" + ref
	if out, ok := r.resolved[key]; ok {
		return out // nil while in progress: a cycle resolves to nothing
	}
	r.resolved[key] = nil
	out := r.resolveOnce(module, ref, depth)
	r.resolved[key] = out
	return out
}

func (r *planReader) resolveOnce(module, ref string, depth int) []string {
	if depth > maxReferenceDepth {
		return nil
	}
	parts := splitReference(ref)
	if len(parts) < 2 {
		return nil
	}
	switch parts[0] {
	case "var":
		if module == "" {
			return nil
		}
		names := moduleNames(module)
		call := names[len(names)-1]
		parent := parentModule(module)
		pm := r.configModule(parent)
		if pm == nil || pm.ModuleCalls[call] == nil {
			return nil
		}
		return r.resolveAll(parent, pm.ModuleCalls[call].Expressions[parts[1]], depth+1)
	case "module":
		if len(parts) < 3 {
			return nil
		}
		call, output := parts[1], parts[2]
		m := r.configModule(module)
		if m == nil || m.ModuleCalls[call] == nil || m.ModuleCalls[call].Module == nil {
			return nil
		}
		o := m.ModuleCalls[call].Module.Outputs[output]
		if o == nil {
			return nil
		}
		prefix := "module." + call
		if module != "" {
			prefix = module + "." + prefix
		}
		var out []string
		for _, child := range sortedKeys(r.modules) {
			if child == prefix || strings.HasPrefix(child, prefix+"[") && parentModule(child) == module {
				out = append(out, r.resolveAll(child, o.Expression, depth+1)...)
			}
		}
		return out
	case "local", "each", "count", "path", "terraform", "self":
		return nil
	case "data":
		if len(parts) < 3 {
			return nil
		}
		return r.byModule[module]["data."+parts[1]+"."+parts[2]]
	}
	return r.byModule[module][parts[0]+"."+parts[1]]
}

// splitReference splits "aws_x.y[0].arn" or `module.a["k"].out` into its
// names, dropping index steps.
func splitReference(ref string) []string {
	var parts []string
	for i := 0; i < len(ref); {
		switch ref[i] {
		case '.':
			i++
		case '[':
			i = skipIndex(ref, i)
		default:
			j := i
			for j < len(ref) && ref[j] != '.' && ref[j] != '[' {
				j++
			}
			parts = append(parts, ref[i:j])
			i = j
		}
	}
	return parts
}
