module "a" {
  source = "./m1"
  count  = 100
}
