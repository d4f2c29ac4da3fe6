package awsfake

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

func init() {
	registerService(fakeService{name: "s3", protocol: restXML, route: s3Route,
		handlers: map[string]handler{
			"ListAllMyBuckets":                 answer((*Server).listBuckets),
			"GetBucketLocation":                onBucket(bucketLocation),
			"GetBucketPolicy":                  onBucket(bucketPolicy),
			"GetBucketAcl":                     onBucket(bucketACL),
			"GetBucketPublicAccessBlock":       onBucket(bucketPublicAccessBlock),
			"GetEncryptionConfiguration":       onBucket(bucketEncryption),
			"GetBucketVersioning":              onBucket(bucketVersioning),
			"GetBucketLogging":                 onBucket(bucketLogging),
			"GetBucketObjectLockConfiguration": onBucket(bucketObjectLock),
			"GetBucketTagging":                 onBucket(bucketTagging),
			"GetBucketWebsite":                 onBucket(bucketWebsite),
			"GetAccountPublicAccessBlock":      (*Server).accountPublicAccessBlock,
		}})
}

// Bucket is one S3 bucket, in one account and region. A zero setting is
// one the bucket does not have.
type Bucket struct {
	Account, Region, Name string
	// Policy is the bucket policy's JSON text.
	Policy string
	// Grants are the ACL's grants besides the owner's FULL_CONTROL.
	Grants []Grant
	// PublicAccessBlock is the bucket's Block Public Access settings.
	PublicAccessBlock *PublicAccessBlock
	// SSEAlgorithm ("AES256", "aws:kms") and KMSKey are the default
	// encryption; none when SSEAlgorithm is empty.
	SSEAlgorithm, KMSKey string
	// Versioning is "Enabled", "Suspended" or empty (never enabled).
	Versioning string
	MFADelete  bool
	// LogTarget and LogPrefix are where server access logs go; logging
	// is off when LogTarget is empty.
	LogTarget, LogPrefix string
	ObjectLock           bool
	Tags                 map[string]string
	// WebsiteIndex is the index document of a static website.
	WebsiteIndex string
	// Unlocated makes ListBuckets give no region for the bucket, as for a
	// request without parameters, so that GetBucketLocation is needed.
	Unlocated bool
}

// Grant is one ACL grant: to a group (URI) or a canonical user (ID).
type Grant struct {
	URI, ID, Permission string
}

// PublicAccessBlock is one set of Block Public Access settings.
type PublicAccessBlock struct {
	BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets bool
}

// s3Route names the action of a path-style S3 or S3 Control request by
// its IAM action: the account's Block Public Access, the bucket list, or
// the bucket subresource its query names.
func s3Route(r *http.Request) string {
	if r.Method != http.MethodGet {
		return r.Method + " " + r.URL.Path
	}
	if strings.HasPrefix(r.URL.Path, "/v20180820/configuration/publicAccessBlock") {
		return "GetAccountPublicAccessBlock"
	}
	if strings.Trim(r.URL.Path, "/") == "" {
		return "ListAllMyBuckets"
	}
	q := r.URL.Query()
	for _, sub := range []struct{ key, action string }{
		{"location", "GetBucketLocation"}, {"policy", "GetBucketPolicy"}, {"acl", "GetBucketAcl"},
		{"publicAccessBlock", "GetBucketPublicAccessBlock"}, {"encryption", "GetEncryptionConfiguration"},
		{"versioning", "GetBucketVersioning"}, {"logging", "GetBucketLogging"},
		{"object-lock", "GetBucketObjectLockConfiguration"}, {"tagging", "GetBucketTagging"}, {"website", "GetBucketWebsite"},
	} {
		if q.Has(sub.key) {
			return sub.action
		}
	}
	return "GET " + r.URL.Path
}

// onBucket wraps a handler of one bucket's subresource: it finds the
// bucket named in the path among the caller's, and answers NoSuchBucket
// when there is none.
func onBucket(fn func(b *Bucket) (string, *apiError)) handler {
	return func(s *Server, req *request) (any, *apiError) {
		name := req.bucket()
		for i := range s.world.Buckets {
			b := &s.world.Buckets[i]
			if b.Name == name && b.Account == req.account {
				return fn(b)
			}
		}
		return nil, errorf(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
	}
}

// listBuckets pages through the caller's buckets, by name, with their
// regions when asked with parameters (max-buckets), as S3 does.
func (s *Server) listBuckets(req *request) string {
	var mine []Bucket
	for _, b := range s.world.Buckets {
		if b.Account == req.account {
			mine = append(mine, b)
		}
	}
	slices.SortFunc(mine, func(a, b Bucket) int { return strings.Compare(a.Name, b.Name) })
	size := len(mine)
	if m, err := strconv.Atoi(req.form.Get("max-buckets")); err == nil && m > 0 {
		size = min(m, s.world.PageSize)
	}
	start, end, next, _ := s.pageOf(req.form.Get("continuation-token"), len(mine), max(size, 1))
	var b strings.Builder
	b.WriteString("<ListAllMyBucketsResult><Owner><ID>owner-" + req.account + "</ID></Owner><Buckets>")
	for _, bk := range mine[start:end] {
		fmt.Fprintf(&b, "<Bucket><Name>%s</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate>", esc(bk.Name))
		if req.form.Has("max-buckets") && !bk.Unlocated {
			fmt.Fprintf(&b, "<BucketRegion>%s</BucketRegion>", esc(bk.Region))
		}
		b.WriteString("</Bucket>")
	}
	b.WriteString("</Buckets>")
	if next != "" {
		fmt.Fprintf(&b, "<ContinuationToken>%s</ContinuationToken>", next)
	}
	b.WriteString("</ListAllMyBucketsResult>")
	return b.String()
}

func bucketLocation(b *Bucket) (string, *apiError) {
	loc := b.Region
	if loc == "us-east-1" {
		loc = ""
	}
	return "<LocationConstraint>" + esc(loc) + "</LocationConstraint>", nil
}

func bucketPolicy(b *Bucket) (string, *apiError) {
	if b.Policy == "" {
		return "", errorf(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist")
	}
	return b.Policy, nil
}

func bucketACL(b *Bucket) (string, *apiError) {
	var s strings.Builder
	owner := "owner-" + b.Account
	fmt.Fprintf(&s, "<AccessControlPolicy><Owner><ID>%s</ID></Owner><AccessControlList>", owner)
	grants := append([]Grant{{ID: owner, Permission: "FULL_CONTROL"}}, b.Grants...)
	for _, g := range grants {
		if g.URI != "" {
			fmt.Fprintf(&s, `<Grant><Grantee xsi:type="Group"><URI>%s</URI></Grantee>`, esc(g.URI))
		} else {
			fmt.Fprintf(&s, `<Grant><Grantee xsi:type="CanonicalUser"><ID>%s</ID></Grantee>`, esc(g.ID))
		}
		fmt.Fprintf(&s, "<Permission>%s</Permission></Grant>", g.Permission)
	}
	s.WriteString("</AccessControlList></AccessControlPolicy>")
	return s.String(), nil
}

func bucketPublicAccessBlock(b *Bucket) (string, *apiError) {
	if b.PublicAccessBlock == nil {
		return "", errorf(http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
	}
	return b.PublicAccessBlock.xml(), nil
}

// xml renders the settings as S3 and S3 Control answer them.
func (p PublicAccessBlock) xml() string {
	return fmt.Sprintf("<PublicAccessBlockConfiguration><BlockPublicAcls>%t</BlockPublicAcls><IgnorePublicAcls>%t</IgnorePublicAcls>"+
		"<BlockPublicPolicy>%t</BlockPublicPolicy><RestrictPublicBuckets>%t</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
		p.BlockPublicAcls, p.IgnorePublicAcls, p.BlockPublicPolicy, p.RestrictPublicBuckets)
}

func bucketEncryption(b *Bucket) (string, *apiError) {
	if b.SSEAlgorithm == "" {
		return "", errorf(http.StatusNotFound, "ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found")
	}
	key := ""
	if b.KMSKey != "" {
		key = "<KMSMasterKeyID>" + esc(b.KMSKey) + "</KMSMasterKeyID>"
	}
	return "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>" + esc(b.SSEAlgorithm) +
		"</SSEAlgorithm>" + key + "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>", nil
}

func bucketVersioning(b *Bucket) (string, *apiError) {
	var s strings.Builder
	s.WriteString("<VersioningConfiguration>")
	if b.Versioning != "" {
		s.WriteString("<Status>" + b.Versioning + "</Status>")
		mfa := "Disabled"
		if b.MFADelete {
			mfa = "Enabled"
		}
		s.WriteString("<MfaDelete>" + mfa + "</MfaDelete>")
	}
	s.WriteString("</VersioningConfiguration>")
	return s.String(), nil
}

func bucketLogging(b *Bucket) (string, *apiError) {
	if b.LogTarget == "" {
		return "<BucketLoggingStatus></BucketLoggingStatus>", nil
	}
	return "<BucketLoggingStatus><LoggingEnabled><TargetBucket>" + esc(b.LogTarget) + "</TargetBucket><TargetPrefix>" +
		esc(b.LogPrefix) + "</TargetPrefix></LoggingEnabled></BucketLoggingStatus>", nil
}

func bucketObjectLock(b *Bucket) (string, *apiError) {
	if !b.ObjectLock {
		return "", errorf(http.StatusNotFound, "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket")
	}
	return "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>", nil
}

func bucketTagging(b *Bucket) (string, *apiError) {
	if len(b.Tags) == 0 {
		return "", errorf(http.StatusNotFound, "NoSuchTagSet", "The TagSet does not exist")
	}
	var s strings.Builder
	s.WriteString("<Tagging><TagSet>")
	for k, v := range b.Tags {
		fmt.Fprintf(&s, "<Tag><Key>%s</Key><Value>%s</Value></Tag>", esc(k), esc(v))
	}
	s.WriteString("</TagSet></Tagging>")
	return s.String(), nil
}

func bucketWebsite(b *Bucket) (string, *apiError) {
	if b.WebsiteIndex == "" {
		return "", errorf(http.StatusNotFound, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration")
	}
	return "<WebsiteConfiguration><IndexDocument><Suffix>" + esc(b.WebsiteIndex) + "</Suffix></IndexDocument></WebsiteConfiguration>", nil
}

// accountPublicAccessBlock answers S3 Control's GetPublicAccessBlock for
// the account the x-amz-account-id header names.
func (s *Server) accountPublicAccessBlock(req *request) (any, *apiError) {
	p, ok := s.world.AccountPublicAccessBlocks[req.header.Get("x-amz-account-id")]
	if !ok {
		return nil, errorf(http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
	}
	return p.xml(), nil
}

// bucket returns the bucket a path-style S3 request names, or "".
func (req *request) bucket() string {
	name, _, _ := strings.Cut(strings.TrimPrefix(req.path, "/"), "/")
	return name
}
