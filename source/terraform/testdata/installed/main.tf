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
  region = "eu-west-1"
}

# A registry module, installed by terraform init under .terraform/modules/trail.
module "trail" {
  source  = "acme-corp/cloudtrail/aws"
  version = "2.1.0"

  name           = "org-main"
  s3_bucket_name = "acme-org-cloudtrail-logs"
  multi_region   = false
}

# A git module that calls a registry module of its own (key "audit.alarms").
module "audit" {
  source = "git::https://github.com/acme-corp/terraform-aws-audit.git?ref=v1.4.0"

  log_group_name = module.trail.log_group_name
  alarm_email    = "security@example.com"
}

# Declared after the last terraform init: not installed.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"

  name = "main"
  cidr = "10.0.0.0/16"
}

output "trail_arn" {
  value = module.trail.trail_arn
}
