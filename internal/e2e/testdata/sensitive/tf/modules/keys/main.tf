output "trail_name" {
  value     = "MARKER-sensitive-module-output"
  sensitive = true
}
