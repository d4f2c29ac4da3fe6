# IAM whose attachments come from variables without a value: which
# policies the role and the user hold is known only at apply.
variable "role_policy_arns" {
  type = list(string)
}

variable "deployer_policy_arn" {
  type = string
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  managed_policy_arns = var.role_policy_arns
}

resource "aws_iam_user" "release" {
  name = "release-bot"
}

resource "aws_iam_access_key" "release" {
  user = aws_iam_user.release.name
}

resource "aws_iam_user_login_profile" "release" {
  user = aws_iam_user.release.name
}

resource "aws_iam_user_policy_attachment" "release" {
  user       = aws_iam_user.release.name
  policy_arn = var.deployer_policy_arn
}

resource "aws_iam_policy" "generated" {
  name   = "generated"
  policy = var.generated_policy
}

variable "generated_policy" {
  type = string
}

# The account's password policy, with a length chosen at apply; the root
# user's settings are known only in a live account.
variable "minimum_password_length" {
  type = number
}

resource "aws_iam_account_password_policy" "baseline" {
  minimum_password_length   = var.minimum_password_length
  password_reuse_prevention = var.password_reuse_prevention
}

variable "password_reuse_prevention" {
  type = number
}
