package rules

import (
	"io/fs"
	"path"
	"strings"
	"testing"
)

// seedLogic is the GSL the published seed pages give, which the catalog must
// carry unchanged.
var seedLogic = map[string]string{
	"D9.TF.AWS.LOG.03": "aws_cloudtrail should not have (cloud_watch_logs_role_arn isEmpty() or cloud_watch_logs_group_arn isEmpty())",
	"D9.AWS.LOG.01":    "CloudTrail should have isMultiRegionTrail=true",
	"D9.AWS.MON.05":    "List<CloudTrail> should have items with [hasSNSSubscriber='true' and metricFilters with [filterPattern isFilterPatternEqual('{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) ||($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName =StopLogging) }')] length() > 0]",
	"D9.AWS.LOG.03":    "CloudTrail should have cloudWatchLogsRoleArn and status.latestCloudWatchLogsDeliveryTime after (-1, 'days')",
	"D9.TF.AWS.LOG.01": "aws_cloudtrail should have is_multi_region_trail=true",
}

// noCISMapping lists the catalog rules that map to no CIS version, and why.
var noCISMapping = map[string]string{
	"D9.AWS.MON.02": "its published pattern is the only one it accepts, while CIS v1.2.0 asks for the IAMUser " +
		"form and v1.4.0 onwards accept both forms: it would fail accounts that follow the benchmark",
	"VIGIL.TF.AWS.LOG.01": "it checks that AWS accepts the configuration at all, which no CIS control asks",
	"VIGIL.AWS.EC2.02": "CIS asks for EBS encryption by default in each region (a Region setting), not for " +
		"every volume to be encrypted",
	"VIGIL.AWS.S3.04": "no CIS control asks it of every bucket: up to v2.0.0 only of the CloudTrail bucket, and " +
		"from then on CIS asks for Block Public Access (VIGIL.AWS.S3.03)",
}

func TestCatalogRulesAreComplete(t *testing.T) {
	rs, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	// Every rule file becomes a rule: a rule is added with its YAML alone.
	files, err := fs.Glob(catalogFS, "catalog/*/*/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 || len(rs) != len(files) {
		t.Errorf("catalog has %d rules from %d rule files", len(rs), len(files))
	}
	seen := map[string]bool{}
	for _, r := range rs {
		t.Run(r.ID, func(t *testing.T) {
			if seen[r.ID] {
				t.Errorf("duplicate id")
			}
			seen[r.ID] = true
			// catalog/<cloud>/<service>/<id>.yaml
			if ok, _ := path.Match("catalog/aws/*/"+r.ID+".yaml", r.File); !ok {
				t.Errorf("file %s, want catalog/aws/<service>/%s.yaml", r.File, r.ID)
			}
			for name, v := range map[string]string{"title": r.Title, "entity": r.Entity, "logic": r.Logic,
				"category": r.Category, "description": r.Description, "rationale": r.Rationale, "impact": r.Impact,
				"remediation.console": r.Remediation.Console, "remediation.cli": r.Remediation.CLI,
				"remediation.terraform": r.Remediation.Terraform} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s is empty", name)
				}
			}
			if r.Severity < Informational || r.Severity > Critical {
				t.Errorf("severity %v", r.Severity)
			}
			if len(r.References) == 0 {
				t.Errorf("no references")
			}
			for _, ref := range r.References {
				if !strings.HasPrefix(ref, "https://") {
					t.Errorf("reference %q is not an https URL", ref)
				}
			}
			cis := 0
			for _, f := range r.Frameworks {
				if err := f.Validate(); err != nil {
					t.Error(err)
				}
				if f.Framework == CISAWSFoundations {
					cis++
				}
			}
			if why, ok := noCISMapping[r.ID]; ok {
				if cis > 0 {
					t.Errorf("maps to CIS AWS Foundations, although %s", why)
				}
			} else if cis == 0 {
				t.Errorf("no CIS AWS Foundations mapping")
			}
			if want, ok := seedLogic[r.ID]; ok && r.Logic != want {
				t.Errorf("logic differs from the published rule\n got %s\nwant %s", r.Logic, want)
			}
		})
	}
	for id := range seedLogic {
		if !seen[id] {
			t.Errorf("catalog lacks %s", id)
		}
	}
}

// TestCatalogCISControls pins the CIS control ids of one rule per family
// for every benchmark version.
func TestCatalogCISControls(t *testing.T) {
	rs, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id   string
		want string // "version=control ..." for CIS AWS Foundations
	}{
		{"D9.AWS.MON.05", "1.0.0=3.5 1.1.0=3.5 1.2.0=3.5 1.3.0=4.5 1.4.0=4.5 1.5.0=4.5 2.0.0=4.5 3.0.0=4.5 4.0.0=4.5 5.0.0=4.5 6.0.0=5.5 7.0.0=5.5"},
		{"VIGIL.AWS.MON.15", "1.4.0=4.15 1.5.0=4.15 2.0.0=4.15 3.0.0=4.15 4.0.0=4.15 5.0.0=4.15 6.0.0=5.15 7.0.0=5.15"},
		{"VIGIL.AWS.LOG.01", "1.0.0=2.1 1.1.0=2.1 1.2.0=2.1 1.3.0=3.1 1.4.0=3.1 1.5.0=3.1 2.0.0=3.1 3.0.0=3.1 4.0.0=3.1 5.0.0=3.1 6.0.0=4.1 7.0.0=4.1"},
		{"VIGIL.AWS.LOG.02", "1.0.0=2.4 1.1.0=2.4 1.2.0=2.4 1.3.0=3.4 1.4.0=3.4 1.5.0=3.4 2.0.0=3.4"},
	}
	for _, tt := range tests {
		r := Find(rs, tt.id)
		if r == nil {
			t.Errorf("no rule %s", tt.id)
			continue
		}
		var got []string
		for _, f := range r.Frameworks {
			if f.Framework == CISAWSFoundations {
				got = append(got, f.Version+"="+f.Control)
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%s CIS controls\n got %s\nwant %s", tt.id, g, tt.want)
		}
	}
}

func TestEveryCatalogEntityIsDescribed(t *testing.T) {
	rs, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if AboutEntity(r.Entity) == "" {
			t.Errorf("%s: no description of entity %s", r.ID, r.Entity)
		}
	}
}

// TestCatalogTemplatesAreFast: every message and remediation text of the
// catalog only pastes fields, so that it renders by concatenation (see
// render.go) rather than through text/template, which costs a scan of
// thousands of findings a tenth of its time. A rule file a user writes may
// use the whole template language.
func TestCatalogTemplatesAreFast(t *testing.T) {
	rs, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		rt := r.templates
		for name, fast := range map[string]bool{
			"remediation.console":   rt.console == nil || rt.fastConsole != nil,
			"remediation.cli":       rt.cli == nil || rt.fastCLI != nil,
			"remediation.terraform": rt.terraform == nil || rt.fastTerraform != nil,
		} {
			if !fast {
				t.Errorf("%s: %s does more than paste fields", r.ID, name)
			}
		}
		for name, pt := range map[string]*proseTemplate{"message.fail": r.messages.fail, "message.pass": r.messages.pass, "message.none": r.messages.none} {
			if pt != nil && pt.fast == nil {
				t.Errorf("%s: %s does more than paste fields", r.ID, name)
			}
		}
	}
}
