package aws

import (
	"context"

	"vigil/entity"
)

// TypeRegion is one scanned region of the account. Services that read
// per-region settings (Access Analyzer's analyzers, AWS Config's recorders,
// EBS encryption by default, VPCs and their flow logs) enrich it, each from
// its own file.
const TypeRegion = "Region"

// regionAttrs are the attributes listRegions fills.
var regionAttrs = []string{"id", "name"}

// listRegions builds one Region per scanned region: the regions the
// options name, or those ec2:DescribeRegions says are enabled. A region
// not enabled for the account is not scanned, so it has no entity.
func listRegions(_ context.Context, c *Collector, regions []string) []*entity.Entity {
	out := make([]*entity.Entity, len(regions))
	for i, r := range regions {
		out[i] = &entity.Entity{Type: TypeRegion, ID: r, Name: r, Scope: c.account, Region: r,
			Attrs: map[string]any{"id": r, "name": r}}
	}
	return out
}
