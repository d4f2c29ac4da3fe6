org_prefix      = "acme"
environment     = "prod"
security_emails = ["secops@acme.example"]
tags = {
  Owner = "security"
}
