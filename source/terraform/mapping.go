package terraform

import (
	"slices"
	"strings"

	"vigil/entity"
)

// A normalised entity type (CloudTrail, IamUser) is built from Terraform by
// one mapping, declared in one file of this package (cloudtrail.go,
// iam_user.go, …) that registers it from its init function. The mapping
// says which resource types give one entity each, which other resource
// types it reads to complete them, the provider's defaults for the
// arguments it reads, and how to build the entity's attributes. The rest
// of the package asks the registry: which resources must become instances
// for the wanted types, which collection failures a resource type that
// could not be read or expanded implies, and which values the provider
// gives arguments the configuration leaves out.

// mapping is how one normalised entity type is built from the resources of
// one root module.
type mapping struct {
	// typ is the entity type, as rules name it: "CloudTrail".
	typ string
	// from are the resource types each managed instance of which gives
	// one entity of the type, identified by its address.
	from []string
	// joined are the other resource types the mapping reads, each with
	// the fields of the entity it contributes to: a missing instance of
	// one (a file that does not parse, a module a limit kept from being
	// expanded) leaves those fields incomplete.
	joined []joinedType
	// defaults are the values the AWS provider gives the arguments the
	// configuration leaves out, by resource type. They apply to the
	// native entities of those types too (see providerDefaults).
	defaults map[string]map[string]any
	// blocks are the nested block types of the resources the mapping
	// reads, which .tf.json files write as objects (see jsonBlockTypes).
	blocks []string
	// seesAllResources is set for a mapping that must tell a reference
	// to a resource declared in the configuration from one it cannot
	// follow, whatever its type: when the type is wanted, every managed
	// resource gets an instance, attribute-less when not otherwise wanted.
	seesAllResources bool
	// build returns the attributes of the entity that instance in, of
	// one of the types in from, gives.
	build func(g *graph, in *instance) map[string]any
}

// joinedType is a resource type a mapping reads besides the ones that give
// its entities, and the fields of the entity it contributes to.
type joinedType struct {
	typ    string
	fields []string
}

// The registry, filled by register from the mapping files' init functions
// and only read afterwards.
var (
	// mappings are the registered mappings, sorted by entity type.
	mappings []*mapping
	// mappingsFrom holds, by resource type, the mappings whose entities
	// it gives; mappingsReading, those that read it at all.
	mappingsFrom    = map[string][]*mapping{}
	mappingsReading = map[string][]*mapping{}
	// providerDefaults are the values the AWS provider gives arguments
	// the configuration leaves out, by resource type, for the resources
	// the mappings read. A plan carries them already; HCL gets them here,
	// so that a rule on the native entity gives the same result on both.
	providerDefaults = map[string]map[string]any{}
)

// register adds m to the registry.
func register(m *mapping) {
	i, _ := slices.BinarySearchFunc(mappings, m.typ, func(x *mapping, typ string) int { return strings.Compare(x.typ, typ) })
	mappings = slices.Insert(mappings, i, m)
	for _, t := range m.from {
		mappingsFrom[t] = append(mappingsFrom[t], m)
		mappingsReading[t] = append(mappingsReading[t], m)
	}
	for _, j := range m.joined {
		mappingsReading[j.typ] = append(mappingsReading[j.typ], m)
	}
	for typ, defs := range m.defaults {
		if providerDefaults[typ] == nil {
			providerDefaults[typ] = map[string]any{}
		}
		for name, v := range defs {
			providerDefaults[typ][name] = v
		}
	}
	for _, b := range m.blocks {
		jsonBlockTypes[b] = true
	}
}

// mappingOf returns the mapping of the entity type typ, or nil when typ is
// not a normalised type.
func mappingOf(typ string) *mapping {
	for _, m := range mappings {
		if m.typ == typ {
			return m
		}
	}
	return nil
}

// givesEntities reports whether instances of the resource type typ give
// entities of a normalised type.
func givesEntities(typ string) bool { return len(mappingsFrom[typ]) > 0 }

// gives reports whether each instance of the resource type typ gives an
// entity of m's type.
func (m *mapping) gives(typ string) bool { return slices.Contains(m.from, typ) }

// fieldsFrom returns the fields of m's entities that the resource type typ
// contributes to, when it is one m joins.
func (m *mapping) fieldsFrom(typ string) []string {
	for _, j := range m.joined {
		if j.typ == typ {
			return j.fields
		}
	}
	return nil
}

// joinedFields returns every field of m's entities that a joined resource
// type contributes to, each once, in the order the mapping declares them.
func (m *mapping) joinedFields() []string {
	var out []string
	for _, j := range m.joined {
		for _, f := range j.fields {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// normalised returns the entities of the wanted normalised types that the
// managed instance in gives, built on g, which it makes on first use.
func normalised(in *instance, instances []*instance, g **graph, scope string, types typeFilter) []*entity.Entity {
	var out []*entity.Entity
	for _, m := range mappingsFrom[in.typ] {
		if !types.entity(m.typ) {
			continue
		}
		if *g == nil {
			*g = newGraph(instances)
		}
		out = append(out, &entity.Entity{
			Type: m.typ, ID: in.addr, Name: displayName(in), Scope: scope,
			Origin: in.origin, Attrs: m.build(*g, in), Suppressions: in.suppressions,
		})
	}
	return out
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
// they are wanted as entities, or the mapping of a wanted normalised type
// reads them.
func (f typeFilter) instance(typ string) bool {
	if f.entity(typ) {
		return true
	}
	for _, m := range mappingsReading[typ] {
		if f[m.typ] {
			return true
		}
	}
	return false
}

// seesAllResources reports whether a wanted mapping needs an instance of
// every managed resource (see mapping.seesAllResources).
func (f typeFilter) seesAllResources() bool {
	for _, m := range mappings {
		if m.seesAllResources && f.entity(m.typ) {
			return true
		}
	}
	return false
}
