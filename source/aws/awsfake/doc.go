// Package awsfake is an in-process fake AWS endpoint for tests. It speaks
// the wire protocols of the SDK clients vigil uses: AWS JSON 1.1
// (CloudTrail, CloudWatch Logs), the AWS Query protocol (CloudWatch, SNS,
// STS) and the EC2 Query protocol (EC2). One server serves every service
// and region: it routes on the SigV4 credential scope (service and region)
// of each request and on the access key, which names the calling account.
//
// A World describes the accounts' resources, the faults to inject and the
// latency to add; the Server counts the calls it receives per action and
// region. The signature is not checked.
package awsfake
