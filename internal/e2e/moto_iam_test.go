package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	vigilaws "vigil/source/aws"
)

// Policy documents the IAM seeds use.
const (
	motoAdminPolicy  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	motoReadPolicy   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`
	motoSupportTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"support.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
)

// seedIAM creates, through the IAM API as an administrator would: a
// password policy; alice, with a console password and a virtual MFA
// device, in the group admins; bob, with a password, no MFA and two active
// access keys; ci, with no password, an inactive key, the admin policy
// attached and an inline policy; the customer-managed policies admin
// (attached to ci), admin-unused (attached to no one) and read-buckets
// (attached to admins and support); the role support, trusted by AWS
// Support.
func seedIAM(t *testing.T, account string) {
	t.Helper()
	ctx := context.Background()
	c := iam.NewFromConfig(motoConfig(t, account))
	_, err := c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(14),
		RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
		AllowUsersToChangePassword: true, MaxPasswordAge: aws.Int32(90), PasswordReusePrevention: aws.Int32(24)})
	check(t, "password policy", err)
	policyARN := func(name string) string { return "arn:aws:iam::" + account + ":policy/" + name }
	for name, doc := range map[string]string{"admin": motoAdminPolicy, "admin-unused": motoAdminPolicy, "read-buckets": motoReadPolicy} {
		_, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
		check(t, "create policy "+name, err)
	}
	_, err = c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admins")})
	check(t, "create group", err)
	_, err = c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admins"), PolicyArn: aws.String(policyARN("read-buckets"))})
	check(t, "attach group policy", err)
	for _, name := range []string{"alice", "bob", "ci"} {
		_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
		check(t, "create user "+name, err)
	}
	for _, name := range []string{"alice", "bob"} {
		_, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name), Password: aws.String("Correct-Horse-1")})
		check(t, "login profile "+name, err)
	}
	_, err = c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admins"), UserName: aws.String("alice")})
	check(t, "add alice to admins", err)
	dev, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice")})
	check(t, "virtual MFA device", err)
	_, err = c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("alice"), SerialNumber: dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")})
	check(t, "enable MFA", err)
	for range 2 {
		_, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
		check(t, "bob's key", err)
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ci")})
	check(t, "ci's key", err)
	_, err = c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: key.AccessKey.AccessKeyId,
		Status: iamtypes.StatusTypeInactive})
	check(t, "deactivate ci's key", err)
	_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ci"), PolicyArn: aws.String(policyARN("admin"))})
	check(t, "attach admin to ci", err)
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("deploy"),
		PolicyDocument: aws.String(motoReadPolicy)})
	check(t, "ci's inline policy", err)
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("support"), AssumeRolePolicyDocument: aws.String(motoSupportTrust)})
	check(t, "create role", err)
	// moto loads no AWS-managed policy unless told to
	// (MOTO_IAM_LOAD_MANAGED_POLICIES), so the role gets a customer-managed
	// one.
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("support"), PolicyArn: aws.String(policyARN("read-buckets"))})
	check(t, "attach read-buckets to support", err)
	seedServerCertificates(t, c)
}

// seedServerCertificates uploads two self-signed certificates, as an
// administrator would with "aws iam upload-server-certificate": old-www,
// expired ten days ago, and www, under the path /cloudfront/, valid for a
// year.
func seedServerCertificates(t *testing.T, c *iam.Client) {
	t.Helper()
	for _, cert := range []struct {
		name, path string
		notAfter   time.Time
	}{{"old-www", "/", time.Now().AddDate(0, 0, -10)}, {"www", "/cloudfront/", time.Now().AddDate(1, 0, 0)}} {
		body, key := selfSigned(t, cert.name+".example.com", cert.notAfter)
		_, err := c.UploadServerCertificate(context.Background(), &iam.UploadServerCertificateInput{
			ServerCertificateName: aws.String(cert.name), Path: aws.String(cert.path),
			CertificateBody: aws.String(body), PrivateKey: aws.String(key)})
		check(t, "upload server certificate "+cert.name, err)
	}
}

// selfSigned returns a PEM certificate for host, valid from a year before
// notAfter until notAfter, and its private key in PEM.
func selfSigned(t *testing.T, host string, notAfter time.Time) (cert, key string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(t, "generate key", err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: host},
		DNSNames: []string{host}, NotBefore: notAfter.AddDate(-1, 0, 0), NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	check(t, "create certificate", err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(priv)
	check(t, "marshal key", err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
}

// TestMotoIAM seeds an account's IAM on moto through the AWS APIs,
// collects it with vigil and compares the IAM entities field by field.
// moto 5.2.1 differs from AWS in two ways the test pins: its credential
// report has no row for the root user, which vigil reports as failures
// with rootUser Unknown and no root IamUser (rules on them ERROR, never
// PASS), and its
// authorisation details leave the policies' names out, which vigil takes
// from their ARNs.
func TestMotoIAM(t *testing.T) {
	motoEndpoint(t)
	account := motoAccount()
	seedIAM(t, account)
	inv := collectFromMoto(t, account, nil, vigilaws.TypeIam, vigilaws.TypeIamUser, vigilaws.TypeIamPolicy, vigilaws.TypeIamRole,
		vigilaws.TypeIamServerCertificate)
	// The report's missing root row leaves Iam.rootUser Unknown, and the
	// root user's IamUser out: a failure each.
	var failures []string
	for _, f := range inv.Failures {
		failures = append(failures, f.Type+" "+f.Attr+" "+f.Call)
	}
	if diff := cmp.Diff([]string{"Iam rootUser iam:GetCredentialReport", "IamUser * iam:GetCredentialReport"}, failures); diff != "" {
		t.Errorf("failures %v, want only the report's missing root user row (-want +got):\n%s", inv.Failures, diff)
	}
	byName := map[string]*entity.Entity{}
	for _, e := range inv.Entities {
		byName[e.Type+" "+e.Name] = e
	}
	if len(byName) != 1+3+3+1+2 || len(inv.Entities) != len(byName) {
		t.Fatalf("entities %v, want the account, 3 users, 3 policies, 1 role and 2 server certificates", slices.Sorted(maps.Keys(byName)))
	}
	get := func(key string) *entity.Entity {
		e := byName[key]
		if e == nil {
			t.Fatalf("no %s", key)
		}
		return e
	}
	policyARN := func(name string) string { return "arn:aws:iam::" + account + ":policy/" + name }
	decode := func(doc string) any {
		var v map[string]any
		check(t, "decode "+doc, json.Unmarshal([]byte(doc), &v))
		return v
	}
	acct := get("Iam " + account)
	if diff := cmp.Diff(map[string]any{"minPasswordLength": 14.0, "requireLowercaseCharacter": true,
		"requireUppercaseCharacter": true, "requireNumbers": true, "requireSymbols": true, "maxPasswordAge": 90.0,
		"passwordReusePrevention": 24.0, "allowUsersToChangePassword": true, "expirePasswords": true, "hardExpiry": false},
		acct.Attrs["passwordPolicy"]); diff != "" {
		t.Errorf("passwordPolicy (-want +got):\n%s", diff)
	}
	stats, _ := acct.Attrs["stats"].(map[string]any)
	if stats["users"] != 3.0 || stats["accountMfaEnabled"] != 0.0 || stats["mfaDevicesInUse"] != 1.0 {
		t.Errorf("stats %v", stats)
	}
	if !entity.IsUnknown(acct.Attrs["rootUser"]) {
		t.Errorf("rootUser = %v, want Unknown", acct.Attrs["rootUser"])
	}
	if _, err := time.Parse(time.RFC3339, fmt.Sprint(acct.Attrs["credentialReportGeneratedTime"])); err != nil {
		t.Errorf("credentialReportGeneratedTime: %v", err)
	}

	noKey := map[string]any{"isActive": false, "lastRotated": nil, "lastUsedDate": nil, "lastUsedRegion": nil, "lastUsedService": nil}
	users := []struct {
		name string
		want map[string]any
		// keys are whether each of the two keys exists (its lastRotated
		// is then recent) and is active.
		keys [2]string
	}{
		{"alice", map[string]any{"passwordEnabled": true, "consoleAccess": true, "passwordLastUsed": nil, "mfaActive": true,
			"virtualMfaEnabled": true, "groups": []any{"admins"}, "managedPolicies": []any{}, "inlinePolicies": []any{},
			"groupManagedPolicies": []any{map[string]any{"group": "admins", "arn": policyARN("read-buckets"), "name": "read-buckets"}},
			"groupInlinePolicies":  []any{}}, [2]string{"none", "none"}},
		{"bob", map[string]any{"passwordEnabled": true, "consoleAccess": true, "passwordLastUsed": nil, "mfaActive": false,
			"virtualMfaEnabled": false, "groups": []any{}, "managedPolicies": []any{}, "inlinePolicies": []any{},
			"groupManagedPolicies": []any{}, "groupInlinePolicies": []any{}}, [2]string{"active", "active"}},
		{"ci", map[string]any{"passwordEnabled": false, "consoleAccess": false, "passwordLastUsed": nil, "mfaActive": false,
			"virtualMfaEnabled": false, "groups": []any{},
			"managedPolicies":      []any{map[string]any{"arn": policyARN("admin"), "name": "admin"}},
			"inlinePolicies":       []any{map[string]any{"name": "deploy", "document": decode(motoReadPolicy)}},
			"groupManagedPolicies": []any{}, "groupInlinePolicies": []any{}}, [2]string{"inactive", "none"}},
	}
	for _, u := range users {
		e := get("IamUser " + u.name)
		got := map[string]any{}
		for k := range u.want {
			got[k] = e.Attrs[k]
		}
		if diff := cmp.Diff(u.want, got); diff != "" {
			t.Errorf("user %s (-want +got):\n%s", u.name, diff)
		}
		if e.Attrs["arn"] != "arn:aws:iam::"+account+":user/"+u.name || recentTime(e.Attrs["createDate"]) != nil {
			t.Errorf("user %s: arn %v, createDate %v", u.name, e.Attrs["arn"], e.Attrs["createDate"])
		}
		for i, attr := range []string{"firstAccessKey", "secondAccessKey"} {
			key := cloneAttrs(e.Attrs[attr].(map[string]any))
			if u.keys[i] == "none" {
				if diff := cmp.Diff(noKey, key); diff != "" {
					t.Errorf("user %s %s (-want +got):\n%s", u.name, attr, diff)
				}
				continue
			}
			if err := recentTime(key["lastRotated"]); err != nil {
				t.Errorf("user %s %s.lastRotated: %v", u.name, attr, err)
			}
			if key["isActive"] != (u.keys[i] == "active") || key["lastUsedDate"] != nil {
				t.Errorf("user %s %s = %v", u.name, attr, key)
			}
		}
	}

	policies := []struct {
		name                 string
		admin                bool
		users, groups, roles []any
	}{
		{"admin", true, []any{"ci"}, []any{}, []any{}},
		{"admin-unused", true, []any{}, []any{}, []any{}},
		{"read-buckets", false, []any{}, []any{"admins"}, []any{"support"}},
	}
	for _, p := range policies {
		e := get("IamPolicy " + p.name)
		got := []any{e.Attrs["isFullAdmin"], e.Attrs["users"], e.Attrs["groups"], e.Attrs["roles"], e.Attrs["arn"]}
		want := []any{p.admin, p.users, p.groups, p.roles, policyARN(p.name)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("policy %s: isFullAdmin, users, groups, roles, arn (-want +got):\n%s", p.name, diff)
		}
	}
	checkMotoServerCertificates(t, account, get)
	role := get("IamRole support")
	if diff := cmp.Diff(decode(motoSupportTrust), role.Attrs["assumeRolePolicyDocument"]); diff != "" {
		t.Errorf("support's trust policy (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{map[string]any{"arn": policyARN("read-buckets"), "name": "read-buckets"}}, role.Attrs["managedPolicies"]); diff != "" {
		t.Errorf("support's managed policies (-want +got):\n%s", diff)
	}
}

// checkMotoServerCertificates compares the server certificates collected
// from moto with what seedServerCertificates uploaded. moto 5.2.1 does not
// read the certificate body: it answers every certificate with the same
// fixed upload date, expiry and ID, which the test pins (the fake's tests
// tell an expired certificate from a valid one).
func checkMotoServerCertificates(t *testing.T, account string, get func(string) *entity.Entity) {
	t.Helper()
	for _, c := range []struct{ name, path, arn string }{
		{"old-www", "/", "arn:aws:iam::" + account + ":server-certificate/old-www"},
		{"www", "/cloudfront/", "arn:aws:iam::" + account + ":server-certificate/cloudfront/www"},
	} {
		e := get("IamServerCertificate " + c.name)
		want := map[string]any{"id": c.arn, "arn": c.arn, "name": c.name, "path": c.path,
			"serverCertificateId": "ASCACKCEVSQ6C2EXAMPLE", "uploadDate": "2010-05-08T01:02:03Z", "expiration": "2012-05-08T01:02:03Z"}
		if diff := cmp.Diff(want, e.Attrs); diff != "" {
			t.Errorf("server certificate %s (-want +got):\n%s", c.name, diff)
		}
	}
}
