package iampolicy

import "vigil/entity"

// The grantee groups of an S3 ACL that make a grant public.
const (
	AllUsersURI           = "http://acs.amazonaws.com/groups/global/AllUsers"
	AuthenticatedUsersURI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
)

// BucketPublic reports whether a bucket is public, as S3 evaluates access
// after Block Public Access (the "meaning of public" of the S3 user
// guide): public by an ACL grant to AllUsers or AuthenticatedUsers unless
// IgnorePublicAcls is on for the bucket or the account, or public by a
// policy that AllowsPublicAccess unless RestrictPublicBuckets is on for
// the bucket or the account. BlockPublicAcls and BlockPublicPolicy only
// refuse new public ACLs and policies; they do not change how the present
// ones are read.
//
// grants are the bucket's ACL grants ({"uri": …} maps), policy its decoded
// policy (nil for none), bucketBlock and accountBlock the Block Public
// Access settings ({"ignorePublicAcls": bool, …}; nil when none is set).
// Any of them may be Unknown: the answer is Unknown only when the known
// parts do not settle it.
func BucketPublic(grants, policy, bucketBlock, accountBlock any) any {
	ignoreACLs := triOr(setting(bucketBlock, "ignorePublicAcls"), setting(accountBlock, "ignorePublicAcls"))
	restrict := triOr(setting(bucketBlock, "restrictPublicBuckets"), setting(accountBlock, "restrictPublicBuckets"))
	byACL := triAnd(publicGrant(grants), triNot(ignoreACLs))
	byPolicy := triAnd(AllowsPublicAccess(policy), triNot(restrict))
	return triOr(byACL, byPolicy)
}

// publicGrant reports whether a grant list gives anything to AllUsers or
// AuthenticatedUsers.
func publicGrant(grants any) any {
	if u, ok := grants.(*entity.Unknown); ok {
		return u
	}
	list, _ := grants.([]any)
	for _, g := range list {
		m, _ := g.(map[string]any)
		if m["uri"] == AllUsersURI || m["uri"] == AuthenticatedUsersURI {
			return true
		}
	}
	return false
}

// setting returns one Block Public Access setting: its value, false when
// no configuration is set (nil), or the configuration's Unknown.
func setting(block any, name string) any {
	switch b := block.(type) {
	case *entity.Unknown:
		return b
	case map[string]any:
		if v, ok := b[name]; ok && v != nil {
			return v
		}
	}
	return false
}

// triOr is a three-valued or: true wins over Unknown, Unknown over false.
func triOr(a, b any) any {
	if a == true || b == true {
		return true
	}
	if u, ok := a.(*entity.Unknown); ok {
		return u
	}
	if u, ok := b.(*entity.Unknown); ok {
		return u
	}
	return false
}

// triAnd is a three-valued and: false wins over Unknown, Unknown over true.
func triAnd(a, b any) any {
	if a == false || b == false {
		return false
	}
	if u, ok := a.(*entity.Unknown); ok {
		return u
	}
	if u, ok := b.(*entity.Unknown); ok {
		return u
	}
	return true
}

// triNot negates a three-valued value; Unknown stays Unknown.
func triNot(a any) any {
	if b, ok := a.(bool); ok {
		return !b
	}
	return a
}
