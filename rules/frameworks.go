package rules

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
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

// FrameworkVersion is one version of a compliance framework, as rules map
// to it ("CIS AWS Foundations" "3.0.0"; Version is empty for a framework
// without versions).
type FrameworkVersion struct {
	Name, Version string
}

// Of returns the framework version a reference belongs to.
func (f FrameworkRef) Of() FrameworkVersion {
	return FrameworkVersion{Name: f.Framework, Version: f.Version}
}

// String renders the version as users write it: "CIS AWS Foundations
// v3.0.0"; a version that does not start with a digit is not prefixed with
// "v" ("NIST 800-53 Rev 5").
func (k FrameworkVersion) String() string {
	switch {
	case k.Version == "":
		return k.Name
	case k.Version[0] >= '0' && k.Version[0] <= '9':
		return k.Name + " v" + k.Version
	}
	return k.Name + " " + k.Version
}

// names are the spellings a user may give the version, lower-case: "cis
// aws foundations v3.0.0" and "cis aws foundations 3.0.0".
func (k FrameworkVersion) names() []string {
	full := strings.ToLower(k.String())
	if k.Version == "" {
		return []string{full}
	}
	return []string{full, strings.ToLower(k.Name + " " + k.Version)}
}

// FrameworkVersions returns the framework versions the rules map to, sorted
// by name and version.
func FrameworkVersions(rs []*Rule) []FrameworkVersion {
	seen := map[FrameworkVersion]bool{}
	var out []FrameworkVersion
	for _, r := range rs {
		for _, ref := range r.Frameworks {
			if k := ref.Of(); !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	slices.SortFunc(out, func(a, b FrameworkVersion) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return compareDotted(a.Version, b.Version)
	})
	return out
}

// MatchFrameworks returns the versions among known that query names. Case
// and runs of spaces do not matter, and the version may be written with or
// without "v". A query that names one version exactly ("CIS AWS
// Foundations 3.0.0", "hipaa") matches that one; otherwise it matches
// every version whose name it begins ("cis" matches every version of "CIS
// AWS Foundations" and of "CIS Controls", "cis aws foundations 3" only
// v3.0.0). An empty query matches nothing.
func MatchFrameworks(query string, known []FrameworkVersion) []FrameworkVersion {
	q := strings.ToLower(strings.Join(strings.Fields(query), " "))
	if q == "" {
		return nil
	}
	var prefixed []FrameworkVersion
	for _, k := range known {
		names := k.names()
		if slices.Contains(names, q) {
			return []FrameworkVersion{k}
		}
		if slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, q) }) {
			prefixed = append(prefixed, k)
		}
	}
	return prefixed
}

// ResolveFramework returns the one version among known that query names
// (see MatchFrameworks). A query that names none, or several, is an error
// that lists the candidates.
func ResolveFramework(query string, known []FrameworkVersion) (FrameworkVersion, error) {
	matches := MatchFrameworks(query, known)
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		if len(known) == 0 {
			return FrameworkVersion{}, fmt.Errorf("unknown framework %q: no rule maps to any framework", query)
		}
		return FrameworkVersion{}, fmt.Errorf("unknown framework %q (the rules map to %s)", query, quoteVersions(known))
	}
	return FrameworkVersion{}, fmt.Errorf("framework %q is ambiguous: it could be %s; name one", query, quoteVersions(matches))
}

func quoteVersions(ks []FrameworkVersion) string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = fmt.Sprintf("%q", k.String())
	}
	return strings.Join(out, ", ")
}

// compareDotted orders dotted versions ("1.10.0" after "1.2.0"): numeric
// parts compare as numbers, other parts as text.
func compareDotted(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		an, aerr := strconv.Atoi(as[i])
		bn, berr := strconv.Atoi(bs[i])
		var c int
		if aerr == nil && berr == nil {
			c = cmp.Compare(an, bn)
		} else {
			c = strings.Compare(as[i], bs[i])
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Or(cmp.Compare(len(as), len(bs)), strings.Compare(a, b))
}
