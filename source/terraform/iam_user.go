package terraform

import (
	"slices"
	"strings"

	"vigil/entity"
)

// The IamUser mapping: each aws_iam_user gives an IamUser, with the
// resources that join it folded in (see iam_joins.go): its login profile
// (a console password), its access keys, the policies attached to it or
// embedded in it, its groups and their policies. What the credential
// report tells (when a password or key was last used, MFA devices, which
// Terraform cannot enable for a user) is Unknown: only a live account
// knows it.
func init() {
	register(&mapping{
		typ:      "IamUser",
		from:     []string{"aws_iam_user"},
		joined:   iamUserJoined,
		defaults: map[string]map[string]any{"aws_iam_access_key": {"status": "Active"}},
		build:    (*graph).iamUser,
	})
}

// iamUser builds the IamUser attributes of the aws_iam_user in.
func (g *graph) iamUser(in *instance) map[string]any {
	x := g.iam()
	password := x.userTruth(in, x.loginProfiles, "the user of ")
	first, second := x.userAccessKeys(in)
	groups := x.userGroups(in)
	out := map[string]any{
		"id":                   arnOf(in),
		"arn":                  arnOf(in),
		"name":                 x.nameOf(in),
		"path":                 pathOf(in),
		"userId":               orKnownAfterApply(in.attr("unique_id"), in.addr, "unique_id"),
		"createDate":           entity.NewUnknown(entity.UnknownSet, "known after apply: "+in.addr+" is created then"),
		"passwordEnabled":      password.value(),
		"consoleAccess":        password.value(),
		"firstAccessKey":       first,
		"secondAccessKey":      second,
		"groups":               groups,
		"managedPolicies":      x.userManagedPolicies(in),
		"inlinePolicies":       x.userInlinePolicies(in),
		"groupManagedPolicies": x.groupManagedPolicies(groups, in.addr),
		"groupInlinePolicies":  x.groupInlinePolicies(groups, in.addr),
	}
	fillLiveOnly("IamUser", out)
	return out
}

// userTruth reports whether any of links (login profiles) is for user u.
func (x *iamIndex) userTruth(u *instance, links []iamLink, what string) tri {
	t := triFalse
	for _, l := range links {
		t = t.or(x.refersTo(l.args["user"], u, "aws_iam_user", what+l.in.addr))
	}
	return t
}

// userAccessKeys returns the firstAccessKey and secondAccessKey of user u:
// its first two access keys by address (IAM allows two per user), each
// active unless its status says Inactive. A key whose user is unknown, or
// whose count or for_each is, makes both Unknown.
func (x *iamIndex) userAccessKeys(u *instance) (first, second any) {
	var keys []iamLink
	for _, k := range x.accessKeys {
		t := x.refersTo(k.args["user"], u, "aws_iam_user", "the user of "+k.in.addr)
		if t.state == 1 && strings.Contains(k.in.addr, "[*]") {
			t = triUnknown("how many instances of " + k.in.addr + " exist is known only after apply")
		}
		switch t.state {
		case 1:
			keys = append(keys, k)
		case 2:
			u := entity.NewUnknown(entity.UnknownSet, "the user may have another access key: "+t.u.Reason)
			return u, u
		}
	}
	key := func(i int) any {
		if i >= len(keys) {
			return map[string]any{"isActive": false, "lastRotated": nil, "lastUsedDate": nil, "lastUsedRegion": nil, "lastUsedService": nil}
		}
		active := any(true)
		switch s := keys[i].args["status"].v.(type) {
		case string:
			active = s == "Active"
		case *entity.Unknown:
			active = s
		}
		return map[string]any{"isActive": active} // the dates are filled as live-only
	}
	return key(0), key(1)
}

// userGroups returns the names of the groups user u is in, from
// aws_iam_user_group_membership and aws_iam_group_membership.
func (x *iamIndex) userGroups(u *instance) any {
	var b listBuilder
	for _, m := range x.userGroupMemberships {
		t := x.refersTo(m.args["user"], u, "aws_iam_user", "the user of "+m.in.addr)
		if t.state == 2 {
			b.add(t, nil)
			continue
		}
		if t.state == 1 {
			groups, unknown := list(m.args["groups"].v)
			if unknown != nil {
				b.add(triUnknown("the groups of "+m.in.addr+" are unknown: "+unknown.Reason), nil)
			}
			for _, g := range groups {
				b.add(triTrue, func() any { return g })
			}
		}
	}
	for _, m := range x.groupMemberships {
		t := x.refersTo(m.args["users"], u, "aws_iam_user", "a user of "+m.in.addr)
		b.add(t, func() any { return m.args["group"].v })
	}
	return b.value("the user's groups")
}

// userManagedPolicies returns the managed policies attached to user u.
func (x *iamIndex) userManagedPolicies(u *instance) any {
	var b listBuilder
	for _, a := range x.userPolicyAttachments {
		t := x.refersTo(a.args["user"], u, "aws_iam_user", "the user of "+a.in.addr)
		b.add(t, func() any { return x.policyEntry(a.args["policy_arn"], a.in.addr) })
	}
	for _, a := range x.policyAttachments {
		t := x.refersTo(a.args["users"], u, "aws_iam_user", "a user of "+a.in.addr)
		b.add(t, func() any { return x.policyEntry(a.args["policy_arn"], a.in.addr) })
	}
	return b.value("the policies attached to the user")
}

// userInlinePolicies returns the policies embedded in user u.
func (x *iamIndex) userInlinePolicies(u *instance) any {
	var b listBuilder
	for _, p := range x.userPolicies {
		t := x.refersTo(p.args["user"], u, "aws_iam_user", "the user of "+p.in.addr)
		b.add(t, func() any { return inlineEntry(p.args["name"].v, p.args["policy"].v, p.in.addr) })
	}
	return b.value("the policies embedded in the user")
}

// groupManagedPolicies returns the managed policies attached to the
// groups named in groups (a user's), each with its group's name.
func (x *iamIndex) groupManagedPolicies(groups any, user string) any {
	names, unknown := list(groups)
	if unknown != nil {
		return entity.NewUnknown(entity.UnknownSet, "the groups of "+user+" are unknown: "+unknown.Reason)
	}
	var b listBuilder
	for _, name := range names {
		for _, a := range x.groupPolicyAttachments {
			t := x.namesGroup(a.args["group"], name, "the group of "+a.in.addr)
			b.add(t, func() any {
				e := x.policyEntry(a.args["policy_arn"], a.in.addr)
				e["group"] = name
				return e
			})
		}
		for _, a := range x.policyAttachments {
			t := x.namesGroup(a.args["groups"], name, "a group of "+a.in.addr)
			b.add(t, func() any {
				e := x.policyEntry(a.args["policy_arn"], a.in.addr)
				e["group"] = name
				return e
			})
		}
	}
	return b.value("the policies attached to the user's groups")
}

// groupInlinePolicies returns the policies embedded in the groups named in
// groups (a user's), each with its group's name.
func (x *iamIndex) groupInlinePolicies(groups any, user string) any {
	names, unknown := list(groups)
	if unknown != nil {
		return entity.NewUnknown(entity.UnknownSet, "the groups of "+user+" are unknown: "+unknown.Reason)
	}
	var b listBuilder
	for _, name := range names {
		for _, p := range x.groupPolicies {
			t := x.namesGroup(p.args["group"], name, "the group of "+p.in.addr)
			b.add(t, func() any {
				e := inlineEntry(p.args["name"].v, p.args["policy"].v, p.in.addr)
				e["group"] = name
				return e
			})
		}
	}
	return b.value("the policies embedded in the user's groups")
}

// namesGroup reports whether the argument a (a group's name, or a list of
// them) names the group called name, which a user's groups list gives:
// by the same name, or by reference to a declared group of that name.
func (x *iamIndex) namesGroup(a iamArg, name any, what string) tri {
	if u, ok := name.(*entity.Unknown); ok {
		return triUnknown("the name of one of the user's groups is unknown: " + u.Reason)
	}
	for _, g := range x.groups {
		if slices.Contains(a.refs, g.addr) && x.nameOf(g) == name {
			return triTrue
		}
	}
	return x.namesValue(a, name, "aws_iam_group", what)
}
