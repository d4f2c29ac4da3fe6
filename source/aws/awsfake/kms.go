package awsfake

import (
	"fmt"
	"time"
)

func init() {
	registerService(fakeService{name: "kms", protocol: awsJSON,
		handlers: map[string]handler{
			"ListKeys":             (*Server).listKeys,
			"DescribeKey":          (*Server).describeKey,
			"GetKeyRotationStatus": (*Server).getKeyRotationStatus,
		}})
}

// KMSKey is one KMS key, in one account and region.
type KMSKey struct {
	Account, Region, ID string
	// AWSManaged makes the key one AWS manages for a service; otherwise
	// the customer manages it.
	AWSManaged bool
	// Spec is "SYMMETRIC_DEFAULT" when empty; Usage, "ENCRYPT_DECRYPT".
	Spec, Usage string
	// State is "Enabled" when empty; "PendingDeletion" gives the key a
	// deletion date (Deletion).
	State    string
	Deletion time.Time
	Rotation bool
	// RotationDenied makes kms:GetKeyRotationStatus on this key alone
	// answer AccessDeniedException.
	RotationDenied bool
}

// ARN returns the key's ARN.
func (k KMSKey) ARN() string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", k.Region, k.Account, k.ID)
}

// regionKeys returns the keys of the caller's account and region.
func (s *Server) regionKeys(req *request) []KMSKey {
	var out []KMSKey
	for _, k := range s.world.KMSKeys {
		if k.Account == req.account && k.Region == req.region {
			out = append(out, k)
		}
	}
	return out
}

// keyOf returns the key req names by ID or ARN, or KMS's NotFoundException.
func (s *Server) keyOf(req *request) (KMSKey, *apiError) {
	id, _ := req.json["KeyId"].(string)
	for _, k := range s.regionKeys(req) {
		if id == k.ID || id == k.ARN() {
			return k, nil
		}
	}
	return KMSKey{}, errorf(400, "NotFoundException", "Key '%s' does not exist", id)
}

// listKeys pages through the keys of the caller's account and region.
func (s *Server) listKeys(req *request) (any, *apiError) {
	keys := s.regionKeys(req)
	start, end, next, aerr := s.page(req.json["Marker"], len(keys))
	if aerr != nil {
		return nil, aerr
	}
	list := []any{}
	for _, k := range keys[start:end] {
		list = append(list, map[string]any{"KeyId": k.ID, "KeyArn": k.ARN()})
	}
	out := map[string]any{"Keys": list, "Truncated": next != ""}
	if next != "" {
		out["NextMarker"] = next
	}
	return out, nil
}

// describeKey answers a key's metadata.
func (s *Server) describeKey(req *request) (any, *apiError) {
	k, aerr := s.keyOf(req)
	if aerr != nil {
		return nil, aerr
	}
	manager := "CUSTOMER"
	if k.AWSManaged {
		manager = "AWS"
	}
	state := or(k.State, "Enabled")
	m := map[string]any{"AWSAccountId": k.Account, "KeyId": k.ID, "Arn": k.ARN(), "CreationDate": 1.7e9,
		"Enabled": state == "Enabled", "Description": "key " + k.ID, "KeyUsage": or(k.Usage, "ENCRYPT_DECRYPT"),
		"KeyState": state, "Origin": "AWS_KMS", "KeyManager": manager, "KeySpec": or(k.Spec, "SYMMETRIC_DEFAULT"),
		"CustomerMasterKeySpec": or(k.Spec, "SYMMETRIC_DEFAULT"), "MultiRegion": false}
	if !k.Deletion.IsZero() {
		m["DeletionDate"] = float64(k.Deletion.Unix())
	}
	return map[string]any{"KeyMetadata": m}, nil
}

// getKeyRotationStatus answers whether automatic rotation is on, as KMS
// does: UnsupportedOperationException for a key that cannot rotate.
func (s *Server) getKeyRotationStatus(req *request) (any, *apiError) {
	k, aerr := s.keyOf(req)
	switch {
	case aerr != nil:
		return nil, aerr
	case k.RotationDenied:
		return nil, errorf(400, "AccessDeniedException", "User is not authorized to perform: kms:GetKeyRotationStatus on resource: %s", k.ARN())
	case or(k.Spec, "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT":
		return nil, errorf(400, "UnsupportedOperationException", "%s key spec does not support rotation", k.Spec)
	}
	return map[string]any{"KeyId": k.ARN(), "KeyRotationEnabled": k.Rotation}, nil
}
