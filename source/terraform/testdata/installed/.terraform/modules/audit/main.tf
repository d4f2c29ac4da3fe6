resource "aws_sns_topic" "security" {
  name = "security-alerts"
}

resource "aws_sns_topic_subscription" "email" {
  topic_arn = aws_sns_topic.security.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

module "alarms" {
  source  = "acme-corp/cloudwatch-alarms/aws"
  version = "0.9.2"

  log_group_name = var.log_group_name
  topic_arn      = aws_sns_topic.security.arn
}
