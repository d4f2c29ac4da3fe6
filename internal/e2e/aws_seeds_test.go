package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
	"vigil/source/aws"
	"vigil/source/aws/awsfake"
)

// liveSeedRules are the catalog rules of the live-account seeds: 001
// (LOG.03), 002 (VIGIL.AWS.LOG.01), 003 (LOG.01) and 004 (MON.05).
var liveSeedRules = []string{"D9.AWS.LOG.01", "D9.AWS.LOG.03", "D9.AWS.MON.05", "VIGIL.AWS.LOG.01"}

// scanLiveSeeds runs the live-account seed rules on inv at the AWS
// scenario's time and returns "RULE entity-name RESULT" per finding ("-"
// for the account).
func scanLiveSeeds(t *testing.T, inv *entity.Inventory) []string {
	t.Helper()
	catalog, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var rs []*rules.Rule
	for _, r := range catalog {
		if slices.Contains(liveSeedRules, r.ID) {
			rs = append(rs, r)
		}
	}
	plan, err := engine.Compile(rs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	run, err := plan.Run(context.Background(), inv, awsfake.ScenarioNow)
	if err != nil {
		t.Fatal(err)
	}
	return verdictLines(run)
}

// TestSeedRuleFindings evaluates the seed rules on what the collector read
// from the scenario, and on variants that each remove one piece of the
// chain or of the data.
func TestSeedRuleFindings(t *testing.T) {
	perTrail := func(rule string, results map[string]string) []string {
		var out []string
		for name, r := range results {
			out = append(out, rule+" "+name+" "+r)
		}
		return out
	}
	log01 := map[string]string{"adv-all": "FAIL", "adv-no-kms": "FAIL", "adv-write-only": "FAIL", "legacy": "FAIL",
		"main": "PASS", "org-trail": "PASS", "regional": "FAIL"}
	// LOG.03 needs a role and a delivery within the day: main and regional
	// deliver, legacy has no role, the ap-southeast-2 trails no log group.
	log03 := map[string]string{"adv-all": "FAIL", "adv-no-kms": "FAIL", "adv-write-only": "FAIL", "legacy": "FAIL",
		"main": "PASS", "org-trail": "PASS", "regional": "PASS"}
	base := append(perTrail("D9.AWS.LOG.01", log01), perTrail("D9.AWS.LOG.03", log03)...)

	tests := []struct {
		name    string
		regions []string
		change  func(*awsfake.World)
		// account holds the results of the List<CloudTrail> rules:
		// MON.05 then VIGIL.AWS.LOG.01.
		account [2]string
		// trails overrides per-trail results: "RULE name" → result.
		trails map[string]string
		// extra lists further findings.
		extra []string
	}{
		{name: "scenario", account: [2]string{"PASS", "PASS"}},
		{name: "CIS 4.5 topic has only pending subscriptions",
			change: func(w *awsfake.World) {
				w.Topics[0].Subscriptions = []string{"PendingConfirmation"}
			},
			// main no longer notifies anyone; the organisation trail's log
			// group cannot be read, so the account is UNKNOWN, not FAIL.
			account: [2]string{"UNKNOWN", "PASS"}},
		{name: "CIS 4.5 alarm only in the wrong namespace",
			change: func(w *awsfake.World) {
				w.Alarms[0].Namespace = "SomethingElse"
			},
			account: [2]string{"UNKNOWN", "PASS"}},
		{name: "no organisation trail and no subscriber",
			change: func(w *awsfake.World) {
				w.Trails = w.Trails[1:]
				w.Topics[0].Subscriptions = nil
			},
			account: [2]string{"FAIL", "PASS"}},
		{name: "access denied on DescribeMetricFilters only",
			change: func(w *awsfake.World) {
				w.Faults = []awsfake.Fault{{Action: "logs:DescribeMetricFilters", Code: "AccessDeniedException", Message: "denied"}}
			},
			account: [2]string{"ERROR", "PASS"}},
		{name: "status denied in us-east-1",
			change: func(w *awsfake.World) {
				w.Faults = []awsfake.Fault{{Action: "cloudtrail:GetTrailStatus", Region: "us-east-1", Code: "AccessDeniedException"}}
			},
			account: [2]string{"PASS", "ERROR"},
			trails:  map[string]string{"D9.AWS.LOG.03 main": "ERROR", "D9.AWS.LOG.03 legacy": "ERROR", "D9.AWS.LOG.03 org-trail": "ERROR"}},
		{name: "disabled region named explicitly", regions: append([]string{"me-south-1"}, scenarioRegions...),
			account: [2]string{"ERROR", "ERROR"},
			// Trails homed in the region could not be listed: the account
			// gets an ERROR for each per-trail rule too.
			extra: []string{"D9.AWS.LOG.01 - ERROR", "D9.AWS.LOG.03 - ERROR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := awsfake.Scenario()
			if tt.change != nil {
				tt.change(&w)
			}
			regions := tt.regions
			if regions == nil {
				regions = scenarioRegions
			}
			inv := collectFromFake(t, w, aws.Options{Regions: regions})
			names := map[string]bool{}
			for _, e := range inv.Entities {
				names[e.Name] = true
			}
			var want []string
			for _, f := range base {
				fields := strings.Fields(f)
				if !names[fields[1]] {
					continue
				}
				if r, ok := tt.trails[fields[0]+" "+fields[1]]; ok {
					f = fields[0] + " " + fields[1] + " " + r
				}
				want = append(want, f)
			}
			want = append(want, "D9.AWS.MON.05 - "+tt.account[0], "VIGIL.AWS.LOG.01 - "+tt.account[1])
			want = append(want, tt.extra...)
			slices.Sort(want)
			if diff := cmp.Diff(want, scanLiveSeeds(t, inv)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
