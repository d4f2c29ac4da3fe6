package awsfake

import (
	"fmt"
	"strings"
)

// Volume is one EBS volume, in one account and region.
type Volume struct {
	Account, Region, ID string
	Encrypted           bool
	KMSKeyID            string
	// Size is in GiB (8 when zero); Type is "gp3" when empty.
	Size int
	Type string
	// Attachments are the instances the volume is attached to.
	Attachments []VolumeAttachment
	Tags        map[string]string
}

// VolumeAttachment is one attachment of a volume to an instance.
type VolumeAttachment struct {
	Instance, Device string
	// State is "attached" when empty ("attaching", "detaching", …).
	State string
}

// describeVolumes pages through the volumes of the caller's account and
// region (ec2:DescribeVolumes), NextToken by NextToken.
func (s *Server) describeVolumes(req *request) (any, *apiError) {
	var vols []Volume
	for _, v := range s.world.Volumes {
		if v.Account == req.account && v.Region == req.region {
			vols = append(vols, v)
		}
	}
	start, end, next, aerr := s.page(req.form.Get("NextToken"), len(vols))
	if aerr != nil {
		return nil, aerr
	}
	var b strings.Builder
	b.WriteString("<volumeSet>")
	for _, v := range vols[start:end] {
		size := v.Size
		if size == 0 {
			size = 8
		}
		state := "available"
		if len(v.Attachments) > 0 {
			state = "in-use"
		}
		fmt.Fprintf(&b, "<item><volumeId>%s</volumeId><size>%d</size><availabilityZone>%sa</availabilityZone>"+
			"<status>%s</status><createTime>2025-01-01T00:00:00.000Z</createTime><volumeType>%s</volumeType>"+
			"<encrypted>%t</encrypted>", esc(v.ID), size, esc(v.Region), state, esc(or(v.Type, "gp3")), v.Encrypted)
		if v.KMSKeyID != "" {
			fmt.Fprintf(&b, "<kmsKeyId>%s</kmsKeyId>", esc(v.KMSKeyID))
		}
		b.WriteString("<attachmentSet>")
		for _, a := range v.Attachments {
			fmt.Fprintf(&b, "<item><volumeId>%s</volumeId><instanceId>%s</instanceId><device>%s</device><status>%s</status>"+
				"<attachTime>2025-01-01T00:00:00.000Z</attachTime><deleteOnTermination>true</deleteOnTermination></item>",
				esc(v.ID), esc(a.Instance), esc(a.Device), esc(or(a.State, "attached")))
		}
		b.WriteString("</attachmentSet><tagSet>")
		for _, k := range sortedKeys(v.Tags) {
			fmt.Fprintf(&b, "<item><key>%s</key><value>%s</value></item>", esc(k), esc(v.Tags[k]))
		}
		b.WriteString("</tagSet></item>")
	}
	b.WriteString("</volumeSet>")
	if next != "" {
		b.WriteString("<nextToken>" + esc(next) + "</nextToken>")
	}
	return b.String(), nil
}
