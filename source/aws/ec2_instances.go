package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"vigil/entity"
)

// TypeInstance is the entity type of an EC2 instance. EC2 lists it (ec2.go).
const TypeInstance = "Instance"

// instanceAttrs are the attributes of an EC2 instance that
// ec2:DescribeInstances fills.
var instanceAttrs = []string{"id", "name", "instanceId", "state", "iamInstanceProfile", "vpcId", "subnetId",
	"publicIpAddress", "tags"}

// listInstances lists the EC2 instances of each region, but the terminated
// ones, which AWS keeps showing for a while. A region whose instances
// cannot be listed is a failure to list the type there.
func listInstances(ctx context.Context, c *Collector, regions []string) []*entity.Entity {
	return listPerRegion(ctx, c, regions, TypeInstance, c.describeInstances, func(region string, in types.Instance) *entity.Entity {
		if in.State != nil && in.State.Name == types.InstanceStateNameTerminated {
			return nil
		}
		attrs := instanceFields(in)
		return &entity.Entity{Type: TypeInstance, ID: attrs["id"].(string), Name: attrs["name"].(string),
			Scope: c.account, Region: region, Attrs: attrs, Origin: entity.Origin{API: []string{"ec2:DescribeInstances"}}}
	})
}

// describeInstances reads every page of ec2:DescribeInstances in region and
// returns the instances of all its reservations.
func (c *Collector) describeInstances(ctx context.Context, region string) ([]types.Instance, *callError) {
	p := ec2.NewDescribeInstancesPaginator(c.ec2(region), &ec2.DescribeInstancesInput{})
	return readPages(ctx, c, "ec2:DescribeInstances", region, p, func(page *ec2.DescribeInstancesOutput) []types.Instance {
		var out []types.Instance
		for _, r := range page.Reservations {
			out = append(out, r.Instances...)
		}
		return out
	})
}

// instanceFields normalises one instance; its name is its Name tag, or its
// ID. iamInstanceProfile is {arn} of the attached profile, or null when the
// instance has none.
func instanceFields(in types.Instance) map[string]any {
	id := aws.ToString(in.InstanceId)
	name := id
	tags := make([]any, len(in.Tags))
	for i, t := range in.Tags {
		tags[i] = map[string]any{"key": aws.ToString(t.Key), "value": aws.ToString(t.Value)}
		if aws.ToString(t.Key) == "Name" && aws.ToString(t.Value) != "" {
			name = aws.ToString(t.Value)
		}
	}
	var profile any
	if in.IamInstanceProfile != nil && aws.ToString(in.IamInstanceProfile.Arn) != "" {
		profile = map[string]any{"arn": aws.ToString(in.IamInstanceProfile.Arn)}
	}
	var state string
	if in.State != nil {
		state = string(in.State.Name)
	}
	return map[string]any{
		"id":                 id,
		"name":               name,
		"instanceId":         id,
		"state":              state,
		"iamInstanceProfile": profile,
		"vpcId":              nullIfEmpty(aws.ToString(in.VpcId)),
		"subnetId":           nullIfEmpty(aws.ToString(in.SubnetId)),
		"publicIpAddress":    nullIfEmpty(aws.ToString(in.PublicIpAddress)),
		"tags":               tags,
	}
}
