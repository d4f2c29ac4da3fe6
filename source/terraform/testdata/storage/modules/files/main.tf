variable "encrypted" {
  type = bool
}

resource "aws_efs_file_system" "this" {
  encrypted = var.encrypted
  tags = {
    Name = "team-files"
  }
}

resource "aws_efs_file_system" "plain" {
  creation_token = "plain"
}
