# Every value below marked MARKER is sensitive, and must never be shown.

variable "trail_name" {
  type      = string
  default   = "MARKER-default-of-sensitive-variable"
  sensitive = true
}

# Given by TF_VAR_kms_key_id in the test's environment.
variable "kms_key_id" {
  type      = string
  sensitive = true
}

module "keys" {
  source = "./modules/keys"
}

resource "aws_cloudtrail" "named_by_secret" {
  name                  = var.trail_name
  s3_bucket_name        = "audit-logs"
  kms_key_id            = var.kms_key_id
  is_multi_region_trail = false
}

resource "aws_cloudtrail" "named_by_output" {
  name           = module.keys.trail_name
  s3_bucket_name = "audit-logs"
}

resource "aws_cloudtrail" "named_by_function" {
  name           = sensitive("MARKER-argument-of-sensitive-function")
  s3_bucket_name = "audit-logs"
}

resource "aws_cloudtrail" "bad_conversion" {
  name           = "bad-conversion"
  s3_bucket_name = "audit-logs"
  # Fails: the error of tonumber would quote its argument.
  kms_key_id = tonumber(upper(var.trail_name))
}
