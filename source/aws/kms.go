package aws

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"vigil/entity"
)

// TypeKMS is the entity type of a KMS key.
const TypeKMS = "KMS"

// kmsListedAttrs are the attributes of a KMS key that kms:ListKeys fills,
// and kmsKeyAttrs those kms:DescribeKey fills.
var (
	kmsListedAttrs = []string{"id", "arn", "keyId"}
	kmsKeyAttrs    = []string{"description", "keyManager", "isCustomerManaged", "keyState", "deletionDate", "keySpec",
		"keyUsage", "origin"}
)

// errNoKeyMetadata is the error of a kms:DescribeKey answer without the
// key's metadata.
var errNoKeyMetadata = errors.New("the answer holds no key metadata")

func init() {
	register(service{
		name:      "kms",
		newClient: func(cfg aws.Config) any { return kms.NewFromConfig(cfg) },
		actions: []action{
			{name: "kms:ListKeys", purpose: "list the KMS keys of each scanned region",
				fills: []fill{{TypeKMS, kmsListedAttrs}}},
			{name: "kms:DescribeKey", purpose: "read who manages each key, its state, deletion date, spec and usage",
				fills: []fill{{TypeKMS, kmsKeyAttrs}}},
			{name: "kms:GetKeyRotationStatus", purpose: "read whether automatic rotation is on, for customer-managed symmetric keys only",
				fills: []fill{{TypeKMS, []string{"rotationStatus"}}}},
		},
		listed: []string{TypeKMS},
		list:   listKMSKeys,
	})
}

// kmsAPI is the part of the KMS client vigil calls.
type kmsAPI interface {
	ListKeys(context.Context, *kms.ListKeysInput, ...func(*kms.Options)) (*kms.ListKeysOutput, error)
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
	GetKeyRotationStatus(context.Context, *kms.GetKeyRotationStatusInput, ...func(*kms.Options)) (*kms.GetKeyRotationStatusOutput, error)
}

var _ kmsAPI = (*kms.Client)(nil)

func (c *Collector) kms(region string) kmsAPI { return client[kmsAPI](c, "kms", region) }

// listKMSKeys lists the keys of each region and reads each one: its
// metadata, and for a customer-managed symmetric key, whether automatic
// rotation is on. A region whose keys cannot be listed is a failure to
// list the type there; a key that cannot be described has every field
// Unknown, with one failure for the key.
func listKMSKeys(ctx context.Context, c *Collector, regions []string) []*entity.Entity {
	var mu sync.Mutex
	var out []*entity.Entity
	fanOut(regions, func(region string) {
		keys, cerr := c.listKeyARNs(ctx, region)
		if cerr != nil {
			c.fail(cerr.failure(TypeKMS, "", c.account, ""))
			return
		}
		fanOut(keys, func(keyARN string) {
			e := c.readKMSKey(ctx, region, keyARN)
			mu.Lock()
			out = append(out, e)
			mu.Unlock()
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// listKeyARNs reads every page of kms:ListKeys in region.
func (c *Collector) listKeyARNs(ctx context.Context, region string) ([]string, *callError) {
	const call = "kms:ListKeys"
	p := kms.NewListKeysPaginator(c.kms(region), &kms.ListKeysInput{})
	var arns []string
	for pages := 0; p.HasMorePages(); pages++ {
		if pages == maxPages {
			return nil, &callError{Call: call, Region: region, Err: errTooManyPages}
		}
		var page *kms.ListKeysOutput
		if cerr := c.call(ctx, call, region, func(ctx context.Context) error {
			var err error
			page, err = p.NextPage(ctx)
			return err
		}); cerr != nil {
			return nil, cerr
		}
		for _, k := range page.Keys {
			arns = append(arns, aws.ToString(k.KeyArn))
		}
	}
	return arns, nil
}

// readKMSKey builds the entity of one listed key from kms:DescribeKey and,
// when the key is customer-managed and symmetric, kms:GetKeyRotationStatus.
func (c *Collector) readKMSKey(ctx context.Context, region, keyARN string) *entity.Entity {
	e := &entity.Entity{Type: TypeKMS, ID: keyARN, Name: keyIDOf(keyARN), Scope: c.account, Region: region,
		Origin: entity.Origin{API: []string{"kms:DescribeKey", "kms:ListKeys"}}}
	var out *kms.DescribeKeyOutput
	cerr := c.call(ctx, "kms:DescribeKey", region, func(ctx context.Context) error {
		var err error
		out, err = c.kms(region).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyARN)})
		return err
	})
	if cerr != nil || out.KeyMetadata == nil {
		if cerr == nil {
			cerr = &callError{Call: "kms:DescribeKey", Region: region, Err: errNoKeyMetadata}
		}
		e.Attrs = map[string]any{"id": keyARN, "arn": keyARN, "keyId": keyIDOf(keyARN)}
		for _, attr := range append(slices.Clone(kmsKeyAttrs), "rotationStatus") {
			e.Attrs[attr] = cerr.unknown()
		}
		c.fail(cerr.failure(TypeKMS, "", c.account, keyARN))
		return e
	}
	e.Attrs = kmsKeyFields(keyARN, out.KeyMetadata)
	e.Attrs["rotationStatus"] = c.keyRotation(ctx, e, out.KeyMetadata)
	return e
}

// kmsKeyFields normalises a key's metadata.
func kmsKeyFields(keyARN string, m *types.KeyMetadata) map[string]any {
	var deletion any
	if m.DeletionDate != nil {
		deletion = m.DeletionDate.UTC().Format(time.RFC3339)
	}
	return map[string]any{
		"id":                keyARN,
		"arn":               keyARN,
		"keyId":             aws.ToString(m.KeyId),
		"description":       aws.ToString(m.Description),
		"keyManager":        string(m.KeyManager),
		"isCustomerManaged": m.KeyManager == types.KeyManagerTypeCustomer,
		"keyState":          string(m.KeyState),
		"deletionDate":      deletion,
		"keySpec":           string(m.KeySpec),
		"keyUsage":          string(m.KeyUsage),
		"origin":            string(m.Origin),
	}
}

// keyRotation returns the rotationStatus of a described key. Only a
// customer-managed symmetric key has a rotation setting to read: AWS
// rotates the keys it manages every year, and KMS cannot rotate
// asymmetric and HMAC keys automatically, so those are true and false
// without a call. A customer-managed symmetric key whose status cannot
// be read is Unknown, with a failure for that key alone.
func (c *Collector) keyRotation(ctx context.Context, e *entity.Entity, m *types.KeyMetadata) any {
	switch {
	case m.KeyManager == types.KeyManagerTypeAws:
		return true
	case m.KeySpec != types.KeySpecSymmetricDefault:
		return false
	}
	const call = "kms:GetKeyRotationStatus"
	e.Origin.API = appendAction(e.Origin.API, call)
	var out *kms.GetKeyRotationStatusOutput
	if cerr := c.call(ctx, call, e.Region, func(ctx context.Context) error {
		var err error
		out, err = c.kms(e.Region).GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(e.ID)})
		return err
	}); cerr != nil {
		c.fail(cerr.failure(TypeKMS, "rotationStatus", c.account, e.ID))
		return cerr.unknown()
	}
	return out.KeyRotationEnabled
}

// keyIDOf returns the key ID at the end of a key ARN
// ("arn:aws:kms:us-east-1:111111111111:key/1234abcd-…").
func keyIDOf(keyARN string) string {
	return keyARN[strings.LastIndexByte(keyARN, '/')+1:]
}
