package terraform

import (
	"strings"
	"sync"

	"vigil/entity"
)

// What only a live account knows (when a password was last used, the
// account's quotas) is, in code, an Unknown that says so, never absent: a
// rule that reads it must not read null and pass. The entity catalogue
// (entity/types) marks those fields liveOnly: unknown; liveOnlyFields
// gives a mapping their values from it, so that the catalogue and the
// entities cannot disagree.

// liveOnlyCache holds, by entity type, the fields liveOnlyFields fills.
var liveOnlyCache sync.Map // string → []liveOnlyField

// liveOnlyField is one field the catalogue marks liveOnly: unknown, and
// its value in code.
type liveOnlyField struct {
	path  []string
	value *entity.Unknown
}

// fillLiveOnly sets, in attrs, every field of entity type typ that the
// catalogue marks liveOnly: unknown and attrs does not hold, to an Unknown
// naming the calls a live account reads it with. Fields of list elements
// are left to the mapping, and an object is made to hold its fields.
func fillLiveOnly(typ string, attrs map[string]any) {
	for _, f := range liveOnlyFieldsOf(typ) {
		m := attrs
		for _, name := range f.path[:len(f.path)-1] {
			sub, ok := m[name].(map[string]any)
			if !ok {
				if _, set := m[name]; set {
					sub = nil // a value the mapping gave, an Unknown: nothing below it
				} else {
					sub = map[string]any{}
					m[name] = sub
				}
			}
			m = sub
			if m == nil {
				break
			}
		}
		if m == nil {
			continue
		}
		last := f.path[len(f.path)-1]
		if _, set := m[last]; !set {
			m[last] = f.value
		}
	}
}

// liveOnlyFieldsOf returns the fields fillLiveOnly fills for typ, the
// deepest last, read from the catalogue once.
func liveOnlyFieldsOf(typ string) []liveOnlyField {
	if v, ok := liveOnlyCache.Load(typ); ok {
		return v.([]liveOnlyField)
	}
	var out []liveOnlyField
	if sc := entity.SchemaOf(typ); sc != nil {
		for _, f := range sc.Fields {
			// An object's fields are filled one by one, below it.
			if f.Terraform.LiveOnly != entity.LiveOnlyUnknown || strings.Contains(f.Path, "[]") || f.Type == entity.TypeObject {
				continue
			}
			why := "only known in a live account (" + strings.Join(f.Live.Calls, ", ") + "), not from code"
			out = append(out, liveOnlyField{strings.Split(f.Path, "."), entity.NewUnknown(entity.UnknownMaybeNull, why)})
		}
	}
	liveOnlyCache.Store(typ, out)
	return out
}
