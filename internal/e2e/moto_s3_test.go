package e2e

import (
	"context"
	"net/url"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
	smithyendpoints "github.com/aws/smithy-go/endpoints"

	"vigil/entity"
	vigilaws "vigil/source/aws"
	"vigil/source/aws/awsfake"
)

// motoBucket is one bucket the S3 test seeds, with what vigil must
// compute of it.
type motoBucket struct {
	name, region string
	acl          s3types.BucketCannedACL // "" for private
	policy       string
	denies       bool // deniesInsecureTransport
	public       bool // isPublic
}

// seedBuckets creates the buckets through the S3 API, in their regions.
func seedBuckets(t *testing.T, account string, buckets []motoBucket) {
	t.Helper()
	ctx := context.Background()
	for _, b := range buckets {
		cfg := motoConfig(t, account)
		cfg.Region = b.region
		c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
		in := &s3.CreateBucketInput{Bucket: aws.String(b.name)}
		if b.region != "us-east-1" {
			in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(b.region)}
		}
		_, err := c.CreateBucket(ctx, in)
		check(t, "create bucket "+b.name, err)
		if b.acl != "" {
			_, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String(b.name), ACL: b.acl})
			check(t, "acl of "+b.name, err)
		}
		if b.policy != "" {
			_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(b.name), Policy: aws.String(b.policy)})
			check(t, "policy of "+b.name, err)
		}
	}
}

// TestMotoS3Buckets: buckets seeded in moto through the S3 API, public by
// ACL and by policy, with policies that deny HTTP in each usual form and
// one that only looks like it, read by vigil's collector in their regions;
// in a second account, the account's Block Public Access saves a bucket
// that its ACL makes public.
func TestMotoS3Buckets(t *testing.T) {
	motoEndpoint(t)
	account, saved := motoAccount(), motoAccount()
	objectsOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",` +
		`"Resource":"arn:aws:s3:::looks-like-deny-` + account + `/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	buckets := []motoBucket{
		{name: "acl-public-" + account, region: "us-east-1", acl: s3types.BucketCannedACLPublicRead, public: true},
		{name: "policy-public-" + account, region: "eu-west-1", policy: awsfake.PublicReadPolicy("policy-public-" + account), public: true},
		{name: "deny-star-" + account, region: "us-east-1", policy: awsfake.DenyHTTPPolicy("deny-star-"+account, `"*"`), denies: true},
		{name: "deny-aws-star-" + account, region: "eu-west-1", policy: awsfake.DenyHTTPPolicy("deny-aws-star-"+account, `{"AWS":"*"}`), denies: true},
		{name: "looks-like-deny-" + account, region: "us-east-1", policy: objectsOnly},
		{name: "private-" + account, region: "eu-west-1"},
	}
	seedBuckets(t, account, buckets)
	seedBuckets(t, saved, []motoBucket{{name: "saved-" + saved, region: "us-east-1", acl: s3types.BucketCannedACLPublicRead}})
	_, err := s3control.NewFromConfig(motoConfig(t, saved), func(o *s3control.Options) {
		o.EndpointResolverV2 = motoControlEndpoint{}
	}).PutPublicAccessBlock(context.Background(), &s3control.PutPublicAccessBlockInput{AccountId: aws.String(saved),
		PublicAccessBlockConfiguration: &s3ctypes.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true),
			IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}})
	check(t, "account Block Public Access", err)

	regions := []string{"us-east-1", "eu-west-1"}
	inv := collectFromMoto(t, account, regions, vigilaws.TypeS3Bucket)
	if len(inv.Failures) != 0 {
		t.Errorf("failures: %v", inv.Failures)
	}
	got := map[string]*entity.Entity{}
	for _, e := range inv.Entities {
		got[e.Name] = e
	}
	for _, b := range buckets {
		e := got[b.name]
		if e == nil {
			t.Errorf("bucket %s not collected", b.name)
			continue
		}
		if e.Region != b.region || e.Attrs["deniesInsecureTransport"] != b.denies || e.Attrs["isPublic"] != b.public {
			t.Errorf("%s: region %s, deniesInsecureTransport %v, isPublic %v; want %s, %t, %t", b.name, e.Region,
				e.Attrs["deniesInsecureTransport"], e.Attrs["isPublic"], b.region, b.denies, b.public)
		}
	}

	inv = collectFromMoto(t, saved, regions, vigilaws.TypeS3Bucket)
	if len(inv.Entities) != 1 || len(inv.Failures) != 0 {
		t.Fatalf("%d buckets, failures %v", len(inv.Entities), inv.Failures)
	}
	if e := inv.Entities[0]; e.Attrs["isPublic"] != false || e.Attrs["publicAccessBlock"] != nil {
		t.Errorf("saved bucket: isPublic %v, publicAccessBlock %v, accountPublicAccessBlock %v", e.Attrs["isPublic"],
			e.Attrs["publicAccessBlock"], e.Attrs["accountPublicAccessBlock"])
	}
}

// motoControlEndpoint sends S3 Control calls to moto as they are, where
// AWS would put the account ID in the host name.
type motoControlEndpoint struct{}

// ResolveEndpoint returns moto's URL.
func (motoControlEndpoint) ResolveEndpoint(context.Context, s3control.EndpointParameters) (smithyendpoints.Endpoint, error) {
	u, err := url.Parse(os.Getenv(motoEnvVar))
	if err != nil {
		return smithyendpoints.Endpoint{}, err
	}
	return smithyendpoints.Endpoint{URI: *u}, nil
}
