package entity

import (
	"fmt"
	"strings"
)

// Entity is one thing a rule can be about.
type Entity struct {
	// Type is the GSL entity name: "CloudTrail", "aws_cloudtrail".
	Type string `json:"type"`
	// ID identifies the entity within its scope: an ARN for live resources, a
	// Terraform address such as "module.trail.aws_cloudtrail.this[0]" for code.
	ID string `json:"id"`
	// Name is the resource's own name, for display.
	Name string `json:"name,omitempty"`
	// Scope is the ID of the Scope the entity belongs to: an AWS account ID or
	// a Terraform root module's directory.
	Scope string `json:"scope,omitempty"`
	// Region is the AWS region the entity lives in, when it has one.
	Region string `json:"region,omitempty"`
	// Origin says where the entity was read from.
	Origin Origin `json:"origin,omitzero"`
	// Attrs holds the entity's attributes (see the package documentation for
	// the value types).
	Attrs map[string]any `json:"attrs"`
	// Suppressions are inline "vigil:ignore" comments found in the code that
	// declares the entity.
	Suppressions []Suppression `json:"suppressions,omitempty"`
}

// Suppression is an inline comment in code that excludes one rule for one
// entity: "# vigil:ignore:D9.TF.AWS.LOG.01:exp:2027-01-31 reason".
type Suppression struct {
	// Rule is the rule ID the comment names.
	Rule string `json:"rule"`
	// Reason is the text after the directive.
	Reason string `json:"reason,omitempty"`
	// Expires is the last day the suppression applies, as YYYY-MM-DD; empty
	// for never. After that day it no longer applies and is reported.
	Expires string `json:"expires,omitempty"`
	// Source is where the comment is: "main.tf:12".
	Source string `json:"source"`
}

// Origin says where an entity came from: a range of a file for
// infrastructure as code, or the API calls that produced a live entity.
type Origin struct {
	// File is the path of the file that declares the entity, as given to the
	// source (relative paths stay relative).
	File string `json:"file,omitempty"`
	// Start and End delimit the declaring block; End is inclusive of the last
	// line. Both are zero for live entities.
	Start Pos `json:"start,omitzero"`
	End   Pos `json:"end,omitzero"`
	// API lists the calls a live entity was built from, as "service:Action".
	API []string `json:"api,omitempty"`
}

// Pos is a position in a file: Line and Col both count from 1; Col counts
// characters (Unicode code points).
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"col"`
}

// IsZero reports whether the origin carries no information.
func (o Origin) IsZero() bool {
	return o.File == "" && o.Start == (Pos{}) && o.End == (Pos{}) && len(o.API) == 0
}

// String renders the origin as "file:line:col" for code, or the API calls
// joined by commas for live entities.
func (o Origin) String() string {
	if o.File != "" {
		if o.Start.Line > 0 {
			return fmt.Sprintf("%s:%d:%d", o.File, o.Start.Line, o.Start.Col)
		}
		return o.File
	}
	return strings.Join(o.API, ", ")
}

// Lookup returns the attribute at a dotted path ("status.isLogging"), and
// whether every step of the path existed. It does not walk into lists.
func (e *Entity) Lookup(path string) (any, bool) {
	var cur any = e.Attrs
	for part := range strings.SplitSeq(path, ".") {
		var ok bool
		switch x := cur.(type) {
		case map[string]any:
			cur, ok = x[part]
		case *Object:
			cur, ok = x.Get(part)
		}
		if !ok {
			return nil, false
		}
	}
	return cur, true
}
