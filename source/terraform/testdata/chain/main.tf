resource "aws_cloudwatch_log_group" "trail" {
  name              = "chain-trail"
  retention_in_days = 365
}

resource "aws_iam_role" "trail" {
  name               = "chain-trail-logs"
  assume_role_policy = "{}"
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-chain-trail"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
}

# An old regional trail with no CloudWatch Logs integration.
resource "aws_cloudtrail" "legacy" {
  name           = "legacy"
  s3_bucket_name = "acme-legacy-trail"
}

module "monitoring" {
  source         = "./monitoring"
  log_group_name = aws_cloudwatch_log_group.trail.name
}
