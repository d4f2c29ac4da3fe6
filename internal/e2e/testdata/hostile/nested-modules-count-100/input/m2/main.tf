module "b" {
  source = "../m3"
  count  = 100
}

resource "aws_cloudtrail" "t" {
  name           = "t2"
  s3_bucket_name = "b"
}
