variable "members" {
  type = map(object({ keys = number, console = bool }))
}

variable "group" {
  type = string
}

resource "aws_iam_user" "member" {
  for_each = var.members
  name     = each.key
  path     = "/team/"
}

resource "aws_iam_user_login_profile" "console" {
  for_each = { for name, m in var.members : name => m if m.console }
  user     = aws_iam_user.member[each.key].name
}

locals {
  keys = flatten([for name, m in var.members : [for i in range(m.keys) : { user = name, index = i }]])
}

resource "aws_iam_access_key" "key" {
  count  = length(local.keys)
  user   = aws_iam_user.member[local.keys[count.index].user].name
  status = local.keys[count.index].index == 1 ? "Inactive" : null
}

resource "aws_iam_user_group_membership" "member" {
  for_each = var.members
  user     = aws_iam_user.member[each.key].name
  groups   = [var.group]
}
