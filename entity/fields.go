package entity

import "iter"

// Readers of entity values accept an object in either form, a
// map[string]any or a frozen *Object (see Freeze). These functions read
// both, so that no reader type-switches on the layout; the frozen path
// comes first and is small enough to be inlined into the reader.

// FieldOf reads the named field of an object value; ok is false when v is
// not an object. A missing field reads as nil. Names interned with Intern
// are found fastest.
func FieldOf(v any, name string) (value any, ok bool) {
	if o, isObj := v.(*Object); isObj {
		value, _ = o.Get(name)
		return value, true
	}
	return mapField(v, name)
}

// FieldOfCached is FieldOf, looking first where c says the field was last
// found in an object (see FieldCache).
func FieldOfCached(v any, name string, c *FieldCache) (value any, ok bool) {
	if o, isObj := v.(*Object); isObj {
		value, _ = o.GetCached(name, c)
		return value, true
	}
	return mapField(v, name)
}

// HasField is FieldOf that also tells whether the object has the field:
// found is false for a missing field and for a value that is no object.
func HasField(v any, name string) (value any, found bool) {
	switch x := v.(type) {
	case *Object:
		return x.Get(name)
	case map[string]any:
		value, found = x[name]
		return value, found
	}
	return nil, false
}

// mapField is FieldOf for a map, apart so that FieldOf stays small enough
// to be inlined.
func mapField(v any, name string) (any, bool) {
	if m, isMap := v.(map[string]any); isMap {
		return m[name], true
	}
	return nil, false
}

// IsObject reports whether v is an object value.
func IsObject(v any) bool {
	switch v.(type) {
	case map[string]any, *Object:
		return true
	}
	return false
}

// ObjectLen is the number of fields of an object value; 0 for a value
// that is no object.
func ObjectLen(v any) int {
	switch x := v.(type) {
	case *Object:
		return x.Len()
	case map[string]any:
		return len(x)
	}
	return 0
}

// ObjectFields yields the names and values of an object value's fields:
// in name order for an *Object, in no particular order for a map. It
// yields nothing for a value that is no object.
func ObjectFields(v any) iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		switch x := v.(type) {
		case *Object:
			for _, f := range x.fields {
				if !yield(f.Name, f.Value) {
					return
				}
			}
		case map[string]any:
			for k, e := range x {
				if !yield(k, e) {
					return
				}
			}
		}
	}
}
