package engine

import (
	"os"
	"strings"
	"testing"
	"time"

	"vigil/diag"
)

func TestExampleExclusions(t *testing.T) {
	data, err := os.ReadFile("../examples/exclusions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	excl, err := ParseExclusions("exclusions.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	run := runOn(t, catalogPlan(t, excl...), loadInventory(t, "../examples/aws-inventory.json"))
	checkFindings(t, run, []string{"D9.AWS.LOG.01", "D9.AWS.MON.05"}, []want{
		{"D9.AWS.LOG.01 " + prod + " org-audit", Pass, ""},
		{"D9.AWS.LOG.01 " + prod + " eu-app-trail", Excluded, "isMultiRegionTrail is false"},
		{"D9.AWS.LOG.01 " + staging + " staging-main", Pass, ""},
		{"D9.AWS.LOG.01 " + staging + " staging-legacy", Pass, ""},
		{"D9.AWS.LOG.01 " + analytics + " analytics-trail", Pass, ""},
		{"D9.AWS.MON.05 " + prod + " -", Pass, ""},
		{"D9.AWS.MON.05 " + staging + " -", Pass, ""},
		// The sandbox exclusion expired on 2026-01-31: it no longer applies.
		{"D9.AWS.MON.05 " + sandbox + " -", Fail, "0 of 0"},
		{"D9.AWS.MON.05 " + analytics + " -", Error, "AccessDeniedException"},
	})
	for _, f := range run.Findings {
		if f.Result == Excluded {
			if f.Underlying != Fail || f.Exclusion.Source != "exclusions.yaml:6" || f.Exclusion.Expires.Format(time.DateOnly) != "2027-06-30" {
				t.Errorf("%s: underlying %s, exclusion %+v", key(f), f.Underlying, f.Exclusion)
			}
		}
	}
	if len(run.ExpiredExclusions) != 1 || run.ExpiredExclusions[0].Source != "exclusions.yaml:12" ||
		!strings.HasPrefix(run.ExpiredExclusions[0].Reason, "Sandbox account") {
		t.Errorf("expired exclusions %+v", run.ExpiredExclusions)
	}
}

func TestExclusionMatching(t *testing.T) {
	inv := loadInventory(t, "../examples/aws-inventory.json")
	tests := []struct {
		name string
		yaml string
		// excluded lists the keys of the findings the entry must exclude,
		// among those of D9.AWS.LOG.01 and VIGIL.AWS.LOG.01.
		excluded string
	}{
		{"GSL condition", `{rules: ["D9.AWS.LOG.*"], where: "name like 'staging-%'", reason: r, expires: 2030-01-01}`,
			"D9.AWS.LOG.01 222222222222 staging-legacy, D9.AWS.LOG.01 222222222222 staging-main, " +
				"D9.AWS.LOG.03 222222222222 staging-legacy, D9.AWS.LOG.03 222222222222 staging-main"},
		{"name glob", `{rules: [D9.AWS.LOG.01], entity: "eu-*", reason: r, expires: 2030-01-01}`,
			"D9.AWS.LOG.01 111111111111 eu-app-trail"},
		{"ARN glob crosses slashes", `{rules: [D9.AWS.LOG.01], entity: "arn:aws:cloudtrail:*:111111111111:*", reason: r, expires: 2030-01-01}`,
			"D9.AWS.LOG.01 111111111111 eu-app-trail, D9.AWS.LOG.01 111111111111 org-audit"},
		{"scope finding by account", `{rules: [VIGIL.AWS.LOG.01], accounts: ["333333333333"], reason: r, expires: 2030-01-01}`,
			"VIGIL.AWS.LOG.01 333333333333 -"},
		{"where never matches a scope finding", `{rules: [VIGIL.AWS.LOG.01], where: "isMultiRegionTrail=false", reason: r, expires: 2030-01-01}`,
			""},
		{"last day still applies", `{rules: [D9.AWS.LOG.01], entity: eu-app-trail, reason: r, expires: 2026-11-22}`,
			"D9.AWS.LOG.01 111111111111 eu-app-trail"},
		{"the day after, it does not", `{rules: [D9.AWS.LOG.01], entity: eu-app-trail, reason: r, expires: 2026-11-21}`,
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			excl, err := ParseExclusions("x.yaml", []byte("exclusions:\n  - "+tt.yaml+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			run := runOn(t, catalogPlan(t, excl...), inv)
			var got []string
			for _, f := range run.Findings {
				if f.Result == Excluded {
					got = append(got, key(f))
				}
			}
			if g := strings.Join(got, ", "); g != tt.excluded {
				t.Errorf("excluded %q, want %q", g, tt.excluded)
			}
		})
	}
}

func TestParseExclusionsErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not the exclusions key", "- a\n",
			`x.yaml:1:1: an exclusion file is a mapping with one key, "exclusions", holding a list of entries`},
		{"misspelt field", "exclusions:\n  - {rules: [A], reason: r, expires: 2030-01-01, entiy: x}\n",
			`x.yaml:2:50: field "entiy" is not an exclusion field (did you mean "entity"?)`},
		{"unknown field", "exclusions:\n  - {rules: [A], reason: r, expires: 2030-01-01, colour: x}\n",
			`x.yaml:2:50: field "colour" is not an exclusion field (known fields: rules, entity, where, accounts, reason, expires)`},
		{"field given twice", "exclusions:\n  - {rules: [A], reason: r, expires: 2030-01-01, reason: s}\n",
			`x.yaml:2:50: field "reason" is given twice`},
		{"field name not a string", "exclusions:\n  - {rules: [A], reason: r, expires: 2030-01-01, [a]: s}\n",
			`x.yaml:2:50: field names must be plain strings`},
		{"no reason", "exclusions:\n  - {rules: [A], expires: 2030-01-01}\n", `x.yaml:2:5: an exclusion needs a "reason"`},
		{"no expiry", "exclusions:\n  - {rules: [A], reason: r}\n",
			`x.yaml:2:5: an exclusion needs an "expires" date (YYYY-MM-DD), so that accepted risks are looked at again`},
		{"bad date", "exclusions:\n  - {rules: [A], reason: r, expires: 31/01/2027}\n",
			`x.yaml:2:38: expires: "31/01/2027" is not a date written YYYY-MM-DD`},
		{"bad GSL", "exclusions:\n  - {rules: [A], reason: r, expires: 2030-01-01, where: \"name =\"}\n",
			"x.yaml:2:57: where: expected a value after '=', found ')'"},
		{"no rules", "exclusions:\n  - {reason: r, expires: 2030-01-01}\n",
			`x.yaml:2:5: an exclusion needs "rules": the rule IDs or globs it applies to`},
		{"two problems", "exclusions:\n  - {rules: [A], reason: r}\n  - {rules: [B], expires: 2030-01-01}\n",
			"x.yaml:2:5: an exclusion needs an \"expires\" date (YYYY-MM-DD), so that accepted risks are looked at again\n" +
				`x.yaml:3:5: an exclusion needs a "reason"`},
		{"huge", "exclusions: []\n" + strings.Repeat("#", MaxExclusionFileBytes),
			"x.yaml: exclusion file is 1048591 bytes, more than the limit of 1048576"},
		{"not YAML", "exclusions: [\n", "x.yaml: invalid YAML: line 2: did not find expected node content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseExclusions("x.yaml", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
			if l := diag.AsList(err); len(l) == 0 || l[0].Name != "x.yaml" {
				t.Errorf("error %#v is not a list of diag errors in x.yaml", err)
			}
		})
	}
	if rs, err := ParseExclusions("empty.yaml", nil); err != nil || len(rs) != 0 {
		t.Errorf("empty file: %v, %v", rs, err)
	}
}

func TestExpiredSuppressionIsReported(t *testing.T) {
	inv := loadInventory(t, "testdata/terraform-inventory.json")
	inv.Entities[1].Suppressions[0].Expires = "2026-11-01"
	run := runOn(t, catalogPlan(t), inv)
	for _, f := range run.Findings {
		if f.Rule.ID == "D9.TF.AWS.LOG.01" && f.Entity.Name == "app-debug" && f.Result != Fail {
			t.Errorf("expired suppression still applies: %s", f.Result)
		}
	}
	if len(run.ExpiredExclusions) != 1 || run.ExpiredExclusions[0].Source != "examples/terraform/main.tf:13 (vigil:ignore comment)" {
		t.Errorf("expired %+v", run.ExpiredExclusions)
	}
}

func FuzzParseExclusions(f *testing.F) {
	f.Add([]byte("exclusions:\n  - {rules: [A], reason: r, expires: 2030-01-01, where: \"x = 1\"}\n"))
	f.Add([]byte("exclusions: [{}]"))
	f.Add([]byte("exclusions:\n  - rules: '['\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ParseExclusions("f.yaml", data)
		if err != nil && !strings.HasPrefix(err.Error(), "f.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
		for _, r := range rs {
			if len(r.Rules) == 0 || r.Reason == "" || r.Expires.IsZero() {
				t.Fatalf("accepted an incomplete exclusion %+v", r)
			}
		}
	})
}
