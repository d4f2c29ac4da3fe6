locals {
  s  = "0123456789012345678901234567890123456789012345678901234567890123456789012345"
  l1 = join("", [for a in range(100) : join("", [for b in range(100) : local.s])])
  l2 = join("", [for a in range(100) : join("", [for b in range(100) : local.l1])])
}

resource "aws_cloudtrail" "t" {
  name           = local.l2
  s3_bucket_name = "b"
}
