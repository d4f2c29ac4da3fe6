package rules

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// CISAWSFoundations is the name rule files give the CIS Amazon Web Services
// Foundations Benchmark.
const CISAWSFoundations = "CIS AWS Foundations"

// CISVersions are the versions of the CIS AWS Foundations Benchmark that
// rule files may name.
var CISVersions = []string{"1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "2.0.0", "3.0.0",
	"4.0.0", "5.0.0", "6.0.0", "7.0.0"}

// cisControl is a CIS recommendation number: section.item, optionally with a
// sub-item ("2.1.1").
var cisControl = regexp.MustCompile(`^[1-9][0-9]?(\.[0-9]{1,2}){1,2}$`)

// Validate checks a framework reference: a framework name is required; a
// CIS AWS Foundations reference needs a known version and a control number.
func (f FrameworkRef) Validate() error {
	if strings.TrimSpace(f.Framework) == "" {
		return errors.New("a framework reference needs a framework name")
	}
	if f.Framework != CISAWSFoundations {
		if strings.EqualFold(f.Framework, CISAWSFoundations) {
			return fmt.Errorf("framework %q: write the CIS benchmark as %q", f.Framework, CISAWSFoundations)
		}
		return nil
	}
	if !slices.Contains(CISVersions, f.Version) {
		return fmt.Errorf("%s version %q is not one of %s", CISAWSFoundations, f.Version, strings.Join(CISVersions, ", "))
	}
	if !cisControl.MatchString(f.Control) {
		return fmt.Errorf("%s %s: control %q is not a recommendation number such as \"3.5\"", CISAWSFoundations, f.Version, f.Control)
	}
	return nil
}

// String renders the reference as "CIS AWS Foundations 3.0.0 4.5".
func (f FrameworkRef) String() string {
	return strings.Join(slices.DeleteFunc([]string{f.Framework, f.Version, f.Control},
		func(s string) bool { return s == "" }), " ")
}

// Matches reports whether the reference belongs to the framework a user
// named: a case-insensitive match of the start of "framework version"
// ("cis", "CIS AWS Foundations 3.0.0", "hipaa").
func (f FrameworkRef) Matches(query string) bool {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return true
	}
	full := strings.ToLower(f.Framework + " " + f.Version)
	return strings.HasPrefix(full, q) || strings.Contains(strings.ToLower(f.Framework), q)
}
