package engine

import (
	"testing"

	"vigil/gsl"
)

// TestUnderAnother: a clause under another deciding clause's path adds
// nothing to a message (a missing password policy explains its length).
func TestUnderAnother(t *testing.T) {
	clauses := []gsl.Clause{{Path: "passwordPolicy"}, {Path: "passwordPolicy.minPasswordLength"}, {Path: "passwordPolicyX"}}
	for path, want := range map[string]bool{
		"passwordPolicy":                   false,
		"passwordPolicy.minPasswordLength": true,
		"passwordPolicyX":                  false,
		"passwordPolicyX.y":                true,
		"other":                            false,
	} {
		if got := underAnother(path, clauses); got != want {
			t.Errorf("underAnother(%q) = %v, want %v", path, got, want)
		}
	}
}
