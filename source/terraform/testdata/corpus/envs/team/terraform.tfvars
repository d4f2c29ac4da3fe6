prefix = "acme"
emails = ["secops@acme.example"]
tags = { Owner = "platform" }
