resource "aws_cloudtrail" "good" {
  name                  = "good"
  s3_bucket_name        = "b"
  is_multi_region_trail = true
}
