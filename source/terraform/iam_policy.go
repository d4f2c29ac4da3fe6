package terraform

import (
	"strings"

	"vigil/entity"
	"vigil/source/iampolicy"
)

// The IamPolicy mapping: each aws_iam_policy gives an IamPolicy, with its
// document decoded (from jsonencode, a heredoc, a file or a policy
// document data source) and the users, groups and roles the attachment
// resources, and roles' managed_policy_arns, attach it to. Its ARN, ID and
// version are known once it is created.
func init() {
	attached := []string{"users", "groups", "roles", "attachmentCount"}
	register(&mapping{
		typ:  "IamPolicy",
		from: []string{"aws_iam_policy"},
		joined: []joinedType{
			{"aws_iam_user_policy_attachment", attached}, {"aws_iam_group_policy_attachment", attached},
			{"aws_iam_role_policy_attachment", attached}, {"aws_iam_policy_attachment", attached},
			{"aws_iam_role", attached},
		},
		build: (*graph).iamPolicy,
	})
}

// iamPolicy builds the IamPolicy attributes of the aws_iam_policy in.
func (g *graph) iamPolicy(in *instance) map[string]any {
	x := g.iam()
	doc := policyDocumentOf(in.attr("policy"), in.addr)
	users, groups, roles := x.policyTargets(in)
	out := map[string]any{
		"id":               arnOf(in),
		"arn":              arnOf(in),
		"name":             orKnownAfterApply(x.nameOf(in), in.addr, "name"),
		"path":             pathOf(in),
		"policyId":         orKnownAfterApply(in.attr("policy_id"), in.addr, "policy_id"),
		"defaultVersionId": entity.NewUnknown(entity.UnknownSet, "known after apply: the default version of "+in.addr),
		"document":         doc,
		"isFullAdmin":      iampolicy.FullAdmin(doc),
		"users":            users,
		"groups":           groups,
		"roles":            roles,
		"attachmentCount":  attachmentCount(users, groups, roles),
	}
	fillLiveOnly("IamPolicy", out)
	return out
}

// policyTargets returns the names of the users, groups and roles policy p
// is attached to.
func (x *iamIndex) policyTargets(p *instance) (users, groups, roles any) {
	var u, g, r listBuilder
	one := func(b *listBuilder, links []iamLink, arg string) {
		for _, a := range links {
			t := x.attaches(a.args["policy_arn"], p, "the policy of "+a.in.addr)
			b.add(t, func() any { return a.args[arg].v })
		}
	}
	one(&u, x.userPolicyAttachments, "user")
	one(&g, x.groupPolicyAttachments, "group")
	one(&r, x.rolePolicyAttachments, "role")
	for _, a := range x.policyAttachments {
		t := x.attaches(a.args["policy_arn"], p, "the policy of "+a.in.addr)
		for _, pair := range []struct {
			b   *listBuilder
			arg string
		}{{&u, "users"}, {&g, "groups"}, {&r, "roles"}} {
			names, unknown := list(a.args[pair.arg].v)
			if unknown != nil {
				pair.b.add(t.and(triUnknown("the "+pair.arg+" of "+a.in.addr+" are unknown: "+unknown.Reason)), nil)
				continue
			}
			for _, n := range names {
				pair.b.add(t, func() any { return n })
			}
		}
	}
	for _, role := range x.roles {
		arns, refs := role.attrRefs("managed_policy_arns")
		t := x.attaches(iamArg{arns, refs}, p, "a managed policy ARN of "+role.addr)
		r.add(t, func() any { return x.nameOf(role) })
	}
	return u.value("the users the policy is attached to"), g.value("the groups the policy is attached to"),
		r.value("the roles the policy is attached to")
}

// attaches reports whether the policy ARN argument a (one ARN, or a list)
// names the declared policy p: by reference to it, or by an ARN with its
// path and name. An account can attach only its own policies and AWS's,
// so an ARN of another account's policy of that name is no other policy.
func (x *iamIndex) attaches(a iamArg, p *instance, what string) tri {
	if containsAddr(a.refs, p.addr) {
		return triTrue
	}
	readsPolicy := false
	for _, q := range x.policies {
		readsPolicy = readsPolicy || containsAddr(a.refs, q.addr)
	}
	values, unknown := list(a.v)
	if unknown != nil || a.v == nil {
		values = []any{a.v}
	} else if _, isList := a.v.([]any); !isList {
		values = []any{a.v}
	}
	res := triFalse
	for _, v := range values {
		switch arn := v.(type) {
		case *entity.Unknown:
			if !readsPolicy {
				res = res.or(triUnknown(what + " is unknown (" + arn.Reason + ")"))
			}
		case string:
			_, rest, ok := strings.Cut(arn, ":policy")
			if !ok || strings.HasPrefix(arn, "arn:aws:iam::aws:") {
				continue
			}
			name, path := x.nameOf(p), orDefault(p.attr("path"), "/")
			n, ok1 := name.(string)
			pa, ok2 := path.(string)
			switch {
			case ok1 && ok2 && rest == pa+n:
				return triTrue
			case !ok1 || !ok2:
				res = res.or(triUnknown(what + " is " + arn + ", and the policy's name or path is unknown"))
			}
		}
	}
	return res
}

// containsAddr reports whether refs holds addr.
func containsAddr(refs []string, addr string) bool {
	for _, r := range refs {
		if r == addr {
			return true
		}
	}
	return false
}

// attachmentCount is the number of users, groups and roles a policy is
// attached to, unknown when any of the lists is.
func attachmentCount(lists ...any) any {
	n := 0
	for _, l := range lists {
		items, u := list(l)
		if u != nil {
			return u
		}
		n += len(items)
	}
	return float64(n)
}
