module "b" {
  source = "../m4"
  count  = 100
}

resource "aws_cloudtrail" "t" {
  name           = "t3"
  s3_bucket_name = "b"
}
