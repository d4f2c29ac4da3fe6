# A name of 1,000,000 bytes, built from a short source, for 200 trails:
# every finding about them must not carry it whole.
locals {
  chunk = replace(format("%10000s", ""), " ", "a")
  name  = join("", [for i in range(100) : local.chunk])
}

resource "aws_cloudtrail" "big" {
  count          = 200
  name           = local.name
  s3_bucket_name = "logs"
}
