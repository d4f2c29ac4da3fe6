package aws

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ctypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"vigil/source/aws/awsfake"
)

// benchRegions are the 17 regions enabled by default.
var benchRegions = []string{"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
	"eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-southeast-1", "ap-southeast-2", "sa-east-1"}

// benchWorld is 17 regions and 10 trails, each homed in its own region with
// its own log group of 15 metric filters, each filter's metric alarmed to
// the region's topic. Page sizes are AWS's defaults (50).
func benchWorld(latency time.Duration) awsfake.World {
	w := awsfake.World{Account: acct, Latency: latency, PageSize: 50}
	for _, r := range benchRegions {
		w.Regions = append(w.Regions, awsfake.Region{Name: r})
	}
	for i := range 10 {
		region := w.Regions[i].Name
		lg := awsfake.LogGroup{Account: acct, Region: region, Name: fmt.Sprintf("trail-%d", i)}
		topic := topicARN(region, "alerts")
		w.Topics = append(w.Topics, awsfake.Topic{ARN: topic, Subscriptions: []string{topic + ":1"}})
		for f := range 15 {
			metric := fmt.Sprintf("metric-%d", f)
			lg.Filters = append(lg.Filters, awsfake.MetricFilter{Name: metric, Pattern: cis45,
				Transformations: []awsfake.Transformation{{MetricName: metric, Namespace: "CIS", Value: "1"}}})
			w.Alarms = append(w.Alarms, awsfake.Alarm{Account: acct, Region: region, Name: metric, MetricName: metric,
				Namespace: "CIS", ActionsEnabled: true, Actions: []string{topic}})
		}
		w.LogGroups = append(w.LogGroups, lg)
		w.Trails = append(w.Trails, awsfake.Trail{Name: lg.Name, Account: acct, HomeRegion: region, MultiRegion: i == 0,
			LogGroupARN: lg.ARN(), Status: awsfake.TrailStatus{IsLogging: true},
			EventSelectors: []ctypes.EventSelector{{ReadWriteType: ctypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true)}}})
	}
	return w
}

// BenchmarkCollectLatency measures a whole collection with 50 ms added to
// every call. The longest chain of dependent calls is GetCallerIdentity →
// DescribeRegions → DescribeTrails → DescribeMetricFilters →
// DescribeAlarmsForMetric → ListSubscriptionsByTopic: 6 calls, 300 ms.
func BenchmarkCollectLatency(b *testing.B) { benchmarkCollect(b, 50*time.Millisecond) }

// BenchmarkCollectCPU is the same collection with no added latency: the
// collector's and the SDK's own cost.
func BenchmarkCollectCPU(b *testing.B) { benchmarkCollect(b, 0) }

func benchmarkCollect(b *testing.B, latency time.Duration) {
	srv := awsfake.NewServer(benchWorld(latency))
	defer srv.Close()
	isolateFromHost(b)
	opts := Options{Endpoint: srv.URL, Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "s", ""),
		Types: []string{TypeCloudTrail}}
	var calls int
	for b.Loop() {
		srv.ResetCalls()
		inv, err := Collect(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(inv.Entities) != 10 || len(inv.Failures) != 0 {
			b.Fatalf("%d entities, failures %v", len(inv.Entities), inv.Failures)
		}
		calls = 0
		for _, n := range srv.Calls() {
			calls += n
		}
	}
	b.ReportMetric(float64(calls), "calls/op")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}

// iamBenchWorld is an account with users IAM users, each with a password
// and an access key, every other one with a virtual MFA device, in groups
// and with policies; page sizes are AWS's largest (1,000).
func iamBenchWorld(users int, latency time.Duration) awsfake.World {
	w := awsfake.World{Account: acct, Latency: latency, PageSize: 1000, Regions: []awsfake.Region{{Name: "us-east-1"}}}
	w.IAM = awsfake.ScenarioIAM()
	w.IAM.Users = nil
	for i := range users {
		u := awsfake.User{Name: fmt.Sprintf("user-%05d", i), Created: now.AddDate(-1, 0, 0), Password: true,
			PasswordLastUsed: now.AddDate(0, 0, -i%120), Groups: []string{"admins"},
			Keys: []awsfake.AccessKey{{Active: true, LastRotated: now.AddDate(0, 0, -i%400), LastUsed: now.AddDate(0, 0, -1),
				Region: "us-east-1", Service: "s3"}}}
		if i%2 == 0 {
			u.MFA = "virtual"
		}
		w.IAM.Users = append(w.IAM.Users, u)
	}
	return w
}

// BenchmarkCollectIAM5000Users collects the IAM types of an account with
// 5,000 users, 50 ms added to every call. The floor is the longest chain
// of dependent calls: GetCallerIdentity, then the authorisation details'
// pages one after the other (5,000 users, 1 group, 2 roles and 4 policies
// in pages of 1,000: 6 pages): 7 calls, 350 ms. The credential report
// (generate, then get), the password policy, the summary and the three
// pages of virtual MFA devices run beside it. No call is made per user;
// the root user's IamUser comes from the same report and summary.
func BenchmarkCollectIAM5000Users(b *testing.B) { benchmarkCollectIAM(b, 50*time.Millisecond) }

// BenchmarkCollectIAM5000UsersCPU is the same collection with no added
// latency: the cost of the fake, the SDK's decoding and the collector.
func BenchmarkCollectIAM5000UsersCPU(b *testing.B) { benchmarkCollectIAM(b, 0) }

func benchmarkCollectIAM(b *testing.B, latency time.Duration) {
	srv := awsfake.NewServer(iamBenchWorld(5000, latency))
	defer srv.Close()
	isolateFromHost(b)
	opts := Options{Endpoint: srv.URL, Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "s", ""),
		Types: []string{TypeIam, TypeIamUser, TypeIamPolicy, TypeIamRole}}
	var calls int
	for b.Loop() {
		srv.ResetCalls()
		inv, err := Collect(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		// The account, the users and the root user, the policies and
		// the roles.
		if n := len(inv.Entities); n != 1+5000+1+4+2 || len(inv.Failures) != 0 {
			b.Fatalf("%d entities, failures %v", n, inv.Failures)
		}
		calls = 0
		for _, n := range srv.Calls() {
			calls += n
		}
	}
	b.ReportMetric(float64(calls), "calls/op")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}
