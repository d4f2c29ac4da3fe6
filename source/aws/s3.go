package aws

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	smithyendpoints "github.com/aws/smithy-go/endpoints"

	"vigil/entity"
)

// TypeS3Bucket is the entity type of an S3 bucket.
const TypeS3Bucket = "S3Bucket"

// Attributes of an S3Bucket, by the call that fills them. The computed
// ones are filled by every call they are computed from.
var (
	s3ListAttrs   = []string{"id", "arn", "name", "creationDate", "region"}
	s3PolicyAttrs = []string{"policy", "deniesInsecureTransport", "isPublic"}
	s3ACLAttrs    = []string{"acl", "isPublic"}
	s3BlockAttrs  = []string{"publicAccessBlock", "isPublic"}
	s3AcctAttrs   = []string{"accountPublicAccessBlock", "isPublic"}
)

func init() {
	register(service{
		name:      "s3",
		newClient: newS3Clients,
		actions: []action{
			{name: "s3:ListAllMyBuckets", purpose: "list the account's buckets (ListBuckets), with the region of each",
				fills: []fill{{TypeS3Bucket, s3ListAttrs}, {TypeCloudTrail, trailBucketAttrs}}},
			{name: "s3:GetBucketLocation", purpose: "find the region of a bucket that ListBuckets gave none for",
				fills: []fill{{TypeS3Bucket, []string{"region"}}, {TypeCloudTrail, trailBucketAttrs}}},
			{name: "s3:GetBucketPolicy", purpose: "read each bucket's policy, in the bucket's region",
				fills: []fill{{TypeS3Bucket, s3PolicyAttrs}}},
			{name: "s3:GetBucketAcl", purpose: "read each bucket's ACL grants",
				fills: []fill{{TypeS3Bucket, s3ACLAttrs}}},
			{name: "s3:GetBucketPublicAccessBlock", purpose: "read each bucket's Block Public Access settings (GetPublicAccessBlock)",
				fills: []fill{{TypeS3Bucket, s3BlockAttrs}}},
			{name: "s3:GetAccountPublicAccessBlock", purpose: "read the account's Block Public Access settings (S3 Control GetPublicAccessBlock)",
				fills: []fill{{TypeS3Bucket, s3AcctAttrs}}},
			{name: "s3:GetEncryptionConfiguration", purpose: "read each bucket's default encryption (GetBucketEncryption)",
				fills: []fill{{TypeS3Bucket, []string{"encryption"}}}},
			{name: "s3:GetBucketVersioning", purpose: "read each bucket's versioning and MFA delete status",
				fills: []fill{{TypeS3Bucket, []string{"versioning"}}}},
			{name: "s3:GetBucketLogging", purpose: "read the server access logging of each bucket, and of each trail's bucket",
				fills: []fill{{TypeS3Bucket, []string{"logging"}}, {TypeCloudTrail, trailBucketAttrs}}},
			{name: "s3:GetBucketObjectLockConfiguration", purpose: "read each bucket's Object Lock configuration (GetObjectLockConfiguration)",
				fills: []fill{{TypeS3Bucket, []string{"objectLock"}}}},
			{name: "s3:GetBucketTagging", purpose: "read each bucket's tags",
				fills: []fill{{TypeS3Bucket, []string{"tags"}}}},
			{name: "s3:GetBucketWebsite", purpose: "read each bucket's static website configuration",
				fills: []fill{{TypeS3Bucket, []string{"website"}}}},
		},
		listed:   []string{TypeS3Bucket},
		list:     listBuckets,
		enriched: TypeCloudTrail,
		enrich:   enrichTrailBuckets,
	})
}

// s3API is the part of the S3 client vigil calls.
type s3API interface {
	ListBuckets(context.Context, *s3.ListBucketsInput, ...func(*s3.Options)) (*s3.ListBucketsOutput, error)
	GetBucketLocation(context.Context, *s3.GetBucketLocationInput, ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error)
	GetBucketPolicy(context.Context, *s3.GetBucketPolicyInput, ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error)
	GetBucketAcl(context.Context, *s3.GetBucketAclInput, ...func(*s3.Options)) (*s3.GetBucketAclOutput, error)
	GetPublicAccessBlock(context.Context, *s3.GetPublicAccessBlockInput, ...func(*s3.Options)) (*s3.GetPublicAccessBlockOutput, error)
	GetBucketEncryption(context.Context, *s3.GetBucketEncryptionInput, ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error)
	GetBucketVersioning(context.Context, *s3.GetBucketVersioningInput, ...func(*s3.Options)) (*s3.GetBucketVersioningOutput, error)
	GetBucketLogging(context.Context, *s3.GetBucketLoggingInput, ...func(*s3.Options)) (*s3.GetBucketLoggingOutput, error)
	GetObjectLockConfiguration(context.Context, *s3.GetObjectLockConfigurationInput, ...func(*s3.Options)) (*s3.GetObjectLockConfigurationOutput, error)
	GetBucketTagging(context.Context, *s3.GetBucketTaggingInput, ...func(*s3.Options)) (*s3.GetBucketTaggingOutput, error)
	GetBucketWebsite(context.Context, *s3.GetBucketWebsiteInput, ...func(*s3.Options)) (*s3.GetBucketWebsiteOutput, error)
}

// s3ControlAPI is the part of the S3 Control client vigil calls.
type s3ControlAPI interface {
	GetPublicAccessBlock(context.Context, *s3control.GetPublicAccessBlockInput, ...func(*s3control.Options)) (*s3control.GetPublicAccessBlockOutput, error)
}

var (
	_ s3API        = (*s3.Client)(nil)
	_ s3ControlAPI = (*s3control.Client)(nil)
)

// s3Clients are the two clients of the "s3" IAM prefix: S3 itself, and S3
// Control for the account's settings.
type s3Clients struct {
	s3      s3API
	control s3ControlAPI
}

// newS3Clients builds both S3 clients. With an endpoint override (an
// emulator), S3 uses path-style addresses and S3 Control the endpoint as
// it is, where AWS would put the bucket or the account ID in the host
// name.
func newS3Clients(cfg aws.Config) any {
	override := aws.ToString(cfg.BaseEndpoint)
	return s3Clients{
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = override != "" }),
		control: s3control.NewFromConfig(cfg, func(o *s3control.Options) {
			if override != "" {
				o.EndpointResolverV2 = fixedControlEndpoint{override}
			}
		}),
	}
}

// fixedControlEndpoint sends every S3 Control call to one URL.
type fixedControlEndpoint struct{ url string }

// ResolveEndpoint returns the fixed URL.
func (f fixedControlEndpoint) ResolveEndpoint(context.Context, s3control.EndpointParameters) (smithyendpoints.Endpoint, error) {
	u, err := url.Parse(f.url)
	if err != nil {
		return smithyendpoints.Endpoint{}, err
	}
	return smithyendpoints.Endpoint{URI: *u}, nil
}

func (c *Collector) s3(region string) s3API { return client[s3Clients](c, "s3", region).s3 }

func (c *Collector) s3control(region string) s3ControlAPI {
	return client[s3Clients](c, "s3", region).control
}

// bucket is one bucket as ListBuckets gave it, with its region once known.
type bucket struct {
	name    string
	created any
	region  string
	// regionErr is why the region could not be found.
	regionErr *callError
}

// arn returns the bucket's ARN.
func (b *bucket) arn() string { return "arn:aws:s3:::" + b.name }

// listBuckets lists the account's buckets and reads each one's settings
// in its own region, only those the wanted attributes need
// (Options.Attrs). A bucket in a region that is not scanned has every
// setting Unknown, with a failure: it is never read as having none.
func listBuckets(ctx context.Context, c *Collector, regions []string) []*entity.Entity {
	if !c.opts.wanted(TypeS3Bucket) {
		return nil
	}
	if len(regions) == 0 {
		// No region is scanned: the collector has recorded that no
		// entity of a regional type could be listed.
		return nil
	}
	buckets, cerr := c.accountBuckets(ctx)
	if cerr != nil {
		c.fail(cerr.failure(TypeS3Bucket, "", c.account, ""))
		return nil
	}
	scanned := regionSet(regions)
	var account accountBlock
	var wg sync.WaitGroup
	if c.wantsAny(TypeS3Bucket, s3AcctAttrs) && len(buckets) > 0 {
		wg.Go(func() { account = c.accountPublicAccessBlock(ctx) })
	}
	fanOut(buckets, func(b *bucket) { c.bucketRegion(ctx, b) })
	wg.Wait()
	out := make([]*entity.Entity, len(buckets))
	fanOut(indexes(len(buckets)), func(i int) {
		out[i] = c.readBucket(ctx, buckets[i], scanned, account)
	})
	return out
}

// regionSet returns the regions the scan reads, as a set.
func regionSet(regions []string) map[string]bool {
	out := map[string]bool{}
	for _, r := range regions {
		out[r] = true
	}
	return out
}

// indexes returns 0 … n-1.
func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// listAllBuckets reads every page of ListBuckets. Asking for pages makes
// S3 give each bucket's region.
func (c *Collector) listAllBuckets(ctx context.Context) ([]*bucket, *callError) {
	const call = "s3:ListAllMyBuckets"
	region := c.cfg.Region
	p := s3.NewListBucketsPaginator(c.s3(region), &s3.ListBucketsInput{MaxBuckets: aws.Int32(1000)})
	var out []*bucket
	for pages := 0; p.HasMorePages(); pages++ {
		if pages == maxPages {
			return nil, &callError{Call: call, Region: region, Err: errTooManyPages}
		}
		var page *s3.ListBucketsOutput
		if cerr := c.call(ctx, call, region, func(ctx context.Context) error {
			var err error
			page, err = p.NextPage(ctx)
			return err
		}); cerr != nil {
			return nil, cerr
		}
		for _, b := range page.Buckets {
			out = append(out, &bucket{name: aws.ToString(b.Name), created: timeOrNil(b.CreationDate),
				region: aws.ToString(b.BucketRegion)})
		}
	}
	slices.SortFunc(out, func(a, b *bucket) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// bucketRegion sets the region of a bucket that ListBuckets gave none
// for, or why it could not be found.
func (c *Collector) bucketRegion(ctx context.Context, b *bucket) {
	if b.region == "" {
		b.region, b.regionErr = c.locate(ctx, b)
	}
}

// locate returns a bucket's region: the one ListBuckets gave, or
// GetBucketLocation's, asked once per bucket. An empty location is
// us-east-1, and "EU" the old name of eu-west-1.
func (c *Collector) locate(ctx context.Context, b *bucket) (string, *callError) {
	if b.region != "" {
		return b.region, nil
	}
	r := c.buckets.locations.get(b.name, func() regionResult {
		var out *s3.GetBucketLocationOutput
		cerr := c.call(ctx, "s3:GetBucketLocation", c.cfg.Region, func(ctx context.Context) error {
			var err error
			out, err = c.s3(c.cfg.Region).GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(b.name)})
			return err
		})
		if cerr != nil {
			return regionResult{err: cerr}
		}
		switch loc := string(out.LocationConstraint); loc {
		case "":
			return regionResult{region: "us-east-1"}
		case "EU":
			return regionResult{region: "eu-west-1"}
		default:
			return regionResult{region: loc}
		}
	})
	return r.region, r.err
}

// wantsAny reports whether any of attrs of typ is wanted.
func (c *Collector) wantsAny(typ string, attrs []string) bool {
	return slices.ContainsFunc(attrs, func(a string) bool { return c.opts.wantedAttr(typ, a) })
}
