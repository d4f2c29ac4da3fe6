package terraform

import (
	"fmt"
	"slices"
	"strings"

	"vigil/entity"
	"vigil/source/iampolicy"
)

// The IAM mappings (iam_account.go, iam_user.go, iam_policy.go,
// iam_role.go) fold the resources that attach policies, add users to
// groups and give users credentials into the users, policies and roles a
// live account lists. Those resources name what they join by name (user =
// aws_iam_user.x.name) or by ARN (policy_arn = aws_iam_policy.x.arn). This
// file holds what the mappings share: the index of those resources, read
// once per root module, and how a reference is matched to a declared
// user, group, role or policy.

// iamIndex holds the IAM resources of one root module, with the
// arguments the IAM mappings read of them, read once.
type iamIndex struct {
	users, groups, roles, policies []*instance
	// names holds the name of each declared user, group, role and policy.
	names map[*instance]any
	// By type, the joining resources.
	userPolicyAttachments  []iamLink // aws_iam_user_policy_attachment: user, policy_arn
	groupPolicyAttachments []iamLink // aws_iam_group_policy_attachment: group, policy_arn
	rolePolicyAttachments  []iamLink // aws_iam_role_policy_attachment: role, policy_arn
	policyAttachments      []iamLink // aws_iam_policy_attachment: users, groups, roles, policy_arn
	userPolicies           []iamLink // aws_iam_user_policy: user, name, policy
	groupPolicies          []iamLink // aws_iam_group_policy: group, name, policy
	rolePolicies           []iamLink // aws_iam_role_policy: role, name, policy
	userGroupMemberships   []iamLink // aws_iam_user_group_membership: user, groups
	groupMemberships       []iamLink // aws_iam_group_membership: group, users
	loginProfiles          []iamLink // aws_iam_user_login_profile: user
	accessKeys             []iamLink // aws_iam_access_key: user, status
}

// iamLink is one joining resource and the arguments the mappings read of
// it.
type iamLink struct {
	in   *instance
	args map[string]iamArg
}

// iamArg is one argument's value and the addresses of the resource
// instances it was read from.
type iamArg struct {
	v    any
	refs []string
}

// iamLinkArgs are the arguments read of each joining resource type.
var iamLinkArgs = map[string][]string{
	"aws_iam_user_policy_attachment":  {"user", "policy_arn"},
	"aws_iam_group_policy_attachment": {"group", "policy_arn"},
	"aws_iam_role_policy_attachment":  {"role", "policy_arn"},
	"aws_iam_policy_attachment":       {"users", "groups", "roles", "policy_arn"},
	"aws_iam_user_policy":             {"user", "name", "policy"},
	"aws_iam_group_policy":            {"group", "name", "policy"},
	"aws_iam_role_policy":             {"role", "name", "policy"},
	"aws_iam_user_group_membership":   {"user", "groups"},
	"aws_iam_group_membership":        {"group", "users"},
	"aws_iam_user_login_profile":      {"user"},
	"aws_iam_access_key":              {"user", "status"},
}

// iamJoined lists the joining resource types, for the mappings'
// declarations, with the IamUser fields each contributes to.
var iamUserJoined = []joinedType{
	{"aws_iam_user_login_profile", []string{"passwordEnabled", "consoleAccess"}},
	{"aws_iam_access_key", []string{"firstAccessKey", "secondAccessKey"}},
	{"aws_iam_user_policy_attachment", []string{"managedPolicies"}},
	{"aws_iam_policy_attachment", []string{"managedPolicies", "groupManagedPolicies"}},
	{"aws_iam_user_policy", []string{"inlinePolicies"}},
	{"aws_iam_user_group_membership", []string{"groups", "groupManagedPolicies", "groupInlinePolicies"}},
	{"aws_iam_group_membership", []string{"groups", "groupManagedPolicies", "groupInlinePolicies"}},
	{"aws_iam_group", []string{"groups", "groupManagedPolicies", "groupInlinePolicies"}},
	{"aws_iam_group_policy_attachment", []string{"groupManagedPolicies"}},
	{"aws_iam_group_policy", []string{"groupInlinePolicies"}},
	{"aws_iam_policy", []string{"managedPolicies", "groupManagedPolicies"}},
}

// iam returns the IAM index of g's root module, built on first use.
func (g *graph) iam() *iamIndex {
	if g.iamIdx != nil {
		return g.iamIdx
	}
	x := &iamIndex{names: map[*instance]any{}}
	lists := map[string]*[]iamLink{
		"aws_iam_user_policy_attachment": &x.userPolicyAttachments, "aws_iam_group_policy_attachment": &x.groupPolicyAttachments,
		"aws_iam_role_policy_attachment": &x.rolePolicyAttachments, "aws_iam_policy_attachment": &x.policyAttachments,
		"aws_iam_user_policy": &x.userPolicies, "aws_iam_group_policy": &x.groupPolicies, "aws_iam_role_policy": &x.rolePolicies,
		"aws_iam_user_group_membership": &x.userGroupMemberships, "aws_iam_group_membership": &x.groupMemberships,
		"aws_iam_user_login_profile": &x.loginProfiles, "aws_iam_access_key": &x.accessKeys,
	}
	for _, in := range g.byAddr { // in address order
		if !in.managed {
			continue
		}
		switch in.typ {
		case "aws_iam_user":
			x.users = append(x.users, in)
		case "aws_iam_group":
			x.groups = append(x.groups, in)
		case "aws_iam_role":
			x.roles = append(x.roles, in)
		case "aws_iam_policy":
			x.policies = append(x.policies, in)
		default:
			if list := lists[in.typ]; list != nil {
				l := iamLink{in: in, args: map[string]iamArg{}}
				for _, name := range iamLinkArgs[in.typ] {
					v, refs := in.attrRefs(name)
					l.args[name] = iamArg{v, refs}
				}
				*list = append(*list, l)
			}
			continue
		}
		x.names[in] = in.attr("name")
	}
	g.iamIdx = x
	return x
}

// nameOf returns the name of a declared user, group, role or policy.
func (x *iamIndex) nameOf(in *instance) any { return x.names[in] }

// declaredOf returns the instances of the given type the index holds.
func (x *iamIndex) declaredOf(typ string) []*instance {
	switch typ {
	case "aws_iam_user":
		return x.users
	case "aws_iam_group":
		return x.groups
	case "aws_iam_role":
		return x.roles
	case "aws_iam_policy":
		return x.policies
	}
	return nil
}

// refersTo reports whether the argument a names target, a declared
// instance of type typ whose name is name: by reference to it, or by a
// known name equal to its own. It is unknown when a's value is unknown
// and read from no declared instance of typ, or when a names by string
// a target whose own name is unknown. what describes the argument, for
// the reason.
func (x *iamIndex) refersTo(a iamArg, target *instance, typ, what string) tri {
	if slices.Contains(a.refs, target.addr) {
		return triTrue
	}
	return x.namesValue(a, x.nameOf(target), typ, what)
}

// namesValue reports whether the argument a, a name or a list of names,
// holds name, the name of a declared instance of type typ, or of a group
// whose declaration is not known; see refersTo.
func (x *iamIndex) namesValue(a iamArg, name any, typ, what string) tri {
	readsDeclared := slices.ContainsFunc(a.refs, func(addr string) bool {
		return slices.ContainsFunc(x.declaredOf(typ), func(in *instance) bool { return in.addr == addr })
	})
	var values []any
	switch v := a.v.(type) {
	case []any:
		values = v
	default:
		values = []any{v}
	}
	res := triFalse
	for _, v := range values {
		switch vv := v.(type) {
		case *entity.Unknown:
			if !readsDeclared {
				res = res.or(triUnknown(fmt.Sprintf("%s is unknown (%s)", what, vv.Reason)))
			}
		case string:
			switch n := name.(type) {
			case string:
				if n == vv {
					return triTrue
				}
			case *entity.Unknown:
				res = res.or(triUnknown(fmt.Sprintf("%s names %q, and whether that is this one is unknown (%s)", what, vv, n.Reason)))
			}
		}
	}
	return res
}

// policyName returns the name of the managed policy an attachment's
// policy_arn names: the declared aws_iam_policy it references, or the end
// of a known ARN (arn:aws:iam::aws:policy/AWSSupportAccess gives
// AWSSupportAccess), else an Unknown.
func (x *iamIndex) policyName(arn iamArg, owner string) any {
	if s, ok := arn.v.(string); ok {
		if i := strings.LastIndexByte(s, '/'); i >= 0 && strings.Contains(s, ":policy/") {
			return s[i+1:]
		}
	}
	for _, p := range x.policies {
		if slices.Contains(arn.refs, p.addr) {
			return x.nameOf(p)
		}
	}
	if u, ok := arn.v.(*entity.Unknown); ok {
		return entity.NewUnknown(entity.UnknownMaybeNull, "the name of the policy "+owner+" attaches is unknown: "+u.Reason)
	}
	return entity.NewUnknown(entity.UnknownMaybeNull, "the name of the policy "+owner+" attaches is unknown")
}

// policyEntry is one element of a managedPolicies list: the policy's ARN
// (Unknown until the policy it references is created) and name.
func (x *iamIndex) policyEntry(arn iamArg, owner string) map[string]any {
	v := arn.v
	if v == nil {
		v = entity.NewUnknown(entity.UnknownMaybeNull, owner+" names no policy ARN")
	}
	return map[string]any{"arn": v, "name": x.policyName(arn, owner)}
}

// inlineEntry is one element of an inlinePolicies list: the policy's name
// and decoded document.
func inlineEntry(name any, policy any, owner string) map[string]any {
	if name == nil {
		name = entity.NewUnknown(entity.UnknownSet, "known after apply: "+owner+".name")
	}
	return map[string]any{"name": name, "document": policyDocumentOf(policy, owner)}
}

// policyDocumentOf decodes a policy argument as IAM holds it: a JSON text
// (from jsonencode, a heredoc, a file, or a policy document data source),
// or the Unknown it is.
func policyDocumentOf(policy any, owner string) any {
	switch p := policy.(type) {
	case string:
		return iampolicy.Decode(p)
	case *entity.Unknown:
		return entity.NewUnknown(entity.UnknownMaybeNull, "the policy document of "+owner+" is unknown: "+p.Reason)
	case nil:
		return entity.NewUnknown(entity.UnknownMaybeNull, "the policy document of "+owner+" is not set")
	}
	return entity.NewUnknown(entity.UnknownMaybeNull, "the policy document of "+owner+" is not a JSON text")
}

// listBuilder builds a list field from the joining resources: entries
// that certainly belong, and the reasons some may belong too, which make
// the list Unknown. An empty list is the empty list, never null.
type listBuilder struct {
	items []any
	maybe []string
}

// add adds entry when t is true, and records t's reason when unknown.
func (b *listBuilder) add(t tri, entry func() any) {
	switch t.state {
	case 1:
		e := entry()
		if s, ok := e.(string); ok && slices.Contains(b.items, any(s)) {
			return
		}
		b.items = append(b.items, e)
	case 2:
		b.maybe = append(b.maybe, t.u.Reason)
	}
}

// value returns the list, or an Unknown that says what it may include.
func (b *listBuilder) value(what string) any {
	if len(b.maybe) > 0 {
		return entity.NewUnknown(entity.UnknownSet, fmt.Sprintf("%s may include more: %s", what, strings.Join(b.maybe, "; ")))
	}
	if b.items == nil {
		return emptyList
	}
	return b.items
}

// arnOf returns the ARN of the declared resource in, known after apply.
func arnOf(in *instance) any { return orKnownAfterApply(in.attr("arn"), in.addr, "arn") }

// pathOf returns the IAM path of a user, role or policy, "/" when the
// configuration leaves it out, as the provider does.
func pathOf(in *instance) any { return orDefault(in.attr("path"), "/") }
