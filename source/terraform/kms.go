package terraform

import "vigil/entity"

// The KMS mapping: each aws_kms_key gives a KMS entity. A key code
// declares is customer-managed by construction and, once applied, enabled
// or disabled as is_enabled says; a key pending deletion is one code no
// longer declares, so deletionDate is null.
func init() {
	register(&mapping{
		typ:  "KMS",
		from: []string{"aws_kms_key"},
		defaults: map[string]map[string]any{"aws_kms_key": {
			"enable_key_rotation": false, "is_enabled": true,
			"customer_master_key_spec": "SYMMETRIC_DEFAULT", "key_usage": "ENCRYPT_DECRYPT",
		}},
		build: (*graph).kmsKey,
	})
}

// kmsKey builds the KMS attributes of the aws_kms_key in.
func (g *graph) kmsKey(in *instance) map[string]any {
	a := in.attrs
	spec := orDefault(a["customer_master_key_spec"], "SYMMETRIC_DEFAULT")
	return map[string]any{
		"id":                orKnownAfterApply(a["arn"], in.addr, "arn"),
		"arn":               orKnownAfterApply(a["arn"], in.addr, "arn"),
		"keyId":             orKnownAfterApply(a["key_id"], in.addr, "key_id"),
		"description":       orDefault(a["description"], ""),
		"keyManager":        "CUSTOMER",
		"isCustomerManaged": true,
		"keyState":          keyState(a["is_enabled"]),
		"deletionDate":      nil,
		"keySpec":           spec,
		"keyUsage":          orDefault(a["key_usage"], "ENCRYPT_DECRYPT"),
		"origin":            "AWS_KMS",
		"rotationStatus":    keyRotation(spec, a["enable_key_rotation"]),
	}
}

// keyState is the state an applied key is in: Enabled, or Disabled when
// is_enabled is false.
func keyState(enabled any) any {
	switch v := boolAttr(enabled, true).(type) {
	case bool:
		if v {
			return "Enabled"
		}
		return "Disabled"
	case *entity.Unknown:
		return entity.NewUnknown(entity.UnknownSet, "whether the key is enabled is unknown: "+v.Reason)
	}
	return enabled
}

// keyRotation is the rotation status of a declared key: enable_key_rotation
// for a symmetric key, and false for any other, which KMS cannot rotate
// (as a live account reports it). A spec that is unknown leaves it
// unknown only when rotation is asked for.
func keyRotation(spec, enable any) any {
	rotation := boolAttr(enable, false)
	switch s := spec.(type) {
	case string:
		if s != "SYMMETRIC_DEFAULT" {
			return false
		}
	case *entity.Unknown:
		if rotation == false {
			return false
		}
		return entity.NewUnknown(entity.UnknownSet, "whether the key can rotate depends on its spec, which is unknown: "+s.Reason)
	}
	return rotation
}
