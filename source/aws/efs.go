package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"

	"vigil/entity"
)

// TypeEFS is the entity type of an EFS file system.
const TypeEFS = "EFS"

// efsAttrs are the attributes of an EFS file system that
// elasticfilesystem:DescribeFileSystems fills.
var efsAttrs = []string{"id", "arn", "name", "fileSystemId", "encrypted", "kmsKeyId", "lifeCycleState",
	"performanceMode", "throughputMode", "tags"}

func init() {
	register(service{
		// EFS's IAM actions are elasticfilesystem:*.
		name:      "elasticfilesystem",
		newClient: func(cfg aws.Config) any { return efs.NewFromConfig(cfg) },
		actions: []action{
			{name: "elasticfilesystem:DescribeFileSystems", purpose: "list the EFS file systems of each scanned region, with their encryption and tags",
				fills: []fill{{TypeEFS, efsAttrs}}},
		},
		listed: []string{TypeEFS},
		list:   listFileSystems,
	})
}

// efsAPI is the part of the EFS client vigil calls.
type efsAPI interface {
	DescribeFileSystems(context.Context, *efs.DescribeFileSystemsInput, ...func(*efs.Options)) (*efs.DescribeFileSystemsOutput, error)
}

var _ efsAPI = (*efs.Client)(nil)

func (c *Collector) efs(region string) efsAPI { return client[efsAPI](c, "elasticfilesystem", region) }

// listFileSystems lists the file systems of each region, each an entity
// with what DescribeFileSystems says of it, tags included. A region whose
// file systems cannot be listed is a failure to list the type there.
func listFileSystems(ctx context.Context, c *Collector, regions []string) []*entity.Entity {
	return listPerRegion(ctx, c, regions, TypeEFS, c.describeFileSystems, func(region string, fs types.FileSystemDescription) *entity.Entity {
		return &entity.Entity{Type: TypeEFS, ID: aws.ToString(fs.FileSystemArn), Name: fileSystemName(fs),
			Scope: c.account, Region: region, Attrs: fileSystemAttrs(fs),
			Origin: entity.Origin{API: []string{"elasticfilesystem:DescribeFileSystems"}}}
	})
}

// describeFileSystems reads every page of DescribeFileSystems in region.
func (c *Collector) describeFileSystems(ctx context.Context, region string) ([]types.FileSystemDescription, *callError) {
	p := efs.NewDescribeFileSystemsPaginator(c.efs(region), &efs.DescribeFileSystemsInput{})
	return readPages(ctx, c, "elasticfilesystem:DescribeFileSystems", region, p,
		func(page *efs.DescribeFileSystemsOutput) []types.FileSystemDescription { return page.FileSystems })
}

// fileSystemName is the file system's Name tag, or its ID when it has none.
func fileSystemName(fs types.FileSystemDescription) string {
	if n := aws.ToString(fs.Name); n != "" {
		return n
	}
	return aws.ToString(fs.FileSystemId)
}

// fileSystemAttrs normalises one file system.
func fileSystemAttrs(fs types.FileSystemDescription) map[string]any {
	tags := make([]any, len(fs.Tags))
	for i, t := range fs.Tags {
		tags[i] = map[string]any{"key": aws.ToString(t.Key), "value": aws.ToString(t.Value)}
	}
	return map[string]any{
		"id":              aws.ToString(fs.FileSystemArn),
		"arn":             aws.ToString(fs.FileSystemArn),
		"name":            fileSystemName(fs),
		"fileSystemId":    aws.ToString(fs.FileSystemId),
		"encrypted":       aws.ToBool(fs.Encrypted),
		"kmsKeyId":        nullIfEmpty(aws.ToString(fs.KmsKeyId)),
		"lifeCycleState":  string(fs.LifeCycleState),
		"performanceMode": string(fs.PerformanceMode),
		"throughputMode":  string(fs.ThroughputMode),
		"tags":            tags,
	}
}
