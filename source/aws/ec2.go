package aws

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"vigil/entity"
)

func init() {
	register(service{
		name:      "ec2",
		newClient: func(cfg aws.Config) any { return ec2.NewFromConfig(cfg) },
		actions: []action{
			{name: "ec2:DescribeRegions", purpose: "list the regions enabled for the account, when no --region names them",
				fills: []fill{{TypeRegion, regionAttrs}}},
			{name: "ec2:GetEbsEncryptionByDefault", purpose: "read whether each scanned region encrypts new EBS volumes by default",
				fills: []fill{{TypeRegion, ebsAttrs}}},
			{name: "ec2:DescribeVpcs", purpose: "list the VPCs of each scanned region",
				fills: []fill{{TypeRegion, vpcAttrs}}},
			{name: "ec2:DescribeFlowLogs", purpose: "list the flow logs of each scanned region, to tell which VPCs have one",
				fills: []fill{{TypeRegion, vpcAttrs}}},
			{name: "ec2:DescribeVolumes", purpose: "list the EBS volumes of each scanned region, with their encryption and attachments",
				fills: []fill{{TypeVolume, volumeAttrs}}},
			{name: "ec2:DescribeInstances", purpose: "list the EC2 instances of each scanned region, with their instance profiles",
				fills: []fill{{TypeInstance, instanceAttrs}}},
		},
		// The Region entities are the scanned regions (region.go); EC2
		// also fills their EBS (ebs.go) and VPC (vpc.go) settings. The
		// Volume entities are the EBS volumes (ec2_volumes.go), the Instance
		// entities the EC2 instances (ec2_instances.go).
		listed:   []string{TypeRegion, TypeVolume, TypeInstance},
		list:     listEC2,
		enriched: TypeRegion,
		enrich:   enrichRegionsFromEC2,
	})
}

// listEC2 lists the wanted types of those EC2 lists: the regions and the
// volumes and the instances, each only when wanted.
func listEC2(ctx context.Context, c *Collector, regions []string) []*entity.Entity {
	var out []*entity.Entity
	if c.opts.wanted(TypeRegion) {
		out = append(out, listRegions(ctx, c, regions)...)
	}
	if c.opts.wanted(TypeVolume) {
		out = append(out, listVolumes(ctx, c, regions)...)
	}
	if c.opts.wanted(TypeInstance) {
		out = append(out, listInstances(ctx, c, regions)...)
	}
	return out
}

// enrichRegionsFromEC2 reads, in each region, its EBS encryption default
// and its VPCs with their flow logs, at once.
func enrichRegionsFromEC2(ctx context.Context, c *Collector, regions []*entity.Entity, out *additions) {
	fanOut(regions, func(e *entity.Entity) {
		var wg sync.WaitGroup
		wg.Go(func() { c.readEBSDefault(ctx, e, out) })
		wg.Go(func() { c.readVPCs(ctx, e, out) })
		wg.Wait()
	})
}

// ec2API is the part of the EC2 client vigil calls.
type ec2API interface {
	DescribeRegions(context.Context, *ec2.DescribeRegionsInput, ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error)
	GetEbsEncryptionByDefault(context.Context, *ec2.GetEbsEncryptionByDefaultInput, ...func(*ec2.Options)) (*ec2.GetEbsEncryptionByDefaultOutput, error)
	DescribeVpcs(context.Context, *ec2.DescribeVpcsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error)
	DescribeFlowLogs(context.Context, *ec2.DescribeFlowLogsInput, ...func(*ec2.Options)) (*ec2.DescribeFlowLogsOutput, error)
	DescribeVolumes(context.Context, *ec2.DescribeVolumesInput, ...func(*ec2.Options)) (*ec2.DescribeVolumesOutput, error)
	DescribeInstances(context.Context, *ec2.DescribeInstancesInput, ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error)
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
