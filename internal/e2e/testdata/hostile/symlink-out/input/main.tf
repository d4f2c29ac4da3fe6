resource "aws_cloudtrail" "trail" {
  name                  = "trail"
  s3_bucket_name        = "logs"
  is_multi_region_trail = true
}
