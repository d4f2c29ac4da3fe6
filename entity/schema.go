package entity

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
)

// A Schema declares one normalised entity type (CloudTrail) field by
// field: what each field means, which AWS API call and response field it
// comes from in a live account, which Terraform resource and attribute it
// comes from in code, and whether code knows it before apply. The schemas
// are data, one YAML file per type in entity/types, embedded in the
// binary: the entity catalogue. "vigil entities" prints it,
// docs/entities.md is generated from it, the rules package rejects a rule
// that reads a field its type does not declare, and "vigil rules show"
// lists the IAM actions a rule needs from it.
//
// Native Terraform types (aws_cloudtrail) have no schema: their fields are
// the provider's arguments and attributes.
type Schema struct {
	// Name is the entity type, as rules name it: "CloudTrail".
	Name string `yaml:"type"`
	// Summary says in one line what one entity of the type is.
	Summary string `yaml:"summary"`
	// About describes the cloud service behind the type, in a few
	// sentences, for people reading a rule about it.
	About string `yaml:"about"`
	// Live says how a live account yields entities of the type, and
	// Terraform how code does.
	Live      string `yaml:"live"`
	Terraform string `yaml:"terraform"`
	// ListedBy are the IAM actions without which no entity of the type can
	// be listed ("cloudtrail:DescribeTrails").
	ListedBy []string `yaml:"listedBy"`
	// Fields are the type's fields, parents before their children.
	Fields []*SchemaField `yaml:"fields"`

	byPath map[string]*SchemaField
}

// SchemaField is one field of an entity type.
type SchemaField struct {
	// Path is the field's path from the entity: names joined by ".", with
	// "[]" after a list whose elements have fields
	// ("metricFilters[].filterPattern"), as CloudGuard's data model writes
	// them.
	Path string `yaml:"path"`
	// Type is the type of the field's value.
	Type ValueType `yaml:"type"`
	// Meaning says in one sentence what the value means, and for a field
	// vigil computes, what vigil computes.
	Meaning string `yaml:"meaning"`
	// Live is where a live account's value comes from.
	Live LiveSource `yaml:"live"`
	// Terraform is where the value comes from in Terraform code.
	Terraform TerraformSource `yaml:"terraform"`
}

// LiveSource is where a field's value comes from in a live account: the
// calls that read it and the response field, or how vigil computes it
// from their responses. Absent is set instead when a live account's
// entities do not have the field.
type LiveSource struct {
	// Calls are the IAM actions of the API calls that read the value
	// ("cloudtrail:DescribeTrails").
	Calls []string `yaml:"calls"`
	// Field is the response field the value is read from
	// ("trailList[].IsMultiRegionTrail").
	Field string `yaml:"field"`
	// Computed says how vigil computes the value from the responses.
	Computed string `yaml:"computed"`
	// Absent says why a live account's entities do not have the field.
	Absent string `yaml:"absent"`
}

// TerraformSource is where a field's value comes from in Terraform code:
// a resource's attribute, or how vigil computes it from the resources
// declared. LiveOnly is set instead when only a live account knows it.
type TerraformSource struct {
	// Resource is the resource type the value is read from
	// ("aws_cloudtrail").
	Resource string `yaml:"resource"`
	// Attribute is the resource's argument or attribute
	// ("is_multi_region_trail"; "event_selector.read_write_type" inside a
	// block).
	Attribute string `yaml:"attribute"`
	// Default is the value vigil takes, as the provider does, when the
	// configuration leaves the argument out.
	Default string `yaml:"default"`
	// Computed says how vigil computes the value from the resources
	// declared.
	Computed string `yaml:"computed"`
	// BeforeApply says whether code gives the value before terraform
	// apply (see KnownBeforeApply); it must be given unless LiveOnly is.
	BeforeApply *bool `yaml:"beforeApply"`
	// LiveOnly is set for a field only a live account knows:
	// LiveOnlyUnknown when code's entities hold it as Unknown,
	// LiveOnlyMissing when they do not have it.
	LiveOnly string `yaml:"liveOnly"`
}

// Values of TerraformSource.LiveOnly.
const (
	// LiveOnlyUnknown: code's entities hold the field as an Unknown value
	// that says it is known only in a live account.
	LiveOnlyUnknown = "unknown"
	// LiveOnlyMissing: code's entities do not have the field; a rule that
	// reads it reads null.
	LiveOnlyMissing = "missing"
)

// KnownBeforeApply reports whether code gives the value before terraform
// apply: true for an argument, whose value is known when its expression
// is (a literal, a variable with a value), false for an attribute AWS sets
// when it creates the resource (an ARN) and for a field only a live
// account knows, which are Unknown.
func (t TerraformSource) KnownBeforeApply() bool { return t.BeforeApply != nil && *t.BeforeApply }

// InLive reports whether a live account's entities have the field.
func (f *SchemaField) InLive() bool { return f.Live.Absent == "" }

// InTerraform reports whether code's entities have the field, as a value
// or as an Unknown one.
func (f *SchemaField) InTerraform() bool { return f.Terraform.LiveOnly != LiveOnlyMissing }

// ValueType is the type of a field's value. Any value may also be null, or
// Unknown (see Unknown).
type ValueType string

// Value types.
const (
	TypeString ValueType = "string"
	TypeBool   ValueType = "bool"
	TypeNumber ValueType = "number"
	// TypeDate is a time, written as an RFC 3339 string in UTC.
	TypeDate ValueType = "date"
	// TypeObject is an object whose fields the schema declares.
	TypeObject ValueType = "object"
	// TypeListOfObjects is a list of objects whose fields the schema
	// declares as "path[].name".
	TypeListOfObjects ValueType = "list<object>"
	TypeListOfStrings ValueType = "list<string>"
	// TypeMapOfStrings is an object of strings whose names are data (a
	// metric's dimensions): any name may be read.
	TypeMapOfStrings ValueType = "map<string>"
	// TypeDocument is a JSON document of any shape (a policy): any path
	// below it may be read.
	TypeDocument ValueType = "document"
)

var valueTypes = []ValueType{TypeString, TypeBool, TypeNumber, TypeDate, TypeObject, TypeListOfObjects,
	TypeListOfStrings, TypeMapOfStrings, TypeDocument}

// HasFields reports whether the schema declares fields below a value of
// type t: an object, or the elements of a list of objects.
func (t ValueType) HasFields() bool { return t == TypeObject || t == TypeListOfObjects }

// Open reports whether any path below a value of type t may be read: its
// names are data.
func (t ValueType) Open() bool { return t == TypeMapOfStrings || t == TypeDocument }

// IsList reports whether a value of type t is a list.
func (t ValueType) IsList() bool { return strings.HasPrefix(string(t), "list<") }

// Field returns the field at path ("status.isLogging",
// "metricFilters[].filterPattern"), or nil when the schema does not
// declare it.
func (s *Schema) Field(path string) *SchemaField { return s.byPath[path] }

// Covers reports whether the schema declares the path, or a field of a
// type whose names are data (see ValueType.Open) that the path is below.
func (s *Schema) Covers(path string) bool {
	if s.byPath[path] != nil {
		return true
	}
	for p := range Ancestors(path) {
		if f := s.byPath[p]; f != nil {
			return f.Type.Open()
		}
	}
	return false
}

// Paths returns the paths of every field, in the schema's order.
func (s *Schema) Paths() []string {
	out := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		out[i] = f.Path
	}
	return out
}

// Actions returns the IAM actions a live collection needs to read the
// given paths: the type's listing actions, and the calls of each path and
// of the fields it is below. Paths the schema does not declare add
// nothing. The actions are sorted.
func (s *Schema) Actions(paths ...string) []string {
	set := map[string]bool{}
	for _, a := range s.ListedBy {
		set[a] = true
	}
	for _, p := range paths {
		for _, q := range append(slices.Collect(Ancestors(p)), p) {
			if f := s.byPath[q]; f != nil {
				for _, a := range f.Live.Calls {
					set[a] = true
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// Ancestors yields the paths of the fields a path is below, nearest
// first: "a[].b.c" yields "a[].b" and "a".
func Ancestors(path string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for {
			i := strings.LastIndexByte(path, '.')
			if i < 0 {
				return
			}
			path = strings.TrimSuffix(path[:i], "[]")
			if !yield(path) {
				return
			}
		}
	}
}

// parent returns the path of the field a path is directly below, and
// whether the path is of an element's field ("a[].b" is below the
// elements of "a"); "" for a top-level field.
func parent(path string) (p string, ofElement bool) {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return "", false
	}
	p = path[:i]
	if q, ok := strings.CutSuffix(p, "[]"); ok {
		return q, true
	}
	return p, false
}

//go:embed types/*.yaml
var typesFS embed.FS

// schemas loads the embedded catalogue once.
var schemas = sync.OnceValues(func() ([]*Schema, error) { return LoadSchemas(typesFS, "types") })

// Schemas returns the schemas of the entity types vigil models, by name.
// It panics when the embedded catalogue is broken, which its tests
// prevent.
func Schemas() []*Schema {
	s, err := schemas()
	if err != nil {
		panic("entity: the embedded entity catalogue is broken: " + err.Error())
	}
	return s
}

// SchemaOf returns the schema of the entity type name, or nil when vigil
// does not model it (a native Terraform type, another cloud's type).
func SchemaOf(name string) *Schema {
	for _, s := range Schemas() {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// LoadSchemas reads every schema file (*.yaml) in dir of fsys, one type per
// file named after the type, and checks each. It reports every problem
// found, each naming its file and field.
func LoadSchemas(fsys fs.FS, dir string) ([]*Schema, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var out []*Schema
	var errs []error
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		s, err := parseSchema(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if want := strings.TrimSuffix(path.Base(name), ".yaml"); s.Name != want {
			errs = append(errs, fmt.Errorf("%s: declares type %q, but the file must be named after its type (%s.yaml)", name, s.Name, s.Name))
			continue
		}
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// schemaName is what an entity type's name may be; it must not look like a
// Terraform resource type (lower case with an underscore).
var schemaName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)

// pathSegment is one name of a field path, as GSL reads it (gsl-spec.md
// §7.35 allows ":" and "-" after the first segment).
var pathSegment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_:-]*$`)

// iamAction is "service:Action".
var iamAction = regexp.MustCompile(`^[a-z0-9-]+:[A-Z][A-Za-z0-9]*$`)

// parseSchema reads and checks one schema file.
func parseSchema(name string, data []byte) (*Schema, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var s Schema
	if err := dec.Decode(&s); err != nil && err != io.EOF {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	if !schemaName.MatchString(s.Name) {
		bad("type %q is not a name in CamelCase (\"CloudTrail\")", s.Name)
	}
	if s.Summary == "" || strings.Contains(s.Summary, "\n") {
		bad("summary must be one line")
	}
	for what, text := range map[string]string{"about": s.About, "live": s.Live, "terraform": s.Terraform} {
		if strings.TrimSpace(text) == "" {
			bad("%s is empty", what)
		}
	}
	if len(s.ListedBy) == 0 {
		bad("listedBy names no IAM action")
	}
	for _, a := range s.ListedBy {
		if !iamAction.MatchString(a) {
			bad("listedBy: %q is not an IAM action (\"cloudtrail:DescribeTrails\")", a)
		}
	}
	s.byPath = map[string]*SchemaField{}
	for _, f := range s.Fields {
		for _, msg := range s.checkField(f) {
			bad("field %q: %s", f.Path, msg)
		}
		if s.byPath[f.Path] == nil {
			s.byPath[f.Path] = f
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &s, nil
}

// checkField checks one field against the fields declared before it.
func (s *Schema) checkField(f *SchemaField) []string {
	var msgs []string
	bad := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(format, args...)) }
	if s.byPath[f.Path] != nil {
		bad("declared twice")
	}
	for seg := range strings.SplitSeq(f.Path, ".") {
		if !pathSegment.MatchString(strings.TrimSuffix(seg, "[]")) {
			bad("%q is not a field name", seg)
		}
	}
	if p, ofElement := parent(f.Path); p != "" {
		switch pf := s.byPath[p]; {
		case pf == nil:
			bad("its parent %q is not declared before it", p)
		case ofElement && pf.Type != TypeListOfObjects:
			bad("%q is of type %s; only a list<object> has elements with fields", p, pf.Type)
		case !ofElement && pf.Type != TypeObject:
			bad("%q is of type %s; only an object has fields (the fields of a list's elements are written %s[].name)", p, pf.Type, p)
		}
	}
	if !slices.Contains(valueTypes, f.Type) {
		bad("type %q is not one of %v", f.Type, valueTypes)
	}
	if !strings.HasSuffix(strings.TrimSpace(f.Meaning), ".") || strings.Contains(f.Meaning, "\n") {
		bad("meaning must be one sentence on one line, ending with a period")
	}
	l := f.Live
	switch {
	case l.Absent != "":
		if len(l.Calls)+len(l.Field)+len(l.Computed) > 0 {
			bad("live: absent goes alone")
		}
	case len(l.Calls) == 0:
		bad("live: calls names no IAM action (or say why the field is absent)")
	case l.Field == "" && l.Computed == "":
		bad("live: neither field nor computed says where the value comes from")
	}
	for _, a := range l.Calls {
		if !iamAction.MatchString(a) {
			bad("live: %q is not an IAM action (\"cloudtrail:DescribeTrails\")", a)
		}
	}
	t := f.Terraform
	switch t.LiveOnly {
	case LiveOnlyUnknown, LiveOnlyMissing:
		if t != (TerraformSource{LiveOnly: t.LiveOnly}) {
			bad("terraform: liveOnly goes alone")
		}
	case "":
		if t.Resource == "" {
			bad("terraform: no resource (or liveOnly: %s or %s)", LiveOnlyUnknown, LiveOnlyMissing)
		}
		if t.Attribute == "" && t.Computed == "" {
			bad("terraform: neither attribute nor computed says where the value comes from")
		}
		if t.BeforeApply == nil {
			bad("terraform: beforeApply is not given")
		}
	default:
		bad("terraform: liveOnly is %q, not %s or %s", t.LiveOnly, LiveOnlyUnknown, LiveOnlyMissing)
	}
	if l.Absent != "" && t.LiveOnly != "" {
		bad("neither a live account nor code has it")
	}
	return msgs
}
