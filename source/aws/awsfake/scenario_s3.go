package awsfake

// The grantee group URIs of public ACL grants.
const (
	AllUsers           = "http://acs.amazonaws.com/groups/global/AllUsers"
	AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
)

// DenyHTTPPolicy is the bucket policy AWS documents for denying requests
// without TLS to the bucket named, with its own principal form.
func DenyHTTPPolicy(bucket, principal string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"AllowSSLRequestsOnly","Effect":"Deny","Principal":` + principal +
		`,"Action":"s3:*","Resource":["arn:aws:s3:::` + bucket + `","arn:aws:s3:::` + bucket + `/*"],` +
		`"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
}

// PublicReadPolicy is a bucket policy that lets anyone read the objects of
// the bucket named.
func PublicReadPolicy(bucket string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",` +
		`"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/*"}]}`
}

// ScenarioBuckets are the scenario account's buckets:
//
//   - "main-trail-logs" in us-east-1, main's trail bucket: a policy that
//     denies HTTP, Block Public Access on, KMS encryption, versioning
//     with MFA delete, access logging, tags;
//   - "public-site" in eu-west-1: a website readable by AllUsers through
//     its ACL, given no region by ListBuckets;
//   - "public-by-policy" in ap-southeast-2: a policy that lets anyone
//     read, Object Lock;
//   - "adv" in ap-southeast-2, the advanced-selector trails' bucket,
//     without access logging;
//   - "org-trail-logs", of the management account, which the scanned
//     account does not list.
func ScenarioBuckets() []Bucket {
	on := &PublicAccessBlock{true, true, true, true}
	return []Bucket{
		{Account: acct, Region: "us-east-1", Name: "main-trail-logs", Policy: DenyHTTPPolicy("main-trail-logs", `"*"`),
			PublicAccessBlock: on, SSEAlgorithm: "aws:kms", KMSKey: "arn:aws:kms:us-east-1:" + acct + ":key/1234",
			Versioning: "Enabled", MFADelete: true, LogTarget: "access-logs", LogPrefix: "main-trail-logs/",
			Tags: map[string]string{"team": "security"}},
		{Account: acct, Region: "eu-west-1", Name: "public-site", SSEAlgorithm: "AES256", WebsiteIndex: "index.html",
			Grants: []Grant{{URI: AllUsers, Permission: "READ"}}, Unlocated: true},
		{Account: acct, Region: "ap-southeast-2", Name: "public-by-policy", SSEAlgorithm: "AES256",
			Policy: PublicReadPolicy("public-by-policy"), Versioning: "Suspended", ObjectLock: true},
		{Account: acct, Region: "ap-southeast-2", Name: "adv", SSEAlgorithm: "AES256"},
		{Account: mgmt, Region: "us-east-1", Name: "org-trail-logs", SSEAlgorithm: "AES256"},
	}
}
