package awsfake

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// VPC is one VPC, in one account and region.
type VPC struct {
	Account, Region, ID, CIDR string
	Default                   bool
	// Owner is the account that owns a VPC shared with Account; Account
	// when empty.
	Owner string
}

// FlowLog is one flow log, in one account and region, of a VPC, subnet or
// network interface.
type FlowLog struct {
	Account, Region, ID, ResourceID string
	// Status is "ACTIVE" when empty; TrafficType is "ALL" when empty.
	Status, TrafficType string
}

// EBSDefault is a region of an account that encrypts new EBS volumes by
// default.
type EBSDefault struct{ Account, Region string }

// getEbsEncryptionByDefault says whether the caller's region is in
// World.EBSDefaults.
func (s *Server) getEbsEncryptionByDefault(req *request) string {
	on := slices.Contains(s.world.EBSDefaults, EBSDefault{req.account, req.region})
	return fmt.Sprintf("<ebsEncryptionByDefault>%t</ebsEncryptionByDefault><sseType>sse-ebs</sseType>", on)
}

// describeVpcs pages through the VPCs of the caller's account and region.
func (s *Server) describeVpcs(req *request) (any, *apiError) {
	var items []string
	for _, v := range s.world.VPCs {
		if v.Account != req.account || v.Region != req.region {
			continue
		}
		items = append(items, fmt.Sprintf("<item><vpcId>%s</vpcId><ownerId>%s</ownerId><state>available</state><cidrBlock>%s</cidrBlock><isDefault>%t</isDefault></item>",
			esc(v.ID), esc(or(v.Owner, v.Account)), esc(v.CIDR), v.Default))
	}
	return s.ec2Page(req, "vpcSet", items)
}

// describeFlowLogs pages through the flow logs of the caller's account and
// region.
func (s *Server) describeFlowLogs(req *request) (any, *apiError) {
	var items []string
	for _, f := range s.world.FlowLogs {
		if f.Account != req.account || f.Region != req.region {
			continue
		}
		items = append(items, fmt.Sprintf("<item><flowLogId>%s</flowLogId><flowLogStatus>%s</flowLogStatus><resourceId>%s</resourceId><trafficType>%s</trafficType><logDestinationType>cloud-watch-logs</logDestinationType><deliverLogsStatus>SUCCESS</deliverLogsStatus></item>",
			esc(f.ID), or(f.Status, "ACTIVE"), esc(f.ResourceID), or(f.TrafficType, "ALL")))
	}
	return s.ec2Page(req, "flowLogSet", items)
}

// ec2Page answers one page of items in the EC2 Query protocol's set
// element, at most MaxResults of them, with the next token.
func (s *Server) ec2Page(req *request, set string, items []string) (any, *apiError) {
	size := s.world.PageSize
	if m, err := strconv.Atoi(req.form.Get("MaxResults")); err == nil && m > 0 && m < size {
		size = m
	}
	start, end, next, aerr := s.pageOf(req.form.Get("NextToken"), len(items), size)
	if aerr != nil {
		return nil, aerr
	}
	var b strings.Builder
	b.WriteString("<" + set + ">")
	for _, it := range items[start:end] {
		b.WriteString(it)
	}
	b.WriteString("</" + set + ">")
	if next != "" {
		b.WriteString("<nextToken>" + next + "</nextToken>")
	}
	return b.String(), nil
}
