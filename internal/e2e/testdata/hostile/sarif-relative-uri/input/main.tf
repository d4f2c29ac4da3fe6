module "trail" {
  source = "./modules/trail"
}

resource "aws_cloudtrail" "local" {
  name           = "local"
  s3_bucket_name = "logs"
}
