variable "trail_name" {
  default   = "marker-5e1d2b"
  sensitive = true
}

resource "aws_cloudtrail" "named" {
  s3_bucket_name = "logs"
  name           = "marker-5e1d2b"
}
