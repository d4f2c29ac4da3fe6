module "trail" {
  source = "acme-corp/cloudtrail/aws"
}
