terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

locals {
  common_tags = merge(var.tags, {
    Environment = var.environment
    ManagedBy   = "terraform"
  })
}

module "trail" {
  source = "./modules/trail"

  name               = "${var.org_prefix}-${var.environment}-trail"
  bucket_name        = "${var.org_prefix}-cloudtrail-logs"
  retention_in_days  = var.log_retention_days
  multi_region       = true
  tags               = local.common_tags
}

module "alarms" {
  source = "./modules/alarms"

  log_group_name      = module.trail.log_group_name
  namespace           = "CISBenchmark"
  security_queue_arn  = aws_sqs_queue.security.arn
  notification_emails = var.security_emails
  tags                = local.common_tags
}

resource "aws_sqs_queue" "security" {
  name = "${var.org_prefix}-security-alerts"
  tags = local.common_tags
}
