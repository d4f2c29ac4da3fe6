package terraform

import "vigil/entity"

// The RDS mapping: each aws_db_instance gives an RDS entity, with the
// provider's defaults: unencrypted, not publicly accessible, minor
// upgrades on, single-AZ. An instance restored from a snapshot or
// replicating another takes its encryption from its source unless
// storage_encrypted says otherwise, which code cannot tell.
func init() {
	register(&mapping{
		typ:  "RDS",
		from: []string{"aws_db_instance"},
		defaults: map[string]map[string]any{"aws_db_instance": {
			"publicly_accessible": false, "auto_minor_version_upgrade": true, "multi_az": false,
		}},
		build: (*graph).dbInstance,
	})
}

// dbInstance builds the RDS attributes of the aws_db_instance in.
func (g *graph) dbInstance(in *instance) map[string]any {
	a := in.attrs
	encrypted := storageEncrypted(in)
	var key any
	if encrypted != false {
		// The key named, or else AWS's aws/rds key, known once created.
		key = orKnownAfterApply(a["kms_key_id"], in.addr, "kms_key_id")
	}
	public := boolAttr(a["publicly_accessible"], false)
	out := map[string]any{
		"id":                      orKnownAfterApply(a["arn"], in.addr, "arn"),
		"arn":                     orKnownAfterApply(a["arn"], in.addr, "arn"),
		"name":                    orKnownAfterApply(a["identifier"], in.addr, "identifier"),
		"engine":                  orKnownAfterApply(a["engine"], in.addr, "engine"),
		"engineVersion":           orKnownAfterApply(a["engine_version"], in.addr, "engine_version"),
		"instanceClass":           a["instance_class"],
		"clusterIdentifier":       nil,
		"isStorageEncrypted":      encrypted,
		"kmsKeyId":                key,
		"publiclyAccessible":      public,
		"isPublic":                public,
		"autoMinorVersionUpgrade": boolAttr(a["auto_minor_version_upgrade"], true),
		"isMultiAvailabilityZone": boolAttr(a["multi_az"], false),
		"backupRetentionPeriod":   orKnownAfterApply(a["backup_retention_period"], in.addr, "backup_retention_period"),
		"dbSubnetGroupName":       a["db_subnet_group_name"],
		"tags":                    tags(a["tags"]),
	}
	fillLiveOnly("RDS", out)
	return out
}

// storageEncrypted is whether the instance's storage is encrypted:
// storage_encrypted, false when left out, unless the instance is restored
// from a snapshot or replicates another, whose encryption it then takes.
func storageEncrypted(in *instance) any {
	v := in.attrs["storage_encrypted"]
	if v == nil {
		for _, source := range []string{"snapshot_identifier", "replicate_source_db"} {
			if in.attrs[source] != nil {
				return entity.NewUnknown(entity.UnknownSet,
					"the storage of "+in.addr+" is encrypted as its source ("+source+") is, which code does not say")
			}
		}
	}
	return boolAttr(v, false)
}
