// Package s3dataevents works out, from a CloudTrail trail's event
// selectors, whether the trail records the object-level (data) events of
// every S3 bucket, write events and read events separately: what CIS AWS
// Foundations asks of "object-level logging" (3.8 and 3.9 in v5.0.0).
//
// Both sources give the selectors the same normalised shape (the
// CloudTrail entity's eventSelectors and advancedEventSelectors), so both
// call this package: a live account from the GetEventSelectors answer, and
// Terraform from the event_selector and advanced_event_selector blocks,
// where any value may be Unknown until apply. A value this package cannot
// decide because of an Unknown input is Unknown with the reason, never
// false and never true.
package s3dataevents

import (
	"regexp"
	"slices"
	"strings"

	"vigil/entity"
)

// objectType is the resource type of S3 object-level data events.
const objectType = "AWS::S3::Object"

// allBuckets matches the values of a classic data resource that select the
// objects of every bucket, current and future: "arn:aws:s3" as the CIS
// audit writes it, and "arn:aws:s3:::" as the console does, in any
// partition.
var allBuckets = regexp.MustCompile(`^arn:aws(-[a-z]+)*:s3(:::)?$`)

// allBucketsPrefix matches a resources.ARN StartsWith value of an advanced
// selector that every object ARN starts with.
var allBucketsPrefix = regexp.MustCompile(`^arn:aws(-[a-z]+)*:s3:::$`)

// Coverage is what the selectors record of S3 object events in every
// bucket. Each value is true, false, or an *entity.Unknown saying why it
// cannot be told.
type Coverage struct {
	Write, Read any
}

// ObjectEvents says whether the selectors, taken together, record the
// write and the read object-level events of every S3 bucket. Selectors are
// a union: an event is recorded when any selector matches it. A classic
// selector counts when one of its data resources has type AWS::S3::Object
// and an all-buckets value, for the events its ReadWriteType records. An
// advanced selector counts when it selects eventCategory Data and
// resources.type AWS::S3::Object and narrows nothing else: readOnly may
// choose read or write events, and any other condition (some buckets, some
// event names) makes it partial.
func ObjectEvents(classic, advanced any) Coverage {
	write, read := false_, false_
	for _, sel := range items(classic, "the event selectors") {
		w, r := classicCoverage(sel)
		write, read = write.or(w), read.or(r)
	}
	for _, sel := range items(advanced, "the advanced event selectors") {
		w, r := advancedCoverage(sel)
		write, read = write.or(w), read.or(r)
	}
	return Coverage{Write: write.value(), Read: read.value()}
}

// classicCoverage is what one classic event selector records.
func classicCoverage(sel any) (write, read truth) {
	if u, ok := sel.(*entity.Unknown); ok {
		return unknown("an event selector is unknown: " + u.Reason), unknown("an event selector is unknown: " + u.Reason)
	}
	m, _ := sel.(map[string]any)
	all := false_
	for _, d := range items(m["dataResources"], "the data resources of an event selector") {
		all = all.or(selectsAllObjects(d))
	}
	switch rw := m["readWriteType"].(type) {
	case *entity.Unknown:
		u := unknown("an event selector's read/write type is unknown: " + rw.Reason)
		return all.and(u), all.and(u)
	case string:
		switch rw {
		case "ReadOnly":
			return false_, all
		case "WriteOnly":
			return all, false_
		}
	}
	// All, or left out, which means All.
	return all, all
}

// selectsAllObjects says whether a classic data resource selects the
// objects of every bucket.
func selectsAllObjects(d any) truth {
	m, _ := d.(map[string]any)
	switch t := m["type"].(type) {
	case *entity.Unknown:
		return unknown("a data resource's type is unknown: " + t.Reason)
	case string:
		if t != objectType {
			return false_
		}
	default:
		return false_
	}
	res := false_
	for _, v := range items(m["values"], "the values of an S3 data resource") {
		switch x := v.(type) {
		case *entity.Unknown:
			res = res.or(unknown("an S3 data resource's value is unknown: " + x.Reason))
		case string:
			if allBuckets.MatchString(x) {
				return true_
			}
		}
	}
	return res
}

// advancedCoverage is what one advanced event selector records.
func advancedCoverage(sel any) (write, read truth) {
	if u, ok := sel.(*entity.Unknown); ok {
		why := unknown("an advanced event selector is unknown: " + u.Reason)
		return why, why
	}
	m, _ := sel.(map[string]any)
	fields, u := list(m["fieldSelectors"])
	if u != nil {
		why := unknown("the field selectors of an advanced event selector are unknown: " + u.Reason)
		return why, why
	}
	data, object := false_, false_
	write, read = true_, true_
	for _, f := range fields {
		fm, _ := f.(map[string]any)
		c, err := readCondition(fm)
		if err.state == stateUnknown {
			return err, err
		}
		switch {
		case c.field == "eventCategory":
			data = truthOf(c.only("equals") && slices.Contains(c.equals, "Data"))
		case c.field == "resources.type":
			object = truthOf(c.only("equals") && len(c.equals) == 1 && c.equals[0] == objectType)
		case c.field == "readOnly":
			w, r := c.readOnly()
			write, read = write.and(truthOf(w)), read.and(truthOf(r))
		case c.field == "resources.ARN" && c.only("startsWith") && len(c.startsWith) > 0 &&
			!slices.ContainsFunc(c.startsWith, func(s string) bool { return !allBucketsPrefix.MatchString(s) }):
			// Every object ARN starts with it: no narrowing.
		case c.field == "eventSource" && c.only("equals") && len(c.equals) == 1 && c.equals[0] == "s3.amazonaws.com":
			// Every S3 object event comes from S3: no narrowing.
		default:
			// Some buckets, some event names, some callers: partial.
			return false_, false_
		}
	}
	selected := data.and(object)
	return selected.and(write), selected.and(read)
}

// condition is one field selector of an advanced event selector, with the
// operators it uses.
type condition struct {
	field      string
	equals     []string
	notEquals  []string
	startsWith []string
	used       []string // the operators with values, by their entity names
}

// operators are the entity names of a field selector's operators.
var operators = []string{"equals", "notEquals", "startsWith", "notStartsWith", "endsWith", "notEndsWith"}

// readCondition reads a normalised field selector; its truth is unknown
// when the field or any value is.
func readCondition(m map[string]any) (condition, truth) {
	var c condition
	switch f := m["field"].(type) {
	case *entity.Unknown:
		return c, unknown("a field selector's field is unknown: " + f.Reason)
	case string:
		c.field = f
	}
	for _, op := range operators {
		values, u := list(m[op])
		if u != nil {
			return c, unknown("the " + op + " values of field selector " + c.field + " are unknown: " + u.Reason)
		}
		var strs []string
		for _, v := range values {
			switch x := v.(type) {
			case *entity.Unknown:
				return c, unknown("a value of field selector " + c.field + " is unknown: " + x.Reason)
			case string:
				strs = append(strs, x)
			}
		}
		if len(strs) == 0 {
			continue
		}
		c.used = append(c.used, op)
		switch op {
		case "equals":
			c.equals = strs
		case "notEquals":
			c.notEquals = strs
		case "startsWith":
			c.startsWith = strs
		}
	}
	return c, true_
}

// only reports whether the condition uses the operator op and no other.
func (c condition) only(op string) bool { return len(c.used) == 1 && c.used[0] == op }

// readOnly says which events a readOnly condition lets through: write
// events (readOnly false) and read events (readOnly true).
func (c condition) readOnly() (write, read bool) {
	switch {
	case c.only("equals") && len(c.equals) == 1:
		return strings.EqualFold(c.equals[0], "false"), strings.EqualFold(c.equals[0], "true")
	case c.only("notEquals") && len(c.notEquals) == 1:
		return !strings.EqualFold(c.notEquals[0], "false"), !strings.EqualFold(c.notEquals[0], "true")
	}
	return false, false
}

// items returns the elements of a list value; an Unknown list is one
// Unknown element, so that what it would have selected stays unknown.
func items(v any, what string) []any {
	l, u := list(v)
	if u != nil {
		return []any{entity.NewUnknown(u.Kind, what+" are unknown: "+u.Reason)}
	}
	return l
}

// list returns the elements of a list value, or the Unknown it is.
func list(v any) ([]any, *entity.Unknown) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case *entity.Unknown:
		return nil, x
	}
	return nil, nil
}
