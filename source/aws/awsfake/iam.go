package awsfake

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// IAM is the account's IAM, as the fake serves it.
type IAM struct {
	// PasswordPolicy is nil when the account has none (NoSuchEntity).
	PasswordPolicy *PasswordPolicy
	// Summary is GetAccountSummary's SummaryMap.
	Summary map[string]int
	Users   []User
	Groups  []Group
	Roles   []Role
	// Policies are the customer-managed policies; attachments name them,
	// or AWS-managed policies, by ARN.
	Policies []Policy
	// Root is the root user's row of the credential report.
	Root User
	// NoRootRow leaves the root user's row out of the credential report,
	// as moto 5.2.1 does (AWS always writes it).
	NoRootRow bool
	// ReportGenerated is when the credential report was generated.
	ReportGenerated time.Time
	// ServerCertificates are the SSL/TLS certificates stored in IAM.
	ServerCertificates []ServerCertificate
	// ReportPending makes GenerateCredentialReport answer STARTED that many
	// times before COMPLETE; -1 is forever.
	ReportPending int
}

// PasswordPolicy is the account's password policy.
type PasswordPolicy struct {
	MinimumPasswordLength                                  int
	RequireSymbols, RequireNumbers                         bool
	RequireUppercaseCharacters, RequireLowercaseCharacters bool
	AllowUsersToChangePassword, HardExpiry                 bool
	MaxPasswordAge, PasswordReusePrevention                int // 0: not set
}

// User is one IAM user, or the root user.
type User struct {
	Name    string
	Created time.Time
	// Password says whether the user has a console password;
	// PasswordLastUsed is zero when it was never used.
	Password         bool
	PasswordLastUsed time.Time
	// MFA is "", "virtual" or "hardware".
	MFA             string
	Keys            []AccessKey
	Groups          []string
	ManagedPolicies []string          // ARNs
	InlinePolicies  map[string]string // name → JSON document
}

// AccessKey is one access key of a user; zero times are absent.
type AccessKey struct {
	Active      bool
	LastRotated time.Time
	LastUsed    time.Time
	Region      string
	Service     string
}

// Group is one IAM group.
type Group struct {
	Name            string
	ManagedPolicies []string
	InlinePolicies  map[string]string
}

// Role is one IAM role.
type Role struct {
	Name            string
	TrustPolicy     string
	ManagedPolicies []string
	InlinePolicies  map[string]string
}

// Policy is one customer-managed policy and its default version's
// document (JSON).
type Policy struct {
	Name, Document string
}

func (s *Server) iamARN(kind, name string) string {
	return fmt.Sprintf("arn:aws:iam::%s:%s/%s", s.world.Account, kind, name)
}

func init() {
	registerService(fakeService{name: "iam", protocol: awsQuery, tokenInvalidWhenDisabled: true,
		handlers: map[string]handler{
			"GetAccountPasswordPolicy":       (*Server).getAccountPasswordPolicy,
			"GetAccountSummary":              answer((*Server).getAccountSummary),
			"GenerateCredentialReport":       answer((*Server).generateCredentialReport),
			"GetCredentialReport":            (*Server).getCredentialReport,
			"ListVirtualMFADevices":          (*Server).listVirtualMFADevices,
			"GetAccountAuthorizationDetails": (*Server).authorizationDetails,
			"ListServerCertificates":         (*Server).listServerCertificates,
		}})
}

// getAccountPasswordPolicy answers the password policy, or NoSuchEntity
// when the account has none.
func (s *Server) getAccountPasswordPolicy(*request) (any, *apiError) {
	p := s.world.IAM.PasswordPolicy
	if p == nil {
		return nil, errorf(404, "NoSuchEntity", "The Password Policy with domain name %s cannot be found.", s.world.Account)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<PasswordPolicy><MinimumPasswordLength>%d</MinimumPasswordLength><RequireSymbols>%t</RequireSymbols>"+
		"<RequireNumbers>%t</RequireNumbers><RequireUppercaseCharacters>%t</RequireUppercaseCharacters>"+
		"<RequireLowercaseCharacters>%t</RequireLowercaseCharacters><AllowUsersToChangePassword>%t</AllowUsersToChangePassword>"+
		"<ExpirePasswords>%t</ExpirePasswords><HardExpiry>%t</HardExpiry>",
		p.MinimumPasswordLength, p.RequireSymbols, p.RequireNumbers, p.RequireUppercaseCharacters,
		p.RequireLowercaseCharacters, p.AllowUsersToChangePassword, p.MaxPasswordAge > 0, p.HardExpiry)
	if p.MaxPasswordAge > 0 {
		fmt.Fprintf(&b, "<MaxPasswordAge>%d</MaxPasswordAge>", p.MaxPasswordAge)
	}
	if p.PasswordReusePrevention > 0 {
		fmt.Fprintf(&b, "<PasswordReusePrevention>%d</PasswordReusePrevention>", p.PasswordReusePrevention)
	}
	b.WriteString("</PasswordPolicy>")
	return b.String(), nil
}

// getAccountSummary answers IAM.Summary.
func (s *Server) getAccountSummary(*request) string {
	var b strings.Builder
	b.WriteString("<SummaryMap>")
	for k, v := range s.world.IAM.Summary {
		fmt.Fprintf(&b, "<entry><key>%s</key><value>%d</value></entry>", k, v)
	}
	b.WriteString("</SummaryMap>")
	return b.String()
}

// generateCredentialReport answers STARTED while IAM.ReportPending says
// so, then COMPLETE.
func (s *Server) generateCredentialReport(*request) string {
	w := &s.world.IAM
	if w.ReportPending != 0 {
		if w.ReportPending > 0 {
			w.ReportPending--
		}
		return "<State>STARTED</State><Description>No report exists. Starting a new report generation task</Description>"
	}
	return "<State>COMPLETE</State>"
}

// getCredentialReport answers the report, base64-encoded as IAM sends it,
// once it is generated.
func (s *Server) getCredentialReport(*request) (any, *apiError) {
	w := &s.world.IAM
	if w.ReportPending != 0 {
		return nil, errorf(410, "ReportInProgress", "Report generation in progress")
	}
	return fmt.Sprintf("<Content>%s</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>%s</GeneratedTime>",
		base64.StdEncoding.EncodeToString([]byte(s.credentialReport())), w.ReportGenerated.UTC().Format(time.RFC3339)), nil
}

// reportColumns are the credential report's columns, as AWS writes them.
var reportColumns = []string{"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
	"password_last_changed", "password_next_rotation", "mfa_active", "access_key_1_active", "access_key_1_last_rotated",
	"access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region",
	"access_key_2_last_used_service", "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated"}

// reportTime writes a time as the report does, or marker when zero.
func reportTime(t time.Time, marker string) string {
	if t.IsZero() {
		return marker
	}
	return t.UTC().Format("2006-01-02T15:04:05+00:00")
}

// credentialReport renders the report's CSV with AWS's markers: N/A for
// what does not apply, no_information for a password never used,
// not_supported for the root user's password columns.
func (s *Server) credentialReport() string {
	var b strings.Builder
	b.WriteString(strings.Join(reportColumns, ",") + "\n")
	row := func(u User, root bool) {
		name, arn := u.Name, s.iamARN("user", u.Name)
		pwEnabled, pwLastUsed, pwChanged, pwNext := "false", "N/A", "N/A", "N/A"
		if u.Password {
			pwEnabled, pwLastUsed, pwChanged = "true", reportTime(u.PasswordLastUsed, "no_information"), reportTime(u.Created, "N/A")
		}
		if root {
			name, arn = "<root_account>", "arn:aws:iam::"+s.world.Account+":root"
			pwEnabled, pwLastUsed, pwChanged, pwNext = "not_supported", reportTime(u.PasswordLastUsed, "no_information"), "not_supported", "not_supported"
		}
		cols := []string{name, arn, reportTime(u.Created, "N/A"), pwEnabled, pwLastUsed, pwChanged, pwNext,
			strconv.FormatBool(u.MFA != "")}
		for i := range 2 {
			k := AccessKey{}
			if i < len(u.Keys) {
				k = u.Keys[i]
			}
			cols = append(cols, strconv.FormatBool(k.Active), reportTime(k.LastRotated, "N/A"), reportTime(k.LastUsed, "N/A"),
				orNA(k.Region), orNA(k.Service))
		}
		cols = append(cols, "false", "N/A", "false", "N/A")
		b.WriteString(strings.Join(cols, ",") + "\n")
	}
	if !s.world.IAM.NoRootRow {
		row(s.world.IAM.Root, true)
	}
	for _, u := range s.world.IAM.Users {
		row(u, false)
	}
	return b.String()
}

func orNA(s string) string {
	if s == "" {
		return "N/A"
	}
	return s
}

// iamPage returns the window of n items that the Marker starts, at most
// MaxItems and the world's page size, and the next marker.
func (s *Server) iamPage(req *request, n int) (start, end int, next string, aerr *apiError) {
	size := s.world.PageSize
	if m, err := strconv.Atoi(req.form.Get("MaxItems")); err == nil && m > 0 && m < size {
		size = m
	}
	return s.pageOf(req.form.Get("Marker"), n, size)
}

// pageXML closes a page: IsTruncated and Marker.
func pageXML(next string) string {
	if next == "" {
		return "<IsTruncated>false</IsTruncated>"
	}
	return "<IsTruncated>true</IsTruncated><Marker>" + esc(next) + "</Marker>"
}

// listVirtualMFADevices pages through the virtual MFA devices assigned to
// the root user and the users.
func (s *Server) listVirtualMFADevices(req *request) (any, *apiError) {
	type device struct{ serial, user string }
	var devices []device
	if s.world.IAM.Root.MFA == "virtual" {
		devices = append(devices, device{"arn:aws:iam::" + s.world.Account + ":mfa/root-account-mfa-device", "arn:aws:iam::" + s.world.Account + ":root"})
	}
	for _, u := range s.world.IAM.Users {
		if u.MFA == "virtual" {
			devices = append(devices, device{s.iamARN("mfa", u.Name), s.iamARN("user", u.Name)})
		}
	}
	start, end, next, aerr := s.iamPage(req, len(devices))
	if aerr != nil {
		return nil, aerr
	}
	var b strings.Builder
	b.WriteString("<VirtualMFADevices>")
	for _, d := range devices[start:end] {
		fmt.Fprintf(&b, "<member><SerialNumber>%s</SerialNumber><User><Arn>%s</Arn><UserName>u</UserName><UserId>AIDA</UserId>"+
			"<Path>/</Path><CreateDate>2020-01-01T00:00:00Z</CreateDate></User></member>", esc(d.serial), esc(d.user))
	}
	b.WriteString("</VirtualMFADevices>" + pageXML(next))
	return b.String(), nil
}

// policyName returns the name at the end of a policy ARN.
func policyName(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

func attachedXML(tag string, arns []string) string {
	var b strings.Builder
	b.WriteString("<" + tag + ">")
	for _, a := range arns {
		fmt.Fprintf(&b, "<member><PolicyArn>%s</PolicyArn><PolicyName>%s</PolicyName></member>", esc(a), esc(policyName(a)))
	}
	b.WriteString("</" + tag + ">")
	return b.String()
}

// inlineXML lists inline policies, their documents URL-encoded as IAM
// sends them.
func inlineXML(tag string, policies map[string]string) string {
	var b strings.Builder
	b.WriteString("<" + tag + ">")
	for _, name := range sortedKeys(policies) {
		fmt.Fprintf(&b, "<member><PolicyName>%s</PolicyName><PolicyDocument>%s</PolicyDocument></member>",
			esc(name), esc(url.QueryEscape(policies[name])))
	}
	b.WriteString("</" + tag + ">")
	return b.String()
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// authorizationDetails pages through users, groups, roles and policies as
// one list, as IAM does.
func (s *Server) authorizationDetails(req *request) (any, *apiError) {
	w := &s.world.IAM
	created := "2020-01-01T00:00:00Z"
	// Each item is its kind's letter (U, G, R, P) and its XML, rendered
	// only for the page asked for.
	type item struct {
		kind   byte
		render func() string
	}
	var items []item
	for _, u := range w.Users {
		items = append(items, item{'U', func() string {
			return fmt.Sprintf("<member><UserName>%s</UserName><UserId>AIDA%s</UserId><Arn>%s</Arn><Path>/</Path>"+
				"<CreateDate>%s</CreateDate><GroupList>%s</GroupList>%s%s</member>",
				esc(u.Name), esc(strings.ToUpper(u.Name)), esc(s.iamARN("user", u.Name)), reportTime(u.Created, created),
				membersXML(u.Groups), attachedXML("AttachedManagedPolicies", u.ManagedPolicies), inlineXML("UserPolicyList", u.InlinePolicies))
		}})
	}
	for _, g := range w.Groups {
		items = append(items, item{'G', func() string {
			return fmt.Sprintf("<member><GroupName>%s</GroupName><GroupId>AGPA%s</GroupId><Arn>%s</Arn><Path>/</Path>"+
				"<CreateDate>%s</CreateDate>%s%s</member>", esc(g.Name), esc(strings.ToUpper(g.Name)), esc(s.iamARN("group", g.Name)), created,
				attachedXML("AttachedManagedPolicies", g.ManagedPolicies), inlineXML("GroupPolicyList", g.InlinePolicies))
		}})
	}
	for _, r := range w.Roles {
		items = append(items, item{'R', func() string {
			return fmt.Sprintf("<member><RoleName>%s</RoleName><RoleId>AROA%s</RoleId><Arn>%s</Arn><Path>/</Path>"+
				"<CreateDate>%s</CreateDate><AssumeRolePolicyDocument>%s</AssumeRolePolicyDocument>%s%s</member>",
				esc(r.Name), esc(strings.ToUpper(r.Name)), esc(s.iamARN("role", r.Name)), created, esc(url.QueryEscape(r.TrustPolicy)),
				attachedXML("AttachedManagedPolicies", r.ManagedPolicies), inlineXML("RolePolicyList", r.InlinePolicies))
		}})
	}
	for _, p := range w.Policies {
		arn := s.iamARN("policy", p.Name)
		attached := 0
		for _, u := range w.Users {
			attached += count(u.ManagedPolicies, arn)
		}
		for _, g := range w.Groups {
			attached += count(g.ManagedPolicies, arn)
		}
		for _, r := range w.Roles {
			attached += count(r.ManagedPolicies, arn)
		}
		items = append(items, item{'P', func() string {
			return fmt.Sprintf("<member><PolicyName>%s</PolicyName><PolicyId>ANPA%s</PolicyId><Arn>%s</Arn><Path>/</Path>"+
				"<DefaultVersionId>v1</DefaultVersionId><AttachmentCount>%d</AttachmentCount><IsAttachable>true</IsAttachable>"+
				"<CreateDate>%s</CreateDate><UpdateDate>%s</UpdateDate><PolicyVersionList><member><Document>%s</Document>"+
				"<VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>%s</CreateDate></member></PolicyVersionList></member>",
				esc(p.Name), esc(strings.ToUpper(p.Name)), esc(arn), attached, created, created, esc(url.QueryEscape(p.Document)), created)
		}})
	}
	start, end, next, aerr := s.iamPage(req, len(items))
	if aerr != nil {
		return nil, aerr
	}
	lists := map[byte]*strings.Builder{'U': {}, 'G': {}, 'R': {}, 'P': {}}
	for _, it := range items[start:end] {
		lists[it.kind].WriteString(it.render())
	}
	return fmt.Sprintf("<UserDetailList>%s</UserDetailList><GroupDetailList>%s</GroupDetailList><RoleDetailList>%s</RoleDetailList>"+
		"<Policies>%s</Policies>%s", lists['U'], lists['G'], lists['R'], lists['P'], pageXML(next)), nil
}

func membersXML(list []string) string {
	var b strings.Builder
	for _, s := range list {
		fmt.Fprintf(&b, "<member>%s</member>", esc(s))
	}
	return b.String()
}

func count(list []string, v string) int {
	if slices.Contains(list, v) {
		return 1
	}
	return 0
}

// ServerCertificate is one SSL/TLS server certificate stored in IAM.
type ServerCertificate struct {
	Name string
	// Path is "/" when empty.
	Path string
	// ID is the certificate's unique ID; derived from the name when
	// empty.
	ID                 string
	Uploaded, NotAfter time.Time
}

// serverCertificateARN returns the ARN IAM gives a server certificate: its
// path and name after "server-certificate".
func (s *Server) serverCertificateARN(c ServerCertificate) string {
	return fmt.Sprintf("arn:aws:iam::%s:server-certificate%s%s", s.world.Account, certificatePath(c), c.Name)
}

func certificatePath(c ServerCertificate) string {
	if c.Path == "" {
		return "/"
	}
	return c.Path
}

// listServerCertificates pages through IAM.ServerCertificates' metadata.
func (s *Server) listServerCertificates(req *request) (any, *apiError) {
	certs := s.world.IAM.ServerCertificates
	start, end, next, aerr := s.iamPage(req, len(certs))
	if aerr != nil {
		return nil, aerr
	}
	var b strings.Builder
	b.WriteString("<ServerCertificateMetadataList>")
	for _, c := range certs[start:end] {
		id := c.ID
		if id == "" {
			id = "ASCA" + strings.ToUpper(c.Name)
		}
		fmt.Fprintf(&b, "<member><Path>%s</Path><ServerCertificateName>%s</ServerCertificateName><ServerCertificateId>%s</ServerCertificateId>"+
			"<Arn>%s</Arn><UploadDate>%s</UploadDate><Expiration>%s</Expiration></member>",
			esc(certificatePath(c)), esc(c.Name), esc(id), esc(s.serverCertificateARN(c)),
			c.Uploaded.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
	}
	b.WriteString("</ServerCertificateMetadataList>" + pageXML(next))
	return b.String(), nil
}
