output "audit_trail_arn" {
  description = "ARN of the organisation's audit trail."
  value       = module.audit_trail.trail_arn
}
