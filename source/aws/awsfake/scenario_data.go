package awsfake

import "time"

// The databases, file systems, volumes and keys of Scenario, in the
// scanned account unless said otherwise:
//
//   - RDS: orders (us-east-1), encrypted with a customer key, private,
//     minor upgrades on, Multi-AZ, 7 days of backups, in a subnet group;
//     legacy-reports (eu-west-1), unencrypted, publicly accessible, no
//     minor upgrades, single-AZ, no backups; an instance of the management
//     account that the scan must not list;
//   - EFS: shared-home (us-east-1), encrypted, tagged; scratch
//     (eu-west-1), unencrypted, untagged;
//   - EBS: an encrypted volume attached to an instance and an unencrypted
//     one detaching from another (us-east-1), an unencrypted volume
//     attached to nothing (ap-southeast-2);
//   - EC2 (us-east-1): web, running with an instance profile and a
//     public address; batch, running without a profile, private;
//   - KMS (us-east-1): "1234", customer-managed and rotated (main's
//     trail key); "5678", customer-managed, not rotated; an AWS-managed
//     key; an asymmetric signing key; a symmetric key pending deletion,
//     not rotated; and in eu-west-1 a rotated key.

// ScenarioDBInstances are the RDS DB instances of Scenario.
func ScenarioDBInstances() []DBInstance {
	return []DBInstance{
		{Account: acct, Region: "us-east-1", ID: "orders", Encrypted: true, KMSKeyID: ScenarioKeyARN("us-east-1", "1234"),
			AutoMinorUpgrade: true, MultiAZ: true, BackupRetention: 7, SubnetGroup: "private-db", VPC: "vpc-0a1b2c3d",
			Tags: map[string]string{"team": "payments"}},
		{Account: acct, Region: "eu-west-1", ID: "legacy-reports", Engine: "mysql", Public: true, SubnetGroup: "default",
			VPC: "vpc-0e0e0e0e"},
		{Account: mgmt, Region: "us-east-1", ID: "management-only"},
	}
}

// ScenarioFileSystems are the EFS file systems of Scenario.
func ScenarioFileSystems() []FileSystem {
	return []FileSystem{
		{Account: acct, Region: "us-east-1", ID: "fs-0123456789abcdef0", Encrypted: true,
			KMSKeyID: ScenarioKeyARN("us-east-1", "1234"), Tags: map[string]string{"Name": "shared-home", "team": "platform"}},
		{Account: acct, Region: "eu-west-1", ID: "fs-0fedcba9876543210"},
	}
}

// ScenarioVolumes are the EBS volumes of Scenario.
func ScenarioVolumes() []Volume {
	return []Volume{
		{Account: acct, Region: "us-east-1", ID: "vol-0aaaaaaaaaaaaaaaa", Encrypted: true, KMSKeyID: ScenarioKeyARN("us-east-1", "1234"),
			Size: 20, Attachments: []VolumeAttachment{{Instance: "i-0123456789abcdef0", Device: "/dev/xvda"}},
			Tags: map[string]string{"Name": "web-root"}},
		{Account: acct, Region: "us-east-1", ID: "vol-0bbbbbbbbbbbbbbbb", Type: "io2",
			Attachments: []VolumeAttachment{{Instance: "i-0fedcba9876543210", Device: "/dev/sdf", State: "detaching"}}},
		{Account: acct, Region: "ap-southeast-2", ID: "vol-0cccccccccccccccc", Size: 100, Type: "st1"},
	}
}

// ScenarioInstances are the EC2 instances of Scenario.
func ScenarioInstances() []Instance {
	return []Instance{
		{Account: acct, Region: "us-east-1", ID: "i-0123456789abcdef0", Profile: "arn:aws:iam::" + acct + ":instance-profile/web",
			VPC: "vpc-0a1", Subnet: "subnet-0b2a", PublicIP: "203.0.113.10", Tags: map[string]string{"Name": "web"}},
		{Account: acct, Region: "us-east-1", ID: "i-0fedcba9876543210", VPC: "vpc-0a1", Subnet: "subnet-0b2a",
			Tags: map[string]string{"Name": "batch", "team": "data"}},
	}
}

// ScenarioKeys are the KMS keys of Scenario.
func ScenarioKeys() []KMSKey {
	return []KMSKey{
		{Account: acct, Region: "us-east-1", ID: "1234", Rotation: true},
		{Account: acct, Region: "us-east-1", ID: "5678"},
		{Account: acct, Region: "us-east-1", ID: "aws-ebs", AWSManaged: true, Rotation: true},
		{Account: acct, Region: "us-east-1", ID: "signing", Spec: "RSA_2048", Usage: "SIGN_VERIFY"},
		{Account: acct, Region: "us-east-1", ID: "retired", State: "PendingDeletion", Deletion: ScenarioNow.Add(7 * 24 * time.Hour)},
		{Account: acct, Region: "eu-west-1", ID: "9abc", Rotation: true},
	}
}

// ScenarioKeyARN is the ARN of a key of the scanned account.
func ScenarioKeyARN(region, id string) string {
	return KMSKey{Account: acct, Region: region, ID: id}.ARN()
}
