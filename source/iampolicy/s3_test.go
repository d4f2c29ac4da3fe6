package iampolicy

import (
	"testing"

	"vigil/entity"
)

// tlsDeny is the statement AWS documents for denying HTTP, with the
// principal, action, condition and resources given.
func tlsDeny(principal, action, condition, resource string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"AllowSSLRequestsOnly","Effect":"Deny","Principal":` + principal +
		`,"Action":` + action + `,"Resource":` + resource + `,"Condition":` + condition + `}]}`
}

const (
	both     = `["arn:aws:s3:::logs","arn:aws:s3:::logs/*"]`
	insecure = `{"Bool":{"aws:SecureTransport":"false"}}`
)

func TestDeniesInsecureTransport(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want bool
	}{
		{"the documented form", tlsDeny(`"*"`, `"s3:*"`, insecure, both), true},
		{"AWS star principal", tlsDeny(`{"AWS":"*"}`, `"s3:*"`, insecure, both), true},
		{"AWS star in a list", tlsDeny(`{"AWS":["*"]}`, `"*"`, insecure, both), true},
		{"BoolIfExists and a JSON false", tlsDeny(`"*"`, `["s3:*"]`, `{"BoolIfExists":{"aws:SecureTransport":false}}`, both), true},
		{"key case does not matter", tlsDeny(`"*"`, `"s3:*"`, `{"Bool":{"aws:securetransport":["false"]}}`, both), true},
		{"resource star", tlsDeny(`"*"`, `"s3:*"`, insecure, `"*"`), true},
		{"bucket and objects in two statements", `{"Statement":[` +
			`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::logs","Condition":` + insecure + `},` +
			`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::logs/*","Condition":` + insecure + `}]}`, true},
		{"one statement as an object", `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":` + both + `,"Condition":` + insecure + `}}`, true},
		{"an Allow over TLS only", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`, false},
		{"a single action", tlsDeny(`"*"`, `"s3:GetObject"`, insecure, both), false},
		{"objects only", tlsDeny(`"*"`, `"s3:*"`, insecure, `"arn:aws:s3:::logs/*"`), false},
		{"bucket only", tlsDeny(`"*"`, `"s3:*"`, insecure, `"arn:aws:s3:::logs"`), false},
		{"another bucket", tlsDeny(`"*"`, `"s3:*"`, insecure, `["arn:aws:s3:::other","arn:aws:s3:::other/*"]`), false},
		{"one principal", tlsDeny(`{"AWS":"arn:aws:iam::111111111111:root"}`, `"s3:*"`, insecure, both), false},
		{"NotPrincipal", `{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:*","Resource":` + both + `,"Condition":` + insecure + `}]}`, false},
		{"secure transport true", tlsDeny(`"*"`, `"s3:*"`, `{"Bool":{"aws:SecureTransport":"true"}}`, both), false},
		{"a second condition narrows it", tlsDeny(`"*"`, `"s3:*"`, `{"Bool":{"aws:SecureTransport":"false"},"StringEquals":{"aws:SourceVpc":"vpc-1"}}`, both), false},
		{"no condition", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":` + both + `}]}`, false},
		{"TLS version only", tlsDeny(`"*"`, `"s3:*"`, `{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`, both), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DeniesInsecureTransport(Decode(tt.doc), "arn:aws:s3:::logs"); got != tt.want {
				t.Errorf("DeniesInsecureTransport(%s) = %v, want %t", tt.doc, got, tt.want)
			}
		})
	}
	if DeniesInsecureTransport(nil, "arn:aws:s3:::logs") != false {
		t.Error("a bucket without a policy denies HTTP")
	}
	u := entity.NewUnknown(entity.UnknownMaybeNull, "denied")
	if DeniesInsecureTransport(u, "arn:aws:s3:::logs") != u {
		t.Error("an Unknown policy does not give its Unknown")
	}
}

func TestAllowsPublicAccess(t *testing.T) {
	allow := func(principal, condition string) string {
		s := `{"Statement":[{"Effect":"Allow","Principal":` + principal + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"`
		if condition != "" {
			s += `,"Condition":` + condition
		}
		return s + `}]}`
	}
	tests := []struct {
		name string
		doc  string
		want bool
	}{
		{"anyone", allow(`"*"`, ""), true},
		{"AWS star", allow(`{"AWS":["*"]}`, ""), true},
		{"NotPrincipal", `{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:GetObject","Resource":"*"}]}`, true},
		{"one account", allow(`{"AWS":"arn:aws:iam::222222222222:root"}`, ""), false},
		{"a service", allow(`{"Service":"cloudtrail.amazonaws.com"}`, ""), false},
		{"limited to a VPC endpoint", allow(`"*"`, `{"StringEquals":{"aws:SourceVpce":"vpce-1a2b"}}`), false},
		{"limited to the organisation", allow(`"*"`, `{"StringEquals":{"aws:PrincipalOrgID":["o-abc"]}}`), false},
		{"limited to an IP range", allow(`"*"`, `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`), false},
		{"every IP", allow(`"*"`, `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`), true},
		{"a wildcard account", allow(`"*"`, `{"StringLike":{"aws:SourceAccount":"*"}}`), true},
		{"a negated condition", allow(`"*"`, `{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}`), true},
		{"IfExists lets requests without the key through", allow(`"*"`, `{"StringEqualsIfExists":{"aws:SourceVpc":"vpc-1"}}`), true},
		{"a condition on a key that does not limit", allow(`"*"`, `{"Bool":{"aws:SecureTransport":"true"}}`), true},
		{"a deny", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AllowsPublicAccess(Decode(tt.doc)); got != tt.want {
				t.Errorf("AllowsPublicAccess(%s) = %v, want %t", tt.doc, got, tt.want)
			}
		})
	}
}

func TestBucketPublic(t *testing.T) {
	u := entity.NewUnknown(entity.UnknownMaybeNull, "not collected")
	allUsers := []any{map[string]any{"type": "Group", "uri": AllUsersURI, "premission": "READ"}}
	owner := []any{map[string]any{"type": "CanonicalUser", "id": "abc", "premission": "FULL_CONTROL"}}
	public := Decode(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)
	block := func(ignore, restrict any) map[string]any {
		return map[string]any{"blockPublicAcls": true, "ignorePublicAcls": ignore, "blockPublicPolicy": true, "restrictPublicBuckets": restrict}
	}
	tests := []struct {
		name                        string
		grants, policy, bucket, acc any
		want                        any
	}{
		{"private", owner, nil, nil, nil, false},
		{"public by ACL", allUsers, nil, nil, nil, true},
		{"authenticated users", []any{map[string]any{"type": "Group", "uri": AuthenticatedUsersURI, "premission": "WRITE"}}, nil, nil, nil, true},
		{"public by policy", owner, public, nil, nil, true},
		{"ACL ignored by the bucket", allUsers, nil, block(true, false), nil, false},
		{"ACL ignored by the account", allUsers, nil, nil, block(true, false), false},
		{"policy restricted by the account", owner, public, block(false, false), block(false, true), false},
		{"policy restricted, ACL not ignored", allUsers, public, block(false, true), nil, true},
		{"blocking new ACLs does not hide a present one", allUsers, nil, block(false, false), nil, true},
		{"policy unknown, ACL public", allUsers, u, nil, nil, true},
		{"policy unknown, ACL private", owner, u, nil, nil, u},
		{"policy unknown, restricted by the account", owner, u, nil, block(true, true), false},
		{"account settings unknown, public ACL", allUsers, nil, nil, u, u},
		{"grants unknown, ignored", u, nil, block(true, false), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BucketPublic(tt.grants, tt.policy, tt.bucket, tt.acc); got != tt.want {
				t.Errorf("BucketPublic = %v, want %v", got, tt.want)
			}
		})
	}
}
