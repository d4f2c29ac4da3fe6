# The organisation's audit trail: multi-region, sent to CloudWatch Logs,
# with the CIS metric filter and alarm for trail configuration changes.
module "audit_trail" {
  source = "./modules/trail"

  name        = "org-audit"
  log_bucket  = var.log_bucket
  alarm_email = var.alarm_email
}

# A regional trail an application team added for its own debugging. It is
# neither multi-region nor sent to CloudWatch Logs.
# vigil:ignore:D9.TF.AWS.LOG.01:exp:2027-03-31 regional trail kept for the EU data residency review; org-audit covers all regions
resource "aws_cloudtrail" "app_debug" {
  name                  = "app-debug"
  s3_bucket_name        = var.log_bucket
  s3_key_prefix         = "app-debug"
  is_multi_region_trail = false
}

# A trail for a partner integration; its CloudWatch Logs role comes from a
# variable without a default, so whether it is set is only known at apply.
resource "aws_cloudtrail" "partner" {
  name                       = "partner-integration"
  s3_bucket_name             = var.log_bucket
  s3_key_prefix              = "partner"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.partner.arn}:*"
  cloud_watch_logs_role_arn  = var.partner_role_arn
}

resource "aws_cloudwatch_log_group" "partner" {
  name              = "cloudtrail/partner-integration"
  retention_in_days = 365
}
