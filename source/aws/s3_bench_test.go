package aws

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"vigil/source/aws/awsfake"
)

// s3BenchWorld is an account with n buckets spread over the 17 default
// regions, a tenth of them public through their ACL, every bucket with a
// policy; ListBuckets pages hold 1,000 buckets, as AWS's largest.
func s3BenchWorld(n int, latency time.Duration) awsfake.World {
	w := awsfake.World{Account: acct, Latency: latency, PageSize: 1000}
	for _, r := range benchRegions {
		w.Regions = append(w.Regions, awsfake.Region{Name: r})
	}
	for i := range n {
		name := fmt.Sprintf("bucket-%05d", i)
		b := awsfake.Bucket{Account: acct, Region: benchRegions[i%len(benchRegions)], Name: name,
			Policy: awsfake.DenyHTTPPolicy(name, `"*"`), SSEAlgorithm: "AES256", Versioning: "Enabled"}
		if i%10 == 0 {
			b.Grants = []awsfake.Grant{{URI: awsfake.AllUsers, Permission: "READ"}}
		}
		w.Buckets = append(w.Buckets, b)
	}
	return w
}

// s3RuleAttrs are the S3Bucket attributes the four S3 rules read
// (VIGIL.AWS.S3.01 to .04), as vigil scan aws passes them.
var s3RuleAttrs = map[string][]string{TypeS3Bucket: {"deniesInsecureTransport", "versioning", "publicAccessBlock",
	"accountPublicAccessBlock", "isPublic"}}

// BenchmarkCollect10000Buckets collects 10,000 buckets for the four S3
// rules, 20 ms added to every call. Those rules need, per bucket, the
// policy, the versioning, the ACL and the Block Public Access settings:
// 4 calls, the floor of 40,000; plus GetCallerIdentity, DescribeRegions,
// 10 pages of ListBuckets (which give each bucket's region, so no
// GetBucketLocation) and the account's Block Public Access. No call is
// made for encryption, logging, Object Lock, tags or the website, which
// no selected rule reads. With 10 calls at once per region, 17 regions,
// the wall-time floor is about 40,000 / 170 × 20 ms ≈ 4.7 s. On a
// two-core machine the SDK and the fake, in one process, cost about 23 s
// of CPU for the 40,000 calls (BenchmarkCollect10000BucketsCPU), which
// then bounds the wall time (about 27 s measured), not the latency.
func BenchmarkCollect10000Buckets(b *testing.B) { benchmarkCollectBuckets(b, 20*time.Millisecond) }

func benchmarkCollectBuckets(b *testing.B, latency time.Duration) {
	const n = 10000
	srv := awsfake.NewServer(s3BenchWorld(n, latency))
	defer srv.Close()
	isolateFromHost(b)
	opts := Options{Endpoint: srv.URL, Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "s", ""),
		Types: []string{TypeS3Bucket}, Attrs: s3RuleAttrs}
	cfg, err := LoadConfig(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	// The fake serves every region from one host, where AWS has one per
	// region: keep as many connections to it open as the collector makes
	// calls at once (10 per region), as the SDK's 10 per host do for AWS.
	cfg.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns, t.MaxIdleConnsPerHost = 200, 200
	})
	var calls, perBucket int
	for b.Loop() {
		srv.ResetCalls()
		inv, err := New(cfg, opts).Collect(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(inv.Entities) != n || len(inv.Failures) != 0 {
			b.Fatalf("%d entities, %d failures", len(inv.Entities), len(inv.Failures))
		}
		calls, perBucket = 0, 0
		for action, k := range srv.CallsByAction() {
			calls += k
			switch action {
			case "s3:GetBucketPolicy", "s3:GetBucketVersioning", "s3:GetBucketAcl", "s3:GetBucketPublicAccessBlock":
				perBucket += k
			}
		}
	}
	if perBucket != 4*n {
		b.Errorf("%d per-bucket calls, want the floor of %d", perBucket, 4*n)
	}
	b.ReportMetric(float64(calls), "calls/op")
	b.ReportMetric(float64(perBucket)/n, "calls/bucket")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}

// BenchmarkCollect10000BucketsCPU is the same collection with no added
// latency: the cost of the SDK, the fake and the collector, which on a
// small machine is most of the wall time above.
func BenchmarkCollect10000BucketsCPU(b *testing.B) { benchmarkCollectBuckets(b, 0) }
