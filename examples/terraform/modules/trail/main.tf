data "aws_iam_policy_document" "assume_cloudtrail" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "write_logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "cloudtrail/${var.name}"
  retention_in_days = var.retention_days
}

resource "aws_iam_role" "to_cloudwatch" {
  name               = "${var.name}-to-cloudwatch"
  assume_role_policy = data.aws_iam_policy_document.assume_cloudtrail.json
}

resource "aws_iam_role_policy" "to_cloudwatch" {
  name   = "write-trail-events"
  role   = aws_iam_role.to_cloudwatch.id
  policy = data.aws_iam_policy_document.write_logs.json
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = var.log_bucket
  is_multi_region_trail         = var.multi_region
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.this.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.to_cloudwatch.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}

resource "aws_cloudwatch_log_metric_filter" "trail_changes" {
  name           = "cloudtrail_cfg_changes_metric"
  log_group_name = aws_cloudwatch_log_group.this.name
  pattern        = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"

  metric_transformation {
    name      = "cloudtrail_cfg_changes_metric"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_sns_topic" "alarms" {
  name = "${var.name}-security-alarms"
}

resource "aws_sns_topic_subscription" "email" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "trail_changes" {
  alarm_name          = "cloudtrail_cfg_changes_alarm"
  metric_name         = aws_cloudwatch_log_metric_filter.trail_changes.metric_transformation[0].name
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
