variable "log_group_name" {
  type = string
}

variable "namespace" {
  type    = string
  default = "CISBenchmark"
}

variable "security_queue_arn" {
  type = string
}

variable "notification_emails" {
  type    = list(string)
  default = []
}

variable "tags" {
  type    = map(string)
  default = {}
}
