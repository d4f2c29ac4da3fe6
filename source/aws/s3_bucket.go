package aws

import (
	"context"
	"sync"

	"vigil/entity"
	"vigil/source/iampolicy"
)

// bucketRead is one per-bucket call: the IAM action, the attributes its
// answer gives (the computed ones aside), and how to read them in the
// bucket's region. A setting the bucket does not have (no policy, no
// website) is data, and read returns it as such; only a failed call
// returns a callError.
type bucketRead struct {
	action string
	attrs  []string
	read   func(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError)
}

// bucketReads are the per-bucket calls, in the order of their attributes
// in the catalogue (entity/types/S3Bucket.yaml).
var bucketReads = []bucketRead{
	{"s3:GetBucketPolicy", []string{"policy"}, readBucketPolicy},
	{"s3:GetBucketAcl", []string{"acl"}, readBucketACL},
	{"s3:GetBucketPublicAccessBlock", []string{"publicAccessBlock"}, readBucketPublicAccessBlock},
	{"s3:GetEncryptionConfiguration", []string{"encryption"}, readBucketEncryption},
	{"s3:GetBucketVersioning", []string{"versioning"}, readBucketVersioning},
	{"s3:GetBucketLogging", []string{"logging"}, func(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError) {
		return c.bucketLogging(ctx, region, name)
	}},
	{"s3:GetBucketObjectLockConfiguration", []string{"objectLock"}, readBucketObjectLock},
	{"s3:GetBucketTagging", []string{"tags"}, readBucketTags},
	{"s3:GetBucketWebsite", []string{"website"}, readBucketWebsite},
}

// needed reports whether the call is made for the buckets: some
// attribute of S3Bucket its registered action fills (computed ones
// included) is wanted.
func (r bucketRead) needed(c *Collector) bool {
	for _, a := range lookup("s3").actions {
		if a.name == r.action {
			for _, f := range a.fills {
				if f.entityType == TypeS3Bucket && c.wantsAny(f.entityType, f.attrs) {
					return true
				}
			}
		}
	}
	return false
}

// accountBlock is the account's Block Public Access settings (nil when
// none are set), or why they could not be read.
type accountBlock struct {
	v   any
	err *callError
}

// readBucket builds the entity of one bucket: its listed attributes, then
// the wanted settings read in its region at once, then the attributes
// computed from them.
func (c *Collector) readBucket(ctx context.Context, b *bucket, scanned map[string]bool, account accountBlock) *entity.Entity {
	e := &entity.Entity{Type: TypeS3Bucket, ID: b.arn(), Name: b.name, Scope: c.account, Region: b.region,
		Attrs:  map[string]any{"id": b.arn(), "arn": b.arn(), "name": b.name, "creationDate": b.created, "region": b.region},
		Origin: entity.Origin{API: []string{"s3:ListAllMyBuckets"}}}
	attrs := map[string]any{}
	errs := map[string]*callError{}
	if c.wantsAny(TypeS3Bucket, s3AcctAttrs) {
		attrs["accountPublicAccessBlock"] = account.v
		if account.err != nil {
			attrs["accountPublicAccessBlock"] = account.err.unknown()
			errs["accountPublicAccessBlock"] = account.err
			c.fail(account.err.failure(TypeS3Bucket, "accountPublicAccessBlock", c.account, e.ID))
		} else {
			e.Origin.API = appendAction(e.Origin.API, "s3:GetAccountPublicAccessBlock")
		}
	}
	if unread := c.unreadBucket(b, scanned, e); unread != nil {
		e.Attrs["region"] = bucketRegionValue(b, unread)
		for _, r := range bucketReads {
			if r.needed(c) {
				for _, a := range r.attrs {
					attrs[a] = unread
				}
			}
		}
	} else {
		c.readBucketSettings(ctx, b, e, attrs, errs)
	}
	c.computeBucket(e, attrs, errs)
	for k, v := range attrs {
		if c.opts.wantedAttr(TypeS3Bucket, k) {
			e.Attrs[k] = v
		}
	}
	return e
}

// unreadBucket returns the Unknown that stands in for the settings of a
// bucket whose region could not be found or is not scanned, after
// recording the failure; nil when the bucket can be read.
func (c *Collector) unreadBucket(b *bucket, scanned map[string]bool, e *entity.Entity) *entity.Unknown {
	switch {
	case b.regionErr != nil:
		c.fail(b.regionErr.failure(TypeS3Bucket, entity.AnyAttr, c.account, e.ID))
		return b.regionErr.unknown()
	case !scanned[b.region]:
		reason := "the bucket is in " + b.region + ", a region not scanned (not enabled for the account, or not named with --region)"
		c.fail(entity.Failure{Type: TypeS3Bucket, Attr: entity.AnyAttr, Scope: c.account, Region: b.region, Entity: e.ID,
			Call: "s3:ListAllMyBuckets", Error: reason})
		return entity.NewUnknown(entity.UnknownMaybeNull, "not collected: "+reason)
	}
	return nil
}

// bucketRegionValue is the region attribute of a bucket that could not be
// read: its region when known, else the Unknown.
func bucketRegionValue(b *bucket, unread *entity.Unknown) any {
	if b.region != "" {
		return b.region
	}
	return unread
}

// readBucketSettings makes the needed per-bucket calls at once, in the
// bucket's region, and puts what each gave (or its Unknown, with a
// failure per attribute) in attrs, and the failed calls in errs by the
// attribute they would have filled.
func (c *Collector) readBucketSettings(ctx context.Context, b *bucket, e *entity.Entity, attrs map[string]any, errs map[string]*callError) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, r := range bucketReads {
		if !r.needed(c) {
			continue
		}
		wg.Go(func() {
			got, cerr := r.read(ctx, c, b.region, b.name)
			mu.Lock()
			defer mu.Unlock()
			if cerr != nil {
				for _, a := range r.attrs {
					attrs[a] = cerr.unknown()
					errs[a] = cerr
					c.fail(cerr.failure(TypeS3Bucket, a, c.account, e.ID))
				}
				return
			}
			for _, a := range r.attrs {
				attrs[a] = got[a]
			}
			e.Origin.API = appendAction(e.Origin.API, r.action)
		})
	}
	wg.Wait()
}

// computeBucket adds the attributes computed from the settings read:
// whether the policy denies HTTP, and whether the bucket is public after
// Block Public Access (source/iampolicy). An input that could not be read
// makes them Unknown unless the rest settles them; a computed attribute
// left Unknown gets the failures of the inputs that made it so (errs, by
// input attribute), so that rules reading it report ERROR.
func (c *Collector) computeBucket(e *entity.Entity, attrs map[string]any, errs map[string]*callError) {
	computed := []struct {
		attr   string
		inputs []string
		value  func() any
	}{
		{"deniesInsecureTransport", []string{"policy"}, func() any {
			return iampolicy.DeniesInsecureTransport(attrs["policy"], e.ID)
		}},
		{"isPublic", []string{"policy", "acl", "publicAccessBlock", "accountPublicAccessBlock"}, func() any {
			return iampolicy.BucketPublic(aclGrants(attrs["acl"]), attrs["policy"], attrs["publicAccessBlock"], attrs["accountPublicAccessBlock"])
		}},
	}
	for _, cp := range computed {
		if !c.opts.wantedAttr(TypeS3Bucket, cp.attr) {
			continue
		}
		v := cp.value()
		attrs[cp.attr] = v
		if !entity.IsUnknown(v) {
			continue
		}
		for _, in := range cp.inputs {
			if cerr := errs[in]; cerr != nil {
				c.fail(cerr.failure(TypeS3Bucket, cp.attr, c.account, e.ID))
			}
		}
	}
}

// aclGrants returns the grants of an acl attribute, or its Unknown.
func aclGrants(acl any) any {
	if u, ok := acl.(*entity.Unknown); ok {
		return u
	}
	m, _ := acl.(map[string]any)
	return m["grants"]
}
