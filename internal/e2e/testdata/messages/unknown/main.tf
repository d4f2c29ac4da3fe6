# Whether this trail covers every region is decided by a variable that has
# no value, so the rules on it cannot tell before apply.
resource "aws_cloudtrail" "regional" {
  name                          = "regional-debug"
  s3_bucket_name                = "logs-bucket"
  is_multi_region_trail         = var.multi_region
  include_global_service_events = false
  cloud_watch_logs_role_arn     = var.cloudwatch_role_arn
  cloud_watch_logs_group_arn    = "arn:aws:logs:eu-west-1:777777777777:log-group:cloudtrail/regional-debug:*"
  enable_log_file_validation    = var.validate_logs
  kms_key_id                    = var.trail_kms_key
}

variable "validate_logs" {
  type = bool
}

variable "trail_kms_key" {
  type = string
}

variable "multi_region" {
  type = bool
}

variable "cloudwatch_role_arn" {
  type = string
}
