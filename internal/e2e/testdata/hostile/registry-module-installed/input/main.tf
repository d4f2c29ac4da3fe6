module "trail" {
  source  = "acme-corp/cloudtrail/aws"
  version = "2.1.0"

  name = "org-main"
}
