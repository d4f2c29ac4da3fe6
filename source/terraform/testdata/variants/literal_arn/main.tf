# Log group and topic given as literal ARNs: one log group is declared here
# under the same name, the alarm topic is not.
resource "aws_cloudwatch_log_group" "trail" {
  name = "audit-trail"
}

resource "aws_cloudtrail" "audit" {
  name                       = "audit"
  s3_bucket_name             = "acme-audit"
  is_multi_region_trail      = "true"
  cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:audit-trail:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/audit-trail"

  event_selector {
    read_write_type           = "WriteOnly"
    include_management_events = true
  }
}

resource "aws_cloudwatch_log_metric_filter" "console" {
  name           = "console-without-mfa"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }"

  metric_transformation {
    name      = "ConsoleWithoutMFA"
    namespace = "Security"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "console" {
  alarm_name          = "console-without-mfa"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = "ConsoleWithoutMFA"
  namespace           = "Security"
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:eu-west-1:111122223333:security-pager"]
}
