package rules

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Mapping describes the fields a YAML mapping of one of vigil's files may
// hold: a rule, a ruleset, an exclusion, or a part of one (a rule's
// remediation). Rule files, ruleset files and the engine's exclusion files
// all read their mappings with Fields, so that they report the same
// mistakes in the same words.
type Mapping struct {
	// Kind names the mapping in errors, article included: field "x" is not
	// <Kind> field ("a rule", "an exclusion").
	Kind string
	// Prefix comes before a field's name in errors ("remediation.").
	Prefix string
	// Known are the fields the mapping may hold, in the order the
	// documentation gives them; at most 64.
	Known []string
}

// Fields iterates over the keys and values of the YAML mapping node n. It
// skips the keys that are not plain strings, not Known, or given a second
// time, and tells report about each: the node at fault, the field (with
// Prefix; empty for a key that is not a string) and what is wrong. The
// message for an unknown key suggests the Known field it is likely a typo
// of, or else lists them.
func (m Mapping) Fields(n *yaml.Node, report func(at *yaml.Node, field, msg string)) iter.Seq2[*yaml.Node, *yaml.Node] {
	if len(m.Known) > 64 {
		panic("rules: a Mapping knows more than 64 fields")
	}
	return func(yield func(key, val *yaml.Node) bool) {
		var seen uint64 // bit i: Known[i] was given
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			if key.Kind != yaml.ScalarNode {
				report(key, "", "field names must be plain strings")
				continue
			}
			known := slices.Index(m.Known, key.Value)
			if known < 0 {
				field := m.Prefix + key.Value
				msg := fmt.Sprintf("field %q is not %s field", field, m.Kind)
				if s := Suggest(key.Value, m.Known); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				} else {
					msg += " (known fields: " + strings.Join(m.Known, ", ") + ")"
				}
				report(key, field, msg)
				continue
			}
			if seen&(1<<known) != 0 {
				field := m.Prefix + key.Value
				report(key, field, fmt.Sprintf("field %q is given twice", field))
				continue
			}
			seen |= 1 << known
			if !yield(key, val) {
				return
			}
		}
	}
}
