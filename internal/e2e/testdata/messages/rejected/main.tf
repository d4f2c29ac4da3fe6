# A multi-region trail that leaves out global service events, which AWS
# rejects at apply.
module "audit" {
  source = "./modules/trail"
  name   = "audit-eu"
}
