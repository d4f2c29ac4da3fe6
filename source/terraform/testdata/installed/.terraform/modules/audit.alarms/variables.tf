variable "log_group_name" {
  type = string
}

variable "topic_arn" {
  type = string
}

variable "namespace" {
  type    = string
  default = "CISBenchmark"
}
