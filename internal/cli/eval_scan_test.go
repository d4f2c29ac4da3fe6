package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"vigil/entity"
	"vigil/rules"
	awssource "vigil/source/aws"
	"vigil/source/terraform"
)

// semanticInventory has what every semantic case of TestEvalAndScanAgree
// needs: accounts and a Terraform module, trails in two regions, unknown
// values, a suppression, and collection failures of each kind.
const semanticInventory = `{"vigil_inventory": 1, "collected_at": "2026-11-22T10:00:00Z",
 "scopes": [
   {"kind": "aws-account", "id": "111111111111", "regions": ["us-east-1", "eu-west-1"]},
   {"kind": "aws-account", "id": "222222222222", "regions": ["us-east-1"]},
   {"kind": "aws-account", "id": "333333333333", "regions": ["us-east-1", "eu-west-1"]},
   {"kind": "aws-account", "id": "444444444444", "regions": ["us-east-1"]},
   {"kind": "terraform-module", "id": "infra/empty"},
   {"kind": "terraform-module", "id": "infra/prod"}
 ],
 "entities": [
   {"type": "CloudTrail", "id": "arn:aws:cloudtrail:us-east-1:111111111111:trail/main", "name": "main", "scope": "111111111111", "region": "us-east-1",
    "attrs": {"name": "main", "isMultiRegionTrail": true, "status": {"isLogging": true}, "logFileValidationEnabled": true,
              "metricFilters": [{"filterName": "changes", "filterPattern": "{ $.eventName = CreateTrail }"}]}},
   {"type": "CloudTrail", "id": "arn:aws:cloudtrail:eu-west-1:111111111111:trail/regional", "name": "regional", "scope": "111111111111", "region": "eu-west-1",
    "attrs": {"name": "regional", "isMultiRegionTrail": false, "status": {"isLogging": false}, "logFileValidationEnabled": false, "metricFilters": []},
    "suppressions": [{"rule": "TEST.EQ.01", "reason": "a regional trail for the debug account", "source": "inventory"}]},
   {"type": "CloudTrail", "id": "arn:aws:cloudtrail:us-east-1:333333333333:trail/org", "name": "org", "scope": "333333333333", "region": "us-east-1",
    "attrs": {"name": "org", "isMultiRegionTrail": true, "status": {"isLogging": true}, "logFileValidationEnabled": true, "metricFilters": []}},
   {"type": "CloudTrail", "id": "arn:aws:cloudtrail:eu-west-1:333333333333:trail/audit", "name": "audit", "scope": "333333333333", "region": "eu-west-1",
    "attrs": {"name": "audit", "isMultiRegionTrail": false, "status": {"isLogging": true}, "logFileValidationEnabled": true, "metricFilters": []}},
   {"type": "CloudTrail", "id": "arn:aws:cloudtrail:us-east-1:444444444444:trail/t", "name": "t", "scope": "444444444444", "region": "us-east-1",
    "attrs": {"name": "t", "isMultiRegionTrail": true, "status": {"isLogging": true}, "logFileValidationEnabled": true, "metricFilters": []}},
   {"type": "CloudTrail", "id": "aws_cloudtrail.main", "name": "main", "scope": "infra/prod",
    "attrs": {"name": "main", "isMultiRegionTrail": {"$unknown": "maybe-null", "reason": "var.multi_region has no value"},
              "status": {"isLogging": true}, "logFileValidationEnabled": {"$unknown": "set", "reason": "known after apply"}, "metricFilters": []}},
   {"type": "aws_cloudtrail", "id": "aws_cloudtrail.main", "name": "main", "scope": "infra/prod",
    "attrs": {"name": "main", "is_multi_region_trail": {"$unknown": "maybe-null", "reason": "var.multi_region has no value"}}}
 ],
 "failures": [
   {"type": "CloudTrail", "attr": "metricFilters", "scope": "111111111111", "region": "eu-west-1", "entity": "arn:aws:cloudtrail:us-east-1:111111111111:trail/main",
    "call": "logs:DescribeMetricFilters", "error": "AccessDeniedException: the trail's log group is in eu-west-1"},
   {"type": "CloudTrail", "scope": "222222222222", "region": "us-east-1", "call": "cloudtrail:DescribeTrails", "error": "AccessDenied"},
   {"type": "CloudTrail", "attr": "status", "scope": "333333333333", "region": "eu-west-1", "call": "cloudtrail:GetTrailStatus", "error": "Throttling"},
   {"type": "CloudTrail", "attr": "tags", "scope": "444444444444", "call": "cloudtrail:ListTags", "error": "AccessDenied"}
 ]}
`

// TestEvalAndScanAgree runs every semantic case through vigil eval and
// vigil scan, the same rule on the same inventory, and requires the same
// results, messages included: collection failures of a scope, a region and
// an entity (the entity's in another region), a failure of an attribute
// the rule does not read, List<E> on scopes without E (an account, a
// Terraform module, a native type on an account), a type the input lacks,
// where filtering, unknowns, and exclusions (a suppression on the entity
// and an exclusion file).
func TestEvalAndScanAgree(t *testing.T) {
	dir := t.TempDir()
	inv := filepath.Join(dir, "inventory.json")
	excl := filepath.Join(dir, "exclusions.yaml")
	for name, data := range map[string]string{
		inv:  semanticInventory,
		excl: "exclusions:\n  - rules: [TEST.EQ.01]\n    entity: org\n    reason: the organisation trail is checked elsewhere\n    expires: 2027-06-30\n",
	} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, logic string
		exclusions  bool
		// want is eval's results, "entity result", in eval's order.
		want []string
	}{
		{"failures of a scope, a region and an entity", "CloudTrail should have metricFilters length() > 0 and status.isLogging=true", false, []string{
			"arn:aws:cloudtrail:us-east-1:111111111111:trail/main ERROR", // its log group's region failed
			"arn:aws:cloudtrail:eu-west-1:111111111111:trail/regional EXCLUDED",
			"arn:aws:cloudtrail:us-east-1:333333333333:trail/org FAIL",
			"arn:aws:cloudtrail:eu-west-1:333333333333:trail/audit ERROR", // status failed in its region
			"arn:aws:cloudtrail:us-east-1:444444444444:trail/t FAIL",      // tags failed: not read
			"aws_cloudtrail.main FAIL",
			"(all CloudTrail in 222222222222) ERROR",
		}},
		{"List<E> on accounts and modules", "List<CloudTrail> should have items with [isMultiRegionTrail=true and status.isLogging=true] length() > 0", false, []string{
			"111111111111 PASS", "222222222222 ERROR", "333333333333 ERROR", "444444444444 PASS", "infra/prod UNKNOWN",
		}},
		{"List<E> of a native type on accounts", "List<aws_cloudtrail> should have items length() > 0", false, []string{"infra/prod PASS"}},
		{"a type the input lacks", "aws_s3_bucket should have versioning.enabled=true", false, nil},
		{"where filtering and unknowns", "CloudTrail where isMultiRegionTrail=true should have logFileValidationEnabled=true", false, []string{
			"arn:aws:cloudtrail:us-east-1:111111111111:trail/main PASS",
			"arn:aws:cloudtrail:eu-west-1:111111111111:trail/regional NOT_RELEVANT",
			"arn:aws:cloudtrail:us-east-1:333333333333:trail/org PASS",
			"arn:aws:cloudtrail:eu-west-1:333333333333:trail/audit NOT_RELEVANT",
			"arn:aws:cloudtrail:us-east-1:444444444444:trail/t PASS",
			"aws_cloudtrail.main UNKNOWN",
			"(all CloudTrail in 222222222222) ERROR",
		}},
		{"where filters out everything it can tell", "CloudTrail where name='nothing' should have isMultiRegionTrail=true", false, []string{
			"arn:aws:cloudtrail:us-east-1:111111111111:trail/main NOT_RELEVANT",
			"arn:aws:cloudtrail:eu-west-1:111111111111:trail/regional NOT_RELEVANT",
			"arn:aws:cloudtrail:us-east-1:333333333333:trail/org NOT_RELEVANT",
			"arn:aws:cloudtrail:eu-west-1:333333333333:trail/audit NOT_RELEVANT",
			"arn:aws:cloudtrail:us-east-1:444444444444:trail/t NOT_RELEVANT",
			"aws_cloudtrail.main NOT_RELEVANT",
			"(all CloudTrail in 222222222222) ERROR",
		}},
		{"exclusions", "CloudTrail should have isMultiRegionTrail=true", true, []string{
			"arn:aws:cloudtrail:us-east-1:111111111111:trail/main PASS",
			"arn:aws:cloudtrail:eu-west-1:111111111111:trail/regional EXCLUDED",
			"arn:aws:cloudtrail:us-east-1:333333333333:trail/org EXCLUDED",
			"arn:aws:cloudtrail:eu-west-1:333333333333:trail/audit FAIL",
			"arn:aws:cloudtrail:us-east-1:444444444444:trail/t PASS",
			"aws_cloudtrail.main UNKNOWN",
			"(all CloudTrail in 222222222222) ERROR",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entity := strings.TrimPrefix(strings.Fields(tc.logic)[0], "List<")
			entity = strings.TrimSuffix(entity, ">")
			ruleDir := filepath.Join(t.TempDir(), "rules")
			if err := os.MkdirAll(ruleDir, 0o755); err != nil {
				t.Fatal(err)
			}
			rule := "id: TEST.EQ.01\ntitle: equality\nseverity: low\nentity: " + entity + "\nlogic: " + strconv.Quote(tc.logic) + "\n"
			if err := os.WriteFile(filepath.Join(ruleDir, "rule.yaml"), []byte(rule), 0o644); err != nil {
				t.Fatal(err)
			}
			var extra []string
			if tc.exclusions {
				extra = []string{"--exclusions", excl}
			}
			evalArgs := append([]string{"eval", "--id", "TEST.EQ.01", "--format", "json", "-i", inv, tc.logic}, extra...)
			_, out, stderr := run(t, "", evalArgs...)
			var evalled []evalResult
			if err := json.Unmarshal([]byte(out), &evalled); err != nil {
				t.Fatalf("eval: %v\n%s%s", err, out, stderr)
			}
			var got []string
			fromEval := map[string]string{}
			notRelevant := 0
			for _, r := range evalled {
				got = append(got, r.Entity+" "+r.Result)
				if r.Result == "NOT_RELEVANT" {
					notRelevant++
					continue
				}
				fromEval[r.Entity] = r.Result + " " + r.Summary
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("eval:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}

			fromScan, scanNotRelevant, notApplicable := scanResults(t, append([]string{"--rules", ruleDir, "--only", "TEST.EQ.01", inv}, extra...), entity,
				strings.HasPrefix(tc.logic, "List<"))
			if len(fromEval) != len(fromScan) {
				t.Errorf("eval has %d results, scan %d:\neval: %v\nscan: %v", len(fromEval), len(fromScan), fromEval, fromScan)
			}
			for k, v := range fromEval {
				if fromScan[k] != v {
					t.Errorf("%s:\n eval %s\n scan %s", k, v, fromScan[k])
				}
			}
			if notApplicable != (len(fromEval) == 0) || scanNotRelevant != notRelevant {
				t.Errorf("scan: not applicable %v, %d not relevant; eval: %d results, %d not relevant", notApplicable, scanNotRelevant, len(fromEval), notRelevant)
			}
		})
	}
}

// scanResults runs vigil scan --format json with args and returns each
// finding's result and message by entity (named as eval names it, also
// for a List<E> rule, list, or a scope's ERROR), the rule's not-relevant count, and whether it
// was not applicable.
func scanResults(t *testing.T, args []string, entity string, list bool) (map[string]string, int, bool) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.json")
	if _, _, stderr := run(t, "", append([]string{"scan", "--format", "json", "--output", out}, args...)...); stderr != "" {
		t.Fatalf("scan: %s", stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []struct {
			Result  string `json:"result"`
			Scope   string `json:"scope"`
			Message string `json:"message"`
			Entity  *struct {
				ID string `json:"id"`
			} `json:"entity"`
		} `json:"findings"`
		NotApplicable []string       `json:"not_applicable"`
		NotRelevant   map[string]int `json:"not_relevant"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	got := map[string]string{}
	for _, f := range doc.Findings {
		key := f.Scope
		switch {
		case f.Entity != nil:
			key = f.Entity.ID
		case !list:
			key = "(all " + entity + " in " + f.Scope + ")"
		}
		got[key] = f.Result + " " + f.Message
	}
	return got, doc.NotRelevant["TEST.EQ.01"], slices.Contains(doc.NotApplicable, "TEST.EQ.01")
}

// TestModelledTypesAreTheSources: the entity types the rules package says
// vigil models (rules.CheckEntity) are those its sources build: every
// entity of the bundled examples, live and Terraform, normalised and
// native, is of a modelled type.
func TestModelledTypesAreTheSources(t *testing.T) {
	for _, typ := range awssource.Types() {
		if !slices.Contains(rules.ModelledTypes(), typ) {
			t.Errorf("the AWS collector builds %s, which is not among %v", typ, rules.ModelledTypes())
		}
	}
	inv, diags := terraform.Load("../../examples/terraform", terraform.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	data, err := os.ReadFile(exampleInv)
	if err != nil {
		t.Fatal(err)
	}
	live, err := entity.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, e := range append(inv.Entities, live.Entities...) {
		types[e.Type] = true
	}
	if !types["CloudTrail"] || !types["aws_cloudtrail"] || !types["aws_sns_topic"] {
		t.Fatalf("types %v", types)
	}
	for typ := range types {
		if msg := rules.CheckEntity(typ); msg != "" {
			t.Errorf("%s", msg)
		}
	}
}
