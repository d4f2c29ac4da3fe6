variable "name" {
  type = string
}

variable "bucket_name" {
  type = string
}

variable "retention_in_days" {
  type    = number
  default = 365
}

variable "multi_region" {
  type    = bool
  default = false
}

variable "tags" {
  type    = map(string)
  default = {}
}
