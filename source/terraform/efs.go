package terraform

// The EFS mapping: each aws_efs_file_system gives an EFS entity. The
// provider creates a file system unencrypted unless encrypted is true
// (the console's default differs; the API's and Terraform's do not).
func init() {
	register(&mapping{
		typ:      "EFS",
		from:     []string{"aws_efs_file_system"},
		defaults: map[string]map[string]any{"aws_efs_file_system": {"encrypted": false, "performance_mode": "generalPurpose", "throughput_mode": "bursting"}},
		build:    (*graph).fileSystem,
	})
}

// fileSystem builds the EFS attributes of the aws_efs_file_system in.
func (g *graph) fileSystem(in *instance) map[string]any {
	a := in.attrs
	encrypted := boolAttr(a["encrypted"], false)
	var key any
	if encrypted != false {
		// Encrypted with the key named, or else AWS's aws/elasticfilesystem key.
		key = orKnownAfterApply(a["kms_key_id"], in.addr, "kms_key_id")
	}
	out := map[string]any{
		"id":              orKnownAfterApply(a["arn"], in.addr, "arn"),
		"arn":             orKnownAfterApply(a["arn"], in.addr, "arn"),
		"name":            nameTag(a["tags"], in),
		"fileSystemId":    orKnownAfterApply(a["id"], in.addr, "id"),
		"encrypted":       encrypted,
		"kmsKeyId":        key,
		"performanceMode": orDefault(a["performance_mode"], "generalPurpose"),
		"throughputMode":  orDefault(a["throughput_mode"], "bursting"),
		"tags":            tags(a["tags"]),
	}
	fillLiveOnly("EFS", out)
	return out
}

// nameTag is the Name tag of a resource whose tags are tags, or else its
// ID, known after apply: as a live account names file systems and volumes.
func nameTag(tags any, in *instance) any {
	if m := object(tags); m != nil && m["Name"] != nil {
		return m["Name"]
	}
	return orKnownAfterApply(in.attrs["id"], in.addr, "id")
}
