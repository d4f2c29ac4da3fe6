package entity

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// UnknownKind says what may become of an Unknown value once it is known.
type UnknownKind uint8

const (
	// UnknownSet is a value that will certainly be set, such as the arn of a
	// resource the configuration declares.
	UnknownSet UnknownKind = iota + 1
	// UnknownMaybeNull is a value that may turn out null: a variable with no
	// value, an output of a module that was not loaded.
	UnknownMaybeNull
)

// String returns the JSON spelling of the kind: "set" or "maybe-null".
func (k UnknownKind) String() string {
	switch k {
	case UnknownSet:
		return "set"
	case UnknownMaybeNull:
		return "maybe-null"
	}
	return fmt.Sprintf("UnknownKind(%d)", uint8(k))
}

// ParseUnknownKind is the inverse of UnknownKind.String.
func ParseUnknownKind(s string) (UnknownKind, error) {
	switch s {
	case "set":
		return UnknownSet, nil
	case "maybe-null":
		return UnknownMaybeNull, nil
	}
	return 0, fmt.Errorf("unknown value kind %q: want \"set\" or \"maybe-null\"", s)
}

// Unknown is a value that is not known before terraform apply. Values hold it
// by pointer (*Unknown).
type Unknown struct {
	Kind UnknownKind
	// Reason says why the value is unknown, for explanations:
	// "known after apply: aws_iam_role.trail.arn".
	Reason string
}

// NewUnknown returns an Unknown value of the given kind.
func NewUnknown(kind UnknownKind, reason string) *Unknown {
	return &Unknown{Kind: kind, Reason: reason}
}

// String renders the unknown for explanations.
func (u *Unknown) String() string {
	s := "(unknown"
	if u.Kind == UnknownMaybeNull {
		s += ", maybe null"
	}
	if u.Reason != "" {
		s += ": " + Shown(u.Reason)
	}
	return s + ")"
}

// IsUnknown reports whether v is an Unknown value.
func IsUnknown(v any) bool {
	_, ok := v.(*Unknown)
	return ok
}

// Kind names the dynamic type of a value for messages: "null", "bool",
// "number", "string", "list", "map", "unknown", or the Go type of a value that
// is not a valid entity value.
func Kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "list"
	case map[string]any, *Object:
		return "map"
	case *Unknown:
		return "unknown"
	}
	return fmt.Sprintf("%T", v)
}

// Normalize converts a Go value built by a source into an entity value:
// integers and float32 become float64, typed slices and maps become []any and
// map[string]any, pointers are followed (nil pointers become null). Values
// that are already entity values are returned as they are. It returns an
// error for types that have no entity equivalent (channels, functions,
// structs).
func Normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, float64, string, *Unknown, *Object:
		return x, nil
	case int:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case float32:
		return float64(x), nil
	case []any:
		for i, e := range x {
			n, err := Normalize(e)
			if err != nil {
				return nil, err
			}
			x[i] = n
		}
		return x, nil
	case map[string]any:
		for k, e := range x {
			n, err := Normalize(e)
			if err != nil {
				return nil, err
			}
			x[k] = n
		}
		return x, nil
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, nil
	case map[string]string:
		out := make(map[string]any, len(x))
		for k, s := range x {
			out[k] = s
		}
		return out, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil, nil
		}
		return Normalize(rv.Elem().Interface())
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			n, err := Normalize(rv.Index(i).Interface())
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("entity: map with %s keys is not an entity value", rv.Type().Key())
		}
		out := make(map[string]any, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			n, err := Normalize(iter.Value().Interface())
			if err != nil {
				return nil, err
			}
			out[iter.Key().String()] = n
		}
		return out, nil
	}
	return nil, fmt.Errorf("entity: %T is not an entity value", v)
}

// MaxShown is how many characters of one string explanations and reports
// show. A longer string is cut there, never inside a UTF-8 sequence, and
// followed by "…" and its full length: 'aaaa…' (1048576 bytes). A value
// from a hostile input can be megabytes long, and is repeated in every
// finding about its entity.
const MaxShown = 256

// ShownPrefix returns s when it has at most MaxShown characters, or else
// its first MaxShown characters and cut set. It reads no further into s. An
// invalid byte counts as one character.
func ShownPrefix(s string) (prefix string, cut bool) {
	if len(s) <= MaxShown {
		return s, false
	}
	i := 0
	for n := 0; n < MaxShown && i < len(s); n++ {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], i < len(s)
}

// Shown returns s as reports show it: s itself, or its first MaxShown
// characters followed by "… (N bytes)".
func Shown(s string) string {
	p, cut := ShownPrefix(s)
	if !cut {
		return s
	}
	return p + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

// AppendShown appends Shown(s) to dst.
func AppendShown(dst []byte, s string) []byte {
	p, cut := ShownPrefix(s)
	dst = append(dst, p...)
	if cut {
		dst = append(dst, "… ("...)
		dst = strconv.AppendInt(dst, int64(len(s)), 10)
		dst = append(dst, " bytes)"...)
	}
	return dst
}

// Format renders a value compactly for explanations: strings quoted with
// single quotes as GSL writes them, lists and maps in JSON-like form with map
// keys sorted. A string longer than MaxShown characters is cut as Shown
// says, 'aaaa…' (1048576 bytes); a list or map stops at the first element
// that starts past MaxShown bytes, with "…" for the rest.
func Format(v any) string {
	// The common case, a short string without quotes, in one allocation.
	if s, ok := v.(string); ok && len(s) <= MaxShown && !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	var b strings.Builder
	format(&b, v)
	return b.String()
}

// formatString writes s quoted, cut as Format says.
func formatString(b *strings.Builder, s string) {
	p, cut := ShownPrefix(s)
	b.WriteByte('\'')
	for {
		i := strings.IndexByte(p, '\'')
		if i < 0 {
			break
		}
		b.WriteString(p[:i])
		b.WriteString(`\'`)
		p = p[i+1:]
	}
	b.WriteString(p)
	if cut {
		b.WriteString("…' (")
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteString(" bytes)")
		return
	}
	b.WriteByte('\'')
}

// full reports whether a list or map being formatted into b has shown
// enough: it then writes "…" in place of its other elements.
func full(b *strings.Builder) bool {
	if b.Len() <= MaxShown {
		return false
	}
	b.WriteString("…")
	return true
}

func format(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case string:
		formatString(b, x)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			if full(b) {
				break
			}
			format(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			if full(b) {
				break
			}
			b.WriteString(Shown(k))
			b.WriteString(": ")
			format(b, x[k])
		}
		b.WriteByte('}')
	case *Object:
		b.WriteByte('{')
		for i, f := range x.fields {
			if i > 0 {
				b.WriteString(", ")
			}
			if full(b) {
				break
			}
			b.WriteString(Shown(f.Name))
			b.WriteString(": ")
			format(b, f.Value)
		}
		b.WriteByte('}')
	case *Unknown:
		b.WriteString(x.String())
	default:
		fmt.Fprintf(b, "%v", x)
	}
}

// AppendFormat appends Format(v) to dst.
func AppendFormat(dst []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		if len(x) <= MaxShown && !strings.Contains(x, "'") {
			dst = append(dst, '\'')
			dst = append(dst, x...)
			return append(dst, '\'')
		}
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, x)
	case float64:
		return strconv.AppendFloat(dst, x, 'g', -1, 64)
	}
	return append(dst, Format(v)...)
}
