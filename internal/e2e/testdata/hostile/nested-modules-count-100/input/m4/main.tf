resource "aws_cloudtrail" "t" {
  name           = "t4"
  s3_bucket_name = "b"
}
