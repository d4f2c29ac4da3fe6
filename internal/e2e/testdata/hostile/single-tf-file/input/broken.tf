resource "aws_cloudtrail" {
