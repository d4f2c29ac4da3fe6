package rules

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
	// Severity is the risk level.
	Severity Severity
	// Entity is the entity type the logic is about, for display ("CloudTrail").
	Entity string
	// Logic is the GSL rule text.
	Logic string
	// Category groups rules for display ("Logging", "Monitoring").
	Category    string
	Description string
	Rationale   string
	Impact      string
	// Remediation holds the fix in several forms. Its texts are templates
	// rendered with a finding's entity (see Render).
	Remediation Remediation
	References  []string
	Frameworks  []FrameworkRef
	// File is the file the rule was read from ("catalog/aws/cloudtrail/
	// D9.AWS.LOG.01.yaml" for the embedded catalog), and LogicLine the line
	// of the logic field in it, so GSL errors point into the rule file.
	File      string
	LogicLine int
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
}
