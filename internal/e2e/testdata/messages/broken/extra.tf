# A file that does not parse, declaring a second trail: what that trail
# says is not known, so no rule on the module's trails can pass.
resource "aws_cloudtrail" "extra" {
  name = "extra"
