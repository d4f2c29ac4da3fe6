
locals {
  name = "${var.prefix}-{{N}}"
  tags = merge(var.tags, { Team = "team{{N}}" })
}
module "logging" {
  source = "../../modules/logging"
  name   = local.name
  tags   = local.tags
}
module "alarms" {
  source         = "../../modules/alarms"
  log_group_name = module.logging.log_group_name
  emails         = var.emails
  filters = {
    cloudtrail_changes = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
    root_usage         = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    console_no_mfa     = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }"
    iam_changes        = "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)}"
    vpc_changes        = "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) }"
  }
}
module "bucket" {
  source = "../../modules/bucket"
  name   = "${local.name}-data"
}
resource "aws_sqs_queue" "events" {
  name                      = "${local.name}-events"
  message_retention_seconds = 86400
  tags                      = local.tags
}
resource "aws_kms_key" "data" {
  description             = "data key for ${local.name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}
module "iam" {
  source     = "../../modules/iam"
  name       = local.name
  users      = ["dev", "ops"]
  bucket_arn = "arn:aws:s3:::${local.name}-data"
}
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 14
  require_symbols           = true
  password_reuse_prevention = 24
  max_password_age          = 90
}
