package rules

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestCheckField: a field CloudTrail declares is fine, anything on a type
// vigil has no schema for too; a field it does not declare is named, with
// the closest one it does or what is wrong with the path.
func TestCheckField(t *testing.T) {
	for _, tt := range []struct{ typ, path, want string }{
		{"CloudTrail", "isMultiRegionTrail", ""},
		{"CloudTrail", "metricFilters[].metricTransformations[].alarms[].snsTopics[].confirmedSubscriptions", ""},
		{"CloudTrail", "metricFilters[].metricTransformations[].dimensions.region", ""},
		{"aws_cloudtrail", "anything_at_all", ""},
		{"VirtualMachine", "anything", ""},
		{"CloudTrail", "isMultiRegionTrial", `CloudTrail has no field "isMultiRegionTrial" (did you mean "isMultiRegionTrail"?)`},
		{"CloudTrail", "IsMultiRegionTrail", `CloudTrail has no field "IsMultiRegionTrail" (did you mean "isMultiRegionTrail"?)`},
		{"CloudTrail", "status.isLoging", `CloudTrail has no field "status.isLoging" (did you mean "status.isLogging"?)`},
		{"CloudTrail", "metricFilters[].filterPatern", `CloudTrail has no field "metricFilters[].filterPatern" (did you mean "metricFilters[].filterPattern"?)`},
		{"CloudTrail", "encrypted", `CloudTrail has no field "encrypted"; 'vigil entities CloudTrail' lists the fields it has`},
		// The object the field is in, left out.
		{"CloudTrail", "isLogging", `CloudTrail has no field "isLogging" (did you mean "status.isLogging"?)`},
		{"CloudTrail", "metricFilters[].confirmedSubscriptions",
			`CloudTrail has no field "metricFilters[].confirmedSubscriptions" (did you mean "metricFilters[].metricTransformations[].alarms[].snsTopics[].confirmedSubscriptions"?)`},
		{"CloudTrail", "metricFilters.filterPattern",
			`CloudTrail's field "metricFilters" is a list: read the fields of its elements with a list operator (metricFilters with [filterPattern ...])`},
		{"CloudTrail", "metricFilters[].metricTransformations.alarms",
			`CloudTrail's field "metricFilters[].metricTransformations" is a list: read the fields of its elements with a list operator (metricTransformations with [alarms ...])`},
		{"CloudTrail", "status[].isLogging", `CloudTrail's field "status" is an object, not a list: read its fields as status.name`},
		{"CloudTrail", "isMultiRegionTrail.value", `CloudTrail's field "isMultiRegionTrail" is a bool, which has no fields`},
	} {
		if got := CheckField(tt.typ, tt.path); got != tt.want {
			t.Errorf("CheckField(%q, %q)\n got %s\nwant %s", tt.typ, tt.path, got, tt.want)
		}
	}
}

// TestLoadFSRejectsUndeclaredFields: a rule file vigil loads to run that
// reads a field its entity type does not declare is an error at the
// path's line and column, in the logic and in each variant; Parse, which
// only converts, and rules on Terraform types are not checked.
func TestLoadFSRejectsUndeclaredFields(t *testing.T) {
	const head = "id: X.1\ntitle: t\nseverity: Low\n"
	for _, tt := range []struct {
		name, file string
		want       []string
	}{
		{"plain", head + "entity: CloudTrail\nlogic: CloudTrail should have isMultiRegionTrial=true\n",
			[]string{`rules/r.yaml:5:31: logic: CloudTrail has no field "isMultiRegionTrial" (did you mean "isMultiRegionTrail"?)`}},
		{"block", head + "entity: CloudTrail\nlogic: |-\n  List<CloudTrail> should have items with [isMultiRegionTrail=true and\n    metricFilters with [filterPatern like '%x%']] length() > 0\n",
			[]string{`rules/r.yaml:7:25: logic: CloudTrail has no field "metricFilters[].filterPatern" (did you mean "metricFilters[].filterPattern"?)`}},
		{"variant", head + "entity: CloudTrail\nlogic: CloudTrail should have status.isLogging=true\nvariants:\n  cis-1.2.0: CloudTrail should have status.isLoging=true\n" +
			"frameworks:\n  - {framework: CIS AWS Foundations, version: 1.2.0, control: '2.1', variant: cis-1.2.0}\n",
			[]string{`rules/r.yaml:7:37: variants.cis-1.2.0: CloudTrail has no field "status.isLoging" (did you mean "status.isLogging"?)`}},
		{"native", head + "entity: aws_cloudtrail\nlogic: aws_cloudtrail should have no_such_argument=true\n", nil},
		{"fine", head + "entity: CloudTrail\nlogic: CloudTrail should have tags contain [key='team']\n", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(fstest.MapFS{"r/r.yaml": &fstest.MapFile{Data: []byte(tt.file)}}, "r", "rules")
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("LoadFS:\n got %q\nwant %q", got, tt.want)
			}
			if _, err := Parse("r.yaml", []byte(tt.file)); err != nil {
				t.Errorf("Parse: %v", err)
			}
		})
	}
}

func TestFieldsRead(t *testing.T) {
	r := &Rule{Logic: "List<CloudTrail> should have items with [isMultiRegionTrail=true and metricFilters with [filterPattern like '%x%']] length() > 0",
		Variants: map[string]*Variant{
			"b": {Logic: "List<CloudTrail> should have items with [status.isLogging=true and isMultiRegionTrail=true] length() > 0"},
			"a": {Logic: "List<CloudTrail> should have items with [hasSNSSubscriber=true] length() > 0"},
			"c": {Logic: "List<CloudTrail> should have ("},
		}}
	want := []string{"isMultiRegionTrail", "metricFilters", "metricFilters[].filterPattern", "hasSNSSubscriber", "status.isLogging"}
	if got := r.FieldsRead(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("FieldsRead() = %q, want %q", got, want)
	}
}
