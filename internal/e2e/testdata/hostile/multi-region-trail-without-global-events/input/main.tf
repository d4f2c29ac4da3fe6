resource "aws_cloudtrail" "org" {
  name                          = "org"
  s3_bucket_name                = "org-trail-logs"
  is_multi_region_trail         = true
  include_global_service_events = false
}
