package report

import (
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// The fixture is a realistic scan of two AWS accounts and a Terraform root
// module with the CloudTrail rules of the seed pages, as the engine would
// produce it: every result kind, live ARNs and Terraform addresses with
// file ranges, List<CloudTrail> findings about scopes (one naming the
// trails that came closest, at the end), plain messages beside GSL explanations, an
// inline and a file exclusion, an expired exclusion and a collection
// failure with the ERROR that says how to restore its data.

const (
	account     = "123456789012"
	otherAcct   = "210987654321"
	tfScope     = "infra/prod"
	orgTrailARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/org-main"
	euTrailARN  = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/eu-audit"
	oldTrailARN = "arn:aws:cloudtrail:us-west-2:123456789012:trail/legacy-dev"
)

var started = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func cis(version, control string) rules.FrameworkRef {
	return rules.FrameworkRef{Framework: "CIS AWS Foundations", Version: version, Control: control}
}

func fixtureRules() (log01, log02, mon05, tf03, orgRule, chain *rules.Rule) {
	log01 = &rules.Rule{
		ID:          "D9.AWS.LOG.01",
		Title:       "Ensure multi-regions trail exists for each AWS CloudTrail",
		Severity:    rules.Low,
		Entity:      "CloudTrail",
		Logic:       "CloudTrail should have isMultiRegionTrail=true",
		Category:    "Logging",
		Description: "A trail that records API activity in every region catches activity in regions nobody watches.",
		Rationale:   "Attackers favour unused regions; a single-region trail leaves them dark.",
		Remediation: rules.Remediation{
			Console:   "Open CloudTrail, select the trail, edit it and set \"Apply trail to all regions\" to Yes.",
			CLI:       "aws cloudtrail update-trail --name TRAIL_NAME --is-multi-region-trail",
			Terraform: "resource \"aws_cloudtrail\" \"this\" {\n  is_multi_region_trail = true\n}",
		},
		References: []string{"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html"},
		Frameworks: []rules.FrameworkRef{cis("1.2.0", "2.1"), cis("3.0.0", "3.1"), {Framework: "NIST 800-53", Version: "Rev 5", Control: "AU-12"}},
		File:       "catalog/aws/cloudtrail/D9.AWS.LOG.01.yaml",
		LogicLine:  6,
	}
	log02 = &rules.Rule{
		ID:          "D9.AWS.LOG.02",
		Title:       "Ensure CloudTrail log file validation is enabled",
		Severity:    rules.Medium,
		Entity:      "CloudTrail",
		Logic:       "CloudTrail should have logFileValidationEnabled=true",
		Category:    "Logging",
		Description: "Digest files let you prove that delivered log files were not altered.",
		Remediation: rules.Remediation{CLI: "aws cloudtrail update-trail --name TRAIL_NAME --enable-log-file-validation"},
		Frameworks:  []rules.FrameworkRef{cis("1.2.0", "2.2"), cis("3.0.0", "3.2")},
	}
	mon05 = &rules.Rule{
		ID:       "D9.AWS.MON.05",
		Title:    "Ensure CloudTrail configuration changes are monitored",
		Severity: rules.Low,
		Entity:   "CloudTrail",
		Logic: "List<CloudTrail> should have items with [hasSNSSubscriber='true' and metricFilters with " +
			"[filterPattern isFilterPatternEqual('{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || " +
			"($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }')] length() > 0]",
		Category:    "Monitoring",
		Description: "An alarm on changes to trails warns you when someone stops or reconfigures audit logging.",
		Remediation: rules.Remediation{
			Console: "Create a metric filter on the trail's log group for CreateTrail, UpdateTrail, DeleteTrail, StartLogging and StopLogging, an alarm on its metric, and an SNS topic with a confirmed subscriber for the alarm.",
			CLI:     "aws logs put-metric-filter --log-group-name LOG_GROUP --filter-name cloudtrail-changes --metric-transformations metricName=CloudTrailChanges,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }'",
		},
		Frameworks: []rules.FrameworkRef{cis("1.2.0", "3.5"), cis("3.0.0", "4.5")},
	}
	tf03 = &rules.Rule{
		ID:          "D9.TF.AWS.LOG.03",
		Title:       "Ensure CloudTrail trails are integrated with CloudWatch Logs",
		Severity:    rules.Low,
		Entity:      "aws_cloudtrail",
		Logic:       "aws_cloudtrail should not have (cloud_watch_logs_role_arn isEmpty() or cloud_watch_logs_group_arn isEmpty())",
		Category:    "Logging",
		Description: "Sending the trail to CloudWatch Logs allows real-time metric filters and alarms on API activity.",
		Remediation: rules.Remediation{
			Terraform: "resource \"aws_cloudtrail\" \"this\" {\n  cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\"\n  cloud_watch_logs_role_arn  = aws_iam_role.trail_to_logs.arn\n}",
		},
		Frameworks: []rules.FrameworkRef{cis("1.2.0", "2.4")},
	}
	orgRule = &rules.Rule{
		ID:          "VIGIL.AWS.LOG.20",
		Title:       "Ensure organization trails log every member account",
		Severity:    rules.High,
		Entity:      "CloudTrail",
		Logic:       "CloudTrail where isOrganizationTrail=true should have status.isLogging=true",
		Category:    "Logging",
		Description: "An organization trail that stopped logging leaves every member account unaudited.",
		Frameworks:  []rules.FrameworkRef{cis("3.0.0", "3.1")},
	}
	chain = &rules.Rule{
		ID:          "VIGIL.AWS.LOG.01",
		Title:       "Ensure CloudTrail is enabled in all regions",
		Severity:    rules.High,
		Entity:      "CloudTrail",
		Logic:       "List<CloudTrail> should have items with [isMultiRegionTrail=true and hasManagementEventsReadWrite=true] length() > 0",
		Category:    "Logging",
		Description: "At least one trail must record the management events of every region.",
		Remediation: rules.Remediation{Console: "Make one trail multi-region and record both read and write management events."},
	}
	return
}

func trail(arn, name, region, scope string) *entity.Entity {
	return &entity.Entity{
		Type: "CloudTrail", ID: arn, Name: name, Scope: scope, Region: region,
		Origin: entity.Origin{API: []string{"cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"}},
	}
}

func tfTrail(addr, name, file string, start, end int) *entity.Entity {
	return &entity.Entity{
		Type: "aws_cloudtrail", ID: addr, Name: name, Scope: tfScope,
		Origin: entity.Origin{File: file, Start: entity.Pos{Line: start, Col: 1}, End: entity.Pos{Line: end, Col: 2}},
	}
}

// normalised is the CloudTrail entity the Terraform loader makes of a
// trail's aws_cloudtrail, with its ID and place.
func normalised(e *entity.Entity) *entity.Entity {
	n := *e
	n.Type = "CloudTrail"
	return &n
}

// deniedFix is the fix the engine gives an ERROR finding whose metric
// filters could not be collected.
const deniedFix = "Allow logs:DescribeMetricFilters to the identity vigil runs as (docs/iam-policy.json lists every action vigil calls), then scan again."

// fixtureRun builds the fixture; each call returns fresh values.
func fixtureRun() *engine.Run {
	log01, log02, mon05, tf03, orgRule, chain := fixtureRules()
	orgTrail := trail(orgTrailARN, "org-main", "us-east-1", account)
	euTrail := trail(euTrailARN, "eu-audit", "eu-west-1", account)
	oldTrail := trail(oldTrailARN, "legacy-dev", "us-west-2", account)
	mainTF := tfTrail("aws_cloudtrail.main", "main", "infra/prod/main.tf", 12, 24)
	auditTF := tfTrail("module.audit.aws_cloudtrail.this[0]", "this", "infra/modules/audit/trail.tf", 3, 15)
	legacyTF := tfTrail("aws_cloudtrail.legacy", "legacy", "infra/prod/main.tf", 31, 36)

	return &engine.Run{
		Started: started,
		Scopes: []entity.Scope{
			{Kind: "aws-account", ID: account, Regions: []string{"eu-west-1", "us-east-1", "us-west-2"}},
			{Kind: "aws-account", ID: otherAcct, Regions: []string{"us-east-1"}},
			{Kind: entity.ScopeTerraformModule, ID: tfScope},
		},
		Findings: []*engine.Finding{
			{Rule: log01, Result: engine.Fail, Underlying: engine.Fail, Entity: euTrail,
				Message:     "Trail eu-audit records events in its home region eu-west-1 only.",
				Explanation: "isMultiRegionTrail is false, want true",
				Trace:       []string{"CloudTrail should have isMultiRegionTrail=true: FAIL", "  isMultiRegionTrail=true: false (isMultiRegionTrail = false)"},
				Remediation: rules.Remediation{
					Console: log01.Remediation.Console,
					CLI:     "aws cloudtrail update-trail --name eu-audit --is-multi-region-trail",
				}},
			{Rule: log01, Result: engine.Pass, Underlying: engine.Pass, Entity: orgTrail},
			{Rule: log01, Result: engine.Excluded, Underlying: engine.Fail, Entity: oldTrail,
				Message:     "Trail legacy-dev records events in its home region us-west-2 only.",
				Explanation: "isMultiRegionTrail is false, want true",
				Trace:       []string{"CloudTrail should have isMultiRegionTrail=true: FAIL", "  isMultiRegionTrail=true: false (isMultiRegionTrail = false)"},
				Exclusion:   &engine.Exclusion{Reason: "dev account trail, replaced by org-main", Expires: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), Source: "exclusions.yaml:12"}},
			{Rule: log02, Result: engine.Pass, Underlying: engine.Pass, Entity: euTrail},
			{Rule: log02, Result: engine.Pass, Underlying: engine.Pass, Entity: orgTrail},
			{Rule: mon05, Result: engine.Error, Underlying: engine.Error, Scope: account,
				Message:     "metricFilters of arn:aws:cloudtrail:eu-west-1:123456789012:trail/eu-audit could not be collected: logs:DescribeMetricFilters in eu-west-1: AccessDenied",
				Explanation: "metricFilters of arn:aws:cloudtrail:eu-west-1:123456789012:trail/eu-audit could not be collected: logs:DescribeMetricFilters in eu-west-1: AccessDenied",
				Trace:       []string{"List<CloudTrail> should have items with [...]: ERROR", "  items[1].metricFilters: not collected (logs:DescribeMetricFilters: AccessDenied)"},
				Remediation: rules.Remediation{Console: deniedFix}},
			{Rule: mon05, Result: engine.Pass, Underlying: engine.Pass, Scope: otherAcct},
			{Rule: tf03, Result: engine.Excluded, Underlying: engine.Fail, Entity: legacyTF,
				Message:     "cloud_watch_logs_role_arn isEmpty() is true",
				Explanation: "cloud_watch_logs_role_arn isEmpty() is true",
				Exclusion:   &engine.Exclusion{Reason: "trail is deleted in the next release", Source: "infra/prod/main.tf:30 (vigil:ignore comment)"}},
			{Rule: tf03, Result: engine.Fail, Underlying: engine.Fail, Entity: mainTF,
				Message:     "Trail aws_cloudtrail.main does not send its events to CloudWatch Logs. It sets no cloud_watch_logs_role_arn.",
				Explanation: "cloud_watch_logs_role_arn isEmpty() is true",
				Trace: []string{
					"aws_cloudtrail should not have (cloud_watch_logs_role_arn isEmpty() or cloud_watch_logs_group_arn isEmpty()): FAIL",
					"  cloud_watch_logs_role_arn isEmpty(): true (cloud_watch_logs_role_arn = null)",
				},
				Remediation: rules.Remediation{Terraform: "resource \"aws_cloudtrail\" \"main\" {\n  cloud_watch_logs_role_arn = aws_iam_role.trail_to_logs.arn\n}"}},
			{Rule: tf03, Result: engine.Unknown, Underlying: engine.Unknown, Entity: auditTF,
				Message:     "Cannot be decided from the code alone: cloud_watch_logs_group_arn is not known until apply (aws_cloudwatch_log_group.trail.arn).",
				Explanation: "cloud_watch_logs_group_arn is not known until apply (aws_cloudwatch_log_group.trail.arn)",
				Trace: []string{
					"aws_cloudtrail should not have (cloud_watch_logs_role_arn isEmpty() or cloud_watch_logs_group_arn isEmpty()): UNKNOWN",
					"  cloud_watch_logs_group_arn isEmpty(): unknown (cloud_watch_logs_group_arn = (known after apply))",
				}},
			{Rule: chain, Result: engine.Fail, Underlying: engine.Fail, Scope: tfScope,
				Message: "No trail of module infra/prod is multi-region and records all management events. Closest: aws_cloudtrail.main " +
					"records only its home region; module.audit.aws_cloudtrail.this[0] does not record read and write management events.",
				Explanation: "items with [...] length() > 0: 0 of 3 elements match (items[0] (name 'main'): isMultiRegionTrail is false, expected true | " +
					"items[1] (name 'this'): hasManagementEventsReadWrite is false, expected true)",
				Related: []*entity.Entity{normalised(mainTF), normalised(auditTF)},
				Trace: []string{"List<CloudTrail> should have items with [isMultiRegionTrail=true and hasManagementEventsReadWrite=true] length() > 0: FAIL",
					"  items with [...] length() > 0: 0 of 3 elements match",
					"    items[0] (name 'main'): isMultiRegionTrail is false, expected true",
					"    items[1] (name 'this'): hasManagementEventsReadWrite is false, expected true"},
				Remediation: chain.Remediation},
		},
		NotApplicable: []*rules.Rule{orgRule},
		NotRelevant:   map[string]int{"D9.AWS.LOG.01": 1},
		ExpiredExclusions: []engine.Exclusion{
			{Reason: "temporary during the migration to org-main", Expires: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Source: "exclusions.yaml:20"},
		},
		Failures: []entity.Failure{
			{Type: "CloudTrail", Attr: "metricFilters", Scope: account, Region: "eu-west-1", Entity: euTrailARN,
				Call: "logs:DescribeMetricFilters", Error: "AccessDenied: User: arn:aws:sts::123456789012:assumed-role/vigil-audit/ci is not authorized to perform: logs:DescribeMetricFilters"},
		},
	}
}

// hostileRun is a run whose text is chosen to break out of every format:
// markup, quotes, control characters, formula prefixes.
func hostileRun() *engine.Run {
	r := fixtureRun()
	evil := &entity.Entity{
		Type: "aws_cloudtrail", ID: `aws_cloudtrail.x["<script>document.title='pwned'</script>"]`,
		Name: `<img src=x onerror="document.title='pwned'">`, Scope: tfScope,
		Origin: entity.Origin{File: "infra/prod/evil <&>.tf", Start: entity.Pos{Line: 1, Col: 1}, End: entity.Pos{Line: 4, Col: 2}},
	}
	tf03 := r.Findings[8].Rule
	r.Findings = append(r.Findings, &engine.Finding{
		Rule: tf03, Result: engine.Fail, Underlying: engine.Fail, Entity: evil,
		Message:     "=HYPERLINK(\"http://evil.example\")\x1b[2J\x00 ]]></failure><script>alert(1)</script>",
		Explanation: "-cmd|' /C calc'!A0 </pre><script>document.title='pwned'</script>\x07",
		Related:     []*entity.Entity{evil},
		Trace:       []string{"</pre><script>document.title='pwned'</script>", "]]></failure><error/>"},
	})
	return r
}

// inputFailuresRun is the fixture with the failures of a Terraform file that
// did not parse, as the loader records them (one per type it declares), in
// a module that two root modules read, and of an input that could not be
// read at all; the rules on trails give an ERROR for the module.
func inputFailuresRun() *engine.Run {
	r := fixtureRun()
	parse := func(typ, attr, scope string) entity.Failure {
		return entity.Failure{Kind: entity.FailureParse, Type: typ, Attr: attr, Scope: scope, File: "infra/modules/audit/bad.tf", Line: 4, Col: 10,
			Error: "Invalid expression: Expected the start of an expression, but found an invalid expression token"}
	}
	r.Failures = append(r.Failures,
		parse("aws_cloudtrail", "", tfScope), parse("CloudTrail", "", tfScope),
		parse("aws_cloudtrail", "", "infra/stage"), parse("CloudTrail", "", "infra/stage"),
		entity.Failure{Kind: entity.FailureRead, File: "infra/missing", Error: "no such file or directory"},
	)
	tf03 := r.Findings[8].Rule
	msg := "the aws_cloudtrail list may be incomplete: " + r.Failures[1].String()
	r.Findings = append(r.Findings, &engine.Finding{Rule: tf03, Result: engine.Error, Underlying: engine.Error, Scope: tfScope,
		Message: msg, Explanation: msg,
		Remediation: rules.Remediation{Console: "Repair infra/modules/audit/bad.tf:4:10, which does not parse, then scan again."}})
	return r
}
