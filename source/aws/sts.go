package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func init() {
	register(service{
		name:      "sts",
		newClient: func(cfg aws.Config) any { return sts.NewFromConfig(cfg) },
		actions: []action{
			{name: "sts:GetCallerIdentity", purpose: "identify the account the credentials belong to, which scopes everything read",
				fills: []fill{{TypeIam, []string{"id", "accountId"}}}},
		},
	})
}

// stsAPI is the part of the STS client vigil calls.
type stsAPI interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

var _ stsAPI = (*sts.Client)(nil)

func (c *Collector) sts(region string) stsAPI { return client[stsAPI](c, "sts", region) }

// callerAccount returns the account ID the credentials belong to.
func (c *Collector) callerAccount(ctx context.Context) (string, error) {
	region := c.cfg.Region
	var out *sts.GetCallerIdentityOutput
	if cerr := c.call(ctx, "sts:GetCallerIdentity", region, func(ctx context.Context) error {
		var err error
		out, err = c.sts(region).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	}); cerr != nil {
		return "", cerr
	}
	account := aws.ToString(out.Account)
	if account == "" {
		return "", errNoAccount
	}
	return account, nil
}
