package terraform

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

// storageCase is one expected value of a storage or key entity.
type storageCase struct {
	typ, id, path string
	want          any
}

// TestStorageMappings reads testdata/storage: databases from for_each,
// keys from count, file systems from a module, a volume with its
// attachment; the provider's defaults where arguments are left out, and
// Unknown where code cannot say (a variable without a value, encryption
// inherited from a snapshot or decided by the region).
func TestStorageMappings(t *testing.T) {
	inv := load(t, "testdata/storage", Options{Types: []string{"RDS", "EFS", "Volume", "KMS"}})
	billing, analytics := `aws_db_instance.per_team["billing"]`, `aws_db_instance.per_team["analytics"]`
	cases := []storageCase{
		{"RDS", billing, "name", "billing"},
		{"RDS", billing, "isStorageEncrypted", true},
		{"RDS", billing, "kmsKeyId", unknownWith("aws_kms_key.rotated[0].arn")},
		{"RDS", billing, "isMultiAvailabilityZone", true},
		{"RDS", analytics, "isMultiAvailabilityZone", false},
		{"RDS", analytics, "publiclyAccessible", false},
		{"RDS", analytics, "isPublic", false},
		{"RDS", analytics, "autoMinorVersionUpgrade", true},
		{"RDS", analytics, "backupRetentionPeriod", unknownWith("known after apply")},
		{"RDS", analytics, "vpcId", unknownWith("only known in a live account")},
		{"RDS", analytics, "clusterIdentifier", nil},
		{"RDS", "aws_db_instance.restored", "isStorageEncrypted", unknownWith("snapshot_identifier")},
		{"RDS", "aws_db_instance.restored", "publiclyAccessible", unknownWith("variable public has no value")},
		{"RDS", "aws_db_instance.restored", "isPublic", unknownWith("variable public has no value")},
		{"KMS", "aws_kms_key.rotated[0]", "rotationStatus", true},
		{"KMS", "aws_kms_key.rotated[1]", "description", "team key 1"},
		{"KMS", "aws_kms_key.rotated[1]", "isCustomerManaged", true},
		{"KMS", "aws_kms_key.rotated[1]", "keyState", "Enabled"},
		{"KMS", "aws_kms_key.rotated[1]", "deletionDate", nil},
		{"KMS", "aws_kms_key.hmac", "keySpec", "HMAC_256"},
		{"KMS", "aws_kms_key.hmac", "rotationStatus", false},
		{"KMS", "aws_kms_key.disabled", "keyState", "Disabled"},
		{"KMS", "aws_kms_key.disabled", "keySpec", "SYMMETRIC_DEFAULT"},
		{"KMS", "aws_kms_key.disabled", "rotationStatus", false},
		{"EFS", "module.files.aws_efs_file_system.this", "encrypted", true},
		{"EFS", "module.files.aws_efs_file_system.this", "name", "team-files"},
		{"EFS", "module.files.aws_efs_file_system.this", "kmsKeyId", unknownWith("known after apply")},
		{"EFS", "module.files.aws_efs_file_system.plain", "encrypted", false},
		{"EFS", "module.files.aws_efs_file_system.plain", "kmsKeyId", nil},
		{"EFS", "module.files.aws_efs_file_system.plain", "lifeCycleState", unknownWith("only known in a live account")},
		{"Volume", "aws_ebs_volume.logs", "encrypted", unknownWith("EBS encryption by default")},
		{"Volume", "aws_ebs_volume.logs", "size", 50.0},
		{"Volume", "aws_ebs_volume.cache", "encrypted", true},
		{"Volume", "aws_ebs_volume.cache", "volumeType", "gp3"},
		{"Volume", "aws_ebs_volume.cache", "attachments", []any{}},
	}
	for _, c := range cases {
		e := find(t, inv, c.typ, c.id)
		got, ok := at(e.Attrs, c.path)
		if !ok {
			t.Errorf("%s %s has no %s", c.typ, c.id, c.path)
			continue
		}
		if want, isUnknown := c.want.(unknownWith); isUnknown {
			u, ok := got.(*entity.Unknown)
			if !ok || !strings.Contains(u.Reason, string(want)) {
				t.Errorf("%s %s %s = %s, want an Unknown saying %q", c.typ, c.id, c.path, entity.Format(got), want)
			}
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s %s %s (-want +got):\n%s", c.typ, c.id, c.path, diff)
		}
	}
	logs := find(t, inv, "Volume", "aws_ebs_volume.logs").Attrs["attachments"].([]any)
	if len(logs) != 1 {
		t.Fatalf("attachments of aws_ebs_volume.logs: %s", entity.Format(logs))
	}
	a := logs[0].(map[string]any)
	if a["instanceId"] != "i-0abc1234def567890" || a["device"] != "/dev/sdh" || a["state"] != "attached" {
		t.Errorf("attachment %s", entity.Format(a))
	}
}

// TestVolumeAttachmentUnknown: an attachment whose volume comes from a
// variable without a value may attach any declared volume, so their
// attachments are Unknown; one that references another volume leaves
// this one's list as it is.
func TestVolumeAttachmentUnknown(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `
variable "volume_id" { type = string }
resource "aws_ebs_volume" "a" {
  availability_zone = "eu-west-1a"
  size              = 8
}
resource "aws_ebs_volume" "b" {
  availability_zone = "eu-west-1a"
  size              = 8
}
resource "aws_volume_attachment" "b" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.b.id
  instance_id = "i-0b"
}
resource "aws_volume_attachment" "somewhere" {
  device_name = "/dev/sdg"
  volume_id   = var.volume_id
  instance_id = "i-0c"
}
`})
	inv := load(t, dir, Options{Types: []string{"Volume"}})
	for _, addr := range []string{"aws_ebs_volume.a", "aws_ebs_volume.b"} {
		got := find(t, inv, "Volume", addr).Attrs["attachments"]
		if u, ok := got.(*entity.Unknown); !ok || !strings.Contains(u.Reason, "aws_volume_attachment.somewhere") {
			t.Errorf("%s attachments = %s, want Unknown naming the attachment", addr, entity.Format(got))
		}
	}
}
