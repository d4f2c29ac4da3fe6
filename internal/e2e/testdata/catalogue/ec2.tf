# EC2 instances, with and without an instance profile, so that
# TestCatalogueMatchesSources sees every field code can give an Instance.

variable "profile_name" {
  type = string
}

variable "subnet_id" {
  type    = string
  default = "subnet-0abc1234"
}

resource "aws_iam_role" "web" {
  name = "web"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_instance_profile" "web" {
  name = "web"
  role = aws_iam_role.web.name
}

resource "aws_instance" "web" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  subnet_id            = var.subnet_id
  iam_instance_profile = aws_iam_instance_profile.web.name
  tags = {
    Name = "web"
    team = "platform"
  }
}

resource "aws_instance" "worker" {
  count         = 2
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_instance" "configured" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  iam_instance_profile = var.profile_name
}
