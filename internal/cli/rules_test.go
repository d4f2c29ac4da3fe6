package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// highRules are the catalog's rules of high severity, in the order the
// rules command lists them.
var highRules = []string{"D9.AWS.MON.03", "VIGIL.AWS.LOG.01", "VIGIL.AWS.MON.03", "VIGIL.AWS.EFS.01", "VIGIL.AWS.IAM.05",
	"VIGIL.AWS.IAM.11", "VIGIL.AWS.IAM.12", "VIGIL.AWS.IAM.15", "VIGIL.AWS.RDS.01", "VIGIL.AWS.RDS.03", "VIGIL.AWS.S3.03", "VIGIL.AWS.S3.04"}

// highCISRules are highRules but S3.04, which no CIS control asks of every
// bucket.
var highCISRules = highRules[:len(highRules)-1]

func TestRulesList(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		// want lists the IDs expected, in order; nil to only count.
		want  []string
		count int
		// controls must appear in the output when set.
		controls string
	}{
		{"all", []string{"rules"}, ExitOK, nil, 74, ""},
		{"severity high", []string{"rules", "--severity", "high"}, ExitOK,
			highRules, 12, ""},
		// D9.AWS.MON.02 judges no CIS version right, D9.AWS.MON.13 not the
		// route-table audit pattern of v3.0.0 (see engine's TestCISVersionMappings).
		{"CIS 3.0.0 drops the CloudWatch Logs control", []string{"rules", "--framework", "CIS AWS Foundations 3.0.0", "--severity", "low,medium,high"}, ExitOK, nil, 63, ""},
		{"controls of one version", []string{"rules", "--framework", "cis aws foundations 6.0.0", "--severity", "high"}, ExitOK,
			highCISRules, 11, "VIGIL.AWS.LOG.01  High      CloudTrail  all,default     6.0.0:4.1"},
		{"seed page framework", []string{"rules", "--framework", "gdpr"}, ExitOK, []string{"D9.AWS.MON.05"}, 1, ""},
		{"user rules", []string{"rules", "--rules", "testdata/scan/custom-rules", "--severity", "medium,high", "--framework", ""}, ExitOK, nil, 61, ""},
		{"no match", []string{"rules", "--framework", "FedRAMP"}, ExitFailed, nil, 0, ""},
		{"default ruleset", []string{"rules", "--ruleset", "default"}, ExitOK, nil, 56, "D9.TF.AWS.LOG.03     Low       aws_cloudtrail"},
		{"cloudguard ruleset", []string{"rules", "--ruleset", "cloudguard", "--severity", "high"}, ExitOK, []string{"D9.AWS.MON.03"}, 1, ""},
		{"two rulesets and user rules", []string{"rules", "--ruleset", "cloudguard,default", "--rules", "testdata/scan/custom-rules", "--severity", "high,medium"}, ExitOK,
			nil, 61, "TEAM.LOG.01          Medium    CloudTrail"},
		{"every version of a framework by a prefix", []string{"rules", "--framework", "cis", "--severity", "high"}, ExitOK,
			highCISRules, 11, "1.0.0:2.1,1.1.0:2.1,1.2.0:2.1,1.3.0:3.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := run(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, stderr %s", code, stderr)
			}
			if code != ExitOK {
				return
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if !strings.HasPrefix(lines[0], "ID ") {
				t.Errorf("header %q", lines[0])
			}
			var ids []string
			for _, l := range lines[1:] {
				ids = append(ids, strings.Fields(l)[0])
			}
			if tt.controls != "" && !strings.Contains(out, tt.controls) {
				t.Errorf("output lacks %q:\n%s", tt.controls, out)
			}
			if len(ids) != tt.count {
				t.Errorf("%d rules, want %d:\n%s", len(ids), tt.count, out)
			}
			if tt.want != nil && strings.Join(ids, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", ids, tt.want)
			}
		})
	}
}

// TestRulesShowMON05 checks that "vigil rules show D9.AWS.MON.05" renders
// everything seed page 004 carries: id, title, risk level, entity,
// category, GSL, description, remediation from the console and the command
// line (with the CIS pattern), references and the compliance frameworks;
// and the fields it reads with the IAM actions that read them.
func TestRulesShowMON05(t *testing.T) {
	code, out, stderr := run(t, "", "rules", "show", "D9.AWS.MON.05")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"D9.AWS.MON.05  Ensure CloudTrail configuration changes are monitored",
		"Severity:  Low",
		"Entity:    CloudTrail",
		"Category:  Monitoring",
		"List<CloudTrail> should have items with [hasSNSSubscriber='true' and metricFilters with [filterPattern isFilterPatternEqual('{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) ||($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName =StopLogging) }')] length() > 0]",
		"\nDescription\n", "\nRationale\n", "\nImpact\n",
		"Remediation: console", "Create metric filter",
		"Remediation: command line", "aws logs put-metric-filter --region '<region>'",
		"--filter-pattern '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }'",
		"aws sns subscribe", "aws cloudwatch put-metric-alarm", "--alarm-actions 'arn:aws:sns:<region>:<account>:<security_alarms_topic>'",
		"Remediation: Terraform", `resource "aws_cloudwatch_metric_alarm"`,
		"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html",
		"\nAbout CloudTrail\n  AWS CloudTrail records the actions taken in an AWS account",
		// The fields it reads, and what a live scan needs to read them.
		"\nFields read ('vigil entities CloudTrail' describes them)\n  hasSNSSubscriber: Whether some metric filter",
		"\n  metricFilters[].filterPattern: The CloudWatch Logs filter pattern that selects the log events the filter counts.\n",
		"\nIAM actions a live scan needs to read them\n  cloudtrail:DescribeTrails\n  cloudwatch:DescribeAlarmsForMetric\n" +
			"  logs:DescribeMetricFilters\n  sns:ListSubscriptionsByTopic\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Framework lines, with the table's spacing collapsed.
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"- CIS AWS Foundations 1.2.0 3.5", "- CIS AWS Foundations 2.0.0 4.5", "- CIS AWS Foundations 7.0.0 5.5",
		"- NIST 800-53 Rev 5", "- PCI-DSS 4.0", "- HIPAA", "- MITRE ATT&CK 11.3", "- CloudGuard AWS All Rules Ruleset",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "{{") {
		t.Errorf("unrendered template in output")
	}
}

func TestRulesShowUnknown(t *testing.T) {
	code, _, stderr := run(t, "", "rules", "show", "D9.AWS.MON.5")
	if code != ExitBadUsage || !strings.Contains(stderr, `no rule "D9.AWS.MON.5" (did you mean D9.AWS.MON.05?)`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestRulesImport(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := run(t, "", "rules", "import", "testdata/scan/cloudguard.json", "-o", dir)
	if code != ExitBadUsage || !strings.Contains(stderr, "rule CG.BAD.01 not written") ||
		!strings.Contains(stderr, "1 of 2 rules could not be imported") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	written := filepath.Join(dir, "CG.LOG.02.yaml")
	if strings.TrimSpace(out) != written {
		t.Errorf("out %q", out)
	}
	data, err := os.ReadFile(written)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"id: CG.LOG.02", "severity: High", "entity: CloudTrail", "framework: 'CloudGuard ruleset: Imported'", "control: \"3.2\""} {
		if !strings.Contains(string(data), want) {
			t.Errorf("rule file lacks %q:\n%s", want, data)
		}
	}
	// The written directory is a rule directory vigil can use.
	code, out, stderr = run(t, "", "rules", "show", "CG.LOG.02", "--rules", dir)
	if code != ExitOK || !strings.Contains(out, "--name {{trail-name}}") {
		t.Errorf("exit %d, stderr %q, out:\n%s", code, stderr, out)
	}
	// A second import does not overwrite.
	code, _, stderr = run(t, "", "rules", "import", "testdata/scan/cloudguard.json", "-o", dir)
	if code != ExitBadUsage || !strings.Contains(stderr, "use --force to overwrite") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestRulesShowTerraformFields: a rule on a Terraform resource type lists
// the arguments it reads, and no IAM actions.
func TestRulesShowTerraformFields(t *testing.T) {
	code, out, stderr := run(t, "", "rules", "show", "D9.TF.AWS.LOG.03")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "\nFields read (arguments and attributes of the Terraform resource aws_cloudtrail)\n  cloud_watch_logs_role_arn\n  cloud_watch_logs_group_arn\n"
	if !strings.Contains(out, want) || strings.Contains(out, "IAM actions") {
		t.Errorf("output:\n%s", out)
	}
}
