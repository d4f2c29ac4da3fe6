package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"vigil/entity"
)

// ebsAttrs are the attributes of a Region that
// ec2:GetEbsEncryptionByDefault fills.
var ebsAttrs = []string{"ebsEncryptionByDefault"}

// readEBSDefault reads whether the region encrypts new EBS volumes by
// default. A failed read leaves the attribute Unknown, with a failure: a
// missing value must not read as "off", nor pass a negated rule.
func (c *Collector) readEBSDefault(ctx context.Context, e *entity.Entity, out *additions) {
	const call = "ec2:GetEbsEncryptionByDefault"
	var res *ec2.GetEbsEncryptionByDefaultOutput
	cerr := c.call(ctx, call, e.ID, func(ctx context.Context) error {
		var err error
		res, err = c.ec2(e.ID).GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
		return err
	})
	out.used(e, call)
	if cerr != nil {
		out.set(e, "ebsEncryptionByDefault", cerr.unknown())
		c.fail(cerr.failure(TypeRegion, "ebsEncryptionByDefault", c.account, e.ID))
		return
	}
	out.set(e, "ebsEncryptionByDefault", aws.ToBool(res.EbsEncryptionByDefault))
}
