package engine

import (
	"time"

	"vigil/entity"
	"vigil/rules"
)

// Result is the outcome of one rule on one entity (or, for List<E> rules, on
// one scope).
type Result string

// Results, as DESIGN.md defines them.
const (
	Pass    Result = "PASS"
	Fail    Result = "FAIL"
	Unknown Result = "UNKNOWN"
	Error   Result = "ERROR"
	// Excluded is reported instead of the underlying result when an exclusion
	// or suppression comment matched; Finding.Underlying keeps that result.
	Excluded Result = "EXCLUDED"
	// NotRelevant is the result of an entity a rule's where clause filters
	// out. Findings have it only with Options.NotRelevant: otherwise such
	// entities are only counted (Run.NotRelevant).
	NotRelevant Result = "NOT_RELEVANT"
)

// Finding is one result of one rule on one entity or scope.
type Finding struct {
	Rule *rules.Rule
	// Result is what the report shows; for an excluded finding it is
	// Excluded and Underlying holds what the rule gave.
	Result     Result
	Underlying Result
	// Entity is the entity the finding is about. For a List<E> rule it is
	// nil and Scope names the scope; it is also nil for the ERROR finding of
	// a scope whose entities could not all be listed.
	Entity *entity.Entity
	Scope  string
	// Message says in plain words what the finding is: the rule's message
	// (rules.Message) filled in for the entity or scope, with what decided
	// the result; for ERROR, what could not be checked and why. A rule
	// without a message gives the Explanation.
	Message string
	// Explanation is the one-line GSL explanation: for FAIL and UNKNOWN
	// the sub-expressions that decided the result with their values, for
	// ERROR the reason (the failed API call or the evaluation error).
	Explanation string
	// Related are the entities the message of a List<E> finding names
	// (the closest elements), so that reports can point at them.
	Related []*entity.Entity
	// Trace lists the explanation's lines in full, outermost first.
	Trace []string
	// Unknowns lists the unknown values that decided the result, each
	// with why it is unknown ("cloud_watch_logs_role_arn: unknown (maybe
	// null: ...)"); empty when none did.
	Unknowns []string
	// Remediation is the fix. For FAIL and UNKNOWN it is the rule's
	// remediation rendered for the entity or scope. For an ERROR caused by
	// failures of the inventory it is instead how to restore the data, in
	// Console alone: the IAM actions to allow the identity vigil runs as,
	// the regions to enable or leave out of the scan, the input file to
	// repair at file:line:col, or to scan again later when AWS throttled;
	// it is empty when vigil knows no such step (a count known only after
	// apply) and for an ERROR of the evaluation itself. PASS findings need
	// no fix and have none.
	Remediation rules.Remediation
	// Exclusion is set when Result is Excluded.
	Exclusion *Exclusion
}

// Exclusion records why a finding was excluded.
type Exclusion struct {
	// Reason is the author's reason, as written.
	Reason string
	// Expires is when the exclusion stops applying; zero for never.
	Expires time.Time
	// Source names where it was declared: "exclusions.yaml:12" or
	// "main.tf:4 (vigil:ignore comment)".
	Source string
}

// Run is the output of one scan: every finding, the rules that applied to no
// entity, and counts.
type Run struct {
	// Started is the scan's "now" (also what date functions compare with).
	Started time.Time
	Scopes  []entity.Scope
	// Findings in a stable order: by rule ID, then scope, then entity ID.
	Findings []*Finding
	// NotApplicable lists rules that had no relevant entity in any scope.
	NotApplicable []*rules.Rule
	// NotRelevant counts, per rule ID, the entities a rule's where clause
	// filtered out.
	NotRelevant map[string]int
	// ExpiredExclusions lists exclusions whose expiry date has passed; they
	// no longer apply.
	ExpiredExclusions []Exclusion
	// Failures are the inventories' failures (data not collected, files
	// not read or parsed), for reports; a caller adds those of the inputs
	// that gave no inventory at all.
	Failures []entity.Failure
}
