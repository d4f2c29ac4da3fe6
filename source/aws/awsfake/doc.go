// Package awsfake is an in-process fake AWS endpoint for tests. It speaks
// the wire protocols of the SDK clients vigil uses: AWS JSON 1.1
// (CloudTrail, CloudWatch Logs, KMS), the AWS Query protocol (CloudWatch,
// SNS, STS, IAM, RDS), the EC2 Query protocol (EC2) and REST-JSON (Access
// Analyzer, EFS).
// One server serves every service and region: it routes on the SigV4
// credential scope (service and region) of each request and on the access
// key, which names the calling account.
//
// There is one file per AWS service (cloudtrail.go, logs.go, cloudwatch.go,
// sns.go, sts.go, ec2.go, iam.go, accessanalyzer.go, rds.go, efs.go,
// kms.go; ec2_volumes.go is part of EC2's): its part of the World
// and its handlers, which it registers from init with registerService
// (routes.go). server.go counts calls, injects faults and latency, refuses
// regions that are not enabled and hands each call to its handler;
// protocol.go decodes requests and writes answers in each protocol.
//
// A World describes the accounts' resources, the faults to inject and the
// latency to add; the Server counts the calls it receives per action and
// region. The signature is not checked.
package awsfake
