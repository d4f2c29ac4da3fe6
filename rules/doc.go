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
//	concern                what is checked, whatever the logic ("cloudtrail-all-regions"; see Rulesets)
//	entity       required  the entity type the logic is about; must match the logic's target
//	logic        required  the GSL rule ("CloudTrail should have isMultiRegionTrail=true")
//	accountWide            true for a List<E> rule that asks for something somewhere in an
//	                       account (a support role): code holds part of an account, so on a
//	                       Terraform root module the rule passes or is not applicable, never fails
//	variants               other logic for some framework versions (see Framework versions)
//	category               a grouping for display ("Logging", "Monitoring")
//	description            what is checked
//	rationale              why it matters
//	impact                 what fixing it costs or changes
//	message                what a finding says in plain words: fail, pass, none and lacks (see Messages)
//	remediation            a mapping of console, cli and terraform texts (templates, see below)
//	references             a list of URLs
//	frameworks             a list of {framework, version, control, variant}
//
// Unknown fields, duplicate fields and values of the wrong kind are errors
// that name the file, line and column ("rule.yaml:3:1: field "sevrity" is
// not a rule field (did you mean "severity"?)"). Every problem of every file
// is reported, and two files with the same id are an error naming both.
//
// A rule file vigil loads to run (LoadFS) must be about an entity type it
// models (CheckEntity), and its logic, and each variant's, may read only
// the fields the entity catalogue declares for that type
// (entity.Schema, CheckField): "rule.yaml:5:31: logic: CloudTrail has no
// field "isMultiRegionTrial" (did you mean "isMultiRegionTrail"?)". Rules on
// Terraform resource types are not checked field by field.
//
// A framework reference to the CIS benchmark is written with the framework
// name "CIS AWS Foundations", one of the versions in CISVersions and a
// recommendation number as control ("4.5"). Other frameworks are free text;
// version and control may be left out.
//
// # Framework versions
//
// A control may be judged differently by two versions of a framework: the
// metric filter a CIS monitoring control asks for changed between benchmark
// versions. A rule then carries logic variants, named texts of logic, and
// each framework reference judged with a variant names it:
//
//	logic: |-
//	  List<CloudTrail> should have ... isFilterPatternEqual('<the latest pattern>') ...
//	variants:
//	  cis-1.2.0: |-
//	    List<CloudTrail> should have ... isFilterPatternEqual('<v1.2.0 pattern>') ...
//	frameworks:
//	  - framework: "CIS AWS Foundations"
//	    version: "1.2.0"
//	    control: "3.1"
//	    variant: cis-1.2.0
//
// A scan for one framework version (vigil scan --framework) judges the rule
// with that version's logic; a scan without --framework with the rule's own
// logic, which vigil's catalog writes for the latest version. Either way
// the rule maps only to the versions judged with the logic it ran, so that
// a compliance view never reports a control as judged by another version's
// pattern (ForFramework). Every variant must be named by a reference, and
// every variant a reference names must exist.
//
// The catalog's monitoring rules accept, for each CIS version they map to,
// the audit and the remediation pattern of that version, compared as
// filter patterns (spacing and quoting do not matter). The CIS texts of
// v1.0.0, v1.1.0 and v1.3.0 are not at hand: a control is mapped to them
// only where v1.2.0 and v1.4.0 agree on its pattern. The published D9 rules
// keep their published logic and map only to the versions it judges right.
//
// # Rulesets
//
// A ruleset is a named selection of rules, one YAML file under rulesets/
// (embedded, see Rulesets):
//
//	name         required  the file's name without .yaml
//	description            what the ruleset is for
//	rules        required  rule IDs or globs ("VIGIL.AWS.*")
//	twins                  a list of {live, terraform}: rule pairs with one concern
//
// A scan runs the default ruleset unless told otherwise (vigil scan
// --ruleset NAME, repeatable; --only runs the rules it names whichever
// ruleset holds them; rules of --rules directories join any ruleset).
//
//   - default: one rule per concern. vigil's own rules (VIGIL.AWS.*) where
//     they are stricter than the published ones: they follow the CIS audit
//     procedure, on live accounts and on Terraform code alike through the
//     normalised CloudTrail entity. A published Terraform rule (D9.TF.*) is
//     added only where the normalised rule cannot judge the code:
//     VIGIL.AWS.LOG.02 needs a CloudWatch Logs delivery within a day, which
//     code cannot show (UNKNOWN for ever), so D9.TF.AWS.LOG.03 judges the
//     code as written, and the two are twins.
//   - cloudguard: the published CloudGuard rules (D9.*) with their logic, as
//     CloudGuard's own rulesets run them: D9.AWS.* on accounts, D9.TF.* on
//     code, with their pairs as twins.
//   - all: every rule; several rules report the same concern.
//
// The concern field names what a rule checks. Within a ruleset other than
// all, no two rules share a concern, except twins: a rule on the normalised
// entity (CloudTrail) and one on the native Terraform type (aws_cloudtrail)
// that check the same thing. Terraform code gives both entities of a trail
// the same ID; where the Terraform twin reports on a trail, the live rule's
// finding on it is left out (engine.Options.Twins), so a trail is reported
// once per concern, and on a live account the live rule reports alone.
//
// # Messages
//
// A finding says in plain words what is wrong, for a reader who does not
// know GSL. The rule's message gives the words:
//
//	message:
//	  fail: Trail {{.Name}} does not deliver its events to CloudWatch Logs.
//	  pass: Trail {{.Name}} delivered events to CloudWatch Logs within the last day.
//	  lacks:
//	    cloudWatchLogsLogGroupArn: has no CloudWatch Logs log group
//	    status.latestCloudWatchLogsDeliveryTime: has delivered nothing to CloudWatch Logs in the last day
//
//	fail   required  the sentence of a FAIL: the resource (or, for a List<E> rule, the scope) and what is wrong
//	pass   required  the sentence of a PASS
//	none             for a List<E> rule: what a scope with no entity at all is told after the fail sentence
//	lacks            for each attribute path the logic tests, what an entity lacks when that test
//	                 fails, as a predicate ("is not logging")
//
// fail, pass and none are templates like the remediation's, pasted as
// prose; {{.Where}} names the scope ("account 123456789012", "module
// envs/prod"). A failing entity's message adds the phrases of the tests
// that failed, when the rule has two or more ("It has no CloudWatch Logs
// log group and is not logging."); a failing List<E> rule names the
// entities that came closest to passing, each with its phrases ("Closest:
// main (us-east-1) is not logging."). The paths lacks needs are those the
// rule's should clause tests (gsl.Program.ClausePaths): for a List<E>
// rule, the paths tested on the elements of items, a nested list operator
// ("metricFilters with [...]") counting as one path. A path without a
// phrase takes the phrase of its longest dotted prefix that has one
// (Rule.Lack). Every rule of the catalog has a message, with a phrase for
// each path of its logic and of each variant, and no phrase for a path its
// logic does not test; a test checks it. A rule without a message (a
// user's, an imported one) shows the GSL explanation instead.
//
// # Remediation templates
//
// The remediation texts are Go text/template templates rendered for each
// finding with a Target: {{.Name}}, {{.ID}}, {{.Region}}, {{.Account}},
// {{.Where}}, {{.ResourceType}} and {{.ResourceName}} (the labels of the
// Terraform resource block that declares the entity, read from its address)
// and {{.Attr "cloudWatchLogsLogGroupArn"}}. A value that is not known (no
// region on a scope finding, a missing attribute, the resource block of a
// live trail) renders as a placeholder in angle brackets, such as
// "<region>" or "<resource_name>". Templates are parsed and tried when the
// file is read, so a misspelt field is an error at its line and column.
//
// The values come from the scanned input, which strangers write, so each is
// written for the place it is pasted in; rule authors write {{.Name}}, never
// a quoting function. The field says the language: console is text for
// people, cli is POSIX shell commands, terraform is Terraform configuration.
// Within the text, vigil follows the quoting up to each value:
//
//   - console, and comments in the other two: the value on one line, with
//     control characters, bidirectional controls and invalid UTF-8 shown as
//     Go escapes (\n, \x1b, \u202e, \xff).
//   - cli, outside quotes: one shell word. A value made only of letters,
//     digits and _@%+=:,./- is left as it is ("--name audit"); any other in
//     single quotes ("--name 'audit; curl x | sh'"), each ' in it written
//     as the four characters ', \, ', '.
//     Inside '...' only the ' is escaped; inside "..." the double quotes are
//     closed around the single-quoted value ("a"'$(id)'"b" is one word).
//     A value with a NUL, which no shell argument can hold, is replaced by
//     "<name with a NUL character, not shown>", and one that starts with a
//     dash, which the command would read as an option however it is quoted
//     (--endpoint-url=https://elsewhere), by "<name starting with a dash,
//     not shown>": no AWS name starts with one.
//   - terraform, inside a quoted string: an HCL string's content, with ",
//     \, newlines and control characters escaped and "${" and "%{" doubled,
//     so that it evaluates to the value itself. A value that is not UTF-8,
//     which an HCL string cannot hold, is replaced by "<name with invalid
//     UTF-8, not shown>".
//   - terraform, in a block label (resource "aws_cloudtrail"
//     "{{.ResourceName}}"): the value when it is a Terraform name (a letter
//     or underscore, then letters, digits, underscores and dashes), its
//     placeholder when it is unknown ("<resource_name>"), and otherwise
//     "<name that is not a Terraform name>", since Terraform would take
//     nothing else there. A quoted string in Terraform code is a label when
//     it follows, on its line, an identifier and nothing but labels.
//
// A value pasted where it cannot be written safely is an error when the
// file is read: in Terraform outside a quoted string or a # comment, or
// inside a heredoc or a /* */ comment; in a shell command after a $( ... ),
// `...`, ${...}, $'...' or a heredoc, which vigil does not follow, or right
// after a backslash or a $. The branches of {{if}} and {{with}}, and the
// body of {{range}}, must end in the quoting they start in. Write the
// placeholders of a cli text quoted too ('<trail_name>'), so that the text
// is valid shell as it is.
//
// A value longer than MaxPastedBytes (1,024 bytes) is not pasted at all but
// replaced by a placeholder giving its length, "<name of 1048576 bytes, not
// shown>", written for its place like any value: a huge Terraform local
// used as a trail name would otherwise be copied into the fix of every
// finding.
//
// # Catalog
//
// The catalog (Catalog) is embedded from catalog/<cloud>/<service>/<ID>.yaml.
// Users add rule directories of their own (LoadFS, Merge), and can convert a
// CloudGuard ruleset export into rule files (ImportCloudGuard).
package rules
