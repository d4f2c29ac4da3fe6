variable "log_group_name" {
  type = string
}

variable "alarm_email" {
  type = string
}
