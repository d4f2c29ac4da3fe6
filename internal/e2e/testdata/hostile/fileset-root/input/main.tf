# Lists the whole file system of the machine that runs the scan.
resource "aws_cloudtrail" "trail" {
  name                  = "trail"
  s3_bucket_name        = join(",", fileset("/", "**"))
  is_multi_region_trail = true
}
