package engine

import (
	"fmt"
	"strings"
	"vigil/entity"
)

// Missing data never passes. A failure of the inventory (data not
// collected, a file not read or parsed) that a rule needs turns the rule's
// result for that entity or scope into ERROR with the reason: these are
// the rules that decide which failures a rule needs, and what its ERROR
// says.

// evaluateEmpty reports whether a List<E> rule is evaluated on a scope that
// has no E (gsl-spec.md §7.29): a live account has none of E, so the rule
// is evaluated with no items; code is not the whole account, so a Terraform
// module without E makes the rule not applicable. Native Terraform types
// (aws_cloudtrail) never exist in live accounts, and a scope of unknown
// kind proves nothing, so neither is evaluated empty.
func evaluateEmpty(scope entity.Scope, typ string) bool {
	if scope.Kind == "" || scope.Kind == entity.ScopeTerraformModule {
		return false
	}
	return !isNativeType(typ)
}

// notCollected returns, for an account whose inventory says which entity
// types were looked for and does not list typ, the failure that stands
// for the missing list: a rule on typ cannot pass, nor fail, on entities
// nobody looked for (a snapshot taken by an older vigil, or with other
// rules). It returns nil when typ was collected, or the scope does not say.
func notCollected(scope entity.Scope, typ string) []entity.Failure {
	if scope.Kind != entity.ScopeAWSAccount || scope.Collected(typ) || isNativeType(typ) {
		return nil
	}
	return []entity.Failure{{Type: typ, Scope: scope.ID,
		Error: fmt.Sprintf("the inventory of account %s does not hold %s: only %s were collected", scope.ID, typ, strings.Join(scope.Types, ", "))}}
}

// isNativeType reports whether typ is a Terraform resource type such as
// "aws_cloudtrail" rather than a normalised cloud entity ("CloudTrail").
func isNativeType(typ string) bool {
	return typ != "" && typ[0] >= 'a' && typ[0] <= 'z' && strings.Contains(typ, "_")
}

// entityFailures returns the collection failures that leave the rule
// without data it reads for entity e. A failure to list entities is not
// one of them: some entities may be missing, which run reports once for
// the scope, but those that were listed are whole.
func (c *compiledRule) entityFailures(failures []entity.Failure, e *entity.Entity) []entity.Failure {
	var out []entity.Failure
	for _, f := range failures {
		if f.Scope != "" && f.Scope != e.Scope || isListFailure(f) {
			continue
		}
		// A failure that names its entity is about that entity wherever
		// the failed call was made: a trail's log group may live in
		// another region than the trail. Otherwise its region, when set,
		// bounds which entities it affects.
		if f.Entity != "" {
			if f.Entity != e.ID {
				continue
			}
		} else if f.Region != "" && e.Region != "" && f.Region != e.Region {
			continue
		}
		if !c.needs(f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// scopeFailures returns the failures that leave a List<E> rule without data
// for one scope.
func (c *compiledRule) scopeFailures(failures []entity.Failure, scope string) []entity.Failure {
	var out []entity.Failure
	for _, f := range failures {
		if f.Scope != "" && f.Scope != scope {
			continue
		}
		if !c.needs(f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// needs reports whether the rule reads what failure f is about: the
// entities themselves, any attribute, or an attribute the rule reads.
func (c *compiledRule) needs(f entity.Failure) bool {
	return f.Attr == "" || f.Attr == entity.AnyAttr || c.reads[f.Attr]
}

// isListFailure reports whether f says that entities may be missing, rather
// than data of the entities that were read.
func isListFailure(f entity.Failure) bool { return f.Attr == "" && f.Entity == "" }

// listFailures groups the failures to list entities by scope, in the order
// of their first failure.
func listFailures(failures []entity.Failure) [][]entity.Failure {
	var out [][]entity.Failure
	at := map[string]int{}
	for _, f := range failures {
		if !isListFailure(f) {
			continue
		}
		i, ok := at[f.Scope]
		if !ok {
			i = len(out)
			at[f.Scope] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], f)
	}
	return out
}

// errorMessage says what the failures leave the rule without, and why.
func errorMessage(fs []entity.Failure) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		what, verb := f.Type, "was not collected"
		switch {
		case f.Attr == entity.AnyAttr:
			what = "any value"
		case f.Attr != "":
			what += "." + f.Attr
		case f.Entity == "" && f.Type == entity.AnyType:
			what = "the list of every entity type"
		case f.Entity == "":
			what = "the " + f.Type + " list"
		}
		if f.IsInput() {
			verb = "may be incomplete"
			if f.Attr == entity.AnyAttr {
				verb = "may be wrong"
			}
		}
		parts[i] = fmt.Sprintf("%s %s: %s", what, verb, f)
	}
	return strings.Join(parts, "; ")
}

// errorFinding is the ERROR finding of an entity (nil for a scope) whose
// data the failures took, with the steps that restore the data as its fix.
func (c *compiledRule) errorFinding(ex *excluder, e *entity.Entity, scope entity.Scope, fs []entity.Failure) *Finding {
	f := c.finding(ex, e, scope, Error, errorMessage(fs), nil)
	f.Remediation = restoreFix(fs)
	return f
}
