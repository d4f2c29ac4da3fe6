resource "aws_s3_bucket" "good" {
  bucket = "team-logs"
}

resource "aws_s3_bucket" "bad" {
  bucket = "misc"
}

resource "aws_kms_key" "k" {
  description = "not read by any rule"
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = aws_s3_bucket.good.id
  is_multi_region_trail      = true
  enable_log_file_validation = true
}
