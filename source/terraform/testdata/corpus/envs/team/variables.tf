
variable "prefix" {
  type = string
}
variable "tags" {
  type    = map(string)
  default = {}
}
variable "emails" {
  type    = list(string)
  default = []
}
