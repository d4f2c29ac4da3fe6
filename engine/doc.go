// Package engine runs rules over an inventory and produces findings: every
// (rule, entity) pair the rule's target and where clause select gets exactly
// one Result, and data that could not be collected gives ERROR, never PASS.
package engine
