package aws

// Actions lists every IAM action the collector calls, in the account it
// reads. docs/iam-policy.json grants exactly these; a test keeps the two,
// and the calls the code makes, in step. sts:AssumeRole (--role-arn) is
// called with the caller's own credentials and is not part of the policy.
func Actions() []string {
	return []string{
		"cloudtrail:DescribeTrails",
		"cloudtrail:GetEventSelectors",
		"cloudtrail:GetTrailStatus",
		"cloudtrail:ListTags",
		"cloudwatch:DescribeAlarmsForMetric",
		"ec2:DescribeRegions",
		"logs:DescribeMetricFilters",
		"sns:ListSubscriptionsByTopic",
		"sts:GetCallerIdentity",
	}
}
