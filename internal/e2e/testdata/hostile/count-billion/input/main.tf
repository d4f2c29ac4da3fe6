resource "aws_cloudtrail" "t" {
  count          = 1000000000
  name           = "t-${count.index}"
  s3_bucket_name = "b"
}
