variable "region" {
  description = "Region the trails are created in."
  type        = string
  default     = "us-east-1"
}

variable "log_bucket" {
  description = "S3 bucket that receives the CloudTrail log files."
  type        = string
  default     = "acme-cloudtrail-logs"
}

variable "alarm_email" {
  description = "Address that receives the security alarms."
  type        = string
  default     = "security-alerts@example.com"
}

# No default: the role is created by another team and passed in at apply
# time, so its value is not known when the code is checked.
variable "partner_role_arn" {
  description = "IAM role CloudTrail uses to write the partner trail's events to CloudWatch Logs."
  type        = string
}
