# Trails with S3 data event selectors, written the ways people write them.

variable "read_write" {
  type = string # no default: known only when the plan is made
}

variable "buckets_prefix" {
  type    = string
  default = "arn:aws:s3"
}

resource "aws_s3_bucket" "logs" {
  bucket = "org-cloudtrail-logs"
}

# Every bucket's object writes, as the CIS remediation writes it.
resource "aws_cloudtrail" "writes" {
  name                  = "s3-writes"
  s3_bucket_name        = aws_s3_bucket.logs.id
  is_multi_region_trail = true

  event_selector {
    read_write_type           = "WriteOnly"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = [var.buckets_prefix]
    }
  }
}

# One bucket only, by reference: its ARN is known after apply, and which
# objects it selects is Unknown until then.
resource "aws_cloudtrail" "one_bucket" {
  name           = "one-bucket"
  s3_bucket_name = aws_s3_bucket.logs.id

  event_selector {
    read_write_type = "All"

    data_resource {
      type   = "AWS::S3::Object"
      values = ["${aws_s3_bucket.logs.arn}/"]
    }
  }
}

# Advanced selectors: management events, and every S3 object event.
resource "aws_cloudtrail" "advanced" {
  count                 = 2
  name                  = "advanced-${count.index}"
  s3_bucket_name        = aws_s3_bucket.logs.id
  is_multi_region_trail = true

  advanced_event_selector {
    name = "Management events"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }

  advanced_event_selector {
    name = "S3 objects"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
  }
}

# Reads only, for the objects of every bucket, with a read/write type the
# plan decides.
resource "aws_cloudtrail" "by_variable" {
  name           = "by-variable"
  s3_bucket_name = aws_s3_bucket.logs.id

  event_selector {
    read_write_type = var.read_write

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::"]
    }
  }
}

# Lambda data events only.
resource "aws_cloudtrail" "lambda" {
  name           = "lambda"
  s3_bucket_name = aws_s3_bucket.logs.id

  advanced_event_selector {
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::Lambda::Function"]
    }
  }
}
