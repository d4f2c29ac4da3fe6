output "trail_arn" {
  value = module.trail.trail_arn
}
