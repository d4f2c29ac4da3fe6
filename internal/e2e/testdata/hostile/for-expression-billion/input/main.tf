locals {
  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : "${a}-${b}-${c}"]]]
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = length(local.cube)
}
