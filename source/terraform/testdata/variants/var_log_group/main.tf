# A trail whose log group and role come from variables that have no value:
# the CI job forgot the tfvars file.
variable "log_group_arn" {
  type        = string
  description = "ARN of the central CloudTrail log group, created by the logging account."
}

variable "cloudwatch_role_arn" {
  type = string
}

variable "trail_name" {
  type    = string
  default = "regional-trail"
}

resource "aws_cloudtrail" "regional" {
  name                       = var.trail_name
  s3_bucket_name             = "acme-regional-trail-logs"
  cloud_watch_logs_group_arn = var.log_group_arn
  cloud_watch_logs_role_arn  = var.cloudwatch_role_arn
  enable_logging             = false
}
