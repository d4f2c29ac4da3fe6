package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"
)

// MaxImportRules is the most rules one CloudGuard export may hold.
const MaxImportRules = 10000

// cloudGuardRule is one rule of a CloudGuard ruleset export. Exports carry
// more fields (ids, hashes, flags); they are ignored.
type cloudGuardRule struct {
	Name          string `json:"name"`
	Severity      string `json:"severity"`
	Logic         string `json:"logic"`
	Description   string `json:"description"`
	Remediation   string `json:"remediation"`
	ComplianceTag string `json:"complianceTag"`
	RuleID        string `json:"ruleId"`
	Category      string `json:"category"`
}

type cloudGuardRuleset struct {
	Name  string           `json:"name"`
	Rules []cloudGuardRule `json:"rules"`
}

// ImportCloudGuard converts a CloudGuard ruleset JSON export (an object with
// "name" and "rules", or a bare array of rules) into rules. name is the
// file name used in errors. A rule without a ruleId gets "CUSTOM.<n>"
// (n counting from 1 in file order). The free-text remediation becomes the
// console remediation; the complianceTag becomes a framework reference to
// the ruleset. The GSL logic is carried as it is; compile it to check it.
func ImportCloudGuard(name string, data []byte) ([]*Rule, error) {
	var set cloudGuardRuleset
	trimmed := bytes.TrimSpace(data)
	var err error
	if len(trimmed) > 0 && trimmed[0] == '[' {
		err = json.Unmarshal(trimmed, &set.Rules)
	} else {
		err = json.Unmarshal(trimmed, &set)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: not a CloudGuard ruleset export: %w", name, err)
	}
	if len(set.Rules) == 0 {
		return nil, fmt.Errorf("%s: the ruleset has no rules", name)
	}
	if len(set.Rules) > MaxImportRules {
		return nil, fmt.Errorf("%s: %d rules, more than the limit of %d", name, len(set.Rules), MaxImportRules)
	}
	framework := "CloudGuard ruleset"
	if set.Name != "" {
		framework += ": " + set.Name
	}
	var out []*Rule
	var errs []error
	for i, cg := range set.Rules {
		r := &Rule{ID: strings.TrimSpace(cg.RuleID), Title: strings.TrimSpace(cg.Name), Logic: strings.TrimSpace(cg.Logic),
			Category: cg.Category, Description: cg.Description,
			Remediation: Remediation{Console: escapeTemplate(cg.Remediation)}}
		if r.ID == "" {
			r.ID = fmt.Sprintf("CUSTOM.%d", i+1)
		}
		where := fmt.Sprintf("%s: rules[%d] (%s)", name, i, r.ID)
		if r.Title == "" {
			r.Title = r.ID
		}
		sev, err := ParseSeverity(strings.TrimSpace(cg.Severity))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
			continue
		}
		r.Severity = sev
		if r.Logic == "" {
			errs = append(errs, fmt.Errorf("%s: the rule has no logic", where))
			continue
		}
		r.Entity = logicTarget(r.Logic)
		if tag := strings.TrimSpace(cg.ComplianceTag); tag != "" {
			r.Frameworks = []FrameworkRef{{Framework: framework, Control: tag}}
		}
		// The rule must make a valid rule file: write it and read it back,
		// which also parses its remediation template.
		data, err := Marshal(r)
		if err == nil {
			r, err = Parse(r.ID+".yaml", data)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
			continue
		}
		out = append(out, r)
	}
	if errs := checkUnique(out); len(errs) > 0 {
		return nil, errs
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// escapeTemplate makes free text safe to use as a remediation template:
// "{{" (as in "{{trail-name}}") is written out literally.
func escapeTemplate(s string) string {
	return strings.ReplaceAll(s, "{{", `{{"{{"}}`)
}

// ruleYAML is the field order of a written rule file.
type ruleYAML struct {
	ID          string            `yaml:"id"`
	Title       string            `yaml:"title"`
	Severity    string            `yaml:"severity"`
	Concern     string            `yaml:"concern,omitempty"`
	Entity      string            `yaml:"entity"`
	Logic       string            `yaml:"logic"`
	AccountWide bool              `yaml:"accountWide,omitempty"`
	Variants    map[string]string `yaml:"variants,omitempty"`
	Category    string            `yaml:"category,omitempty"`
	Description string            `yaml:"description,omitempty"`
	Rationale   string            `yaml:"rationale,omitempty"`
	Impact      string            `yaml:"impact,omitempty"`
	Remediation *remediationYAML  `yaml:"remediation,omitempty"`
	References  []string          `yaml:"references,omitempty"`
	Frameworks  []frameworkYAML   `yaml:"frameworks,omitempty"`
}

type remediationYAML struct {
	Console   string `yaml:"console,omitempty"`
	CLI       string `yaml:"cli,omitempty"`
	Terraform string `yaml:"terraform,omitempty"`
}

type frameworkYAML struct {
	Framework string `yaml:"framework"`
	Version   string `yaml:"version,omitempty"`
	Control   string `yaml:"control,omitempty"`
	Variant   string `yaml:"variant,omitempty"`
}

// Marshal writes a rule in the rule file format. The result parses back to
// the same rule.
func Marshal(r *Rule) ([]byte, error) {
	y := ruleYAML{ID: r.ID, Title: r.Title, Severity: r.Severity.String(), Concern: r.Concern, Entity: r.Entity, AccountWide: r.AccountWide,
		Logic: r.Logic, Category: r.Category, Description: r.Description, Rationale: r.Rationale, Impact: r.Impact,
		References: r.References}
	for name, v := range r.Variants {
		if y.Variants == nil {
			y.Variants = map[string]string{}
		}
		y.Variants[name] = v.Logic
	}
	if r.Remediation != (Remediation{}) {
		y.Remediation = &remediationYAML{Console: r.Remediation.Console, CLI: r.Remediation.CLI, Terraform: r.Remediation.Terraform}
	}
	for _, f := range r.Frameworks {
		y.Frameworks = append(y.Frameworks, frameworkYAML(f))
	}
	data, err := yaml.Marshal(&y)
	if err != nil {
		return nil, fmt.Errorf("rule %s: %w", r.ID, err)
	}
	return data, nil
}
