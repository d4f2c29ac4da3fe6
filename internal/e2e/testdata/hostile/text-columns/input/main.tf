resource "aws_cloudtrail" "wide" {
  s3_bucket_name = "a-bucket-whose-name-goes-on-and-on-and-on-and-on-and-on"
  name           = "wide"
}
