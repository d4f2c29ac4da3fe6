package aws

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"vigil/entity"
	"vigil/source/iampolicy"
)

// IAM entity types.
const (
	// TypeIam is the account's IAM settings: one entity per account.
	TypeIam = "Iam"
	// TypeIamUser is one IAM user.
	TypeIamUser = "IamUser"
	// TypeIamPolicy is one customer-managed IAM policy.
	TypeIamPolicy = "IamPolicy"
	// TypeIamRole is one IAM role.
	TypeIamRole = "IamRole"
)

// Attributes each IAM call fills.
var (
	// iamUserIdentity are set from whichever of the credential report and
	// the authorisation details lists the user.
	iamUserIdentity    = []string{"id", "arn", "name", "createDate"}
	iamReportUserAttrs = []string{"passwordEnabled", "consoleAccess", "passwordLastUsed", "passwordLastChanged",
		"passwordNextRotation", "mfaActive", "firstAccessKey", "secondAccessKey", "credentialReport"}
	iamDetailsUserAttrs = []string{"userId", "path", "groups", "managedPolicies", "inlinePolicies",
		"groupManagedPolicies", "groupInlinePolicies"}
	iamPolicyAttrs = []string{"id", "arn", "name", "policyId", "path", "defaultVersionId", "attachmentCount",
		"createDate", "updateDate", "document", "isFullAdmin", "users", "groups", "roles"}
	iamRoleAttrs = []string{"id", "arn", "name", "roleId", "path", "createDate", "assumeRolePolicyDocument",
		"managedPolicies", "inlinePolicies"}
)

func init() {
	register(service{
		name:      "iam",
		newClient: func(cfg aws.Config) any { return iam.NewFromConfig(cfg) },
		actions: []action{
			{name: "iam:GetAccountPasswordPolicy", purpose: "read the account's password policy",
				fills: []fill{{TypeIam, []string{"passwordPolicy"}}}},
			{name: "iam:GetAccountSummary", purpose: "read the account's IAM counts, whether the root user has MFA and a password",
				fills: []fill{{TypeIam, []string{"stats"}}, {TypeIamUser, []string{"passwordEnabled", "consoleAccess"}}}},
			{name: "iam:GenerateCredentialReport", purpose: "ask IAM to generate the credential report, polled until it is ready",
				fills: []fill{{TypeIam, []string{"credentialReportGeneratedTime", "rootUser"}}, {TypeIamUser, slices.Concat(iamUserIdentity, iamReportUserAttrs)}}},
			{name: "iam:GetCredentialReport", purpose: "read the credential report: every user's password, MFA and access keys, the root user's too",
				fills: []fill{{TypeIam, []string{"credentialReportGeneratedTime", "rootUser"}}, {TypeIamUser, slices.Concat(iamUserIdentity, iamReportUserAttrs)}}},
			{name: "iam:ListVirtualMFADevices", purpose: "tell virtual MFA devices from hardware ones, for the users and the root user",
				fills: []fill{{TypeIam, []string{"rootUser"}}, {TypeIamUser, []string{"virtualMfaEnabled"}}}},
			{name: "iam:GetAccountAuthorizationDetails", purpose: "list the users, groups, roles and customer-managed policies with their attachments and documents, in a few pages",
				fills: []fill{{TypeIamUser, slices.Concat(iamUserIdentity, iamDetailsUserAttrs)}, {TypeIamPolicy, iamPolicyAttrs}, {TypeIamRole, iamRoleAttrs}}},
			serverCertificatesAction,
		},
		listed: []string{TypeIam, TypeIamUser, TypeIamPolicy, TypeIamRole, TypeIamServerCertificate},
		list:   listIAM,
		global: true,
	})
}

// iamAPI is the part of the IAM client vigil calls.
type iamAPI interface {
	GetAccountPasswordPolicy(context.Context, *iam.GetAccountPasswordPolicyInput, ...func(*iam.Options)) (*iam.GetAccountPasswordPolicyOutput, error)
	GetAccountSummary(context.Context, *iam.GetAccountSummaryInput, ...func(*iam.Options)) (*iam.GetAccountSummaryOutput, error)
	GenerateCredentialReport(context.Context, *iam.GenerateCredentialReportInput, ...func(*iam.Options)) (*iam.GenerateCredentialReportOutput, error)
	GetCredentialReport(context.Context, *iam.GetCredentialReportInput, ...func(*iam.Options)) (*iam.GetCredentialReportOutput, error)
	ListVirtualMFADevices(context.Context, *iam.ListVirtualMFADevicesInput, ...func(*iam.Options)) (*iam.ListVirtualMFADevicesOutput, error)
	GetAccountAuthorizationDetails(context.Context, *iam.GetAccountAuthorizationDetailsInput, ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error)
	ListServerCertificates(context.Context, *iam.ListServerCertificatesInput, ...func(*iam.Options)) (*iam.ListServerCertificatesOutput, error)
}

var _ iamAPI = (*iam.Client)(nil)

func (c *Collector) iam(region string) iamAPI { return client[iamAPI](c, "iam", region) }

// The credential report is polled with a delay that starts at
// reportFirstDelay (or an eighth of Options.CredentialReportWait, when
// shorter) and doubles up to reportMaxDelay, for as long as
// Options.CredentialReportWait allows.
const (
	reportFirstDelay = 250 * time.Millisecond
	reportMaxDelay   = 2 * time.Second
)

// iamResult is what one IAM read gave: its value, or the failed call.
type iamResult[V any] struct {
	v   V
	err *callError
}

// iamReads is everything the IAM entities are built from; each part is
// read only when a wanted type needs it.
type iamReads struct {
	policy  iamResult[any] // the password policy, nil when the account has none
	summary iamResult[map[string]any]
	report  iamResult[*credentialReport]
	virtual iamResult[map[string]bool] // ARNs of the users with a virtual MFA device, "root" for the root user
	details iamResult[*authDetails]
}

// listIAM reads the account's IAM settings, users, customer-managed
// policies, roles and server certificates, each read made once for every
// type that needs it and all at once: the password policy, the account
// summary, the credential report, the virtual MFA devices, the
// authorisation details and the server certificates
// (iam_certificates.go).
func listIAM(ctx context.Context, c *Collector, _ []string) []*entity.Entity {
	want := c.opts.wanted
	region := c.cfg.Region
	var r iamReads
	var wg sync.WaitGroup
	if want(TypeIam) {
		wg.Go(func() { r.policy = c.passwordPolicy(ctx, region) })
	}
	if want(TypeIam) || want(TypeIamUser) {
		// The root user's IamUser takes whether it has a password
		// from the summary.
		wg.Go(func() { r.summary = c.accountSummary(ctx, region) })
		wg.Go(func() { r.report = c.credentialReport(ctx, region) })
		wg.Go(func() { r.virtual = c.virtualMFAUsers(ctx, region) })
	}
	if want(TypeIamUser) || want(TypeIamPolicy) || want(TypeIamRole) {
		wg.Go(func() { r.details = c.authorizationDetails(ctx, region) })
	}
	var certificates []*entity.Entity
	if want(TypeIamServerCertificate) {
		wg.Go(func() { certificates = c.iamServerCertificates(ctx, region) })
	}
	wg.Wait()

	var out []*entity.Entity
	if want(TypeIam) {
		out = append(out, c.iamAccount(r, region))
	}
	if want(TypeIamUser) {
		out = append(out, c.iamUsers(r, region)...)
	}
	if want(TypeIamPolicy) && r.details.err == nil {
		out = append(out, c.iamPolicies(r.details.v)...)
	}
	if want(TypeIamRole) && r.details.err == nil {
		out = append(out, c.iamRoles(r.details.v)...)
	}
	for _, typ := range []string{TypeIamPolicy, TypeIamRole} {
		if want(typ) && r.details.err != nil {
			c.fail(r.details.err.failure(typ, "", c.account, ""))
		}
	}
	return append(out, certificates...)
}

// passwordPolicy reads the account's password policy: nil when the account
// has none (NoSuchEntity), which is data.
func (c *Collector) passwordPolicy(ctx context.Context, region string) iamResult[any] {
	var out *iam.GetAccountPasswordPolicyOutput
	cerr := c.call(ctx, "iam:GetAccountPasswordPolicy", region, func(ctx context.Context) error {
		var err error
		out, err = c.iam(region).GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		return err
	})
	switch {
	case cerr != nil && isNotFound(cerr.Err, "NoSuchEntity"):
		return iamResult[any]{}
	case cerr != nil:
		return iamResult[any]{err: cerr}
	case out.PasswordPolicy == nil:
		return iamResult[any]{}
	}
	p := out.PasswordPolicy
	return iamResult[any]{v: map[string]any{
		"minPasswordLength":          int32OrNil(p.MinimumPasswordLength),
		"requireLowercaseCharacter":  p.RequireLowercaseCharacters,
		"requireUppercaseCharacter":  p.RequireUppercaseCharacters,
		"requireNumbers":             p.RequireNumbers,
		"requireSymbols":             p.RequireSymbols,
		"maxPasswordAge":             int32OrNil(p.MaxPasswordAge),
		"passwordReusePrevention":    int32OrNil(p.PasswordReusePrevention),
		"allowUsersToChangePassword": p.AllowUsersToChangePassword,
		"expirePasswords":            p.ExpirePasswords,
		"hardExpiry":                 boolOrNil(p.HardExpiry),
	}}
}

// accountSummary reads the account summary, its keys in lowerCamelCase.
func (c *Collector) accountSummary(ctx context.Context, region string) iamResult[map[string]any] {
	var out *iam.GetAccountSummaryOutput
	if cerr := c.call(ctx, "iam:GetAccountSummary", region, func(ctx context.Context) error {
		var err error
		out, err = c.iam(region).GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
		return err
	}); cerr != nil {
		return iamResult[map[string]any]{err: cerr}
	}
	stats := map[string]any{}
	for k, v := range out.SummaryMap {
		stats[lowerCamel(k)] = float64(v)
	}
	return iamResult[map[string]any]{v: stats}
}

// lowerCamel turns a SummaryMap key into lowerCamelCase, an acronym being
// one word ("AccountMFAEnabled" → "accountMfaEnabled", "MFADevices" →
// "mfaDevices").
func lowerCamel(name string) string {
	r := []rune(name)
	out := make([]rune, len(r))
	for i, ch := range r {
		prevUpper := i > 0 && unicode.IsUpper(r[i-1])
		nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
		// Lower the first letter, and the letters of an acronym but
		// the one that starts the next word.
		if i == 0 || (prevUpper && !nextLower) {
			ch = unicode.ToLower(ch)
		}
		out[i] = ch
	}
	return string(out)
}

// credentialReport is the IAM credential report: when it was generated and
// its rows, each a map from column name to the value as written.
type credentialReport struct {
	generated time.Time
	rows      []map[string]string
}

// rootRow is the user column of the root user's row.
const rootRow = "<root_account>"

// errReportNotReady says the credential report was still being generated
// when vigil stopped waiting.
var errReportNotReady = errors.New("the credential report was not ready in time")

// credentialReport asks IAM to generate the credential report, polls until
// it is ready within Options.CredentialReportWait, and reads it.
func (c *Collector) credentialReport(ctx context.Context, region string) iamResult[*credentialReport] {
	wait := c.opts.CredentialReportWait
	delay, waited := min(reportFirstDelay, max(wait/8, time.Millisecond)), time.Duration(0)
	for attempt := 1; ; attempt++ {
		var gen *iam.GenerateCredentialReportOutput
		if cerr := c.call(ctx, "iam:GenerateCredentialReport", region, func(ctx context.Context) error {
			var err error
			gen, err = c.iam(region).GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
			return err
		}); cerr != nil {
			return iamResult[*credentialReport]{err: cerr}
		}
		if gen.State == types.ReportStateTypeComplete {
			break
		}
		if waited+delay > wait {
			return iamResult[*credentialReport]{err: &callError{Call: "iam:GenerateCredentialReport", Region: region,
				Err: fmt.Errorf("%w: still %s after %d attempts over %s", errReportNotReady, gen.State, attempt, waited)}}
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return iamResult[*credentialReport]{err: &callError{Call: "iam:GenerateCredentialReport", Region: region, Err: ctx.Err()}}
		}
		waited += delay
		delay = min(2*delay, reportMaxDelay)
	}
	var out *iam.GetCredentialReportOutput
	if cerr := c.call(ctx, "iam:GetCredentialReport", region, func(ctx context.Context) error {
		var err error
		out, err = c.iam(region).GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		return err
	}); cerr != nil {
		return iamResult[*credentialReport]{err: cerr}
	}
	rep, err := parseCredentialReport(out.Content)
	if err != nil {
		return iamResult[*credentialReport]{err: &callError{Call: "iam:GetCredentialReport", Region: region, Err: err}}
	}
	rep.generated = aws.ToTime(out.GeneratedTime)
	return iamResult[*credentialReport]{v: rep}
}

// parseCredentialReport reads the report's CSV: a header row of column
// names, then one row per user.
func parseCredentialReport(content []byte) (*credentialReport, error) {
	records, err := csv.NewReader(strings.NewReader(string(content))).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read the credential report: %w", err)
	}
	if len(records) == 0 || !slices.Contains(records[0], "user") || !slices.Contains(records[0], "arn") {
		return nil, errors.New("read the credential report: no header row naming the user and arn columns")
	}
	header := records[0]
	rep := &credentialReport{}
	for _, rec := range records[1:] {
		row := make(map[string]string, len(header))
		for i, name := range header {
			if i < len(rec) {
				row[name] = rec[i]
			}
		}
		rep.rows = append(rep.rows, row)
	}
	return rep, nil
}

// virtualMFAUsers lists the virtual MFA devices in use, and returns the
// ARNs of the users they are assigned to; the root user's is "root".
func (c *Collector) virtualMFAUsers(ctx context.Context, region string) iamResult[map[string]bool] {
	users := map[string]bool{}
	var marker *string
	for range maxPages {
		var out *iam.ListVirtualMFADevicesOutput
		if cerr := c.call(ctx, "iam:ListVirtualMFADevices", region, func(ctx context.Context) error {
			var err error
			out, err = c.iam(region).ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{
				AssignmentStatus: types.AssignmentStatusTypeAssigned, Marker: marker, MaxItems: aws.Int32(1000)})
			return err
		}); cerr != nil {
			return iamResult[map[string]bool]{err: cerr}
		}
		for _, d := range out.VirtualMFADevices {
			switch {
			case strings.HasSuffix(aws.ToString(d.SerialNumber), ":mfa/root-account-mfa-device"):
				users["root"] = true
			case d.User != nil && strings.HasSuffix(aws.ToString(d.User.Arn), ":root"):
				users["root"] = true
			case d.User != nil:
				users[aws.ToString(d.User.Arn)] = true
			}
		}
		if !out.IsTruncated || aws.ToString(out.Marker) == "" {
			return iamResult[map[string]bool]{v: users}
		}
		marker = out.Marker
	}
	return iamResult[map[string]bool]{err: &callError{Call: "iam:ListVirtualMFADevices", Region: region,
		Err: fmt.Errorf("more than %d pages", maxPages)}}
}

// authDetails are the users, groups, roles and customer-managed policies
// of iam:GetAccountAuthorizationDetails, every page's.
type authDetails struct {
	users    []types.UserDetail
	groups   []types.GroupDetail
	roles    []types.RoleDetail
	policies []types.ManagedPolicyDetail
}

// authorizationDetails reads every page of the account's authorisation
// details: users, groups, roles and customer-managed policies (the
// AWS-managed ones are AWS's, and attachments name them).
func (c *Collector) authorizationDetails(ctx context.Context, region string) iamResult[*authDetails] {
	d := &authDetails{}
	var marker *string
	for range maxPages {
		var out *iam.GetAccountAuthorizationDetailsOutput
		if cerr := c.call(ctx, "iam:GetAccountAuthorizationDetails", region, func(ctx context.Context) error {
			var err error
			out, err = c.iam(region).GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{
				Filter: []types.EntityType{types.EntityTypeUser, types.EntityTypeGroup, types.EntityTypeRole,
					types.EntityTypeLocalManagedPolicy},
				Marker: marker, MaxItems: aws.Int32(1000)})
			return err
		}); cerr != nil {
			return iamResult[*authDetails]{err: cerr}
		}
		d.users = append(d.users, out.UserDetailList...)
		d.groups = append(d.groups, out.GroupDetailList...)
		d.roles = append(d.roles, out.RoleDetailList...)
		d.policies = append(d.policies, out.Policies...)
		if !out.IsTruncated || aws.ToString(out.Marker) == "" {
			return iamResult[*authDetails]{v: d}
		}
		marker = out.Marker
	}
	return iamResult[*authDetails]{err: &callError{Call: "iam:GetAccountAuthorizationDetails", Region: region,
		Err: fmt.Errorf("more than %d pages", maxPages)}}
}

// iamAccount builds the account's Iam entity. Whatever a failed read
// would have given is Unknown, and the failure recorded.
func (c *Collector) iamAccount(r iamReads, region string) *entity.Entity {
	e := &entity.Entity{Type: TypeIam, ID: c.account, Name: c.account, Scope: c.account,
		Attrs: map[string]any{"id": c.account, "accountId": c.account}}
	set := func(attr string, v any, cerr *callError, call string) {
		if cerr != nil {
			e.Attrs[attr] = cerr.unknown()
			c.fail(cerr.failure(TypeIam, attr, c.account, e.ID))
			e.Origin.API = appendAction(e.Origin.API, cerr.Call)
			return
		}
		e.Attrs[attr] = v
		e.Origin.API = appendAction(e.Origin.API, call)
	}
	set("passwordPolicy", r.policy.v, r.policy.err, "iam:GetAccountPasswordPolicy")
	set("stats", r.summary.v, r.summary.err, "iam:GetAccountSummary")
	if r.report.err != nil {
		set("credentialReportGeneratedTime", nil, r.report.err, "")
		set("rootUser", nil, r.report.err, "")
		return e
	}
	set("credentialReportGeneratedTime", timeOrNil(&r.report.v.generated), nil, "iam:GetCredentialReport")
	root := rootRowOf(r.report.v)
	if root == nil {
		// AWS always writes the root user's row; an answer without it
		// says nothing about the root user.
		why := "the credential report generated at " + timeOrEmpty(r.report.v) + " has no row for the root user (" + rootRow + ")"
		e.Attrs["rootUser"] = entity.NewUnknown(entity.UnknownMaybeNull, why)
		c.fail(entity.Failure{Type: TypeIam, Attr: "rootUser", Scope: c.account, Region: region, Entity: e.ID,
			Call: "iam:GetCredentialReport", Error: why})
		return e
	}
	u := map[string]any{
		"arn":                    root["arn"],
		"mfaActive":              root["mfa_active"] == "true",
		"passwordLastUsed":       reportDate(root["password_last_used"]),
		"accessKey1Active":       root["access_key_1_active"] == "true",
		"accessKey2Active":       root["access_key_2_active"] == "true",
		"accessKey1LastRotated":  reportDate(root["access_key_1_last_rotated"]),
		"accessKey2LastRotated":  reportDate(root["access_key_2_last_rotated"]),
		"accessKey1LastUsedDate": reportDate(root["access_key_1_last_used_date"]),
		"accessKey2LastUsedDate": reportDate(root["access_key_2_last_used_date"]),
		"cert1Active":            root["cert_1_active"] == "true",
		"cert2Active":            root["cert_2_active"] == "true",
		"credentialReport":       reportRow(root),
	}
	switch {
	case root["mfa_active"] != "true":
		u["hardwareMfa"] = false
	case r.virtual.err != nil:
		u["hardwareMfa"] = r.virtual.err.unknown()
		c.fail(r.virtual.err.failure(TypeIam, "rootUser.hardwareMfa", c.account, e.ID))
	default:
		u["hardwareMfa"] = !r.virtual.v["root"]
		e.Origin.API = appendAction(e.Origin.API, "iam:ListVirtualMFADevices")
	}
	e.Attrs["rootUser"] = u
	return e
}

// reportDate reads a date of the credential report, RFC 3339 in UTC; the
// report's markers (N/A, no_information, not_supported) and anything else
// that is not a date are null. The raw value stays in credentialReport.
func reportDate(v string) any {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// rootReportDate reads a date of the root user's row like reportDate, but
// not_supported, which the report writes for what it does not give of the
// root user (when its password last changed), is Unknown: the date may
// exist, unread. (moto writes not_supported for other users' dates too,
// where AWS writes N/A; those stay null.)
func rootReportDate(v string) any {
	if v == "not_supported" {
		return entity.NewUnknown(entity.UnknownMaybeNull, "the credential report does not give this date for the root user (not_supported)")
	}
	return reportDate(v)
}

// reportRow returns a row of the credential report as written, for rules
// that tell the report's markers apart.
func reportRow(row map[string]string) map[string]any {
	out := make(map[string]any, len(row))
	for k, v := range row {
		out[k] = v
	}
	return out
}

// accessKey reads the report's columns of access key n (1 or 2).
func accessKey(row map[string]string, n int) map[string]any {
	col := func(name string) string { return row[fmt.Sprintf("access_key_%d_%s", n, name)] }
	return map[string]any{
		"isActive":        col("active") == "true",
		"lastRotated":     reportDate(col("last_rotated")),
		"lastUsedDate":    reportDate(col("last_used_date")),
		"lastUsedRegion":  reportMarkerOrNil(col("last_used_region")),
		"lastUsedService": reportMarkerOrNil(col("last_used_service")),
	}
}

// reportMarkerOrNil returns a text column of the report, or nil for
// nothing and for the report's markers (N/A, not_supported,
// no_information), which the raw row keeps.
func reportMarkerOrNil(v string) any {
	switch v {
	case "", "N/A", "not_supported", "no_information":
		return nil
	}
	return v
}

// iamUsers builds one IamUser per user that the credential report or the
// authorisation details list; what the other source would have given is
// Unknown when it failed or does not list the user.
func (c *Collector) iamUsers(r iamReads, region string) []*entity.Entity {
	if r.report.err != nil && r.details.err != nil {
		c.fail(r.report.err.failure(TypeIamUser, "", c.account, ""), r.details.err.failure(TypeIamUser, "", c.account, ""))
		return nil
	}
	byARN := map[string]*entity.Entity{}
	var order []string
	user := func(arn, name string) *entity.Entity {
		if e := byARN[arn]; e != nil {
			return e
		}
		e := &entity.Entity{Type: TypeIamUser, ID: arn, Name: name, Scope: c.account,
			Attrs: map[string]any{"id": arn, "arn": arn, "name": name}}
		byARN[arn] = e
		order = append(order, arn)
		return e
	}
	rows := map[string]map[string]string{}
	if r.report.err == nil {
		for _, row := range r.report.v.rows {
			if row["user"] != rootRow {
				rows[row["arn"]] = row
				e := user(row["arn"], row["user"])
				e.Attrs["createDate"] = reportDate(row["user_creation_time"])
			}
		}
	}
	details := map[string]*types.UserDetail{}
	var groups map[string]*groupPolicies
	if r.details.err == nil {
		groups = groupPoliciesByName(r.details.v.groups)
		for i := range r.details.v.users {
			d := &r.details.v.users[i]
			details[aws.ToString(d.Arn)] = d
			e := user(aws.ToString(d.Arn), aws.ToString(d.UserName))
			e.Attrs["createDate"] = timeOrNil(d.CreateDate)
		}
	}
	// A failed read leaves its attributes Unknown on every user: one
	// failure per attribute, for all the account's users.
	for _, f := range []struct {
		err   *callError
		attrs []string
	}{{r.report.err, iamReportUserAttrs}, {r.details.err, iamDetailsUserAttrs}, {r.virtual.err, []string{"virtualMfaEnabled"}}} {
		if f.err != nil {
			for _, a := range f.attrs {
				c.fail(f.err.failure(TypeIamUser, a, c.account, ""))
			}
		}
	}
	out := make([]*entity.Entity, 0, len(order))
	for _, arn := range order {
		e := byARN[arn]
		setReportUserAttrs(e, rows[arn], r)
		setDetailsUserAttrs(e, details[arn], groups, r.details.err)
		switch {
		case r.virtual.err != nil:
			e.Attrs["virtualMfaEnabled"] = r.virtual.err.unknown()
		default:
			e.Attrs["virtualMfaEnabled"] = r.virtual.v[arn]
			e.Origin.API = appendAction(e.Origin.API, "iam:ListVirtualMFADevices")
		}
		out = append(out, e)
	}
	if root := c.iamRootUser(r, region); root != nil {
		out = append(out, root)
	}
	return out
}

// setReportUserAttrs sets a user's attributes from its row of the
// credential report, or Unknown ones when the report could not be read or
// has no row for the user.
func setReportUserAttrs(e *entity.Entity, row map[string]string, r iamReads) {
	if r.report.err != nil || row == nil {
		u := entity.NewUnknown(entity.UnknownMaybeNull, "the user is not in the credential report generated at "+
			timeOrEmpty(r.report.v)+" (created since)")
		if r.report.err != nil {
			u = r.report.err.unknown()
		}
		for _, attr := range iamReportUserAttrs {
			e.Attrs[attr] = u
		}
		return
	}
	e.Origin.API = appendAction(e.Origin.API, "iam:GetCredentialReport")
	enabled := row["password_enabled"] == "true"
	e.Attrs["passwordEnabled"] = enabled
	e.Attrs["consoleAccess"] = enabled
	date := reportDate
	if row["user"] == rootRow {
		date = rootReportDate
	}
	e.Attrs["passwordLastUsed"] = date(row["password_last_used"])
	e.Attrs["passwordLastChanged"] = date(row["password_last_changed"])
	e.Attrs["passwordNextRotation"] = date(row["password_next_rotation"])
	e.Attrs["mfaActive"] = row["mfa_active"] == "true"
	e.Attrs["firstAccessKey"] = accessKey(row, 1)
	e.Attrs["secondAccessKey"] = accessKey(row, 2)
	e.Attrs["credentialReport"] = reportRow(row)
}

// timeOrEmpty renders when the report was generated, or "" without one.
func timeOrEmpty(rep *credentialReport) string {
	if rep == nil {
		return ""
	}
	return rep.generated.UTC().Format(time.RFC3339)
}

// setDetailsUserAttrs sets a user's attributes from its authorisation
// details and those of its groups, or Unknown ones when the details could
// not be read or do not list the user.
func setDetailsUserAttrs(e *entity.Entity, d *types.UserDetail, groups map[string]*groupPolicies, derr *callError) {
	if derr != nil || d == nil {
		u := entity.NewUnknown(entity.UnknownMaybeNull, "the user is not in the account's authorisation details (deleted since the credential report)")
		if derr != nil {
			u = derr.unknown()
		}
		for _, attr := range iamDetailsUserAttrs {
			e.Attrs[attr] = u
		}
		return
	}
	e.Origin.API = appendAction(e.Origin.API, "iam:GetAccountAuthorizationDetails")
	e.Attrs["userId"] = aws.ToString(d.UserId)
	e.Attrs["path"] = aws.ToString(d.Path)
	e.Attrs["groups"] = toAnyList(d.GroupList)
	e.Attrs["managedPolicies"] = attachedPolicies(d.AttachedManagedPolicies)
	e.Attrs["inlinePolicies"] = inlinePolicies(d.UserPolicyList)
	groupManaged, groupInline := []any{}, []any{}
	for _, name := range d.GroupList {
		if g := groups[name]; g != nil {
			groupManaged = append(groupManaged, g.managed...)
			groupInline = append(groupInline, g.inline...)
		}
	}
	e.Attrs["groupManagedPolicies"] = groupManaged
	e.Attrs["groupInlinePolicies"] = groupInline
}

// groupPolicies are a group's attached and inline policies as the users
// in the group carry them, each element naming the group. They are built
// once per group and shared, read-only, by its users' entities.
type groupPolicies struct {
	managed, inline []any
}

// groupPoliciesByName builds the policies of each group, by name.
func groupPoliciesByName(groups []types.GroupDetail) map[string]*groupPolicies {
	out := make(map[string]*groupPolicies, len(groups))
	for _, g := range groups {
		name := aws.ToString(g.GroupName)
		gp := &groupPolicies{}
		for _, p := range g.AttachedManagedPolicies {
			gp.managed = append(gp.managed, map[string]any{"group": name, "arn": aws.ToString(p.PolicyArn), "name": aws.ToString(p.PolicyName)})
		}
		for _, p := range g.GroupPolicyList {
			gp.inline = append(gp.inline, map[string]any{"group": name, "name": aws.ToString(p.PolicyName), "document": policyDocument(p.PolicyDocument)})
		}
		out[name] = gp
	}
	return out
}

func toAnyList(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// attachedPolicies lists managed policies attached to a user, group or
// role, each with its ARN and name.
func attachedPolicies(list []types.AttachedPolicy) []any {
	out := make([]any, len(list))
	for i, p := range list {
		out[i] = map[string]any{"arn": aws.ToString(p.PolicyArn), "name": aws.ToString(p.PolicyName)}
	}
	return out
}

// inlinePolicies lists inline policies, each with its name and document.
func inlinePolicies(list []types.PolicyDetail) []any {
	out := make([]any, len(list))
	for i, p := range list {
		out[i] = map[string]any{"name": aws.ToString(p.PolicyName), "document": policyDocument(p.PolicyDocument)}
	}
	return out
}

// policyDocument decodes a policy document as IAM returns it; nil when
// there is none.
func policyDocument(encoded *string) any {
	if encoded == nil {
		return nil
	}
	return iampolicy.DecodeURL(*encoded)
}

// iamPolicies builds one IamPolicy per customer-managed policy, with its
// default version's document and what it is attached to.
func (c *Collector) iamPolicies(d *authDetails) []*entity.Entity {
	users, groups, roles := map[string][]any{}, map[string][]any{}, map[string][]any{}
	for _, u := range d.users {
		for _, p := range u.AttachedManagedPolicies {
			users[aws.ToString(p.PolicyArn)] = append(users[aws.ToString(p.PolicyArn)], aws.ToString(u.UserName))
		}
	}
	for _, g := range d.groups {
		for _, p := range g.AttachedManagedPolicies {
			groups[aws.ToString(p.PolicyArn)] = append(groups[aws.ToString(p.PolicyArn)], aws.ToString(g.GroupName))
		}
	}
	for _, r := range d.roles {
		for _, p := range r.AttachedManagedPolicies {
			roles[aws.ToString(p.PolicyArn)] = append(roles[aws.ToString(p.PolicyArn)], aws.ToString(r.RoleName))
		}
	}
	orEmpty := func(l []any) []any {
		if l == nil {
			return []any{}
		}
		return l
	}
	out := make([]*entity.Entity, 0, len(d.policies))
	for _, p := range d.policies {
		arn := aws.ToString(p.Arn)
		if aws.ToString(p.PolicyName) == "" {
			// moto 5.2.1 leaves the name out; the ARN ends with it.
			p.PolicyName = aws.String(arn[strings.LastIndexByte(arn, '/')+1:])
		}
		var doc any = entity.NewUnknown(entity.UnknownMaybeNull, "the authorisation details list no default version of the policy")
		for _, v := range p.PolicyVersionList {
			if v.IsDefaultVersion {
				doc = policyDocument(v.Document)
			}
		}
		out = append(out, &entity.Entity{Type: TypeIamPolicy, ID: arn, Name: aws.ToString(p.PolicyName), Scope: c.account,
			Origin: entity.Origin{API: []string{"iam:GetAccountAuthorizationDetails"}},
			Attrs: map[string]any{
				"id": arn, "arn": arn, "name": aws.ToString(p.PolicyName), "policyId": aws.ToString(p.PolicyId),
				"path": aws.ToString(p.Path), "defaultVersionId": aws.ToString(p.DefaultVersionId),
				"attachmentCount": float64(aws.ToInt32(p.AttachmentCount)),
				"createDate":      timeOrNil(p.CreateDate), "updateDate": timeOrNil(p.UpdateDate),
				"document": doc, "isFullAdmin": iampolicy.FullAdmin(doc),
				"users": orEmpty(users[arn]), "groups": orEmpty(groups[arn]), "roles": orEmpty(roles[arn]),
			}})
	}
	return out
}

// iamRoles builds one IamRole per role, with its trust policy and its
// attached and inline policies.
func (c *Collector) iamRoles(d *authDetails) []*entity.Entity {
	out := make([]*entity.Entity, 0, len(d.roles))
	for _, r := range d.roles {
		arn := aws.ToString(r.Arn)
		out = append(out, &entity.Entity{Type: TypeIamRole, ID: arn, Name: aws.ToString(r.RoleName), Scope: c.account,
			Origin: entity.Origin{API: []string{"iam:GetAccountAuthorizationDetails"}},
			Attrs: map[string]any{
				"id": arn, "arn": arn, "name": aws.ToString(r.RoleName), "roleId": aws.ToString(r.RoleId),
				"path": aws.ToString(r.Path), "createDate": timeOrNil(r.CreateDate),
				"assumeRolePolicyDocument": policyDocument(r.AssumeRolePolicyDocument),
				"managedPolicies":          attachedPolicies(r.AttachedManagedPolicies),
				"inlinePolicies":           inlinePolicies(r.RolePolicyList),
			}})
	}
	return out
}

// int32OrNil returns *p as a number, or nil.
func int32OrNil(p *int32) any {
	if p == nil {
		return nil
	}
	return float64(*p)
}

// boolOrNil returns *p, or nil.
func boolOrNil(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}
