package terraform

import (
	"slices"

	"vigil/entity"
)

// The IamRole mapping: each aws_iam_role gives an IamRole, with its trust
// policy decoded, the managed policies aws_iam_role_policy_attachment,
// aws_iam_policy_attachment and its own managed_policy_arns attach to it,
// and the inline policies of aws_iam_role_policy and its inline_policy
// blocks.
func init() {
	register(&mapping{
		typ:  "IamRole",
		from: []string{"aws_iam_role"},
		joined: []joinedType{
			{"aws_iam_role_policy_attachment", []string{"managedPolicies"}},
			{"aws_iam_policy_attachment", []string{"managedPolicies"}},
			{"aws_iam_policy", []string{"managedPolicies"}},
			{"aws_iam_role_policy", []string{"inlinePolicies"}},
		},
		blocks: []string{"inline_policy"},
		build:  (*graph).iamRole,
	})
}

// iamRole builds the IamRole attributes of the aws_iam_role in.
func (g *graph) iamRole(in *instance) map[string]any {
	x := g.iam()
	out := map[string]any{
		"id":                       arnOf(in),
		"arn":                      arnOf(in),
		"name":                     orKnownAfterApply(x.nameOf(in), in.addr, "name"),
		"path":                     pathOf(in),
		"roleId":                   orKnownAfterApply(in.attr("unique_id"), in.addr, "unique_id"),
		"createDate":               orKnownAfterApply(in.attr("create_date"), in.addr, "create_date"),
		"assumeRolePolicyDocument": policyDocumentOf(in.attr("assume_role_policy"), in.addr),
		"managedPolicies":          x.roleManagedPolicies(in),
		"inlinePolicies":           x.roleInlinePolicies(in),
	}
	fillLiveOnly("IamRole", out)
	return out
}

// roleManagedPolicies returns the managed policies attached to role r.
func (x *iamIndex) roleManagedPolicies(r *instance) any {
	var b listBuilder
	for _, a := range x.rolePolicyAttachments {
		t := x.refersTo(a.args["role"], r, "aws_iam_role", "the role of "+a.in.addr)
		b.add(t, func() any { return x.policyEntry(a.args["policy_arn"], a.in.addr) })
	}
	for _, a := range x.policyAttachments {
		t := x.refersTo(a.args["roles"], r, "aws_iam_role", "a role of "+a.in.addr)
		b.add(t, func() any { return x.policyEntry(a.args["policy_arn"], a.in.addr) })
	}
	arns, refs := r.attrRefs("managed_policy_arns")
	items, unknown := list(arns)
	if unknown != nil {
		b.add(triUnknown("the managed_policy_arns of "+r.addr+" are unknown: "+unknown.Reason), nil)
	}
	// An unknown ARN is that of a declared policy the list references
	// when there is one of each; else its name is unknown.
	var referenced []*instance
	for _, p := range x.policies {
		if slices.Contains(refs, p.addr) {
			referenced = append(referenced, p)
		}
	}
	unknowns := 0
	for _, v := range items {
		if entity.IsUnknown(v) {
			unknowns++
		}
	}
	for _, v := range items {
		arg := iamArg{v: v}
		if entity.IsUnknown(v) && unknowns == 1 && len(referenced) == 1 {
			arg.refs = []string{referenced[0].addr}
		}
		b.add(triTrue, func() any { return x.policyEntry(arg, r.addr) })
	}
	return b.value("the policies attached to the role")
}

// roleInlinePolicies returns the policies embedded in role r: its
// inline_policy blocks and the aws_iam_role_policy resources on it.
func (x *iamIndex) roleInlinePolicies(r *instance) any {
	var b listBuilder
	blocks, unknown := list(r.attr("inline_policy"))
	if unknown != nil {
		b.add(triUnknown("the inline_policy blocks of "+r.addr+" are unknown: "+unknown.Reason), nil)
	}
	for _, blk := range blocks {
		m := object(blk)
		// A block without a name is how the provider is told the role
		// has no inline policies.
		if m["name"] == nil && m["policy"] == nil {
			continue
		}
		b.add(triTrue, func() any { return inlineEntry(m["name"], m["policy"], r.addr) })
	}
	for _, p := range x.rolePolicies {
		t := x.refersTo(p.args["role"], r, "aws_iam_role", "the role of "+p.in.addr)
		b.add(t, func() any { return inlineEntry(p.args["name"].v, p.args["policy"].v, p.in.addr) })
	}
	return b.value("the policies embedded in the role")
}
