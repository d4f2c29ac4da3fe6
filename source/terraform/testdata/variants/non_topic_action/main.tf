# An alarm that scales an Auto Scaling group and notifies a topic nobody
# subscribes to. Neither action delivers the alarm to a person, so the
# trail has no subscriber, whichever resource types the caller loads.
resource "aws_cloudwatch_log_group" "trail" {
  name = "audit-trail"
}

resource "aws_cloudtrail" "audit" {
  name                       = "audit"
  s3_bucket_name             = "acme-audit"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/audit-trail"
}

resource "aws_cloudwatch_log_metric_filter" "changes" {
  name           = "cloudtrail-changes"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"

  metric_transformation {
    name      = "CloudTrailChanges"
    namespace = "Security"
    value     = "1"
  }
}

resource "aws_autoscaling_policy" "scale_out" {
  name                   = "scale-out"
  autoscaling_group_name = "workers"
  adjustment_type        = "ChangeInCapacity"
  scaling_adjustment     = 1
}

resource "aws_sns_topic" "quiet" {
  name = "quiet"
}

resource "aws_cloudwatch_metric_alarm" "changes" {
  alarm_name          = "cloudtrail-changes"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = "CloudTrailChanges"
  namespace           = "Security"
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [aws_autoscaling_policy.scale_out.arn, aws_sns_topic.quiet.arn]
}
