
variable "log_group_name" {
  type = string
}
variable "filters" {
  type = map(string)
}
variable "emails" {
  type    = list(string)
  default = []
}
resource "aws_sns_topic" "alarms" {
  name = "${var.log_group_name}-alarms"
}
resource "aws_sns_topic_subscription" "email" {
  count     = length(var.emails)
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.emails[count.index]
}
resource "aws_cloudwatch_log_metric_filter" "this" {
  for_each       = var.filters
  name           = each.key
  log_group_name = var.log_group_name
  pattern        = each.value
  metric_transformation {
    name      = each.key
    namespace = "CISBenchmark"
    value     = "1"
  }
}
resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = var.filters
  alarm_name          = "cis-${each.key}"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = aws_cloudwatch_log_metric_filter.this[each.key].metric_transformation[0].name
  namespace           = "CISBenchmark"
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
