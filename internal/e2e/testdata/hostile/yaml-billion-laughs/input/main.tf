locals {
  doc = yamldecode(file("${path.module}/bomb.yaml"))
}

resource "aws_cloudtrail" "t" {
  name           = jsonencode(local.doc)
  s3_bucket_name = "b"
}
