package awsfake

import (
	"fmt"
	"time"

	ctypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// World is what the fake AWS holds.
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

// Region is one AWS region and its opt-in status.
type Region struct {
	Name  string
	OptIn string // "opt-in-not-required" (default), "opted-in", "not-opted-in"
}

// Enabled reports whether the region is enabled for accounts.
func (r Region) Enabled() bool { return r.OptIn != "not-opted-in" }

// Trail is one CloudTrail trail.
type Trail struct {
	Name, Account, HomeRegion string
	MultiRegion, Organization bool
	LogGroupARN, RoleARN      string
	S3Bucket, KMSKeyID        string
	IncludeGlobal             bool
	LogFileValidation         bool
	Status                    TrailStatus
	EventSelectors            []ctypes.EventSelector
	AdvancedEventSelectors    []ctypes.AdvancedEventSelector
	Tags                      map[string]string
}

// ARN returns the trail's ARN.
func (t Trail) ARN() string {
	return fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", t.HomeRegion, t.Account, t.Name)
}

// TrailStatus is what GetTrailStatus answers; zero times are absent.
type TrailStatus struct {
	IsLogging                        bool
	LatestCloudWatchLogsDeliveryTime time.Time
	LatestDeliveryTime               time.Time
	StartLoggingTime                 time.Time
	LatestDeliveryError              string
}

// LogGroup is one CloudWatch Logs log group and its metric filters.
type LogGroup struct {
	Account, Region, Name string
	Filters               []MetricFilter
}

// ARN returns the log group's ARN in the form trails use.
func (g LogGroup) ARN() string {
	return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:*", g.Region, g.Account, g.Name)
}

// MetricFilter is one metric filter.
type MetricFilter struct {
	Name, Pattern   string
	Transformations []Transformation
}

// Transformation is one metric transformation of a filter.
type Transformation struct {
	MetricName, Namespace, Value string
	// Dimensions map dimension names to log event fields ("$.region").
	Dimensions map[string]string
}

// Alarm is one CloudWatch metric alarm.
type Alarm struct {
	Account, Region, Name string
	MetricName, Namespace string
	ActionsEnabled        bool
	Actions               []string
}

// ARN returns the alarm's ARN.
func (a Alarm) ARN() string {
	return fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", a.Region, a.Account, a.Name)
}

// Topic is one SNS topic. Subscriptions hold each subscription's
// SubscriptionArn: an ARN when confirmed, "PendingConfirmation" when not.
type Topic struct {
	ARN           string
	Subscriptions []string
}

// Fault makes calls fail or stall.
type Fault struct {
	// Action is "service:Action" ("logs:DescribeMetricFilters"); Region,
	// when set, limits the fault to one region.
	Action, Region string
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
