package aws

import (
	"context"

	"vigil/entity"
)

// trailBucketAttrs are the attributes of a CloudTrail that S3 fills: the
// server access logging of the bucket the trail delivers to.
var trailBucketAttrs = []string{"s3BucketLogging"}

// bucketJoins are the S3 reads that both the S3Bucket entities and the
// trails' buckets need, each made once whoever asks first.
type bucketJoins struct {
	list      memo[string, bucketList]
	locations memo[string, regionResult]
	logging   memo[string, loggingResult]
}

// bucketList is the account's buckets, or why they could not be listed.
type bucketList struct {
	buckets []*bucket
	err     *callError
}

// regionResult is a bucket's region, or why it could not be found.
type regionResult struct {
	region string
	err    *callError
}

// loggingResult is a bucket's server access logging, or why it could not
// be read.
type loggingResult struct {
	v   map[string]any
	err *callError
}

// accountBuckets lists the account's buckets once.
func (c *Collector) accountBuckets(ctx context.Context) ([]*bucket, *callError) {
	l := c.buckets.list.get("", func() bucketList {
		b, err := c.listAllBuckets(ctx)
		return bucketList{b, err}
	})
	return l.buckets, l.err
}

// bucketLogging reads one bucket's server access logging once, in its
// region.
func (c *Collector) bucketLogging(ctx context.Context, region, name string) (map[string]any, *callError) {
	r := c.buckets.logging.get(name, func() loggingResult {
		v, err := readBucketLogging(ctx, c, region, name)
		return loggingResult{v, err}
	})
	return r.v, r.err
}

// enrichTrailBuckets sets each trail's s3BucketLogging: the server access
// logging of its bucket, read in the bucket's region. A bucket that is
// not among the scanned account's (a central log archive account's) is
// Unknown: its logging can only be read in its own account, and is never
// taken as off.
func enrichTrailBuckets(ctx context.Context, c *Collector, trails []*entity.Entity, out *additions) {
	if !c.opts.wantedAttr(TypeCloudTrail, "s3BucketLogging") {
		return
	}
	buckets, lerr := c.accountBuckets(ctx)
	byName := map[string]*bucket{}
	for _, b := range buckets {
		byName[b.name] = b
	}
	fanOut(trails, func(e *entity.Entity) {
		name, _ := e.Attrs["s3BucketName"].(string)
		b := byName[name]
		switch {
		case name == "":
			out.set(e, "s3BucketLogging", nil)
		case lerr != nil:
			c.trailBucketFailed(e, lerr, out)
		case b == nil:
			out.set(e, "s3BucketLogging", entity.NewUnknown(entity.UnknownMaybeNull, "the bucket "+name+
				" is not one of account "+c.account+"'s buckets: its logging can only be read in the account that owns it"))
			out.used(e, "s3:ListAllMyBuckets")
		default:
			region, rerr := c.locate(ctx, b)
			if rerr != nil {
				c.trailBucketFailed(e, rerr, out)
				return
			}
			v, err := c.bucketLogging(ctx, region, name)
			if err != nil {
				c.trailBucketFailed(e, err, out)
				return
			}
			out.set(e, "s3BucketLogging", v["logging"])
			out.used(e, "s3:GetBucketLogging")
		}
	})
}

// trailBucketFailed makes a trail's s3BucketLogging Unknown, with the
// failure of the call that kept it from being read.
func (c *Collector) trailBucketFailed(e *entity.Entity, cerr *callError, out *additions) {
	out.set(e, "s3BucketLogging", cerr.unknown())
	c.fail(cerr.failure(TypeCloudTrail, "s3BucketLogging", c.account, e.ID))
}
