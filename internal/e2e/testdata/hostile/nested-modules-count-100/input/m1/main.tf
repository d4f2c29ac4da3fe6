module "b" {
  source = "../m2"
  count  = 100
}

resource "aws_cloudtrail" "t" {
  name           = "t1"
  s3_bucket_name = "b"
}
