# The same configuration as ../json/main.tf.json, in native syntax.
variable "queries" {
  default = {
    errors   = { namespace = "AWS/Lambda", metrics = ["Errors", "Throttles"] }
    requests = { namespace = "AWS/ApiGateway", metrics = ["5XXError"] }
  }
}

variable "extra_selectors" {
  type = list(string)
}

locals {
  management = [
    { name = "Management events", category = "Management" },
    { name = "S3 data events", category = "Data" },
  ]
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"

  dynamic "advanced_event_selector" {
    for_each = local.management
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

resource "aws_cloudtrail" "extra" {
  name           = "extra"
  s3_bucket_name = "acme-trail"

  dynamic "event_selector" {
    for_each = var.extra_selectors
    content {
      read_write_type = event_selector.value
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "composite" {
  alarm_name = "composite"

  dynamic "metric_query" {
    for_each = var.queries
    content {
      id = metric_query.key
      dynamic "metric" {
        for_each = metric_query.value.metrics
        iterator = m
        content {
          metric_name = m.value
          namespace   = metric_query.value.namespace
          stat        = "Sum-${m.key}"
        }
      }
    }
  }
}
