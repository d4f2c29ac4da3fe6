package aws

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"

	"vigil/source/iampolicy"
)

// s3Call makes one per-bucket S3 call in region and returns its answer.
// An answer with one of the absent codes (the bucket has no such
// setting) is returned as a nil answer and no error.
func s3Call[Out any](ctx context.Context, c *Collector, action, region string, fn func(context.Context, s3API) (*Out, error), absent ...string) (*Out, *callError) {
	var out *Out
	cerr := c.call(ctx, action, region, func(ctx context.Context) error {
		var err error
		out, err = fn(ctx, c.s3(region))
		return err
	})
	if cerr != nil && len(absent) > 0 && isNotFound(cerr.Err, absent...) {
		return nil, nil
	}
	return out, cerr
}

// readBucketPolicy reads the bucket policy, decoded with its Statement a
// list; nil when the bucket has none (NoSuchBucketPolicy).
func readBucketPolicy(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError) {
	out, cerr := s3Call(ctx, c, "s3:GetBucketPolicy", region, func(ctx context.Context, api s3API) (*s3.GetBucketPolicyOutput, error) {
		return api.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(name)})
	}, "NoSuchBucketPolicy")
	if cerr != nil || out == nil || out.Policy == nil {
		return map[string]any{"policy": nil}, cerr
	}
	return map[string]any{"policy": iampolicy.Decode(*out.Policy)}, nil
}

// readBucketACL reads the ACL's owner and grants, each grant with the
// grantee's type, URI (for groups), ID and the permission, under
// CloudGuard's name "premission".
func readBucketACL(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError) {
	out, cerr := s3Call(ctx, c, "s3:GetBucketAcl", region, func(ctx context.Context, api s3API) (*s3.GetBucketAclOutput, error) {
		return api.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String(name)})
	})
	if cerr != nil {
		return nil, cerr
	}
	grants := []any{}
	for _, g := range out.Grants {
		grantee := g.Grantee
		if grantee == nil {
			grantee = &types.Grantee{}
		}
		grants = append(grants, map[string]any{"type": string(grantee.Type), "uri": stringOrNil(grantee.URI),
			"id": stringOrNil(grantee.ID), "premission": string(g.Permission)})
	}
	var owner any
	if out.Owner != nil {
		owner = stringOrNil(out.Owner.ID)
	}
	return map[string]any{"acl": map[string]any{"owner": owner, "grants": grants}}, nil
}

// readBucketPublicAccessBlock reads the bucket's Block Public Access
// settings; nil when none are set (NoSuchPublicAccessBlockConfiguration).
func readBucketPublicAccessBlock(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError) {
	out, cerr := s3Call(ctx, c, "s3:GetBucketPublicAccessBlock", region, func(ctx context.Context, api s3API) (*s3.GetPublicAccessBlockOutput, error) {
		return api.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(name)})
	}, "NoSuchPublicAccessBlockConfiguration")
	if cerr != nil || out == nil || out.PublicAccessBlockConfiguration == nil {
		return map[string]any{"publicAccessBlock": nil}, cerr
	}
	p := out.PublicAccessBlockConfiguration
	return map[string]any{"publicAccessBlock": blockSettings(p.BlockPublicAcls, p.IgnorePublicAcls, p.BlockPublicPolicy, p.RestrictPublicBuckets)}, nil
}

// blockSettings are the four Block Public Access settings; one AWS leaves
// out is off.
func blockSettings(blockACLs, ignoreACLs, blockPolicy, restrict *bool) map[string]any {
	return map[string]any{"blockPublicAcls": aws.ToBool(blockACLs), "ignorePublicAcls": aws.ToBool(ignoreACLs),
		"blockPublicPolicy": aws.ToBool(blockPolicy), "restrictPublicBuckets": aws.ToBool(restrict)}
}

// accountPublicAccessBlock reads the account's Block Public Access
// settings with S3 Control; nil when none are set.
func (c *Collector) accountPublicAccessBlock(ctx context.Context) accountBlock {
	region := c.cfg.Region
	var out *s3control.GetPublicAccessBlockOutput
	cerr := c.call(ctx, "s3:GetAccountPublicAccessBlock", region, func(ctx context.Context) error {
		var err error
		out, err = c.s3control(region).GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(c.account)})
		return err
	})
	switch {
	case cerr != nil && isNotFound(cerr.Err, "NoSuchPublicAccessBlockConfiguration"):
		return accountBlock{}
	case cerr != nil:
		return accountBlock{err: cerr}
	case out.PublicAccessBlockConfiguration == nil:
		return accountBlock{}
	}
	p := out.PublicAccessBlockConfiguration
	return accountBlock{v: blockSettings(p.BlockPublicAcls, p.IgnorePublicAcls, p.BlockPublicPolicy, p.RestrictPublicBuckets)}
}

// readBucketEncryption reads the default encryption rules; an empty list
// when the bucket has none (ServerSideEncryptionConfigurationNotFoundError,
// which buckets made before 2023 may still answer).
func readBucketEncryption(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError) {
	out, cerr := s3Call(ctx, c, "s3:GetEncryptionConfiguration", region, func(ctx context.Context, api s3API) (*s3.GetBucketEncryptionOutput, error) {
		return api.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(name)})
	}, "ServerSideEncryptionConfigurationNotFoundError")
	if cerr != nil {
		return nil, cerr
	}
	rules := []any{}
	if out != nil && out.ServerSideEncryptionConfiguration != nil {
		for _, r := range out.ServerSideEncryptionConfiguration.Rules {
			rule := map[string]any{"sseAlgorithm": nil, "kmsMasterKeyId": nil, "bucketKeyEnabled": aws.ToBool(r.BucketKeyEnabled)}
			if d := r.ApplyServerSideEncryptionByDefault; d != nil {
				rule["sseAlgorithm"] = string(d.SSEAlgorithm)
				rule["kmsMasterKeyId"] = stringOrNil(d.KMSMasterKeyID)
			}
			rules = append(rules, rule)
		}
	}
	return map[string]any{"encryption": map[string]any{"serverSideEncryptionRules": rules}}, nil
}

// readBucketVersioning reads versioning's status ("Enabled", "Suspended",
// or "Disabled" for a bucket that never had it) and MFA delete's
// ("Enabled" or "Disabled").
func readBucketVersioning(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError) {
	out, cerr := s3Call(ctx, c, "s3:GetBucketVersioning", region, func(ctx context.Context, api s3API) (*s3.GetBucketVersioningOutput, error) {
		return api.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(name)})
	})
	if cerr != nil {
		return nil, cerr
	}
	status, mfa := string(out.Status), string(out.MFADelete)
	if status == "" {
		status = "Disabled"
	}
	if mfa == "" {
		mfa = "Disabled"
	}
	return map[string]any{"versioning": map[string]any{"status": status, "mfaDelete": mfa}}, nil
}

// readBucketLogging reads server access logging: whether it is on, and
// the target bucket and prefix.
func readBucketLogging(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError) {
	out, cerr := s3Call(ctx, c, "s3:GetBucketLogging", region, func(ctx context.Context, api s3API) (*s3.GetBucketLoggingOutput, error) {
		return api.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: aws.String(name)})
	})
	if cerr != nil {
		return nil, cerr
	}
	return map[string]any{"logging": loggingValue(out.LoggingEnabled)}, nil
}

// loggingValue normalises a LoggingEnabled answer (nil: logging is off).
func loggingValue(l *types.LoggingEnabled) map[string]any {
	if l == nil || aws.ToString(l.TargetBucket) == "" {
		return map[string]any{"enabled": false, "targetBucket": nil, "targetPrefix": nil}
	}
	return map[string]any{"enabled": true, "targetBucket": aws.ToString(l.TargetBucket), "targetPrefix": aws.ToString(l.TargetPrefix)}
}

// readBucketObjectLock reads Object Lock: whether it is enabled, and the
// default retention's mode, days and years (null when there is none).
func readBucketObjectLock(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError) {
	out, cerr := s3Call(ctx, c, "s3:GetBucketObjectLockConfiguration", region, func(ctx context.Context, api s3API) (*s3.GetObjectLockConfigurationOutput, error) {
		return api.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String(name)})
	}, "ObjectLockConfigurationNotFoundError")
	if cerr != nil {
		return nil, cerr
	}
	lock := map[string]any{"enabled": false, "mode": nil, "days": nil, "years": nil}
	if out != nil && out.ObjectLockConfiguration != nil {
		cfg := out.ObjectLockConfiguration
		lock["enabled"] = cfg.ObjectLockEnabled == types.ObjectLockEnabledEnabled
		if cfg.Rule != nil && cfg.Rule.DefaultRetention != nil {
			d := cfg.Rule.DefaultRetention
			lock["mode"] = string(d.Mode)
			lock["days"] = int32OrNil(d.Days)
			lock["years"] = int32OrNil(d.Years)
		}
	}
	return map[string]any{"objectLock": lock}, nil
}

// readBucketTags reads the bucket's tags, sorted by key; an empty list
// when it has none (NoSuchTagSet).
func readBucketTags(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError) {
	out, cerr := s3Call(ctx, c, "s3:GetBucketTagging", region, func(ctx context.Context, api s3API) (*s3.GetBucketTaggingOutput, error) {
		return api.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(name)})
	}, "NoSuchTagSet")
	if cerr != nil {
		return nil, cerr
	}
	var tags []types.Tag
	if out != nil {
		tags = slices.Clone(out.TagSet)
	}
	slices.SortFunc(tags, func(a, b types.Tag) int { return strings.Compare(aws.ToString(a.Key), aws.ToString(b.Key)) })
	list := []any{}
	for _, t := range tags {
		list = append(list, map[string]any{"key": aws.ToString(t.Key), "value": aws.ToString(t.Value)})
	}
	return map[string]any{"tags": list}, nil
}

// readBucketWebsite reads the static website configuration; nil when the
// bucket is not a website (NoSuchWebsiteConfiguration).
func readBucketWebsite(ctx context.Context, c *Collector, region, name string) (map[string]any, *callError) {
	out, cerr := s3Call(ctx, c, "s3:GetBucketWebsite", region, func(ctx context.Context, api s3API) (*s3.GetBucketWebsiteOutput, error) {
		return api.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String(name)})
	}, "NoSuchWebsiteConfiguration")
	if cerr != nil || out == nil {
		return map[string]any{"website": nil}, cerr
	}
	site := map[string]any{"indexDocumentSuffix": nil, "errorDocumentKey": nil, "redirectAllRequestsTo": nil}
	if out.IndexDocument != nil {
		site["indexDocumentSuffix"] = stringOrNil(out.IndexDocument.Suffix)
	}
	if out.ErrorDocument != nil {
		site["errorDocumentKey"] = stringOrNil(out.ErrorDocument.Key)
	}
	if out.RedirectAllRequestsTo != nil {
		site["redirectAllRequestsTo"] = stringOrNil(out.RedirectAllRequestsTo.HostName)
	}
	return map[string]any{"website": site}, nil
}
