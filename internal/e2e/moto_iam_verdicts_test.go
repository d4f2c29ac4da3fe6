package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/google/go-cmp/cmp"

	vigilaws "vigil/source/aws"
)

// AWS-managed policies the verdict seeds attach. moto knows them only when
// its server runs with MOTO_IAM_LOAD_MANAGED_POLICIES=true, as .ci/run
// starts it.
const (
	supportAccessARN       = "arn:aws:iam::aws:policy/AWSSupportAccess"
	administratorAccessARN = "arn:aws:iam::aws:policy/AdministratorAccess"
)

// iamSeeder seeds one moto account through the IAM API, failing the test
// on the first error.
type iamSeeder struct {
	t       *testing.T
	c       *iam.Client
	account string
}

func newIAMSeeder(t *testing.T, account string) *iamSeeder {
	return &iamSeeder{t: t, c: iam.NewFromConfig(motoConfig(t, account)), account: account}
}

func (s *iamSeeder) policyARN(name string) string {
	return "arn:aws:iam::" + s.account + ":policy/" + name
}

func (s *iamSeeder) passwordPolicy(minLength, reuse int32) {
	_, err := s.c.UpdateAccountPasswordPolicy(context.Background(), &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(minLength), PasswordReusePrevention: aws.Int32(reuse), AllowUsersToChangePassword: true})
	check(s.t, "password policy", err)
}

func (s *iamSeeder) user(name string, password bool) {
	ctx := context.Background()
	_, err := s.c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	check(s.t, "create user "+name, err)
	if password {
		_, err := s.c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name), Password: aws.String("Correct-Horse-Battery-1")})
		check(s.t, "login profile "+name, err)
	}
}

func (s *iamSeeder) mfa(user string) {
	ctx := context.Background()
	dev, err := s.c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(user)})
	check(s.t, "virtual MFA device "+user, err)
	_, err = s.c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")})
	check(s.t, "enable MFA "+user, err)
}

// key creates an access key for user and, when used, signs a request with
// it, which moto records as the key's last use.
func (s *iamSeeder) key(user string, used bool) {
	ctx := context.Background()
	out, err := s.c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	check(s.t, "access key of "+user, err)
	if !used {
		return
	}
	cfg := motoConfig(s.t, s.account)
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(out.AccessKey.AccessKeyId), aws.ToString(out.AccessKey.SecretAccessKey), "")
	_, err = iam.NewFromConfig(cfg).GetUser(ctx, &iam.GetUserInput{})
	check(s.t, "use the key of "+user, err)
}

func (s *iamSeeder) policy(name, document string) {
	_, err := s.c.CreatePolicy(context.Background(), &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(document)})
	check(s.t, "create policy "+name, err)
}

func (s *iamSeeder) attachUser(user, policyARN string) {
	_, err := s.c.AttachUserPolicy(context.Background(), &iam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(policyARN)})
	check(s.t, "attach "+policyARN+" to "+user, err)
}

func (s *iamSeeder) inline(user, name, document string) {
	_, err := s.c.PutUserPolicy(context.Background(), &iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String(name),
		PolicyDocument: aws.String(document)})
	check(s.t, "inline policy of "+user, err)
}

func (s *iamSeeder) group(name, policyARN string, members ...string) {
	ctx := context.Background()
	_, err := s.c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(name)})
	check(s.t, "create group "+name, err)
	_, err = s.c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(name), PolicyArn: aws.String(policyARN)})
	check(s.t, "attach to group "+name, err)
	for _, m := range members {
		_, err := s.c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String(name), UserName: aws.String(m)})
		check(s.t, "add "+m+" to "+name, err)
	}
}

func (s *iamSeeder) role(name, trust string, policyARNs ...string) {
	ctx := context.Background()
	_, err := s.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	check(s.t, "create role "+name, err)
	for _, p := range policyARNs {
		_, err := s.c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(p)})
		if err != nil && strings.Contains(p, ":aws:policy/") {
			s.t.Fatalf("attach %s to role %s: %v (moto knows AWS-managed policies only when moto_server runs with MOTO_IAM_LOAD_MANAGED_POLICIES=true)", p, name, err)
		}
		check(s.t, "attach "+p+" to role "+name, err)
	}
}

// TestMotoIAMVerdicts seeds three accounts on moto through the IAM API,
// collects each with vigil, and checks the verdict of every catalog rule
// on IAM: when collected, and as the same data would be judged 100 days
// later (moto dates every key and password at the moment it is created,
// so the age rules are checked by moving the evaluation's clock, not the
// data):
//
//   - strong: a 14-character password policy that remembers 24; ana with a
//     password, MFA and a used key, in a group; bot with a used key only; a
//     full-admin policy attached to no one; a support role.
//   - weak: an 8-character policy that remembers 5; bob with a password,
//     no MFA and two active keys, one never used; ci with the full-admin
//     customer policy, AdministratorAccess and an inline policy; the role
//     ops with AdministratorAccess; no support role.
//   - bare: no password policy and no role; eve with one unused key.
//
// moto's credential report has no root row, so the rules on the root user
// are ERROR, never PASS (TestMotoIAM pins why).
func TestMotoIAMVerdicts(t *testing.T) {
	motoEndpoint(t)
	strong, weak, bare := motoAccount(), motoAccount(), motoAccount()

	s := newIAMSeeder(t, strong)
	s.passwordPolicy(14, 24)
	s.policy("read-only", motoReadPolicy)
	s.policy("admin-unused", motoAdminPolicy)
	s.user("ana", true)
	s.mfa("ana")
	s.key("ana", true)
	s.user("bot", false)
	s.key("bot", true)
	s.group("ops", s.policyARN("read-only"), "ana", "bot")
	s.role("aws-support", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+strong+`:root"},"Action":"sts:AssumeRole"}]}`,
		supportAccessARN)

	w := newIAMSeeder(t, weak)
	w.passwordPolicy(8, 5)
	w.policy("admin", motoAdminPolicy)
	w.user("bob", true)
	w.key("bob", true)
	w.key("bob", false)
	w.user("ci", false)
	w.attachUser("ci", w.policyARN("admin"))
	w.attachUser("ci", administratorAccessARN)
	w.inline("ci", "deploy", motoReadPolicy)
	w.role("ops", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		administratorAccessARN)

	b := newIAMSeeder(t, bare)
	b.user("eve", false)
	b.key("eve", false)

	plan := catalogPlanOn(t, vigilaws.TypeIam, vigilaws.TypeIamUser, vigilaws.TypeIamPolicy, vigilaws.TypeIamRole)
	verdicts := func(account string, at time.Time) []string {
		inv := collectFromMoto(t, account, nil, vigilaws.TypeIam, vigilaws.TypeIamUser, vigilaws.TypeIamPolicy, vigilaws.TypeIamRole)
		run, err := plan.Run(context.Background(), inv, at)
		if err != nil {
			t.Fatal(err)
		}
		return verdictLines(run)
	}
	now, later := time.Now(), time.Now().AddDate(0, 0, 100)
	root := func(account string) []string {
		return []string{"VIGIL.AWS.IAM.01 " + account + " ERROR", "VIGIL.AWS.IAM.02 " + account + " ERROR"}
	}
	tests := []struct {
		name    string
		account string
		at      time.Time
		want    []string
	}{
		{"strong", strong, now, append(root(strong),
			"VIGIL.AWS.IAM.03 "+strong+" PASS", "VIGIL.AWS.IAM.04 "+strong+" PASS",
			"VIGIL.AWS.IAM.05 ana PASS",
			"VIGIL.AWS.IAM.06 ana PASS",
			"VIGIL.AWS.IAM.07 ana PASS", "VIGIL.AWS.IAM.07 bot PASS",
			"VIGIL.AWS.IAM.08 ana PASS", "VIGIL.AWS.IAM.08 bot PASS",
			"VIGIL.AWS.IAM.09 ana PASS", "VIGIL.AWS.IAM.09 bot PASS",
			"VIGIL.AWS.IAM.10 ana PASS", "VIGIL.AWS.IAM.10 bot PASS",
			"VIGIL.AWS.IAM.11 admin-unused PASS",
			"VIGIL.AWS.IAM.12 ana PASS", "VIGIL.AWS.IAM.12 bot PASS",
			"VIGIL.AWS.IAM.13 aws-support PASS",
			"VIGIL.AWS.IAM.14 - PASS",
			"VIGIL.AWS.IAM.15 "+strong+" ERROR")},
		// 100 days on, ana's password was never used and is 100 days old,
		// and both keys were last used, and created, 100 days before.
		{"strong, 100 days later", strong, later, append(root(strong),
			"VIGIL.AWS.IAM.03 "+strong+" PASS", "VIGIL.AWS.IAM.04 "+strong+" PASS",
			"VIGIL.AWS.IAM.05 ana PASS",
			"VIGIL.AWS.IAM.06 ana FAIL",
			"VIGIL.AWS.IAM.07 ana FAIL", "VIGIL.AWS.IAM.07 bot FAIL",
			"VIGIL.AWS.IAM.08 ana PASS", "VIGIL.AWS.IAM.08 bot PASS",
			"VIGIL.AWS.IAM.09 ana FAIL", "VIGIL.AWS.IAM.09 bot FAIL",
			"VIGIL.AWS.IAM.10 ana PASS", "VIGIL.AWS.IAM.10 bot PASS",
			"VIGIL.AWS.IAM.11 admin-unused PASS",
			"VIGIL.AWS.IAM.12 ana PASS", "VIGIL.AWS.IAM.12 bot PASS",
			"VIGIL.AWS.IAM.13 aws-support PASS",
			"VIGIL.AWS.IAM.14 - PASS",
			"VIGIL.AWS.IAM.15 "+strong+" ERROR")},
		{"weak", weak, now, append(root(weak),
			"VIGIL.AWS.IAM.03 "+weak+" FAIL", "VIGIL.AWS.IAM.04 "+weak+" FAIL",
			"VIGIL.AWS.IAM.05 bob FAIL",
			"VIGIL.AWS.IAM.06 bob PASS", // set today, not used yet
			"VIGIL.AWS.IAM.07 bob PASS", "VIGIL.AWS.IAM.07 ci PASS",
			"VIGIL.AWS.IAM.08 bob FAIL", "VIGIL.AWS.IAM.08 ci PASS",
			"VIGIL.AWS.IAM.09 bob PASS", "VIGIL.AWS.IAM.09 ci PASS",
			"VIGIL.AWS.IAM.10 bob PASS", "VIGIL.AWS.IAM.10 ci FAIL",
			"VIGIL.AWS.IAM.11 admin FAIL",
			"VIGIL.AWS.IAM.12 bob PASS", "VIGIL.AWS.IAM.12 ci FAIL",
			"VIGIL.AWS.IAM.13 ops FAIL",
			"VIGIL.AWS.IAM.14 - FAIL",
			"VIGIL.AWS.IAM.15 "+weak+" ERROR")},
		// 100 days on, bob's unused key and never-used password are old.
		{"weak, 100 days later", weak, later, append(root(weak),
			"VIGIL.AWS.IAM.03 "+weak+" FAIL", "VIGIL.AWS.IAM.04 "+weak+" FAIL",
			"VIGIL.AWS.IAM.05 bob FAIL",
			"VIGIL.AWS.IAM.06 bob FAIL",
			"VIGIL.AWS.IAM.07 bob FAIL", "VIGIL.AWS.IAM.07 ci PASS",
			"VIGIL.AWS.IAM.08 bob FAIL", "VIGIL.AWS.IAM.08 ci PASS",
			"VIGIL.AWS.IAM.09 bob FAIL", "VIGIL.AWS.IAM.09 ci PASS",
			"VIGIL.AWS.IAM.10 bob PASS", "VIGIL.AWS.IAM.10 ci FAIL",
			"VIGIL.AWS.IAM.11 admin FAIL",
			"VIGIL.AWS.IAM.12 bob PASS", "VIGIL.AWS.IAM.12 ci FAIL",
			"VIGIL.AWS.IAM.13 ops FAIL",
			"VIGIL.AWS.IAM.14 - FAIL",
			"VIGIL.AWS.IAM.15 "+weak+" ERROR")},
		// No password policy is data (NoSuchEntity), and fails.
		{"bare", bare, now, append(root(bare),
			"VIGIL.AWS.IAM.03 "+bare+" FAIL", "VIGIL.AWS.IAM.04 "+bare+" FAIL",
			"VIGIL.AWS.IAM.07 eve PASS", "VIGIL.AWS.IAM.08 eve PASS", "VIGIL.AWS.IAM.09 eve PASS",
			"VIGIL.AWS.IAM.10 eve PASS", "VIGIL.AWS.IAM.12 eve PASS",
			"VIGIL.AWS.IAM.14 - FAIL",
			"VIGIL.AWS.IAM.15 "+bare+" ERROR")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := append([]string(nil), tt.want...)
			slices.Sort(want)
			if diff := cmp.Diff(want, verdicts(tt.account, tt.at)); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
		})
	}
}
