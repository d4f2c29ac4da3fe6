package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"vigil/diag"
	"vigil/entity"
	"vigil/gsl"
)

// CheckField returns "" when the entity type typ has the field at path
// ("status.isLogging", "metricFilters[].filterPattern"; see
// gsl.Rule.FieldReads), or when vigil has no schema for typ (a Terraform
// resource type, whose fields are the provider's, or another cloud's
// type). Otherwise it says why the path names nothing, with the closest
// field the type declares (see entity.Schema).
func CheckField(typ, path string) string {
	s := entity.SchemaOf(typ)
	if s == nil || s.Covers(path) {
		return ""
	}
	for a := range entity.Ancestors(path) {
		f := s.Field(a)
		if f == nil {
			continue
		}
		rest := path[len(a):]
		switch {
		case f.Type == entity.TypeListOfObjects && strings.HasPrefix(rest, "."):
			return fmt.Sprintf("%s's field %q is a list: read the fields of its elements with a list operator (%s with [%s ...])",
				typ, a, displayPath(a), strings.TrimPrefix(rest, "."))
		case f.Type == entity.TypeObject && strings.HasPrefix(rest, "[]"):
			return fmt.Sprintf("%s's field %q is an object, not a list: read its fields as %s.name", typ, a, displayPath(a))
		case !f.Type.HasFields():
			return fmt.Sprintf("%s's field %q is a %s, which has no fields", typ, a, f.Type)
		}
		break
	}
	msg := fmt.Sprintf("%s has no field %q", typ, path)
	if near := nearestField(s, path); near != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", near)
	}
	return msg + fmt.Sprintf("; 'vigil entities %s' lists the fields it has", typ)
}

// nearestField returns the declared path closest to path: one a typo
// away, or else one whose last name is close to path's, as when the path
// leaves out the object the field is in ("isLogging" for
// "status.isLogging"); "" when there is none.
func nearestField(s *entity.Schema, path string) string {
	paths := s.Paths()
	if near := Suggest(path, paths); near != "" {
		return near
	}
	leaves := make([]string, len(paths))
	for i, p := range paths {
		leaves[i] = leafName(p)
	}
	if near := Suggest(leafName(path), leaves); near != "" {
		return paths[slices.Index(leaves, near)]
	}
	return ""
}

// leafName is the last name of a path: "filterPattern" for
// "metricFilters[].filterPattern".
func leafName(path string) string {
	return path[strings.LastIndexByte(path, '.')+1:]
}

// displayPath is a path as a rule writes it at the level it is read: the
// part after the last list's elements ("metricFilters[].alarms" reads
// "alarms" inside the brackets of metricFilters).
func displayPath(path string) string {
	if i := strings.LastIndex(path, "[]."); i >= 0 {
		return path[i+3:]
	}
	return path
}

// fieldErrors checks the fields that the logic of a rule file vigil loads
// to run reads, and each variant's logic, against the rule's entity type
// (CheckField): a field the type does not declare is an error at the
// path's position in the file. Logic that does not parse is left to the
// engine, which reports why.
func (p *parser) fieldErrors(r *Rule) ErrorList {
	if !p.loading || r == nil || entity.SchemaOf(r.Entity) == nil {
		return nil
	}
	var errs ErrorList
	check := func(field string, logic *Rule) {
		parsed, err := gsl.Parse(logic.Logic)
		if err != nil {
			return
		}
		for _, read := range parsed.FieldReads() {
			if msg := CheckField(parsed.Entity, read.Path); msg != "" {
				// The logic is a YAML scalar whose lines all start at
				// LogicCol (see engine's logicErrors).
				at := (&Error{Line: read.Span.Start.Line, Col: read.Span.Start.Col, Field: field, Msg: msg}).
					InBlock(r.File, diag.Pos{Line: logic.LogicLine, Col: logic.LogicCol})
				errs = append(errs, at)
			}
		}
	}
	check("logic", r)
	for _, name := range slices.Sorted(maps.Keys(r.Variants)) {
		v := r.Variants[name]
		check("variants."+name, &Rule{Logic: v.Logic, LogicLine: v.LogicLine, LogicCol: v.LogicCol})
	}
	return errs
}

// FieldsRead returns the paths of the fields that the rule's logic and its
// variants read from the rule's entity (gsl.Rule.FieldReads), each once,
// in the order first written. Logic that does not parse adds nothing.
func (r *Rule) FieldsRead() []string {
	var out []string
	logics := []string{r.Logic}
	for _, name := range slices.Sorted(maps.Keys(r.Variants)) {
		logics = append(logics, r.Variants[name].Logic)
	}
	for _, logic := range logics {
		parsed, err := gsl.Parse(logic)
		if err != nil {
			continue
		}
		for _, read := range parsed.FieldReads() {
			if !slices.Contains(out, read.Path) {
				out = append(out, read.Path)
			}
		}
	}
	return out
}
