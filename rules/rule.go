package rules

import (
	"fmt"
	"strings"
)

// Severity is a rule's risk level.
type Severity int

// Severities, lowest first, so they can be compared with < and >=.
const (
	Informational Severity = iota + 1
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"", "Informational", "Low", "Medium", "High", "Critical"}

// ParseSeverity reads a severity name, case-insensitively ("high", "High").
func ParseSeverity(s string) (Severity, error) {
	for i := Informational; i <= Critical; i++ {
		if strings.EqualFold(s, severityNames[i]) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("severity %q is not one of Informational, Low, Medium, High, Critical", s)
}

// String returns the severity's name as rule files write it ("High").
func (s Severity) String() string {
	if s < Informational || s > Critical {
		return "Severity(?)"
	}
	return severityNames[s]
}

// Rule is one posture rule: GSL logic plus everything a reader of a finding
// needs to understand and fix it. Rules are data: they are read from YAML
// files (see the package documentation), never written in Go.
type Rule struct {
	// ID is the rule's stable identifier ("D9.AWS.MON.05", "VIGIL.AWS.LOG.01").
	ID    string
	Title string
	// Concern names what the rule checks, independently of how
	// ("cloudtrail-all-regions"): rules with the same concern report the
	// same problem, so a ruleset holds one of them (see Ruleset).
	Concern string
	// Severity is the risk level.
	Severity Severity
	// Entity is the entity type the logic is about, for display ("CloudTrail").
	Entity string
	// Logic is the GSL rule text.
	Logic string
	// AccountWide marks a List<E> rule that asks for something to exist
	// somewhere in an account (a role for AWS Support). Terraform code
	// holds part of an account, so on a root module the rule can pass,
	// when the code declares what it asks for, or be UNKNOWN, but not
	// fail: another module may declare it. The engine reports such a
	// rule as not applicable on a root module it would fail.
	AccountWide bool
	// Variants are other logic texts, by name, for framework versions whose
	// control the rule judges differently (a CIS version with another
	// metric filter pattern); a FrameworkRef names the variant it is judged
	// with. See ForFramework.
	Variants map[string]*Variant
	// Category groups rules for display ("Logging", "Monitoring").
	Category    string
	Description string
	Rationale   string
	Impact      string
	// Message is what a finding says in plain words (see Message).
	Message Message
	// Remediation holds the fix in several forms. Its texts are templates
	// rendered with a finding's entity (see Render).
	Remediation Remediation
	References  []string
	Frameworks  []FrameworkRef
	// File is the file the rule was read from ("catalog/aws/cloudtrail/
	// D9.AWS.LOG.01.yaml" for the embedded catalog), and LogicLine the line
	// where the logic text starts in it, so GSL errors point into the rule
	// file.
	File      string
	LogicLine int
	// LogicCol is the column of the logic's first character on LogicLine
	// (for a block scalar, its indentation), so that LogicLine and LogicCol
	// locate line 1, column 1 of the logic text.
	LogicCol int

	// templates are the parsed remediation templates (see Render).
	templates *remediationTemplates
	// messages are the parsed message templates.
	messages *messageTemplates
}

// Variant is a rule's logic for some framework versions.
type Variant struct {
	Logic string
	// LogicLine and LogicCol locate the logic text in the rule file, as
	// Rule.LogicLine and Rule.LogicCol do.
	LogicLine, LogicCol int
}

// Remediation is how to fix a failing entity, in each form a reader may use.
// Empty forms are left out of reports.
type Remediation struct {
	Console   string
	CLI       string
	Terraform string
}

// FrameworkRef maps a rule to one control of one compliance framework.
type FrameworkRef struct {
	// Framework is the framework's name ("CIS AWS Foundations").
	Framework string
	// Version is the framework's version ("3.0.0"); empty when it has none.
	Version string
	// Control is the control's identifier in that version ("3.5").
	Control string
	// Variant names the rule's logic variant this control is judged with;
	// empty for the rule's own logic.
	Variant string
}

// ForFramework returns the rule as it is judged for one framework version:
// with the logic variant its references to that version name, and mapped
// only to the references judged with that logic. With an empty framework,
// or for a version the rule does not map to, it is the rule's own logic
// and the references without a variant. A rule without variants is
// returned as it is. The returned rule shares everything else with r.
func (r *Rule) ForFramework(framework, version string) *Rule {
	if len(r.Variants) == 0 {
		return r
	}
	variant := ""
	for _, ref := range r.Frameworks {
		if framework != "" && ref.Framework == framework && ref.Version == version {
			variant = ref.Variant
			break
		}
	}
	out := *r
	out.Frameworks = nil
	for _, ref := range r.Frameworks {
		if ref.Variant == variant {
			out.Frameworks = append(out.Frameworks, ref)
		}
	}
	if v := r.Variants[variant]; v != nil {
		out.Logic, out.LogicLine, out.LogicCol = v.Logic, v.LogicLine, v.LogicCol
	}
	out.Variants = nil
	return &out
}
