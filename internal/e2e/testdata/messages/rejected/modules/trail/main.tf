variable "name" {
  type = string
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = "logs-bucket"
  is_multi_region_trail         = true
  include_global_service_events = false
}
