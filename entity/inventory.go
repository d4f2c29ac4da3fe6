package entity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Version is the version of the inventory JSON format this package writes.
// Readers reject other versions.
const Version = 1

// Scope kinds.
const (
	ScopeAWSAccount      = "aws-account"
	ScopeTerraformModule = "terraform-module"
)

// Inventory is what a source collected: entities grouped by scope, and the
// collections that failed.
type Inventory struct {
	// CollectedAt is when the data was read. It is also the "now" that date
	// functions use when a snapshot is replayed.
	CollectedAt time.Time
	// Tool names the program and version that wrote the inventory ("vigil
	// 0.1.0"); informational.
	Tool string
	// Scopes lists the accounts or root modules covered, including those that
	// have no entities: a List<E> rule evaluates once per scope.
	Scopes []Scope
	// Entities in the order the source produced them.
	Entities []*Entity
	// Failures lists what could not be collected.
	Failures []Failure
	// Secrets holds the values the source learned are sensitive, which
	// what is shown to people never contains (see Secrets). It is never
	// written to the inventory JSON; nil when there are none.
	Secrets *Secrets
}

// Scope is one AWS account, or one Terraform root module.
type Scope struct {
	Kind    string   `json:"kind"`
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Regions []string `json:"regions,omitempty"`
	// Types are the entity types a live collection of the account read,
	// sorted: an account without entities of one of them has none, while
	// a type not listed was not looked at. Nil when the source does not
	// say (an inventory written by hand, or by an older vigil).
	Types []string `json:"types,omitempty"`
}

// Collected reports whether the entities of type typ were looked for in
// the scope: true when s does not say.
func (s Scope) Collected(typ string) bool { return s.Types == nil || slices.Contains(s.Types, typ) }

// Failure records data a source could not collect, or a file or input it
// could not read. Whatever it concerns, no rule that needs it passes: the
// engine turns those rules into ERROR.
type Failure struct {
	// Kind says what failed: FailureCollect (empty), FailureParse or
	// FailureRead.
	Kind string `json:"kind,omitempty"`
	// Type is the entity type whose data is missing; AnyType when entities
	// of any type may be missing (a broken file whose resources could not
	// be told); empty when no entity type is concerned (an input that
	// could not be read at all, whose rules did not run).
	Type string `json:"type"`
	// Attr is the top-level attribute that is missing ("metricFilters"),
	// AnyAttr when any attribute may be wrong (a variables file that does
	// not parse, so that defaults stood in for its values), or empty when
	// the entities of Type themselves could not all be listed: some may be
	// missing, while those listed are whole.
	Attr   string `json:"attr,omitempty"`
	Scope  string `json:"scope,omitempty"`
	Region string `json:"region,omitempty"`
	// Entity is the ID of the one entity affected, or empty for all entities
	// of Type in Scope and Region.
	Entity string `json:"entity,omitempty"`
	// Call is the API call that failed: "logs:DescribeMetricFilters".
	Call string `json:"call,omitempty"`
	// File is the file or input that could not be read or parsed, named as
	// the source names files in an entity's Origin (relative paths stay
	// relative); Line and Col (from 1; Col in characters) are where the
	// problem is, when known.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
	// Error is the error as reported, never containing credentials.
	Error string `json:"error"`
}

// Failure kinds.
const (
	// FailureCollect, written as no kind, is data a source could not
	// collect: an API call that failed, or a value known only after apply.
	FailureCollect = ""
	// FailureParse is a file that was read but does not parse, or that a
	// limit refused to parse (nesting too deep): what it declares is
	// missing.
	FailureParse = "parse"
	// FailureRead is a file or an input that could not be read: missing,
	// not readable, too large, or not something vigil reads.
	FailureRead = "read"
)

// AnyType and AnyAttr stand for every entity type and every attribute in a
// Failure.
const (
	AnyType = "*"
	AnyAttr = "*"
)

// IsInput reports whether the failure is of an input (a file that could
// not be read or parsed) rather than of a collection from a live source.
func (f Failure) IsInput() bool { return f.Kind == FailureParse || f.Kind == FailureRead }

// Location renders the failure's file as "file:line:col", "file:line" or
// "file"; it is empty when the failure names no file.
func (f Failure) Location() string {
	switch {
	case f.File == "":
		return ""
	case f.Line > 0 && f.Col > 0:
		return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Col)
	case f.Line > 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return f.File
}

// String renders the failure for messages: "main.tf:2:10: does not parse:
// …", "nope/: cannot be read: …", or for a collection failure
// "logs:DescribeMetricFilters in eu-west-1: …".
func (f Failure) String() string {
	var b strings.Builder
	if loc := f.Location(); loc != "" {
		b.WriteString(loc)
		b.WriteString(": ")
	}
	switch f.Kind {
	case FailureParse:
		b.WriteString("does not parse: ")
	case FailureRead:
		b.WriteString("cannot be read: ")
	}
	if f.Call != "" {
		b.WriteString(f.Call)
		if f.Region != "" {
			fmt.Fprintf(&b, " in %s", f.Region)
		}
		b.WriteString(": ")
	}
	b.WriteString(f.Error)
	return b.String()
}

// Add appends entities to the inventory.
func (inv *Inventory) Add(es ...*Entity) { inv.Entities = append(inv.Entities, es...) }

// AddScope adds a scope unless one with the same kind and ID is present;
// then the types collected of both are kept.
func (inv *Inventory) AddScope(s Scope) {
	for i, have := range inv.Scopes {
		if have.Kind == s.Kind && have.ID == s.ID {
			if have.Types != nil && s.Types != nil {
				types := slices.Concat(have.Types, s.Types)
				slices.Sort(types)
				inv.Scopes[i].Types = slices.Compact(types)
			} else {
				inv.Scopes[i].Types = nil // one of them does not say
			}
			return
		}
	}
	inv.Scopes = append(inv.Scopes, s)
}

// Merge appends the scopes, entities, failures and secrets of other to inv.
func (inv *Inventory) Merge(other *Inventory) {
	for _, s := range other.Scopes {
		inv.AddScope(s)
	}
	inv.Entities = append(inv.Entities, other.Entities...)
	inv.Failures = append(inv.Failures, other.Failures...)
	if other.Secrets.Len() > 0 {
		if inv.Secrets == nil {
			inv.Secrets = &Secrets{}
		}
		inv.Secrets.AddAll(other.Secrets)
	}
	if inv.CollectedAt.IsZero() {
		inv.CollectedAt = other.CollectedAt
	}
}

// OfType returns the entities of one type, in inventory order.
func (inv *Inventory) OfType(typ string) []*Entity {
	var out []*Entity
	for _, e := range inv.Entities {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// inventoryJSON is the wire form of Inventory.
type inventoryJSON struct {
	Version     *int      `json:"vigil_inventory"`
	CollectedAt time.Time `json:"collected_at,omitzero"`
	Tool        string    `json:"tool,omitempty"`
	Scopes      []Scope   `json:"scopes"`
	Entities    []*Entity `json:"entities"`
	Failures    []Failure `json:"failures,omitempty"`
}

// MarshalJSON writes the inventory in the versioned format of the package
// documentation.
func (inv *Inventory) MarshalJSON() ([]byte, error) {
	v := Version
	w := inventoryJSON{Version: &v, CollectedAt: inv.CollectedAt.UTC(), Tool: inv.Tool,
		Scopes: inv.Scopes, Entities: inv.Entities, Failures: inv.Failures}
	if w.Scopes == nil {
		w.Scopes = []Scope{}
	}
	if w.Entities == nil {
		w.Entities = []*Entity{}
	}
	for _, e := range inv.Entities {
		if err := checkAttrNames(e.Attrs, ""); err != nil {
			return nil, fmt.Errorf("entity %s: %w", e.ID, err)
		}
	}
	return json.Marshal(w)
}

// Encode writes the inventory as indented JSON.
func (inv *Inventory) Encode(w io.Writer) error {
	data, err := json.MarshalIndent(inv, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	_, err = w.Write(data)
	return err
}

// MarshalJSON writes an Unknown as {"$unknown": kind, "reason": ...}.
func (u *Unknown) MarshalJSON() ([]byte, error) {
	m := map[string]string{"$unknown": u.Kind.String()}
	if u.Reason != "" {
		m["reason"] = u.Reason
	}
	return json.Marshal(m)
}

// Decode reads an inventory document. Errors name the line and column of bad
// JSON, the entity of a bad attribute, or a version this package cannot read.
func Decode(data []byte) (*Inventory, error) {
	var w inventoryJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return nil, jsonError(data, err)
	}
	if w.Version == nil {
		return nil, errors.New(`not a vigil inventory: the "vigil_inventory" version field is missing`)
	}
	if *w.Version != Version {
		return nil, fmt.Errorf("inventory version %d is not supported: this vigil reads version %d", *w.Version, Version)
	}
	inv := &Inventory{CollectedAt: w.CollectedAt, Tool: w.Tool, Scopes: w.Scopes, Failures: w.Failures}
	for i, e := range w.Entities {
		if e == nil {
			return nil, fmt.Errorf("entities[%d] is null", i)
		}
		if e.Type == "" {
			return nil, fmt.Errorf("entities[%d] (id %q) has no type", i, e.ID)
		}
		if e.Attrs == nil {
			e.Attrs = map[string]any{}
		}
		attrs, verr := decodeValue(e.Attrs)
		if verr != nil {
			return nil, fmt.Errorf("entities[%d] (id %q): %w", i, e.ID, verr.in("attrs"))
		}
		e.Attrs = attrs.(map[string]any)
		inv.Entities = append(inv.Entities, e)
	}
	return inv, nil
}

// DecodeAttrList reads a bare JSON array of attribute objects, the form rule
// authors write test data in. Each object becomes an entity of type typ with
// ID "#0", "#1", … in input order, all in one scope named scope.
func DecodeAttrList(data []byte, typ, scope string) (*Inventory, error) {
	var list []any
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, jsonError(data, err)
	}
	inv := &Inventory{Scopes: []Scope{{Kind: "input", ID: scope}}}
	for i, item := range list {
		attrs, verr := decodeValue(item)
		if verr != nil {
			return nil, verr.in(fmt.Sprintf("[%d]", i))
		}
		m, ok := attrs.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("[%d]: want an object of attributes, found %s", i, Kind(attrs))
		}
		inv.Entities = append(inv.Entities, &Entity{Type: typ, ID: fmt.Sprintf("#%d", i), Scope: scope, Attrs: m})
	}
	return inv, nil
}

// decodeValue turns {"$unknown": ...} objects into *Unknown and rejects other
// attribute names that begin with "$". The place of a problem is built only
// when there is one, as the recursion unwinds: decoding a large snapshot
// builds no path strings.
func decodeValue(v any) (any, *valueError) {
	switch x := v.(type) {
	case map[string]any:
		if k, ok := x["$unknown"]; ok {
			return decodeUnknown(x, k)
		}
		for name, e := range x {
			if strings.HasPrefix(name, "$") {
				return nil, (&valueError{msg: "attribute names may not begin with '$'"}).at("." + name)
			}
			d, err := decodeValue(e)
			if err != nil {
				return nil, err.at("." + name)
			}
			x[name] = d
		}
		return x, nil
	case []any:
		for i, e := range x {
			d, err := decodeValue(e)
			if err != nil {
				return nil, err.at(fmt.Sprintf("[%d]", i))
			}
			x[i] = d
		}
		return x, nil
	}
	return v, nil
}

func decodeUnknown(m map[string]any, kind any) (*Unknown, *valueError) {
	s, ok := kind.(string)
	if !ok {
		return nil, &valueError{msg: `"$unknown" must be "set" or "maybe-null"`}
	}
	k, err := ParseUnknownKind(s)
	if err != nil {
		return nil, &valueError{msg: err.Error()}
	}
	u := &Unknown{Kind: k}
	for name, v := range m {
		switch name {
		case "$unknown":
		case "reason":
			r, ok := v.(string)
			if !ok {
				return nil, &valueError{msg: `the "reason" of an unknown value must be a string`}
			}
			u.Reason = r
		default:
			return nil, &valueError{msg: fmt.Sprintf("an unknown value has only \"$unknown\" and \"reason\", found %q", name)}
		}
	}
	return u, nil
}

// valueError is a problem at a place inside a decoded value.
type valueError struct {
	// steps of the place, innermost first: ".name" or "[3]".
	steps []string
	msg   string
}

// at adds the step that leads to the place, on the way out.
func (e *valueError) at(step string) *valueError {
	e.steps = append(e.steps, step)
	return e
}

// in renders the error with the place, written from root ("attrs").
func (e *valueError) in(root string) error {
	var b strings.Builder
	b.WriteString(root)
	for i := len(e.steps) - 1; i >= 0; i-- {
		b.WriteString(e.steps[i])
	}
	return fmt.Errorf("%s: %s", b.String(), e.msg)
}

func checkAttrNames(v any, path string) error {
	switch x := v.(type) {
	case map[string]any:
		for name, e := range x {
			if strings.HasPrefix(name, "$") {
				return fmt.Errorf("attribute %s%s: names may not begin with '$'", path, name)
			}
			if err := checkAttrNames(e, path+name+"."); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := checkAttrNames(e, path); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonError adds the line and column to JSON syntax and type errors.
func jsonError(data []byte, err error) error {
	var off int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts the bad byte itself; point at it.
		off = max(syn.Offset-1, 0)
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off < 0 {
		if errors.Is(err, io.EOF) {
			return errors.New("empty input: want a JSON document")
		}
		return err
	}
	line, col := LineCol(data, int(off))
	return fmt.Errorf("%d:%d: %w", line, col, err)
}

// LineCol converts a byte offset in data to a 1-based line and column
// (counted in characters).
func LineCol(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	line, col = 1, 1
	for _, r := range string(data[:off]) {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
