# A module that calls itself twice: 2^32 instances if nothing stops it.
module "x" {
  source = "./"
  count  = 2
}

resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "b"
}
