package awsfake

import "time"

// World is what the fake AWS holds. The types of each service's part are
// in the service's file.
type World struct {
	// Account is the account of any access key not listed in Keys.
	Account string
	// Keys maps access key IDs to accounts.
	Keys map[string]string
	// Organization lists the accounts that see organisation trails.
	Organization []string
	// Regions are the regions that exist; an "not-opted-in" region answers
	// every call but ec2:DescribeRegions with UnrecognizedClientException.
	Regions []Region
	Trails  []Trail
	// LogGroups, Alarms and Topics are each in one account and region.
	LogGroups []LogGroup
	Alarms    []Alarm
	Topics    []Topic
	// Analyzers are the IAM Access Analyzer analyzers, each in one account
	// and region.
	Analyzers []Analyzer
	// Recorders are the AWS Config configuration recorders; EBSDefaults the
	// regions that encrypt new EBS volumes by default; VPCs and FlowLogs
	// the networks and their flow logs. Each is in one account and region.
	Recorders   []Recorder
	EBSDefaults []EBSDefault
	VPCs        []VPC
	FlowLogs    []FlowLog
	// DBInstances, FileSystems, Volumes and KMSKeys are RDS DB instances,
	// EFS file systems, EBS volumes and KMS keys, each in one account and
	// region.
	DBInstances []DBInstance
	FileSystems []FileSystem
	Volumes     []Volume
	KMSKeys     []KMSKey
	// Instances are the EC2 instances, each in one account and region.
	Instances []Instance
	// Buckets are the S3 buckets, each in one account and region, and
	// AccountPublicAccessBlocks the accounts' Block Public Access
	// settings, by account (none for an account not listed).
	Buckets                   []Bucket
	AccountPublicAccessBlocks map[string]PublicAccessBlock
	// IAM is the account's IAM (of Account only).
	IAM IAM
	// Roles lists the roles sts:AssumeRole accepts, by ARN, with the
	// external ID each requires ("" for none).
	Roles map[string]string
	// Faults are injected errors and delays.
	Faults []Fault
	// Latency is added to every call.
	Latency time.Duration
	// PageSize is the number of items per page of paginated calls
	// (default 2, so every list of more than two items is paginated).
	PageSize int
	// EndlessPages makes every paginated call answer with a new next token
	// forever (a hostile or broken endpoint).
	EndlessPages bool
	// NoRegionsListed makes ec2:DescribeRegions answer with an empty,
	// well-formed list (a broken endpoint or proxy); the regions still
	// answer every other call.
	NoRegionsListed bool
}

// Fault makes calls fail or stall.
type Fault struct {
	// Action is "service:Action" ("logs:DescribeMetricFilters"); Region,
	// when set, limits the fault to one region.
	Action, Region string
	// Bucket, when set, limits the fault to calls on this S3 bucket.
	Bucket string
	// Code and Status make the call fail with this AWS error code and HTTP
	// status (400 when zero); Message is the error message.
	Code    string
	Status  int
	Message string
	// Delay stalls the call before it is answered (for timeouts).
	Delay time.Duration
	// Times limits the fault to the first Times matching calls; 0 is always.
	Times int
	// Date, when set, is sent as the answer's Date header, which the SDK
	// parses (and logs a warning about when it cannot).
	Date string
}
