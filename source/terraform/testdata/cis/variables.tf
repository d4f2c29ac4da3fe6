variable "region" {
  type    = string
  default = "us-east-1"
}

variable "org_prefix" {
  type        = string
  description = "Prefix for every resource name."
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "log_retention_days" {
  type    = number
  default = 90
}

variable "security_emails" {
  type    = list(string)
  default = []
}

variable "tags" {
  type    = map(string)
  default = {}
}
