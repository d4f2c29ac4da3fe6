// Package engine runs rules over an inventory and produces findings: every
// (rule, entity) pair the rule's target and where clause select gets exactly
// one Result, and data that could not be collected gives ERROR, never PASS.
//
// Compile compiles each rule once into a Plan; Plan.Run evaluates the plan
// on an inventory, rules in parallel, and returns a Run:
//
//   - A rule on E is evaluated on every entity of type E. An entity its where
//     clause filters out is counted in Run.NotRelevant, not reported.
//   - A List<E> rule is evaluated once per scope on {"items": [...]}. A live
//     account without any E is evaluated with no items (an account with no
//     trail fails a rule asking for one); a Terraform module without E, or
//     a native Terraform type (aws_cloudtrail) missing from a scope, makes
//     the rule not applicable there, since code is not the whole account.
//   - A failure of the inventory (entity.Failure: a collection that failed,
//     a file that could not be read or parsed) that covers what a rule
//     reads makes the finding ERROR with the failure's message: the
//     failure's type is the rule's target (or "*", any type), it is in the
//     entity's scope and region, and its attribute is one the rule reads
//     (or "*", any attribute). For a List<E> rule any such failure in the
//     scope does, as does a failure to list E.
//   - A failure to list the entities of a type in a scope or region (no
//     attribute, no entity) means some may be missing: it gives one ERROR
//     finding for that scope, even one with no E, so that missing entities
//     never read as a clean account; the entities that were listed keep
//     their own results.
//   - A rule with a Terraform twin (Options.Twins: VIGIL.AWS.LOG.02 on the
//     normalised CloudTrail, D9.TF.AWS.LOG.03 on aws_cloudtrail) reports
//     nothing on an entity its twin has a finding on: Terraform code gives
//     both entities of a trail the same ID, so the trail is reported once,
//     by the rule that judges the code as written.
//   - Rules with no finding at all are listed in Run.NotApplicable.
//   - Exclusions (exclusion files, see ExclusionRule, and inline vigil:ignore
//     suppressions on entities) turn a finding into EXCLUDED, keeping its
//     underlying result; once past their expiry date they stop applying and
//     are listed in Run.ExpiredExclusions.
//
// Findings are sorted by rule ID, scope and entity ID. FAIL, UNKNOWN and
// ERROR findings carry a message in plain words and the evaluation's
// explanation; FAIL and UNKNOWN the rule's remediation rendered for the
// entity, an ERROR caused by failures of the inventory the steps that
// restore the data (Finding.Remediation).
package engine
