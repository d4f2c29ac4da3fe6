# An account's IAM in code: a password policy, a team module that makes
# users with for_each and access keys with count, policies from policy
# documents, attachments to users, groups and roles, and a support role.

variable "team" {
  type    = map(object({ keys = number, console = bool }))
  default = {
    alice = { keys = 1, console = true }
    bob   = { keys = 2, console = false }
  }
}

variable "ci_user" {
  type        = string
  description = "No value given: the attachment's user is unknown."
}

resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length        = 14
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  password_reuse_prevention      = 24
  max_password_age               = 90
}

module "team" {
  source  = "./modules/team"
  members = var.team
  group   = aws_iam_group.admins.name
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

data "aws_iam_policy_document" "admin" {
  statement {
    sid       = "All"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = data.aws_iam_policy_document.admin.json
}

resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = aws_iam_policy.admin.arn
}

resource "aws_iam_group_policy" "billing" {
  name  = "billing"
  group = aws_iam_group.admins.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "aws-portal:ViewBilling", Resource = "*" }]
  })
}

resource "aws_iam_policy" "read_logs" {
  name   = "read-logs"
  path   = "/ops/"
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": {"Effect": "Allow", "Action": ["logs:Get*", "logs:Describe*"], "Resource": "*"}
    }
  JSON
}

resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy_attachment" "ci_logs" {
  user       = aws_iam_user.ci.name
  policy_arn = aws_iam_policy.read_logs.arn
}

resource "aws_iam_user_policy" "ci_deploy" {
  name   = "deploy"
  user   = aws_iam_user.ci.name
  policy = data.aws_iam_policy_document.deploy.json
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "artifacts"
}

data "aws_iam_policy_document" "deploy" {
  statement {
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/*"]
  }
}

# Its user is a variable without a value: it may be attached to any user.
resource "aws_iam_user_policy_attachment" "unknown_user" {
  user       = var.ci_user
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role" "support" {
  name               = "support"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role_policy_attachment" "support" {
  role       = aws_iam_role.support.name
  policy_arn = "arn:aws:iam::aws:policy/AWSSupportAccess"
}

resource "aws_iam_role" "app" {
  name                = "app"
  assume_role_policy  = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
  managed_policy_arns = [aws_iam_policy.read_logs.arn, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
  inline_policy {
    name   = "queue"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["sqs:SendMessage"], Resource = "*" }] })
  }
}
