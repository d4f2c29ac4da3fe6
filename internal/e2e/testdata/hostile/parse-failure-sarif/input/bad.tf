resource "aws_cloudtrail" "bad" {
  name = 
