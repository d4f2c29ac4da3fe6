// Package entity declares the things vigil's rules are about and the inventory
// that groups them.
//
// An Entity is one resource a rule can be evaluated against: a live CloudTrail
// trail, a Terraform aws_cloudtrail block, the normalised CloudTrail entity
// built from either. Its attributes (Attrs) are a JSON-like tree of values.
// A value is always one of these dynamic types:
//
//	nil              null, and the value of a missing attribute
//	bool
//	float64          every number; use Normalize to convert other Go numbers
//	string
//	[]any            a list of values
//	map[string]any   an object of values
//	*Unknown         a value not known until terraform apply (see Unknown)
//	*Object          an object of values laid out for evaluation (see Freeze)
//
// Sources build objects as map[string]any. Before a scan evaluates rules it
// freezes each entity's attributes into *Object values, which hold the same
// data in a form that is much faster to read; readers of values accept both.
//
// Sources (live AWS, Terraform, snapshots) produce entities; the GSL engine
// reads them. Nothing in this package knows about rules.
//
// # Inventory JSON
//
// An Inventory is serialised as a versioned JSON document (see Inventory and
// Version), used for snapshots of live accounts, for replaying scans offline
// and for rule authors' test data:
//
//	{"vigil_inventory": 1,
//	 "collected_at": "2026-11-22T10:00:00Z",
//	 "scopes": [{"kind": "aws-account", "id": "123456789012", "regions": ["us-east-1"],
//	             "types": ["CloudTrail", "Iam"]}],
//	 "entities": [{"type": "CloudTrail", "id": "arn:aws:cloudtrail:...", "name": "main",
//	               "scope": "123456789012", "region": "us-east-1",
//	               "origin": {"api": ["cloudtrail:DescribeTrails"]},
//	               "attrs": {"isMultiRegionTrail": true,
//	                         "cloudWatchLogsRoleArn": {"$unknown": "set"}}}],
//	 "failures": [{"type": "CloudTrail", "attr": "metricFilters", "scope": "123456789012",
//	               "region": "eu-west-1", "call": "logs:DescribeMetricFilters",
//	               "error": "AccessDenied: ..."}]}
//
// A live account's "types" are the entity types its collection looked
// for: a rule on another type has nothing to judge there and gives ERROR
// (see Scope.Collected); without "types", every type counts as looked for.
//
// An Unknown value is written as {"$unknown": "set"} or
// {"$unknown": "maybe-null"}, with an optional "reason". No attribute name may
// begin with "$".
//
// Failures list what a source could not collect, and the files it could not
// read; the engine turns every rule that needs that data into ERROR, never
// PASS. A failure without "attr" or "entity" says that entities of its type
// may be missing from its scope (a listing call failed, a file that declares
// some does not parse): a List<E> rule on that scope is ERROR, a rule on each
// E gives one ERROR for the scope, and the entities that were read keep their
// own results. A failure with "attr" makes the rules that read that
// attribute ERROR. The type "*" stands for every type and the attribute "*"
// for every attribute. A file that could not be read or parsed is written as
//
//	{"kind": "parse", "type": "aws_cloudtrail", "scope": "infra",
//	 "file": "infra/bad.tf", "line": 2, "col": 10,
//	 "error": "Invalid expression: Expected the start of an expression, ..."}
//
// with "kind" "parse" (it was read but does not parse) or "read" (it, or a
// whole input, could not be read); a collection failure has no "kind".
//
// # Entity catalogue
//
// Each normalised entity type that vigil's sources build (CloudTrail) is
// declared field by field in one YAML file of entity/types, embedded in
// the package: its fields' paths, types and meanings, the API call and
// response field each comes from in a live account, the Terraform
// resource and attribute it comes from in code, and whether code knows it
// before apply (see Schema). Native Terraform types (aws_cloudtrail) are
// not declared: their fields are the provider's.
//
// # Format history
//
// Version 1 is the only version. The failure fields "kind", "file", "line"
// and "col", and the type and attribute "*", were added within it: a
// document without them reads as before, and every failure in it is a
// collection failure.
package entity
