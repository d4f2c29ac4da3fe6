package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"vigil/entity"
)

// A file that could not be read or parsed contributes nothing to its module:
// a half-read resource could pass a rule the whole one fails. Its resources
// are missing, so the inventory records a failure for each resource type it
// seems to declare, and the engine turns the rules that depend on the set of
// entities of those types into ERROR. Which types it declares is told by a
// lexical scan for resource headers, since the file does not parse.

// brokenFile is a Terraform file that could not be read or parsed.
type brokenFile struct {
	name string
	kind string // entity.FailureParse or entity.FailureRead
	// pos is where its first error is (zero when unknown); err says what
	// the error is.
	pos hcl.Pos
	err string
	// types are the resource types its headers name, sorted; anyType is
	// set when it may declare resources of any type: it calls a module,
	// or it could not be scanned.
	types   []string
	anyType bool
}

// newBrokenFile describes the file name, whose content is src (nil when it
// could not be read), after diags, which have errors.
func newBrokenFile(name string, src []byte, diags hcl.Diagnostics) *brokenFile {
	b := &brokenFile{name: name, kind: entity.FailureParse}
	b.pos, b.err = describeErrors(diags)
	if isReadError(diags) {
		b.kind = entity.FailureRead
	}
	switch {
	case src == nil:
		b.anyType = true
	case strings.HasSuffix(name, ".json"):
		b.types, b.anyType = jsonResourceTypes(src)
	default:
		b.types, b.anyType = hclResourceTypes(src)
	}
	return b
}

// describeErrors returns the position and text of the first error of diags,
// saying how many more there are.
func describeErrors(diags hcl.Diagnostics) (hcl.Pos, string) {
	var first *hcl.Diagnostic
	n := 0
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			if first == nil {
				first = d
			}
			n++
		}
	}
	if first == nil {
		return hcl.Pos{}, "unknown error"
	}
	msg := first.Summary
	if first.Detail != "" {
		msg += ": " + strings.TrimSuffix(first.Detail, ".")
	}
	if n > 1 {
		msg += fmt.Sprintf(" (and %d more %s)", n-1, plural(n-1, "error", "errors"))
	}
	var pos hcl.Pos
	if first.Subject != nil {
		pos = first.Subject.Start
	}
	return pos, msg
}

// isReadError reports whether the first error of diags is one of reading
// a file (readFile's), rather than of parsing it.
func isReadError(diags hcl.Diagnostics) bool {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			return d.Summary == "Cannot read file" || d.Summary == "File too large" || d.Summary == outsideSummary
		}
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// failures are the inventory failures of b for the root module scope: one
// per resource type it declares (all types when it is not known which),
// and those of the normalised types the mappings build from them: the
// type, for a resource type that gives its entities (CloudTrail, for
// aws_cloudtrail), and the fields a joined resource type contributes to
// (CloudTrail's metricFilters, for a metric filter; every such field when
// the types are not known). A file that seems to declare no resource is
// still reported, with no type.
func (b *brokenFile) failures(scope string) []entity.Failure {
	base := entity.Failure{Kind: b.kind, Scope: scope, File: b.name, Line: b.pos.Line, Col: b.pos.Column, Error: b.err}
	with := func(typ, attr string) entity.Failure {
		f := base
		f.Type, f.Attr = typ, attr
		return f
	}
	var out []entity.Failure
	if b.anyType {
		out = append(out, with(entity.AnyType, ""))
	}
	for _, t := range b.types {
		if !b.anyType {
			out = append(out, with(t, ""))
		}
	}
	for _, m := range mappings {
		gives := false
		var fields []string
		if b.anyType {
			fields = m.joinedFields()
		}
		for _, t := range b.types {
			gives = gives || m.gives(t)
			for _, f := range m.fieldsFrom(t) {
				if !slices.Contains(fields, f) {
					fields = append(fields, f)
				}
			}
		}
		if gives && !b.anyType {
			out = append(out, with(m.typ, ""))
		}
		for _, a := range m.joinedFields() { // in the mapping's order
			if slices.Contains(fields, a) {
				out = append(out, with(m.typ, a))
			}
		}
	}
	if len(out) == 0 {
		out = append(out, base)
	}
	return out
}

// varFileFailures are the failures of a variables file that could not be
// read or parsed, for a root module scope: the variables it sets took their
// defaults instead, so any value may be wrong, and since a count or
// for_each may depend on them, any entity may be missing.
func varFileFailures(b *brokenFile, scope string) []entity.Failure {
	f := entity.Failure{Kind: b.kind, Type: entity.AnyType, Scope: scope, File: b.name, Line: b.pos.Line, Col: b.pos.Column, Error: b.err}
	values := f
	values.Attr = entity.AnyAttr
	return []entity.Failure{f, values}
}

// hclResourceTypes finds the types of the resource blocks of a native
// syntax file that does not parse: lines that start with `resource "TYPE"`
// (or the type unquoted). A line that starts a module call, or a resource
// header whose type cannot be read, makes any type possible. Text in
// comments or strings may add types that are not there, which only makes
// more rules ERROR; a block that does not start a line is not one
// Terraform would read once the file parses either.
func hclResourceTypes(src []byte) (types []string, anyType bool) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	for line := range bytes.Lines(src) {
		word, rest := leadingWord(bytes.TrimLeft(line, " \t"))
		if word != "resource" && word != "module" {
			continue
		}
		rest = bytes.TrimLeft(rest, " \t")
		label, ok := leadingLabel(rest)
		if !ok {
			if len(rest) > 0 && rest[0] == '"' {
				anyType = true // a header whose label is cut or malformed
			}
			continue
		}
		if word == "module" {
			anyType = true
			continue
		}
		if !slices.Contains(types, label) {
			types = append(types, label)
		}
	}
	slices.Sort(types)
	return types, anyType
}

// leadingWord splits an identifier off the start of s.
func leadingWord(s []byte) (string, []byte) {
	i := 0
	for i < len(s) && isNameByte(s[i]) {
		i++
	}
	return string(s[:i]), s[i:]
}

// leadingLabel reads a block label at the start of s: "name" or name.
func leadingLabel(s []byte) (string, bool) {
	if len(s) > 0 && s[0] == '"' {
		end := bytes.IndexByte(s[1:], '"')
		if end <= 0 {
			return "", false
		}
		label, _ := leadingWord(s[1 : 1+end])
		return label, len(label) == end
	}
	label, _ := leadingWord(s)
	return label, label != ""
}

// jsonResourceTypes finds the resource types of a JSON syntax file that
// does not parse: the names in its top-level "resource" object (or in the
// objects of a top-level "resource" array). When the JSON itself is broken,
// what follows the break cannot be read, so any type is possible; so it is
// with a top-level "module".
func jsonResourceTypes(src []byte) (types []string, anyType bool) {
	// frame is an open object or array.
	type frame struct {
		object bool
		// resource is set on the value of the top-level "resource"
		// key, and on the objects of an array that is: their keys are
		// resource types.
		resource bool
		// wantKey is set when an object's next token is a key.
		wantKey bool
	}
	var stack []frame
	topKey := ""
	dec := json.NewDecoder(bytes.NewReader(src))
	for {
		tok, err := dec.Token()
		if err != nil {
			slices.Sort(types)
			types = slices.Compact(types)
			return types, anyType || err != io.EOF || len(stack) > 0
		}
		n := len(stack)
		if key, isKey := tok.(string); isKey && n > 0 && stack[n-1].wantKey {
			stack[n-1].wantKey = false
			switch {
			case n == 1:
				topKey = key
				anyType = anyType || key == "module"
			case stack[n-1].resource:
				types = append(types, key)
			}
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			resource := n == 1 && topKey == "resource" || n > 1 && stack[n-1].resource && !stack[n-1].object
			open := tok == json.Delim('{')
			stack = append(stack, frame{object: open, resource: resource, wantKey: open})
			continue // the value goes on
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:n-1]
		}
		// A value ended: the object it is in wants a key next.
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
}

// rootFailures are the failures of the root module m: those of the broken
// files of m and of the modules it calls, and those of the variables files
// and options of the command line that could not be read.
func rootFailures(m *moduleConfig, vars *variableSources) []entity.Failure {
	var out []entity.Failure
	seen := map[*moduleConfig]bool{m: true}
	for todo := []*moduleConfig{m}; len(todo) > 0; {
		mc := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, b := range mc.broken {
			out = append(out, b.failures(m.rel)...)
		}
		for _, c := range mc.calls {
			if c.child != nil && !seen[c.child] {
				seen[c.child] = true
				todo = append(todo, c.child)
			}
		}
	}
	for _, b := range vars.broken {
		out = append(out, varFileFailures(b, m.rel)...)
	}
	return out
}

// unreadInput records in inv that the input path, a plan or a directory,
// could not be read (kind entity.FailureRead) or parsed (FailureParse) at
// all, as diags say, and returns them: no scope was read, so no rule runs
// on it, but reports list it.
func unreadInput(inv *entity.Inventory, path, kind string, diags hcl.Diagnostics) (*entity.Inventory, hcl.Diagnostics) {
	pos, msg := describeErrors(diags)
	inv.Failures = append(inv.Failures, entity.Failure{Kind: kind, File: path, Line: pos.Line, Col: pos.Column, Error: msg})
	return inv, diags
}
