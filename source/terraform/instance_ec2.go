package terraform

import "vigil/entity"

// The Instance mapping: each aws_instance gives an Instance. Its instance
// profile is the iam_instance_profile argument, null when it is not set;
// a new instance is running once applied, as the provider waits for it.
func init() {
	register(&mapping{
		typ:   "Instance",
		from:  []string{"aws_instance"},
		build: (*graph).ec2Instance,
	})
}

// ec2Instance builds the Instance attributes of the aws_instance in.
func (g *graph) ec2Instance(in *instance) map[string]any {
	a := in.attrs
	out := map[string]any{
		"id":                 orKnownAfterApply(a["id"], in.addr, "id"),
		"name":               nameTag(a["tags"], in),
		"instanceId":         orKnownAfterApply(a["id"], in.addr, "id"),
		"state":              "running",
		"iamInstanceProfile": instanceProfileOf(in),
		"subnetId":           orKnownAfterApply(a["subnet_id"], in.addr, "subnet_id"),
		"tags":               tags(a["tags"]),
	}
	fillLiveOnly("Instance", out)
	return out
}

// instanceProfileOf is {arn} of the instance profile the instance names,
// the ARN known after apply; null when iam_instance_profile is unset or
// empty, and Unknown when its value is.
func instanceProfileOf(in *instance) any {
	switch v := in.attrs["iam_instance_profile"].(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
	case *entity.Unknown:
		return v
	}
	return map[string]any{"arn": entity.NewUnknown(entity.UnknownSet,
		"known after apply: the ARN of the instance profile "+in.addr+" names")}
}
