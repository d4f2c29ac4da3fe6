// Package rules defines posture rules as data: their model (Rule), the YAML
// file format they are written in, the catalog embedded in vigil, and the
// compliance frameworks they map to.
//
// # Rule files
//
// A rule is one YAML file (".yaml" or ".yml"); a rule directory may nest
// files in sub-directories. The fields:
//
//	id           required  stable identifier: letters, digits, '.', '_', '-' ("D9.AWS.MON.05")
//	title        required  one line
//	severity     required  Informational, Low, Medium, High or Critical (any case)
//	entity       required  the entity type the logic is about; must match the logic's target
//	logic        required  the GSL rule ("CloudTrail should have isMultiRegionTrail=true")
//	category               a grouping for display ("Logging", "Monitoring")
//	description            what is checked
//	rationale              why it matters
//	impact                 what fixing it costs or changes
//	remediation            a mapping of console, cli and terraform texts (templates, see below)
//	references             a list of URLs
//	frameworks             a list of {framework, version, control}
//
// Unknown fields, duplicate fields and values of the wrong kind are errors
// that name the file, line and column ("rule.yaml:3:1: field "sevrity" is
// not a rule field (did you mean "severity"?)"). Every problem of every file
// is reported, and two files with the same id are an error naming both.
//
// A framework reference to the CIS benchmark is written with the framework
// name "CIS AWS Foundations", one of the versions in CISVersions and a
// recommendation number as control ("4.5"). Other frameworks are free text;
// version and control may be left out.
//
// # Remediation templates
//
// The remediation texts are Go text/template templates rendered for each
// finding with a Target: {{.Name}}, {{.ID}}, {{.Region}}, {{.Account}} and
// {{.Attr "cloudWatchLogsLogGroupArn"}}. A value that is not known (no
// region on a scope finding, a missing attribute) renders as a placeholder
// in angle brackets, such as "<region>". Templates are parsed and tried when
// the file is read, so a misspelt field is an error at its line and column.
//
// # Catalog
//
// The catalog (Catalog) is embedded from catalog/<cloud>/<service>/<ID>.yaml.
// Users add rule directories of their own (LoadFS, Merge), and can convert a
// CloudGuard ruleset export into rule files (ImportCloudGuard).
package rules
