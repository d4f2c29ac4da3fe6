// Package aws collects live AWS data into vigil's inventory: the CloudTrail
// trails an account has, normalised into the CloudTrail entity of the GSL
// spec (§6), and enriched with exactly what the monitoring rules need.
//
// The join goes trail → the trail's own CloudWatch Logs log group (account
// and region taken from its ARN) → the group's metric filters → the alarms on
// each filter's metric (name and namespace) → the SNS topics those alarms
// notify → whether each topic has a confirmed subscriber. Every call is made
// in the region and account of the thing it reads; log groups are never
// enumerated.
//
// There is one file per AWS service (sts.go, ec2.go, cloudtrail.go,
// cloudwatchlogs.go, cloudwatch.go, sns.go, iam.go, accessanalyzer.go,
// config.go, rds.go, efs.go, kms.go, s3.go; iam_root.go and
// iam_certificates.go are parts of IAM's, ebs.go, vpc.go and ec2_volumes.go
// of EC2's, and s3_bucket.go, s3_reads.go and s3_trails.go of S3's: the
// per-bucket reads, each made only when a wanted attribute needs it
// (Options.Attrs), and the access logging of each trail's bucket). The RDS,
// EFS, Volume and KMS entities are listed per region, each whole from its
// service's listing calls, but for a KMS key's rotation status, read per
// customer-managed symmetric key. Each
// registers itself from init (registry.go): its name, how to build its client, the IAM actions
// it calls with what each reads, and how it lists entities of a type or
// fills attributes of entities another service listed. The client set
// (clients.go), the permission list (permissions.go), docs/iam-policy.json
// and the permissions table of docs/aws.md are derived from the registry.
// The Region type (region.go) is one entity per scanned region, which
// services that read region-wide settings enrich: Access Analyzer's
// analyzers, AWS Config's recorders, EBS encryption by default, and the
// VPCs with their flow logs.
//
// The collector (collector.go) identifies the account, lists the regions,
// runs the listers of the wanted entity types (Options.Types), then their
// enrichers, all at once; it also holds the concurrency limits and the call
// accounting, and errors.go the error classification. Anything that could
// not be read becomes an entity.Failure naming the API call, region and
// error, and the attribute it would have filled holds an *entity.Unknown:
// missing data is never reported as absent.
//
// The root user is an IamUser named "<root_account>", built from the
// credential report's root row as CloudGuard's rules expect (iam_root.go),
// besides Iam.rootUser; a report without that row gives no root IamUser
// and a failure on the root user's entity, never a silent absence.
package aws
