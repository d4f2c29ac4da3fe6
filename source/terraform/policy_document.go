package terraform

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// Most IAM policies in Terraform are written with the
// aws_iam_policy_document data source and read as its json attribute. The
// AWS provider computes that attribute from the data source's arguments
// alone, without calling AWS, so vigil computes it too: a reference to
// data.aws_iam_policy_document.x.json reads the document its statement
// blocks describe, as the provider would write it, rather than an
// Unknown. A document built from a value known only after apply (a
// bucket's ARN) is Unknown, with that value's reason.

// computedAttributes lists, by data source type, the attributes vigil
// computes from the data source's arguments (see instanceObject).
var computedAttributes = map[string]map[string]func(addr string, attrs bodyValues) cty.Value{
	"aws_iam_policy_document": {
		"json":          func(addr string, attrs bodyValues) cty.Value { return policyDocumentJSON(addr, attrs, false) },
		"minified_json": func(addr string, attrs bodyValues) cty.Value { return policyDocumentJSON(addr, attrs, true) },
	},
}

func init() {
	for _, b := range []string{"statement", "principals", "not_principals", "condition"} {
		jsonBlockTypes[b] = true
	}
}

// policyDocumentJSON returns the json (or, when minified, the
// minified_json) attribute of the aws_iam_policy_document at addr, whose
// arguments and blocks are attrs. The value carries the marks of what it
// was built from: the resources it references, and sensitivity.
func policyDocumentJSON(addr string, attrs bodyValues, minified bool) cty.Value {
	plain, pvm := attrs.object().UnmarkDeepWithPaths()
	marks := cty.ValueMarks{}
	for _, p := range pvm {
		for m := range p.Marks {
			marks[m] = struct{}{}
		}
	}
	if !plain.IsWhollyKnown() {
		why := reasonMark("the policy document " + addr + " is built from values known only after apply")
		return unknownString.WithMarks(marks, cty.NewValueMarks(why))
	}
	doc, err := buildPolicyDocument(plain)
	if err != nil {
		return notComputed(fmt.Sprintf("the policy document %s cannot be built: %s", addr, err)).WithMarks(marks)
	}
	var text []byte
	if minified {
		text, err = json.Marshal(doc)
	} else {
		text, err = json.MarshalIndent(doc, "", "  ")
	}
	if err != nil {
		return notComputed(fmt.Sprintf("the policy document %s cannot be written: %s", addr, err)).WithMarks(marks)
	}
	return cty.StringVal(string(text)).WithMarks(marks)
}

// policyDocument is an IAM policy document as the provider writes it:
// Version, Id and Statement, in that order.
type policyDocument struct {
	Version    string `json:",omitempty"`
	ID         string `json:"Id,omitempty"`
	Statements []any  `json:"Statement"`
}

// policyStatement is one statement built from a statement block, its keys
// in the order the provider writes them. The provider writes Sid even when
// it is empty.
type policyStatement struct {
	Sid          string
	Effect       string         `json:",omitempty"`
	Actions      any            `json:"Action,omitempty"`
	NotActions   any            `json:"NotAction,omitempty"`
	Resources    any            `json:"Resource,omitempty"`
	NotResources any            `json:"NotResource,omitempty"`
	Principal    any            `json:",omitempty"`
	NotPrincipal any            `json:",omitempty"`
	Condition    map[string]any `json:",omitempty"`
}

// policyArgs is what the data source's arguments decode to.
type policyArgs struct {
	Version   *string               `json:"version"`
	PolicyID  *string               `json:"policy_id"`
	Sources   []*string             `json:"source_policy_documents"`
	Overrides []*string             `json:"override_policy_documents"`
	Statement []policyStatementArgs `json:"statement"`
}

// policyStatementArgs is what one statement block decodes to.
type policyStatementArgs struct {
	Sid           *string         `json:"sid"`
	Effect        *string         `json:"effect"`
	Actions       []string        `json:"actions"`
	NotActions    []string        `json:"not_actions"`
	Resources     []string        `json:"resources"`
	NotResources  []string        `json:"not_resources"`
	Principals    []principalArgs `json:"principals"`
	NotPrincipals []principalArgs `json:"not_principals"`
	Conditions    []conditionArgs `json:"condition"`
}

type principalArgs struct {
	Type        string   `json:"type"`
	Identifiers []string `json:"identifiers"`
}

type conditionArgs struct {
	Test     string   `json:"test"`
	Variable string   `json:"variable"`
	Values   []string `json:"values"`
}

// buildPolicyDocument builds the document the data source's arguments,
// plain (known and unmarked), describe: the statements of
// source_policy_documents, then its own statement blocks, then those of
// override_policy_documents, a later statement replacing an earlier one
// with the same non-empty Sid, as the provider merges them.
func buildPolicyDocument(plain cty.Value) (*policyDocument, error) {
	raw, err := ctyjson.Marshal(plain, plain.Type())
	if err != nil {
		return nil, err
	}
	var args policyArgs
	if err := json.Unmarshal(raw, &args); err != nil {
		return nil, fmt.Errorf("its arguments are not what the provider takes: %w", err)
	}
	doc := &policyDocument{}
	for i, src := range args.Sources {
		if src == nil {
			continue
		}
		if err := doc.mergeJSON(*src); err != nil {
			return nil, fmt.Errorf("source_policy_documents[%d]: %w", i, err)
		}
	}
	own := &policyDocument{Version: "2012-10-17"}
	if args.Version != nil {
		own.Version = *args.Version
	}
	if args.PolicyID != nil {
		own.ID = *args.PolicyID
	}
	for _, st := range args.Statement {
		own.Statements = append(own.Statements, st.statement())
	}
	doc.merge(own)
	for i, o := range args.Overrides {
		if o == nil {
			continue
		}
		if err := doc.mergeJSON(*o); err != nil {
			return nil, fmt.Errorf("override_policy_documents[%d]: %w", i, err)
		}
	}
	if doc.Statements == nil {
		doc.Statements = []any{}
	}
	return doc, nil
}

// statement builds the statement of one block: effect Allow by default, a
// list of one value written as that value, a longer one in reverse order
// (the provider's sets), and &{…} written as the policy variable ${…}.
func (a policyStatementArgs) statement() *policyStatement {
	st := &policyStatement{Effect: "Allow"}
	if a.Sid != nil {
		st.Sid = *a.Sid
	}
	if a.Effect != nil {
		st.Effect = *a.Effect
	}
	st.Actions = stringSet(a.Actions, false)
	st.NotActions = stringSet(a.NotActions, false)
	st.Resources = stringSet(a.Resources, true)
	st.NotResources = stringSet(a.NotResources, true)
	st.Principal = principals(a.Principals)
	st.NotPrincipal = principals(a.NotPrincipals)
	if len(a.Conditions) > 0 {
		st.Condition = map[string]any{}
		for _, c := range a.Conditions {
			vars, _ := st.Condition[c.Test].(map[string]any)
			if vars == nil {
				vars = map[string]any{}
				st.Condition[c.Test] = vars
			}
			values := make([]string, len(c.Values))
			for i, v := range c.Values {
				values[i] = policyVariables.Replace(v)
			}
			vars[c.Variable] = joinValues(vars[c.Variable], values)
		}
	}
	return st
}

// policyVariables turns &{…}, how a policy document data source writes an
// IAM policy variable so that Terraform does not read it, into ${…}.
var policyVariables = strings.NewReplacer("&{", "${")

// stringSet returns a set argument as the provider writes it: nil when
// empty, the one value, or the values without repeats in reverse order.
func stringSet(values []string, variables bool) any {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if variables {
			v = policyVariables.Replace(v)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// principals returns principals blocks as a Principal element: "*" for
// the principal of type "*", else each type's identifiers by type.
func principals(ps []principalArgs) any {
	if len(ps) == 0 {
		return nil
	}
	out := map[string]any{}
	for _, p := range ps {
		if p.Type == "*" {
			return "*"
		}
		ids := make([]string, len(p.Identifiers))
		for i, id := range p.Identifiers {
			ids[i] = policyVariables.Replace(id)
		}
		out[p.Type] = joinValues(out[p.Type], ids)
	}
	for k, v := range out {
		if list, ok := v.([]string); ok {
			out[k] = stringSet(list, false)
		}
	}
	return out
}

// joinValues adds values to what an element already holds (nil, a string
// or a list), giving one value as a string.
func joinValues(have any, values []string) any {
	var all []string
	switch h := have.(type) {
	case string:
		all = append(all, h)
	case []string:
		all = append(all, h...)
	}
	all = append(all, values...)
	if len(all) == 1 {
		return all[0]
	}
	return all
}

// mergeJSON merges the policy document text into d.
func (d *policyDocument) mergeJSON(text string) error {
	var other struct {
		Version   string
		ID        string `json:"Id"`
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(text), &other); err != nil {
		return fmt.Errorf("not a policy document: %w", err)
	}
	doc := &policyDocument{Version: other.Version, ID: other.ID}
	var list []map[string]any
	if len(other.Statement) > 0 && other.Statement[0] == '{' {
		var one map[string]any
		if err := json.Unmarshal(other.Statement, &one); err != nil {
			return err
		}
		list = []map[string]any{one}
	} else if len(other.Statement) > 0 {
		if err := json.Unmarshal(other.Statement, &list); err != nil {
			return fmt.Errorf("its Statement is not a list of statements: %w", err)
		}
	}
	for _, st := range list {
		doc.Statements = append(doc.Statements, st)
	}
	d.merge(doc)
	return nil
}

// merge merges other into d: its Id, if any; the later Version; its
// statements, each replacing d's statement with the same non-empty Sid or
// else appended.
func (d *policyDocument) merge(other *policyDocument) {
	if other.ID != "" {
		d.ID = other.ID
	}
	if other.Version > d.Version {
		d.Version = other.Version
	}
	for _, st := range other.Statements {
		sid := statementSid(st)
		i := -1
		if sid != "" {
			i = slices.IndexFunc(d.Statements, func(s any) bool { return statementSid(s) == sid })
		}
		if i >= 0 {
			d.Statements[i] = st
		} else {
			d.Statements = append(d.Statements, st)
		}
	}
}

// statementSid returns the Sid of a statement of either origin.
func statementSid(st any) string {
	switch s := st.(type) {
	case *policyStatement:
		return s.Sid
	case map[string]any:
		sid, _ := s["Sid"].(string)
		return sid
	}
	return ""
}
