package iampolicy

import (
	"net/netip"
	"strings"

	"vigil/entity"
)

// DeniesInsecureTransport reports whether doc, a bucket policy decoded by
// Decode, denies every request made without TLS to the bucket whose ARN is
// bucketARN and to its objects. That takes Deny statements that each
// apply to every principal (Principal "*" or {"AWS": "*"}, no
// NotPrincipal), to every S3 action (Action "s3:*" or "*", no NotAction),
// under one condition alone, aws:SecureTransport false (Bool or
// BoolIfExists, the value "false" or false), and that together name the
// bucket's ARN and ARN/* (or "*"). A statement that only looks like one
// (an Allow, a single action, a second condition that narrows it) does not
// count. A nil doc, a bucket without a policy, denies nothing; an Unknown
// doc gives that Unknown.
func DeniesInsecureTransport(doc any, bucketARN string) any {
	if u, ok := doc.(*entity.Unknown); ok {
		return u
	}
	var bucket, objects bool
	for _, st := range statements(doc) {
		if !isTLSDeny(st) {
			continue
		}
		for _, r := range stringsOf(st["Resource"]) {
			bucket = bucket || r == "*" || r == bucketARN
			objects = objects || r == "*" || r == bucketARN+"/*"
		}
	}
	return bucket && objects
}

// isTLSDeny reports whether one statement denies every S3 action to every
// principal when the request was not made over TLS, and nothing narrower.
func isTLSDeny(st map[string]any) bool {
	if st["Effect"] != "Deny" || st["NotPrincipal"] != nil || st["NotAction"] != nil || st["NotResource"] != nil {
		return false
	}
	if !everyone(st["Principal"]) || !hasValue(st["Action"], "s3:*", "*") {
		return false
	}
	cond, _ := st["Condition"].(map[string]any)
	if len(cond) != 1 {
		return false
	}
	for op, keys := range cond {
		if !strings.EqualFold(op, "Bool") && !strings.EqualFold(op, "BoolIfExists") {
			return false
		}
		m, _ := keys.(map[string]any)
		if len(m) != 1 {
			return false
		}
		for key, v := range m {
			if !strings.EqualFold(key, "aws:SecureTransport") || !isFalse(v) {
				return false
			}
		}
	}
	return true
}

// isFalse reports whether a condition value is false, as text or JSON, or
// a one-element list of it.
func isFalse(v any) bool {
	switch x := v.(type) {
	case bool:
		return !x
	case string:
		return strings.EqualFold(x, "false")
	case []any:
		return len(x) == 1 && isFalse(x[0])
	}
	return false
}

// everyone reports whether a Principal is every principal: "*", or an AWS
// principal of "*" (alone or in a list).
func everyone(p any) bool {
	switch x := p.(type) {
	case string:
		return x == "*"
	case map[string]any:
		return hasValue(x["AWS"], "*")
	}
	return false
}

// AllowsPublicAccess reports whether doc, a bucket policy decoded by
// Decode, grants access to anyone: an Allow statement whose principal is
// everyone ("*", {"AWS": "*"}) or that uses NotPrincipal, unless a
// condition limits it to fixed values of one of the keys AWS's Block
// Public Access documentation lists as making a policy non-public (source
// IP ranges, VPCs and VPC endpoints, source ARNs and accounts, the
// principal's organisation, and the others in limitingKeys). A nil doc
// allows nothing; an Unknown doc gives that Unknown.
func AllowsPublicAccess(doc any) any {
	if u, ok := doc.(*entity.Unknown); ok {
		return u
	}
	for _, st := range statements(doc) {
		if st["Effect"] != "Allow" {
			continue
		}
		if (everyone(st["Principal"]) || st["NotPrincipal"] != nil) && !limited(st["Condition"]) {
			return true
		}
	}
	return false
}

// limitingKeys are the condition keys whose fixed values make a statement
// non-public, as the Block Public Access documentation lists them (in
// lower case: condition keys are case-insensitive).
var limitingKeys = map[string]bool{
	"aws:sourceip": true, "aws:sourcearn": true, "aws:sourcevpc": true, "aws:sourcevpce": true,
	"aws:sourceowner": true, "aws:sourceaccount": true, "aws:principalorgid": true, "aws:principalaccount": true,
	"aws:principalarn": true, "aws:userid": true, "s3:x-amz-server-side-encryption-aws-kms-key-id": true,
	"s3:dataaccesspointarn": true, "s3:dataaccesspointaccount": true,
}

// limited reports whether a statement's Condition limits it to fixed
// values of a limiting key: a positive operator (not a Not… one, not
// …IfExists, which lets requests without the key through), values with no
// wildcard, and for aws:SourceIp, ranges no wider than a /8 (IPv4) or /32
// (IPv6).
func limited(condition any) bool {
	cond, _ := condition.(map[string]any)
	for op, keys := range cond {
		lop := strings.ToLower(op)
		if strings.Contains(lop, "not") || strings.HasSuffix(lop, "ifexists") || strings.HasPrefix(lop, "null") {
			continue
		}
		m, _ := keys.(map[string]any)
		for key, v := range m {
			k := strings.ToLower(key)
			if !limitingKeys[k] {
				continue
			}
			values := stringsOf(v)
			if len(values) > 0 && fixedValues(k, values) {
				return true
			}
		}
	}
	return false
}

// fixedValues reports whether every value of a limiting key is fixed: no
// wildcard, and for aws:SourceIp a range that is not too wide.
func fixedValues(key string, values []string) bool {
	for _, v := range values {
		if strings.ContainsAny(v, "*?") {
			return false
		}
		if key == "aws:sourceip" {
			p, err := netip.ParsePrefix(v)
			if err != nil {
				addr, aerr := netip.ParseAddr(v)
				if aerr != nil {
					return false
				}
				p = netip.PrefixFrom(addr, addr.BitLen())
			}
			if (p.Addr().Is4() && p.Bits() < 8) || (!p.Addr().Is4() && p.Bits() < 32) {
				return false
			}
		}
	}
	return true
}

// statements returns the statements of a decoded document.
func statements(doc any) []map[string]any {
	m, _ := doc.(map[string]any)
	list, _ := m["Statement"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, s := range list {
		if st, ok := s.(map[string]any); ok {
			out = append(out, st)
		}
	}
	return out
}

// stringsOf returns v, a string or a list of strings, as a list.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, el := range x {
			if s, ok := el.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
