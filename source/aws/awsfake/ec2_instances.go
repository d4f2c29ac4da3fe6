package awsfake

import (
	"fmt"
	"strings"
)

// Instance is one EC2 instance, in one account and region.
type Instance struct {
	Account, Region, ID string
	// State is "running" when empty ("stopped", "terminated", …).
	State string
	// Profile is the ARN of the attached instance profile; none when empty.
	Profile string
	// VPC and Subnet are the network the instance is in; PublicIP its
	// public address, none when empty.
	VPC, Subnet, PublicIP string
	Tags                  map[string]string
}

// instanceStateCodes are the codes EC2 gives with each instance state.
var instanceStateCodes = map[string]int{"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48,
	"stopping": 64, "stopped": 80}

// describeInstances pages through the instances of the caller's account and
// region (ec2:DescribeInstances), one reservation per instance, NextToken
// by NextToken.
func (s *Server) describeInstances(req *request) (any, *apiError) {
	var instances []Instance
	for _, in := range s.world.Instances {
		if in.Account == req.account && in.Region == req.region {
			instances = append(instances, in)
		}
	}
	start, end, next, aerr := s.page(req.form.Get("NextToken"), len(instances))
	if aerr != nil {
		return nil, aerr
	}
	var b strings.Builder
	b.WriteString("<reservationSet>")
	for _, in := range instances[start:end] {
		state := or(in.State, "running")
		fmt.Fprintf(&b, "<item><reservationId>r-%s</reservationId><ownerId>%s</ownerId><instancesSet><item>"+
			"<instanceId>%s</instanceId><imageId>ami-0abcdef1234567890</imageId>"+
			"<instanceState><code>%d</code><name>%s</name></instanceState><instanceType>t3.micro</instanceType>"+
			"<launchTime>2025-01-01T00:00:00.000Z</launchTime>",
			esc(strings.TrimPrefix(in.ID, "i-")), esc(in.Account), esc(in.ID), instanceStateCodes[state], esc(state))
		optional := []struct{ tag, value string }{{"vpcId", in.VPC}, {"subnetId", in.Subnet}, {"ipAddress", in.PublicIP}}
		for _, o := range optional {
			if o.value != "" {
				fmt.Fprintf(&b, "<%s>%s</%s>", o.tag, esc(o.value), o.tag)
			}
		}
		if in.Profile != "" {
			fmt.Fprintf(&b, "<iamInstanceProfile><arn>%s</arn><id>AIPA%s</id></iamInstanceProfile>",
				esc(in.Profile), esc(strings.ToUpper(strings.TrimPrefix(in.ID, "i-"))))
		}
		b.WriteString("<tagSet>")
		for _, k := range sortedKeys(in.Tags) {
			fmt.Fprintf(&b, "<item><key>%s</key><value>%s</value></item>", esc(k), esc(in.Tags[k]))
		}
		b.WriteString("</tagSet></item></instancesSet></item>")
	}
	b.WriteString("</reservationSet>")
	if next != "" {
		b.WriteString("<nextToken>" + esc(next) + "</nextToken>")
	}
	return b.String(), nil
}
