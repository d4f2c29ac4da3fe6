package aws

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"vigil/entity"
)

// TypeVolume is the entity type of an EBS volume. EC2 lists it (ec2.go).
const TypeVolume = "Volume"

// volumeAttrs are the attributes of an EBS volume that ec2:DescribeVolumes
// fills.
var volumeAttrs = []string{"id", "arn", "name", "volumeId", "encrypted", "kmsKeyId", "size", "volumeType", "state",
	"availabilityZone", "attachments", "tags"}

// listVolumes lists the EBS volumes of each region. A region whose volumes
// cannot be listed is a failure to list the type there.
func listVolumes(ctx context.Context, c *Collector, regions []string) []*entity.Entity {
	return listPerRegion(ctx, c, regions, TypeVolume, c.describeVolumes, func(region string, v types.Volume) *entity.Entity {
		attrs := volumeFields(v, volumeARN(v, region, c.account))
		return &entity.Entity{Type: TypeVolume, ID: attrs["arn"].(string), Name: attrs["name"].(string),
			Scope: c.account, Region: region, Attrs: attrs, Origin: entity.Origin{API: []string{"ec2:DescribeVolumes"}}}
	})
}

// describeVolumes reads every page of ec2:DescribeVolumes in region.
func (c *Collector) describeVolumes(ctx context.Context, region string) ([]types.Volume, *callError) {
	p := ec2.NewDescribeVolumesPaginator(c.ec2(region), &ec2.DescribeVolumesInput{})
	return readPages(ctx, c, "ec2:DescribeVolumes", region, p,
		func(page *ec2.DescribeVolumesOutput) []types.Volume { return page.Volumes })
}

// volumeARN returns the volume's ARN: the one EC2 gives, or else the one
// its ID, region and owner make (EC2 leaves VolumeArn out of most answers).
func volumeARN(v types.Volume, region, account string) string {
	if a := aws.ToString(v.VolumeArn); a != "" {
		return a
	}
	partition := "aws"
	switch {
	case strings.HasPrefix(region, "cn-"):
		partition = "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		partition = "aws-us-gov"
	}
	return "arn:" + partition + ":ec2:" + region + ":" + account + ":volume/" + aws.ToString(v.VolumeId)
}

// volumeFields normalises one volume; its name is its Name tag, or its ID.
func volumeFields(v types.Volume, arn string) map[string]any {
	name := aws.ToString(v.VolumeId)
	tags := make([]any, len(v.Tags))
	for i, t := range v.Tags {
		tags[i] = map[string]any{"key": aws.ToString(t.Key), "value": aws.ToString(t.Value)}
		if aws.ToString(t.Key) == "Name" && aws.ToString(t.Value) != "" {
			name = aws.ToString(t.Value)
		}
	}
	attachments := make([]any, len(v.Attachments))
	for i, a := range v.Attachments {
		var attached any
		if a.AttachTime != nil {
			attached = a.AttachTime.UTC().Format(time.RFC3339)
		}
		attachments[i] = map[string]any{"instanceId": aws.ToString(a.InstanceId), "device": aws.ToString(a.Device),
			"state": string(a.State), "attachTime": attached, "deleteOnTermination": aws.ToBool(a.DeleteOnTermination)}
	}
	return map[string]any{
		"id":               arn,
		"arn":              arn,
		"name":             name,
		"volumeId":         aws.ToString(v.VolumeId),
		"encrypted":        aws.ToBool(v.Encrypted),
		"kmsKeyId":         nullIfEmpty(aws.ToString(v.KmsKeyId)),
		"size":             float64(aws.ToInt32(v.Size)),
		"volumeType":       string(v.VolumeType),
		"state":            string(v.State),
		"availabilityZone": aws.ToString(v.AvailabilityZone),
		"attachments":      attachments,
		"tags":             tags,
	}
}
