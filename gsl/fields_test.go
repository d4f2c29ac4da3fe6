package gsl

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestFieldReads: the fields a rule reads, each at the position of its
// path, with list elements below their list.
func TestFieldReads(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want []string // "path@line:col"
	}{
		{"CloudTrail should have isMultiRegionTrail=true", []string{"isMultiRegionTrail@1:24"}},
		{"CloudTrail where region='us-east-1' should have status.isLogging=true exclude name='x'",
			[]string{"region@1:18", "status.isLogging@1:49", "name@1:79"}},
		// A list operator's brackets read each element.
		{"CloudTrail should have metricFilters with [filterPattern like 'x%' and metricTransformations contain [metricName='m']] length() > 0",
			[]string{"metricFilters@1:24", "metricFilters[].filterPattern@1:44", "metricFilters[].metricTransformations@1:72",
				"metricFilters[].metricTransformations[].metricName@1:103"}},
		// List<E>: the fields of each item, not the scope's items.
		{"List<CloudTrail> should have items with [isMultiRegionTrail=true and metricFilters with [hasSNSSubscriber=true]] length() > 0",
			[]string{"isMultiRegionTrail@1:42", "metricFilters@1:70", "metricFilters[].hasSNSSubscriber@1:90"}},
		{"List<CloudTrail> should have items length() > 0", nil},
		// A path compared with a path: both are read.
		{"X should have a.b = c", []string{"a.b@1:15", "c@1:21"}},
		// Parentheses around a list do not hide it.
		{"X should have (tags) contain [key='a']", []string{"tags@1:16", "tags[].key@1:31"}},
		// What the groups of groupBy read cannot be told.
		{"List<X> should have items groupBy [kind] contain-all [values length() > 1]", []string{"kind@1:36"}},
		{"X should have $ isEmpty()", nil},
		// Across lines.
		{"X should have a=1\n  and b=2", []string{"a@1:15", "b@2:7"}},
	} {
		r, err := Parse(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		var got []string
		for _, f := range r.FieldReads() {
			got = append(got, fmt.Sprintf("%s@%s", f.Path, f.Span.Start))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}

// TestFieldCheckWarns: WithFieldCheck's message about a field is a
// warning at its path, and the rule still compiles.
func TestFieldCheckWarns(t *testing.T) {
	check := func(entity, path string) string {
		if strings.HasSuffix(path, "Trial") {
			return entity + " has no " + path
		}
		return ""
	}
	p, err := Compile("List<CloudTrail> should have items with [isMultiRegionTrail=true and metricFilters with [isTrial=true]] length() > 0",
		WithFieldCheck(check))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Warnings().Error(), "1:90: CloudTrail has no metricFilters[].isTrial"; got != want {
		t.Errorf("warnings %q, want %q", got, want)
	}
}
