package terraform

import (
	"slices"

	"vigil/entity"
)

// The Volume mapping: each aws_ebs_volume gives a Volume, with the
// aws_volume_attachment resources that attach it. Whether a volume is
// encrypted is only sure from code when encrypted is true: AWS encrypts
// every new volume of a region where EBS encryption by default is on,
// whatever the request says, and that setting belongs to the account.
func init() {
	register(&mapping{
		typ:    "Volume",
		from:   []string{"aws_ebs_volume"},
		joined: []joinedType{{"aws_volume_attachment", []string{"attachments"}}},
		build:  (*graph).volume,
	})
}

// volume builds the Volume attributes of the aws_ebs_volume in.
func (g *graph) volume(in *instance) map[string]any {
	a := in.attrs
	encrypted := volumeEncrypted(in)
	var key any
	if encrypted != false {
		key = orKnownAfterApply(a["kms_key_id"], in.addr, "kms_key_id")
	}
	out := map[string]any{
		"id":               orKnownAfterApply(a["arn"], in.addr, "arn"),
		"arn":              orKnownAfterApply(a["arn"], in.addr, "arn"),
		"name":             nameTag(a["tags"], in),
		"volumeId":         orKnownAfterApply(a["id"], in.addr, "id"),
		"encrypted":        encrypted,
		"kmsKeyId":         key,
		"size":             orKnownAfterApply(a["size"], in.addr, "size"),
		"volumeType":       orKnownAfterApply(a["type"], in.addr, "type"),
		"availabilityZone": a["availability_zone"],
		"attachments":      g.volumeAttachments(in),
		"tags":             tags(a["tags"]),
	}
	fillLiveOnly("Volume", out)
	return out
}

// volumeEncrypted is true when the volume asks for encryption, and
// otherwise unknown: the region's EBS encryption by default decides.
func volumeEncrypted(in *instance) any {
	switch v := boolAttr(in.attrs["encrypted"], false).(type) {
	case bool:
		if v {
			return true
		}
		return entity.NewUnknown(entity.UnknownSet, in.addr+" does not ask for encryption: it is encrypted only if EBS "+
			"encryption by default is on in the region it is created in, which the account decides")
	case *entity.Unknown:
		return v
	}
	return in.attrs["encrypted"]
}

// volumeAttachments lists the aws_volume_attachment resources whose
// volume_id references the volume, each attached once applied. An
// attachment whose volume is unknown and read from no declared volume
// may be this one's, which makes the list Unknown.
func (g *graph) volumeAttachments(vol *instance) any {
	out := []any{}
	for _, at := range g.byAddr {
		if !at.managed || at.typ != "aws_volume_attachment" {
			continue
		}
		v, refs := at.attrRefs("volume_id")
		switch {
		case slices.Contains(refs, vol.addr):
			out = append(out, map[string]any{"instanceId": at.attr("instance_id"), "device": at.attr("device_name"),
				"state": "attached", "attachTime": entity.NewUnknown(entity.UnknownSet, "known after apply: "+at.addr+" is created then"),
				"deleteOnTermination": entity.NewUnknown(entity.UnknownMaybeNull, "only known in a live account (ec2:DescribeVolumes), not from code")})
		case entity.IsUnknown(v) && !slices.ContainsFunc(refs, g.declaresVolume):
			return entity.NewUnknown(entity.UnknownSet, "the volume of "+at.addr+" is unknown, and may be this one")
		}
	}
	return out
}

// declaresVolume reports whether addr is an aws_ebs_volume of the module.
func (g *graph) declaresVolume(addr string) bool {
	in := g.lookup(addr)
	return in != nil && in.typ == "aws_ebs_volume"
}
