resource "aws_cloudtrail" "main" {
  name           = "\u001b[32mALL CHECKS PASSED\u001b[0m\u202e"
  s3_bucket_name = "logs"
}
