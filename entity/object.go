package entity

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync/atomic"
	"unique"
)

// Object is a read-only object value laid out for fast reading: its fields
// in one slice, sorted by name, with names interned (see Intern). It holds
// the same data as a map[string]any and every reader of entity values
// accepts both. Freeze builds Objects; nothing changes one after.
//
// Objects exist for evaluation. A scan evaluates dozens of rules over every
// entity, and reading a map costs a hash of the key and several dependent
// memory loads; reading an Object is a scan of a few interned names laid
// out next to their values, and Freeze lays out one entity's whole tree in
// a few contiguous blocks, which is what keeps evaluation over tens of
// thousands of entities from waiting on memory.
type Object struct {
	fields []Field
}

// Field is one name and value of an Object.
type Field struct {
	Name  string
	Value any
}

// linearSearchMax is the number of fields up to which Get compares names
// one by one; larger objects are searched by bisection.
const linearSearchMax = 12

// Get returns the value of the named field and whether the object has it.
// Names passed through Intern are found fastest.
func (o *Object) Get(name string) (any, bool) {
	fs := o.fields
	if len(fs) > linearSearchMax {
		return o.search(name)
	}
	for i := range fs {
		if fs[i].Name == name {
			return fs[i].Value, true
		}
	}
	return nil, false
}

// FieldCache remembers where an object had a field, so that reading the
// same field of many objects of one shape (entities of one type, elements
// of one list) finds it at once. An evaluator keeps one per place in a
// rule that reads a field. It is safe for concurrent use; its zero value
// is ready.
type FieldCache struct{ at atomic.Int32 }

// GetCached is Get, looking first where c says the field was last found.
func (o *Object) GetCached(name string, c *FieldCache) (any, bool) {
	fs := o.fields
	if i := int(c.at.Load()); i < len(fs) && fs[i].Name == name {
		return fs[i].Value, true
	}
	i, ok := o.index(name)
	if !ok {
		return nil, false
	}
	c.at.Store(int32(i))
	return fs[i].Value, true
}

// index returns where the named field is in o.fields.
func (o *Object) index(name string) (int, bool) {
	fs := o.fields
	if len(fs) > linearSearchMax {
		return slices.BinarySearchFunc(fs, name, func(f Field, name string) int { return strings.Compare(f.Name, name) })
	}
	for i := range fs {
		if fs[i].Name == name {
			return i, true
		}
	}
	return 0, false
}

// search is Get by bisection, for large objects.
func (o *Object) search(name string) (any, bool) {
	i, ok := slices.BinarySearchFunc(o.fields, name, func(f Field, name string) int { return strings.Compare(f.Name, name) })
	if !ok {
		return nil, false
	}
	return o.fields[i].Value, true
}

// Len returns the number of fields.
func (o *Object) Len() int { return len(o.fields) }

// Fields returns the fields sorted by name. The caller must not modify them.
func (o *Object) Fields() []Field { return o.fields }

// MarshalJSON writes the object as a JSON object with its names in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o.fields {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(f.Name)
		if err != nil {
			return nil, err
		}
		b.Write(name)
		b.WriteByte(':')
		v, err := json.Marshal(f.Value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Intern returns the canonical copy of s: two interned strings with the
// same text share their bytes, so comparing them is a pointer comparison.
// Freeze interns field names; evaluators intern the names they look up.
func Intern(s string) string { return unique.Make(s).Value() }

// Freeze returns v with every map[string]any in it, at any depth, replaced
// by an equivalent *Object. Lists that hold maps are copied; v itself is
// not modified, and values without maps are returned as they are. The
// Objects and copied lists of one call are carved from a few blocks of
// memory allocated together, in the order an evaluation reads them.
func Freeze(v any) any {
	var n freezeCounts
	n.count(v)
	if n.objects == 0 {
		return v
	}
	fz := freezer{
		objects: make([]Object, n.objects),
		fields:  make([]Field, n.fields),
		elems:   make([]any, n.elems),
	}
	return fz.freeze(v)
}

// freezeCounts is how much memory a Freeze needs: Objects, their fields,
// and the elements of the lists it copies.
type freezeCounts struct{ objects, fields, elems int }

// count adds what freezing v needs, and reports whether v holds a map.
func (n *freezeCounts) count(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		n.objects++
		n.fields += len(x)
		for _, e := range x {
			n.count(e)
		}
		return true
	case []any:
		has := false
		for _, e := range x {
			if n.count(e) {
				has = true
			}
		}
		if has {
			n.elems += len(x)
		}
		return has
	}
	return false
}

// freezer hands out the blocks a Freeze allocated.
type freezer struct {
	objects []Object
	fields  []Field
	elems   []any
}

func (fz *freezer) freeze(v any) any {
	switch x := v.(type) {
	case map[string]any:
		o := &fz.objects[0]
		fz.objects = fz.objects[1:]
		fs := fz.fields[:len(x):len(x)]
		fz.fields = fz.fields[len(x):]
		i := 0
		for k, e := range x {
			fs[i] = Field{Name: Intern(k), Value: e}
			i++
		}
		slices.SortFunc(fs, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
		// Values are frozen after sorting, so that a field's subtree
		// follows its object in memory in the order of the names.
		for i := range fs {
			fs[i].Value = fz.freeze(fs[i].Value)
		}
		o.fields = fs
		return o
	case []any:
		if !holdsMap(x) {
			return x
		}
		out := fz.elems[:len(x):len(x)]
		fz.elems = fz.elems[len(x):]
		for i, e := range x {
			out[i] = fz.freeze(e)
		}
		return out
	}
	return v
}

// holdsMap reports whether a list holds a map at any depth.
func holdsMap(list []any) bool {
	for _, e := range list {
		switch x := e.(type) {
		case map[string]any:
			return true
		case []any:
			if holdsMap(x) {
				return true
			}
		}
	}
	return false
}
