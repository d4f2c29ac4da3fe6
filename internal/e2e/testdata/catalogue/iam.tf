# IAM resources that give every field code can give the Iam, IamUser,
# IamPolicy and IamRole entities: a password policy, a user with a
# console password, keys, attached and inline policies and a group, and
# a role with every kind of policy.

resource "aws_iam_account_password_policy" "this" {
  minimum_password_length   = 14
  max_password_age          = 90
  password_reuse_prevention = 24
}

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_login_profile" "dev" {
  user = aws_iam_user.dev.name
}

resource "aws_iam_access_key" "dev" {
  user = aws_iam_user.dev.name
}

resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_user_group_membership" "dev" {
  user   = aws_iam_user.dev.name
  groups = [aws_iam_group.devs.name]
}

data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme/*"]
  }
}

resource "aws_iam_policy" "read" {
  name   = "read"
  policy = data.aws_iam_policy_document.read.json
}

resource "aws_iam_user_policy_attachment" "dev" {
  user       = aws_iam_user.dev.name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_user_policy" "dev" {
  name   = "own"
  user   = aws_iam_user.dev.name
  policy = data.aws_iam_policy_document.read.json
}

resource "aws_iam_group_policy_attachment" "devs" {
  group      = aws_iam_group.devs.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_group_policy" "devs" {
  name   = "group-own"
  group  = aws_iam_group.devs.name
  policy = data.aws_iam_policy_document.read.json
}

resource "aws_iam_role" "support" {
  name = "support"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111122223333:root" } }]
  })
  inline_policy {
    name   = "inline"
    policy = data.aws_iam_policy_document.read.json
  }
}

resource "aws_iam_role_policy_attachment" "support" {
  role       = aws_iam_role.support.name
  policy_arn = "arn:aws:iam::aws:policy/AWSSupportAccess"
}
