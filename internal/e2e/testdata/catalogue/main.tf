# Trails that use the parts of aws_cloudtrail the examples leave out, so
# that TestCatalogueMatchesSources sees every field code can give a
# CloudTrail: tags, data resources, and advanced selectors with every kind
# of field condition.

resource "aws_cloudtrail" "data_events" {
  name           = "data-events"
  s3_bucket_name = "acme-trail"
  tags = {
    team = "security"
  }

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}

resource "aws_cloudtrail" "advanced" {
  name           = "advanced"
  s3_bucket_name = "acme-trail"

  advanced_event_selector {
    name = "Writes, but not to the log bucket"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field           = "resources.ARN"
      starts_with     = ["arn:aws:s3:::acme-"]
      not_starts_with = ["arn:aws:s3:::acme-trail/"]
      ends_with       = [".csv"]
      not_ends_with   = [".tmp"]
      not_equals      = ["arn:aws:s3:::acme-public/index.csv"]
    }
  }
}
