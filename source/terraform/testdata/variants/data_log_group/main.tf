# The log group belongs to the logging account and is only looked up here.
data "aws_cloudwatch_log_group" "org" {
  name = "org-cloudtrail"
}

resource "aws_iam_role" "trail" {
  name               = "org-trail-cloudwatch"
  assume_role_policy = file("${path.module}/trust.json")
}

locals {
  management_selectors = [
    { name = "Management events", category = "Management" },
  ]
}

# vigil:ignore:D9.TF.AWS.LOG.01 organisation trail, multi-region by org policy
resource "aws_cloudtrail" "org" {
  name                       = "org-trail"
  s3_bucket_name             = "acme-org-trail"
  is_organization_trail      = true
  cloud_watch_logs_group_arn = "${data.aws_cloudwatch_log_group.org.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  kms_key_id                 = "alias/cloudtrail" # vigil:ignore:CKV_AWS_35:exp:2020-01-01 key rotation pending

  dynamic "advanced_event_selector" {
    for_each = local.management_selectors
    iterator = sel
    content {
      name = sel.value.name
      field_selector {
        field  = "eventCategory"
        equals = [sel.value.category]
      }
    }
  }
}

resource "aws_cloudwatch_log_metric_filter" "trail_changes" {
  name           = "cloudtrail-changes"
  log_group_name = data.aws_cloudwatch_log_group.org.name
  pattern        = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"

  metric_transformation {
    name      = "CloudTrailChanges"
    namespace = "Security"
    value     = "1"
  }
}
