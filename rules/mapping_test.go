package rules

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

func TestMappingFields(t *testing.T) {
	m := Mapping{Kind: "a remediation", Prefix: "remediation.", Known: []string{"console", "cli", "terraform"}}
	tests := []struct {
		name, yaml string
		// fields are the keys Fields yields, and reports what it reports,
		// as "line:col field: message".
		fields, reports []string
	}{
		{"known fields in order", "cli: a\nconsole: b\n", []string{"cli", "console"}, nil},
		{"misspelt field", "consol: a\ncli: b\n", []string{"cli"},
			[]string{`1:1 remediation.consol: field "remediation.consol" is not a remediation field (did you mean "console"?)`}},
		{"unknown field", "colour: a\n", nil,
			[]string{`1:1 remediation.colour: field "remediation.colour" is not a remediation field (known fields: console, cli, terraform)`}},
		{"field given twice", "cli: a\ncli: b\n", []string{"cli"},
			[]string{`2:1 remediation.cli: field "remediation.cli" is given twice`}},
		{"key not a string", "[a]: b\ncli: c\n", []string{"cli"}, []string{"1:1 : field names must be plain strings"}},
		{"empty", "{}\n", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			var fields, reports []string
			report := func(at *yaml.Node, field, msg string) {
				reports = append(reports, fmt.Sprintf("%d:%d %s: %s", at.Line, at.Column, field, msg))
			}
			for key, val := range m.Fields(doc.Content[0], report) {
				if val == nil {
					t.Errorf("no value for %s", key.Value)
				}
				fields = append(fields, key.Value)
			}
			if strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("fields %q, want %q", fields, tt.fields)
			}
			if strings.Join(reports, "\n") != strings.Join(tt.reports, "\n") {
				t.Errorf("reports\n%s\nwant\n%s", strings.Join(reports, "\n"), strings.Join(tt.reports, "\n"))
			}
		})
	}
}

// TestMappingFieldsStops: a loop that breaks stops the walk, and no later
// key is reported.
func TestMappingFieldsStops(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("cli: a\nnope: b\n"), &doc); err != nil {
		t.Fatal(err)
	}
	m := Mapping{Kind: "a remediation", Known: []string{"cli"}}
	for range m.Fields(doc.Content[0], func(*yaml.Node, string, string) { t.Error("reported a key after the break") }) {
		break
	}
}
