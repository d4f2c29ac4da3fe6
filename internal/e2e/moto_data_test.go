package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	efstypes "github.com/aws/aws-sdk-go-v2/service/efs/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/google/go-cmp/cmp"

	vigilaws "vigil/source/aws"
)

// dataSeeder seeds the databases, file systems, volumes and keys of one
// moto account in us-east-1 through the real AWS APIs.
type dataSeeder struct {
	t   *testing.T
	rds *rds.Client
	efs *efs.Client
	ec2 *ec2.Client
	kms *kms.Client
}

func newDataSeeder(t *testing.T, account string) *dataSeeder {
	cfg := motoConfig(t, account)
	return &dataSeeder{t: t, rds: rds.NewFromConfig(cfg), efs: efs.NewFromConfig(cfg), ec2: ec2.NewFromConfig(cfg), kms: kms.NewFromConfig(cfg)}
}

// key creates a customer-managed key of the spec and usage given, and
// returns its ID.
func (s *dataSeeder) key(spec kmstypes.KeySpec, usage kmstypes.KeyUsageType) string {
	out, err := s.kms.CreateKey(context.Background(), &kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage})
	check(s.t, "create key", err)
	return aws.ToString(out.KeyMetadata.KeyId)
}

func (s *dataSeeder) database(name string, encrypted, public, minorUpgrades, multiAZ bool) {
	in := &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String(name), DBInstanceClass: aws.String("db.t3.micro"),
		Engine: aws.String("postgres"), AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("admin"),
		MasterUserPassword: aws.String("Correct-Horse-Battery-1"), StorageEncrypted: aws.Bool(encrypted),
		PubliclyAccessible: aws.Bool(public), AutoMinorVersionUpgrade: aws.Bool(minorUpgrades), MultiAZ: aws.Bool(multiAZ)}
	_, err := s.rds.CreateDBInstance(context.Background(), in)
	check(s.t, "create DB instance "+name, err)
}

func (s *dataSeeder) fileSystem(name string, encrypted bool) {
	_, err := s.efs.CreateFileSystem(context.Background(), &efs.CreateFileSystemInput{CreationToken: aws.String(name),
		Encrypted: aws.Bool(encrypted), Tags: []efstypes.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}})
	check(s.t, "create file system "+name, err)
}

// volume creates a volume, encrypted with key when key is not empty. (Given
// no key, moto makes a default EBS key of its own, which it reports as
// customer-managed where AWS's aws/ebs key is AWS-managed.)
func (s *dataSeeder) volume(name, key string) {
	in := &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"),
		Size: aws.Int32(8), Encrypted: aws.Bool(key != ""), TagSpecifications: []ec2types.TagSpecification{{
			ResourceType: ec2types.ResourceTypeVolume, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}}
	if key != "" {
		in.KmsKeyId = aws.String(key)
	}
	_, err := s.ec2.CreateVolume(context.Background(), in)
	check(s.t, "create volume "+name, err)
}

// TestMotoDataVerdicts seeds one account on moto with an encrypted,
// private, Multi-AZ database that upgrades itself and one that is none of
// those; an encrypted and an unencrypted file system and volume; a
// symmetric key with rotation on, one with rotation off, an asymmetric
// key and a symmetric key scheduled for deletion. It collects the account
// with vigil and checks the verdict of every catalog rule on those types:
// the asymmetric key and the key pending deletion are not concerned by the
// rotation rule, and give no verdict.
func TestMotoDataVerdicts(t *testing.T) {
	motoEndpoint(t)
	account := motoAccount()
	s := newDataSeeder(t, account)
	ctx := context.Background()

	rotated := s.key(kmstypes.KeySpecSymmetricDefault, kmstypes.KeyUsageTypeEncryptDecrypt)
	_, err := s.kms.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(rotated)})
	check(t, "enable rotation", err)
	unrotated := s.key(kmstypes.KeySpecSymmetricDefault, kmstypes.KeyUsageTypeEncryptDecrypt)
	s.key(kmstypes.KeySpecRsa2048, kmstypes.KeyUsageTypeSignVerify)
	retired := s.key(kmstypes.KeySpecSymmetricDefault, kmstypes.KeyUsageTypeEncryptDecrypt)
	_, err = s.kms.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(retired), PendingWindowInDays: aws.Int32(7)})
	check(t, "schedule deletion", err)

	s.database("orders", true, false, true, true)
	s.database("reports", false, true, false, false)
	s.fileSystem("shared-home", true)
	s.fileSystem("scratch", false)
	s.volume("web-root", rotated)
	s.volume("scratch", "")

	types := []string{vigilaws.TypeRDS, vigilaws.TypeEFS, vigilaws.TypeVolume, vigilaws.TypeKMS}
	inv := collectFromMoto(t, account, []string{"us-east-1"}, types...)
	if len(inv.Failures) != 0 {
		t.Fatalf("failures: %v", inv.Failures)
	}
	run, err := catalogPlanOn(t, types...).Run(ctx, inv, inv.CollectedAt)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"VIGIL.AWS.RDS.01 orders PASS", "VIGIL.AWS.RDS.01 reports FAIL",
		"VIGIL.AWS.RDS.02 orders PASS", "VIGIL.AWS.RDS.02 reports FAIL",
		"VIGIL.AWS.RDS.03 orders PASS", "VIGIL.AWS.RDS.03 reports FAIL",
		"VIGIL.AWS.RDS.04 orders PASS", "VIGIL.AWS.RDS.04 reports FAIL",
		"VIGIL.AWS.EFS.01 shared-home PASS", "VIGIL.AWS.EFS.01 scratch FAIL",
		"VIGIL.AWS.EC2.02 web-root PASS", "VIGIL.AWS.EC2.02 scratch FAIL",
		"VIGIL.AWS.KMS.01 " + rotated + " PASS", "VIGIL.AWS.KMS.01 " + unrotated + " FAIL",
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, verdictLines(run)); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}
}
