variable "name" {
  default = "audit"
}

# vigil:ignore:D9.TF.AWS.LOG.03:exp:2027-13-45 the log group moves next quarter
resource "aws_cloudtrail" "audit" {
  name = var.name
}

# vigil:ignore:D9.TF.AWS.LOG.3 a typo in the rule id
resource "aws_cloudtrail" "debug" {
  name = "debug"
}
