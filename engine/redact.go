package engine

import (
	"slices"

	"vigil/entity"
)

// redact removes the inventory's sensitive values from everything a run
// shows: the findings' messages, traces, unknowns and fixes, and the
// failures. Rules
// were evaluated on the values themselves; only what people read changes.
// An inventory without secrets costs nothing.
func redact(run *Run, secrets *entity.Secrets) {
	if secrets.Len() == 0 {
		return
	}
	for _, f := range run.Findings {
		f.Message = secrets.Redact(f.Message)
		f.Explanation = secrets.Redact(f.Explanation)
		if len(f.Trace) > 0 {
			// Trace lines may be shared with other findings: redact a copy.
			f.Trace = slices.Clone(f.Trace)
			secrets.RedactAll(f.Trace)
		}
		if len(f.Unknowns) > 0 {
			f.Unknowns = slices.Clone(f.Unknowns)
			secrets.RedactAll(f.Unknowns)
		}
		f.Remediation.Console = secrets.Redact(f.Remediation.Console)
		f.Remediation.CLI = secrets.Redact(f.Remediation.CLI)
		f.Remediation.Terraform = secrets.Redact(f.Remediation.Terraform)
	}
	if len(run.Failures) > 0 {
		run.Failures = slices.Clone(run.Failures)
		for i := range run.Failures {
			run.Failures[i].Error = secrets.Redact(run.Failures[i].Error)
		}
	}
}
