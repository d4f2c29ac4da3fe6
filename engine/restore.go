package engine

import (
	"fmt"
	"slices"
	"strings"

	"vigil/entity"
	"vigil/rules"
)

// An ERROR finding caused by failures of the inventory needs a different fix
// from the rule's: not how to change the resource, which may be fine, but how
// to get the data back so that the rule can be evaluated. restoreFix writes
// it from the failures, in the order they come, each kind of step once:
//
//	access denied        allow the IAM actions to the identity vigil runs as
//	region not enabled   enable the regions, or leave them out of the scan
//	throttled, timed out scan again later, or with more attempts
//	file not parsed      repair the file at file:line:col
//	file not read        make the file readable, or leave it out
//
// A failure vigil knows no step for (a count known only after apply, an
// AWS error of another kind) adds nothing: its message says what happened.

// restoreFix is the fix of an ERROR finding whose data the failures took:
// the steps that restore the data, in the console form (the only one), or
// none when vigil knows no step for any of them.
func restoreFix(fs []entity.Failure) rules.Remediation {
	var denied, disabled []string
	var steps []string
	add := func(list *[]string, s string) {
		if !slices.Contains(*list, s) {
			*list = append(*list, s)
		}
	}
	for _, f := range fs {
		switch {
		case f.Kind == entity.FailureParse:
			add(&steps, fmt.Sprintf("Repair %s, which does not parse, then scan again.", failedFile(f)))
		case f.Kind == entity.FailureRead:
			add(&steps, fmt.Sprintf("Make %s readable (or leave it out of the scan), then scan again.", failedFile(f)))
		case f.File != "" && f.Call == "":
			// A collection failure about code (what exists only after
			// apply): nothing to restore.
		case f.Call == "" && f.Entity == "" && f.Attr == "" && f.Scope != "":
			add(&steps, fmt.Sprintf("Collect account %s again with this rule selected (vigil scan aws, or vigil collect aws -o FILE), so that its %s entities are read, then scan again.", f.Scope, f.Type))
		case errorSays(f.Error, "accessdenied", "access denied", "not authorized", "unauthorizedoperation",
			"unauthorizedaccess", "authorizationerror", "forbidden", "operationnotpermitted"):
			add(&denied, orPlaceholder(f.Call, "the failed call"))
		case errorSays(f.Error, "optinrequired", "unrecognizedclientexception", "invalidclienttokenid", "authfailure",
			"region is disabled", "not be enabled for this account", "not enabled for this account"):
			add(&disabled, orPlaceholder(f.Region, "the region the call was made in"))
		case errorSays(f.Error, "a region not scanned"):
			// A resource listed globally (an S3 bucket) that lives in a
			// region the scan did not cover.
			add(&steps, fmt.Sprintf("Scan the region %s too (with --region, or without --region to scan every enabled region), "+
				"enabling it for the account if it is not, then scan again.", orPlaceholder(f.Region, "the resource lives in")))
		case errorSays(f.Error, "throttl", "rate exceeded", "toomanyrequests", "gave up after", "timed out"):
			add(&steps, fmt.Sprintf("%s failed after vigil's retries: scan again later, or with a higher --max-attempts.", callIn(f)))
		}
	}
	var lead []string
	if len(denied) > 0 {
		lead = append(lead, fmt.Sprintf("Allow %s to the identity vigil runs as (docs/iam-policy.json lists every action vigil calls), then scan again.",
			joinPhrases(denied)))
	}
	if len(disabled) > 0 {
		regions := "the region " + joinPhrases(disabled)
		if len(disabled) > 1 {
			regions = "the regions " + joinPhrases(disabled)
		}
		lead = append(lead, fmt.Sprintf("Enable %s for the account, or leave %s out of the scan by naming the regions to scan with --region, then scan again.",
			regions, pronoun(len(disabled))))
	}
	return rules.Remediation{Console: strings.Join(slices.Concat(lead, steps), " ")}
}

// failedFile names the file of an input failure where its first error is:
// "infra/bad.tf:2:10".
func failedFile(f entity.Failure) string {
	return orPlaceholder(f.Location(), "an input")
}

// callIn names a failed call and its region: "logs:DescribeMetricFilters
// in us-east-1".
func callIn(f entity.Failure) string {
	s := orPlaceholder(f.Call, "An AWS call")
	if f.Region != "" {
		s += " in " + f.Region
	}
	return s
}

// errorSays reports whether the error text holds any of the words, ignoring
// case.
func errorSays(err string, words ...string) bool {
	err = strings.ToLower(err)
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(err, w) })
}

func orPlaceholder(s, placeholder string) string {
	if s == "" {
		return placeholder
	}
	return s
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
