package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"vigil/entity"
)

// TypeRDS is the entity type of an RDS DB instance.
const TypeRDS = "RDS"

// rdsAttrs are the attributes of an RDS DB instance that
// rds:DescribeDBInstances fills.
var rdsAttrs = []string{"id", "arn", "name", "engine", "engineVersion", "instanceClass", "clusterIdentifier",
	"isStorageEncrypted", "kmsKeyId", "publiclyAccessible", "isPublic", "autoMinorVersionUpgrade",
	"isMultiAvailabilityZone", "backupRetentionPeriod", "dbSubnetGroupName", "vpcId", "tags"}

func init() {
	register(service{
		name:      "rds",
		newClient: func(cfg aws.Config) any { return rds.NewFromConfig(cfg) },
		actions: []action{
			{name: "rds:DescribeDBInstances", purpose: "list the DB instances of each scanned region, with their encryption, exposure, upgrades, Multi-AZ, backups and network",
				fills: []fill{{TypeRDS, rdsAttrs}}},
		},
		listed: []string{TypeRDS},
		list:   listDBInstances,
	})
}

// rdsAPI is the part of the RDS client vigil calls.
type rdsAPI interface {
	DescribeDBInstances(context.Context, *rds.DescribeDBInstancesInput, ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)
}

var _ rdsAPI = (*rds.Client)(nil)

func (c *Collector) rds(region string) rdsAPI { return client[rdsAPI](c, "rds", region) }

// listDBInstances lists the DB instances of each region, each an entity
// with what rds:DescribeDBInstances says of it. A region whose instances
// cannot be listed is a failure to list the type there.
func listDBInstances(ctx context.Context, c *Collector, regions []string) []*entity.Entity {
	return listPerRegion(ctx, c, regions, TypeRDS, c.describeDBInstances, func(region string, db types.DBInstance) *entity.Entity {
		return &entity.Entity{Type: TypeRDS, ID: aws.ToString(db.DBInstanceArn), Name: aws.ToString(db.DBInstanceIdentifier),
			Scope: c.account, Region: region, Attrs: dbInstanceAttrs(db),
			Origin: entity.Origin{API: []string{"rds:DescribeDBInstances"}}}
	})
}

// describeDBInstances reads every page of rds:DescribeDBInstances in
// region.
func (c *Collector) describeDBInstances(ctx context.Context, region string) ([]types.DBInstance, *callError) {
	p := rds.NewDescribeDBInstancesPaginator(c.rds(region), &rds.DescribeDBInstancesInput{})
	return readPages(ctx, c, "rds:DescribeDBInstances", region, p,
		func(page *rds.DescribeDBInstancesOutput) []types.DBInstance { return page.DBInstances })
}

// dbInstanceAttrs normalises one DB instance. isPublic is the instance's
// PubliclyAccessible setting alone: CloudGuard's isPublic also asks
// whether the instance's security groups let the internet in, which vigil
// does not read yet, so vigil's is true for more instances, never fewer.
func dbInstanceAttrs(db types.DBInstance) map[string]any {
	var subnetGroup, vpc any
	if g := db.DBSubnetGroup; g != nil {
		subnetGroup, vpc = aws.ToString(g.DBSubnetGroupName), aws.ToString(g.VpcId)
	}
	tags := make([]any, len(db.TagList))
	for i, t := range db.TagList {
		tags[i] = map[string]any{"key": aws.ToString(t.Key), "value": aws.ToString(t.Value)}
	}
	public := aws.ToBool(db.PubliclyAccessible)
	return map[string]any{
		"id":                      aws.ToString(db.DBInstanceArn),
		"arn":                     aws.ToString(db.DBInstanceArn),
		"name":                    aws.ToString(db.DBInstanceIdentifier),
		"engine":                  aws.ToString(db.Engine),
		"engineVersion":           aws.ToString(db.EngineVersion),
		"instanceClass":           aws.ToString(db.DBInstanceClass),
		"clusterIdentifier":       nullIfEmpty(aws.ToString(db.DBClusterIdentifier)),
		"isStorageEncrypted":      aws.ToBool(db.StorageEncrypted),
		"kmsKeyId":                nullIfEmpty(aws.ToString(db.KmsKeyId)),
		"publiclyAccessible":      public,
		"isPublic":                public,
		"autoMinorVersionUpgrade": aws.ToBool(db.AutoMinorVersionUpgrade),
		"isMultiAvailabilityZone": aws.ToBool(db.MultiAZ),
		"backupRetentionPeriod":   float64(aws.ToInt32(db.BackupRetentionPeriod)),
		"dbSubnetGroupName":       subnetGroup,
		"vpcId":                   vpc,
		"tags":                    tags,
	}
}

// nullIfEmpty returns s, or nil (null) for "": AWS leaves a field out of
// its answer when it has no value.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
