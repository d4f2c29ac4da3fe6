resource "aws_cloudtrail" "this" {
  name           = "in-module"
  s3_bucket_name = "logs"
}
