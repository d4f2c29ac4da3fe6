variable "name" {
  description = "Name of the trail; also names its log group, role and alarm."
  type        = string
}

variable "log_bucket" {
  description = "S3 bucket that receives the log files."
  type        = string
}

variable "multi_region" {
  description = "Record every region of the account."
  type        = bool
  default     = true
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topic."
  type        = string
}

variable "retention_days" {
  description = "How long CloudWatch Logs keeps the trail's events."
  type        = number
  default     = 365
}
