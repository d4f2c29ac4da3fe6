package report

import (
	"fmt"
	"slices"
	"strings"

	"vigil/engine"
	"vigil/entity"
)

// Every format lists the run's failures (engine.Run.Failures): the data a
// source could not collect, and the input files that could not be read or
// parsed. The inventory records one failure per entity type a broken file
// leaves incomplete, and per root module that reads it; a report lists each
// file once, with the types.

// failureNote is one failure as reports list it: the failures that say the
// same thing (the same file and error, or the same call and error), with
// what they leave incomplete.
type failureNote struct {
	// Failure is the first of them: its kind, place and error.
	entity.Failure
	// Text is Failure.String().
	Text string
	// Affects names what the failures leave incomplete: "aws_cloudtrail",
	// "CloudTrail.metricFilters", "entities of any type", "any value";
	// empty for an input that gave nothing.
	Affects []string
	// Scopes are the scopes of the failures, when they have one.
	Scopes []string
}

// failureNotes groups the run's failures into notes, input failures first,
// each group in the order of its first failure.
func failureNotes(run *engine.Run) (inputs, collections []failureNote) {
	at := map[string]int{}
	var all []failureNote
	for _, f := range run.Failures {
		text := f.String()
		key := f.Kind + "\x00" + text
		i, ok := at[key]
		if !ok {
			i = len(all)
			at[key] = i
			all = append(all, failureNote{Failure: f, Text: text})
		}
		if a := affected(f); a != "" && !slices.Contains(all[i].Affects, a) {
			all[i].Affects = append(all[i].Affects, a)
		}
		if f.Scope != "" && !slices.Contains(all[i].Scopes, f.Scope) {
			all[i].Scopes = append(all[i].Scopes, f.Scope)
		}
	}
	for _, n := range all {
		if n.IsInput() {
			inputs = append(inputs, n)
		} else {
			collections = append(collections, n)
		}
	}
	return inputs, collections
}

// affected names what one failure leaves incomplete.
func affected(f entity.Failure) string {
	switch {
	case f.Attr == entity.AnyAttr:
		return "any value"
	case f.Type == entity.AnyType:
		return "entities of any type"
	case f.Type == "":
		return ""
	case f.Attr != "":
		return f.Type + "." + f.Attr
	}
	return f.Type
}

// String is the note as one line: its text and, for an input failure,
// what may be incomplete because of it.
func (n failureNote) String() string {
	if !n.IsInput() || len(n.Affects) == 0 {
		return n.Text
	}
	return n.Text + " (may be incomplete: " + strings.Join(n.Affects, ", ") + ")"
}

// incompleteText is the sentence that says a report is incomplete because
// of n input failures; empty for none.
func incompleteText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("Incomplete: %d %s could not be read or parsed: what %s is missing, and the rules on it report ERROR.",
		n, plural(n, "input file", "input files"), plural(n, "it declares", "they declare"))
}
