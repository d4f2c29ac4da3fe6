package aws

import (
	"cmp"
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"vigil/entity"
)

// vpcAttrs are the attributes of a Region that ec2:DescribeVpcs and
// ec2:DescribeFlowLogs fill together.
var vpcAttrs = []string{"vpcs", "hasVpcFLowLogging"}

// flowLogActive is the FlowLogStatus of a flow log that is publishing.
const flowLogActive = "ACTIVE"

// readVPCs lists the region's VPCs with the flow logs attached to each.
// Either call failing leaves both attributes Unknown, with a failure each:
// a VPC whose flow logs were not read must not read as one without any.
func (c *Collector) readVPCs(ctx context.Context, e *entity.Entity, out *additions) {
	vpcs, cerr := c.describeVPCs(ctx, e.ID)
	out.used(e, "ec2:DescribeVpcs")
	var logs []types.FlowLog
	if cerr == nil {
		logs, cerr = c.describeFlowLogs(ctx, e.ID)
		out.used(e, "ec2:DescribeFlowLogs")
	}
	if cerr != nil {
		for _, attr := range vpcAttrs {
			out.set(e, attr, cerr.unknown())
			c.fail(cerr.failure(TypeRegion, attr, c.account, e.ID))
		}
		return
	}
	list, every := vpcList(vpcs, logs, c.account)
	out.set(e, "vpcs", list)
	out.set(e, "hasVpcFLowLogging", every)
}

// vpcList normalises the VPCs, sorted by ID, each with the flow logs whose
// resource it is, and says whether every VPC has an active flow log: true
// for a region without VPCs, Unknown when only VPCs shared by another
// account, whose flow logs only that account sees, leave it open.
func vpcList(vpcs []types.Vpc, logs []types.FlowLog, account string) ([]any, any) {
	slices.SortFunc(vpcs, func(a, b types.Vpc) int { return cmp.Compare(aws.ToString(a.VpcId), aws.ToString(b.VpcId)) })
	list := make([]any, 0, len(vpcs))
	var every any = true
	for _, v := range vpcs {
		id, owner := aws.ToString(v.VpcId), aws.ToString(v.OwnerId)
		m := map[string]any{"id": id, "isDefault": aws.ToBool(v.IsDefault), "cidr": stringOrNil(v.CidrBlock),
			"ownerId": stringOrNil(v.OwnerId)}
		var attached []any
		active := false
		for _, fl := range logs {
			if aws.ToString(fl.ResourceId) != id {
				continue
			}
			status := aws.ToString(fl.FlowLogStatus)
			attached = append(attached, map[string]any{"id": aws.ToString(fl.FlowLogId), "status": status,
				"trafficType": string(fl.TrafficType), "logDestinationType": string(fl.LogDestinationType),
				"deliverLogsStatus": stringOrNil(fl.DeliverLogsStatus)})
			active = active || status == flowLogActive
		}
		switch {
		case active || owner == "" || owner == account:
			m["flowLogs"], m["hasActiveFlowLog"] = orEmpty(attached), active
		default:
			// A participant of a shared VPC does not see the owner's
			// flow logs: none seen here proves nothing.
			shared := entity.NewUnknown(entity.UnknownMaybeNull,
				"the VPC is shared by account "+owner+"; its flow logs can only be read there")
			m["flowLogs"], m["hasActiveFlowLog"] = shared, shared
		}
		list = append(list, m)
		every = andAll(every, m["hasActiveFlowLog"])
	}
	return list, every
}

// andAll is the conjunction of a truth so far and a bool or Unknown: false
// wins, then Unknown.
func andAll(sofar, v any) any {
	switch {
	case sofar == false || v == false:
		return false
	case entity.IsUnknown(sofar):
		return sofar
	}
	return v
}

// describeVPCs reads every page of the region's VPCs.
func (c *Collector) describeVPCs(ctx context.Context, region string) ([]types.Vpc, *callError) {
	p := ec2.NewDescribeVpcsPaginator(c.ec2(region), &ec2.DescribeVpcsInput{})
	return readPages(ctx, c, "ec2:DescribeVpcs", region, p, func(page *ec2.DescribeVpcsOutput) []types.Vpc { return page.Vpcs })
}

// describeFlowLogs reads every page of the region's flow logs, of VPCs,
// subnets and network interfaces alike.
func (c *Collector) describeFlowLogs(ctx context.Context, region string) ([]types.FlowLog, *callError) {
	p := ec2.NewDescribeFlowLogsPaginator(c.ec2(region), &ec2.DescribeFlowLogsInput{})
	return readPages(ctx, c, "ec2:DescribeFlowLogs", region, p, func(page *ec2.DescribeFlowLogsOutput) []types.FlowLog { return page.FlowLogs })
}
