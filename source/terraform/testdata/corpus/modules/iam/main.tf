# A team's IAM: users by for_each with an access key each, a group they
# are in with a policy from a policy document, and a role for the team's
# application with AWS's support policy. 11 resources.
variable "name" {
  type = string
}
variable "users" {
  type = set(string)
}
variable "bucket_arn" {
  type = string
}

resource "aws_iam_user" "member" {
  for_each = var.users
  name     = "${var.name}-${each.key}"
  path     = "/teams/"
}

resource "aws_iam_access_key" "member" {
  count = length(var.users)
  user  = aws_iam_user.member[sort(tolist(var.users))[count.index]].name
}

resource "aws_iam_group" "team" {
  name = var.name
}

resource "aws_iam_user_group_membership" "member" {
  for_each = var.users
  user     = aws_iam_user.member[each.key].name
  groups   = [aws_iam_group.team.name]
}

data "aws_iam_policy_document" "read" {
  statement {
    sid       = "ReadData"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [var.bucket_arn, "${var.bucket_arn}/*"]
  }
}

resource "aws_iam_policy" "read" {
  name   = "${var.name}-read"
  policy = data.aws_iam_policy_document.read.json
}

resource "aws_iam_group_policy_attachment" "read" {
  group      = aws_iam_group.team.name
  policy_arn = aws_iam_policy.read.arn
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app" {
  name               = "${var.name}-app"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "support" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AWSSupportAccess"
}
