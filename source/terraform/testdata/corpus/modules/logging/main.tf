
variable "name" {
  type = string
}
variable "retention" {
  type    = number
  default = 365
}
variable "tags" {
  type    = map(string)
  default = {}
}
resource "aws_cloudwatch_log_group" "trail" {
  name              = "/aws/cloudtrail/${var.name}"
  retention_in_days = var.retention
  tags              = var.tags
}
resource "aws_iam_role" "trail" {
  name = "${var.name}-cloudtrail"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_cloudtrail" "this" {
  name                       = var.name
  s3_bucket_name             = "${var.name}-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
  tags = var.tags
}
output "log_group_name" {
  value = aws_cloudwatch_log_group.trail.name
}
