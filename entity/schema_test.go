package entity

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestSchemasLoad: the embedded catalogue loads, and every type in it is
// named after its file.
func TestSchemasLoad(t *testing.T) {
	if _, err := schemas(); err != nil {
		t.Fatal(err)
	}
	if SchemaOf("CloudTrail") == nil {
		t.Fatal("no CloudTrail schema")
	}
	if SchemaOf("aws_cloudtrail") != nil {
		t.Error("a native Terraform type has a schema")
	}
}

// notYetCollected are the paths of CloudGuard's data model on a type vigil
// models that no source collects yet, each to be declared by the change
// that collects it. Until then the rules package rejects a rule that reads
// one, rather than run it on a value that would read as absent.
var notYetCollected = map[string][]string{
	// Region has Access Analyzer's, AWS Config's, EBS's and the VPCs'
	// fields; the regional trail summary (hasCloudTrail) needs the trails
	// of each region joined to it, and behavior has no documented meaning
	// to collect.
	"Region": {"behavior", "hasCloudTrail"},
	// RDS has what rds:DescribeDBInstances says; the inbound rules of its
	// security groups and its VPC's VPN gateways come with the network
	// entities.
	"RDS": {"inboundRules", "inboundRules[].scope", "vpc.vpnGateways", "vpc.vpnGateways[].directConnectVirtualInterfaces"},
	// Instance has what ec2:DescribeInstances says of its identity, state,
	// profile and network; its security groups' rules, volumes, image,
	// VPC and scanner findings come with the entities that hold them.
	"Instance": {"inboundRules", "inboundRules[].scope", "inboundRules[].port", "inboundRules[].portTo",
		"inboundRules[].protocol", "isPublic", "volumes", "volumes[].encrypted", "volumes[].kmsKeyId", "vpc",
		"imageDetails.creationDate", "isRunning", "launchTime", "scanners.findings", "scanners.findings[].ruleSeverity",
		"scanners.scans", "scanners.scans[].source", "scanners.scans[].startTime", "scanners.scans[].state",
		"vpc.vpnGateways", "vpc.vpnGateways[].directConnectVirtualInterfaces"},
}

// TestCloudGuardPathsDeclared: every path CloudGuard's published rules
// read on a type vigil models is declared, so those rules run unchanged,
// but the paths notYetCollected lists, which must not be declared.
func TestCloudGuardPathsDeclared(t *testing.T) {
	data, err := os.ReadFile("testdata/cloudguard-aws-fields.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Entities []struct {
			Entity string
			Fields []struct{ Path string }
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range doc.Entities {
		s := SchemaOf(e.Entity)
		if s == nil {
			continue
		}
		checked++
		for _, f := range e.Fields {
			pending := slices.Contains(notYetCollected[s.Name], f.Path)
			switch {
			case pending && s.Covers(f.Path):
				t.Errorf("%s declares %q: take it out of notYetCollected", s.Name, f.Path)
			case !pending && !s.Covers(f.Path):
				t.Errorf("%s does not declare %q, which CloudGuard's published rules read", s.Name, f.Path)
			}
		}
	}
	if checked == 0 {
		t.Error("no type of the catalogue is in CloudGuard's data model")
	}
}

func TestSchemaCoversAndActions(t *testing.T) {
	s := SchemaOf("CloudTrail")
	for _, tt := range []struct {
		path   string
		covers bool
	}{
		{"isMultiRegionTrail", true},
		{"status.isLogging", true},
		{"metricFilters[].filterPattern", true},
		{"metricFilters[].metricTransformations[].dimensions.region", true},
		{"metricFilters.filterPattern", false},
		{"isMultiRegionTrial", false},
		{"status.isLogging.x", false},
	} {
		if got := s.Covers(tt.path); got != tt.covers {
			t.Errorf("Covers(%q) = %v, want %v", tt.path, got, tt.covers)
		}
	}
	for _, tt := range []struct {
		paths []string
		want  []string
	}{
		{nil, []string{"cloudtrail:DescribeTrails"}},
		{[]string{"isMultiRegionTrail", "status.isLogging"}, []string{"cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"}},
		// A nested field needs the calls of the fields it is below.
		{[]string{"metricFilters[].metricTransformations[].alarms[].alarmName"},
			[]string{"cloudtrail:DescribeTrails", "cloudwatch:DescribeAlarmsForMetric", "logs:DescribeMetricFilters"}},
		{[]string{"noSuchField"}, []string{"cloudtrail:DescribeTrails"}},
	} {
		if got := s.Actions(tt.paths...); !slices.Equal(got, tt.want) {
			t.Errorf("Actions(%q) = %q, want %q", tt.paths, got, tt.want)
		}
	}
}

func TestAncestors(t *testing.T) {
	for path, want := range map[string][]string{
		"a":         nil,
		"a.b":       {"a"},
		"a[].b.c":   {"a[].b", "a"},
		"a[].b[].c": {"a[].b", "a"},
	} {
		if got := slices.Collect(Ancestors(path)); !slices.Equal(got, want) {
			t.Errorf("Ancestors(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestLoadSchemasErrors: each mistake in a schema file is reported with
// the file and the field.
func TestLoadSchemasErrors(t *testing.T) {
	const head = "type: Thing\nsummary: A thing.\nabout: About it.\nlive: One per thing.\nterraform: One per aws_thing.\nlistedBy: [thing:ListThings]\n"
	const good = "    live: {calls: [thing:ListThings], field: 'Things[].Name'}\n    terraform: {resource: aws_thing, attribute: name, beforeApply: true}\n"
	for _, tt := range []struct {
		name, file, text, want string
	}{
		{"fine", "Thing.yaml", head + "fields:\n  - path: name\n    type: string\n    meaning: Its name.\n" + good, ""},
		{"file name", "Other.yaml", head, `declares type "Thing", but the file must be named after its type`},
		{"unknown key", "Thing.yaml", head + "colour: red\n", "field colour not found"},
		{"native name", "aws_thing.yaml", strings.Replace(head, "Thing", "aws_thing", 1), "is not a name in CamelCase"},
		{"no parent", "Thing.yaml", head + "fields:\n  - path: a.b\n    type: string\n    meaning: B.\n" + good, `its parent "a" is not declared before it`},
		{"element of no list", "Thing.yaml", head + "fields:\n  - path: a\n    type: object\n    meaning: A.\n" + good +
			"  - path: a[].b\n    type: string\n    meaning: B.\n" + good, `"a" is of type object; only a list<object> has elements with fields`},
		{"field of a list", "Thing.yaml", head + "fields:\n  - path: a\n    type: list<object>\n    meaning: A.\n" + good +
			"  - path: a.b\n    type: string\n    meaning: B.\n" + good, `written a[].name`},
		{"twice", "Thing.yaml", head + "fields:\n  - path: a\n    type: string\n    meaning: A.\n" + good +
			"  - path: a\n    type: string\n    meaning: A.\n" + good, "declared twice"},
		{"bad type", "Thing.yaml", head + "fields:\n  - path: a\n    type: text\n    meaning: A.\n" + good, `type "text" is not one of`},
		{"meaning", "Thing.yaml", head + "fields:\n  - path: a\n    type: string\n    meaning: a thing\n" + good, "one sentence"},
		{"no live source", "Thing.yaml", head + "fields:\n  - path: a\n    type: string\n    meaning: A.\n" +
			"    live: {calls: [thing:ListThings]}\n    terraform: {liveOnly: missing}\n", "neither field nor computed"},
		{"bad action", "Thing.yaml", head + "fields:\n  - path: a\n    type: string\n    meaning: A.\n" +
			"    live: {calls: [ListThings], field: X}\n    terraform: {liveOnly: unknown}\n", `"ListThings" is not an IAM action`},
		{"before apply", "Thing.yaml", head + "fields:\n  - path: a\n    type: string\n    meaning: A.\n" +
			"    live: {absent: code only}\n    terraform: {resource: aws_thing, attribute: a}\n", "beforeApply is not given"},
		{"nowhere", "Thing.yaml", head + "fields:\n  - path: a\n    type: string\n    meaning: A.\n" +
			"    live: {absent: code only}\n    terraform: {liveOnly: missing}\n", "neither a live account nor code has it"},
		{"live only", "Thing.yaml", head + "fields:\n  - path: a\n    type: string\n    meaning: A.\n" +
			"    live: {calls: [thing:ListThings], field: A}\n    terraform: {liveOnly: sometimes}\n", `liveOnly is "sometimes"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"types/" + tt.file: {Data: []byte(tt.text)}}
			_, err := LoadSchemas(fsys, "types")
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want == "":
				return
			case err == nil:
				t.Fatalf("no error, want %q", tt.want)
			case !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.file):
				t.Fatalf("error %q, want one naming %s and saying %q", err, tt.file, tt.want)
			}
		})
	}
}
