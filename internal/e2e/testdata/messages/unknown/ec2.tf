# The instance profile of this instance comes from a variable that has no
# value, so whether it uses an IAM role cannot be told before apply.
resource "aws_instance" "app" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  iam_instance_profile = var.app_profile
}

variable "app_profile" {
  type = string
}
