variable "name" {
  description = "Name of the trail."
  type        = string
}

variable "s3_bucket_name" {
  description = "Bucket that receives the log files."
  type        = string
}

variable "multi_region" {
  description = "Whether the trail records events of every region."
  type        = bool
  default     = true
}

variable "include_global_service_events" {
  description = "Whether the trail records events of global services such as IAM."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "How long CloudWatch Logs keeps the trail's events."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
