resource "aws_cloudtrail" "broken" {
  s3_bucket_name = "logs"
  name = "broken
}
