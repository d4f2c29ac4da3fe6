package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

func init() {
	register(service{
		name:      "ec2",
		newClient: func(cfg aws.Config) any { return ec2.NewFromConfig(cfg) },
		actions: []action{
			{name: "ec2:DescribeRegions", purpose: "list the regions enabled for the account, when no --region names them",
				fills: []fill{{TypeRegion, regionAttrs}}},
		},
		// The Region entities are the scanned regions (region.go).
		listed: []string{TypeRegion},
		list:   listRegions,
	})
}

// ec2API is the part of the EC2 client vigil calls.
type ec2API interface {
	DescribeRegions(context.Context, *ec2.DescribeRegionsInput, ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error)
}

var _ ec2API = (*ec2.Client)(nil)

func (c *Collector) ec2(region string) ec2API { return client[ec2API](c, "ec2", region) }

// enabledRegions lists the regions enabled for the account: those that need
// no opt-in and those opted in to. DescribeRegions is not paginated.
func (c *Collector) enabledRegions(ctx context.Context) ([]string, error) {
	region := c.cfg.Region
	var out *ec2.DescribeRegionsOutput
	if cerr := c.call(ctx, "ec2:DescribeRegions", region, func(ctx context.Context) error {
		var err error
		out, err = c.ec2(region).DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(false)})
		return err
	}); cerr != nil {
		return nil, cerr
	}
	var regions []string
	for _, r := range out.Regions {
		switch aws.ToString(r.OptInStatus) {
		case "", "opt-in-not-required", "opted-in":
			regions = append(regions, aws.ToString(r.RegionName))
		}
	}
	return regions, nil
}
