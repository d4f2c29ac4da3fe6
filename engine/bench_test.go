package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vigil/entity"
)

// benchInventory generates n trails spread over accounts of perAccount
// trails, built like the example's: a third pass everything, a third are
// regional and not sent to CloudWatch Logs, a third record only write events
// with a partial set of metric filters.
func benchInventory(n, perAccount int) *entity.Inventory {
	inv := &entity.Inventory{CollectedAt: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	patterns := []string{
		"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
		"{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }",
	}
	for i := range n {
		acct := fmt.Sprintf("%012d", 100000000000+i/perAccount)
		if i%perAccount == 0 {
			inv.Scopes = append(inv.Scopes, entity.Scope{Kind: entity.ScopeAWSAccount, ID: acct})
		}
		region := []string{"us-east-1", "eu-west-1", "ap-southeast-2"}[i%3]
		name := fmt.Sprintf("trail-%d", i)
		var filters []any
		for j, p := range patterns[:1+i%3] {
			filters = append(filters, map[string]any{"filterName": fmt.Sprintf("f%d", j), "filterPattern": p,
				"hasSNSSubscriber": i%3 != 2})
		}
		attrs := map[string]any{
			"isMultiRegionTrail":           i%3 != 1,
			"cloudWatchLogsLogGroupArn":    "arn:aws:logs:" + region + ":" + acct + ":log-group:" + name + ":*",
			"cloudWatchLogsRoleArn":        "arn:aws:iam::" + acct + ":role/ct",
			"status":                       map[string]any{"isLogging": true, "latestCloudWatchLogsDeliveryTime": "2026-11-22T09:58:00Z"},
			"hasManagementEventsReadWrite": i%3 == 0,
			"metricFilters":                filters,
			"hasSNSSubscriber":             i%3 != 2,
		}
		if i%3 == 1 {
			attrs["cloudWatchLogsLogGroupArn"] = nil
		}
		inv.Entities = append(inv.Entities, &entity.Entity{Type: "CloudTrail", ID: "arn:aws:cloudtrail:" + region + ":" + acct + ":trail/" + name,
			Name: name, Scope: acct, Region: region, Attrs: attrs})
	}
	return inv
}

// BenchmarkCatalog10000Trails runs the whole catalog over 10,000 trails and
// reports findings per second: in ten accounts of 1,000 trails (List<E>
// rules explain failures over many items), and in 2,000 accounts of 5 trails
// (an organisation's usual shape).
func BenchmarkCatalog10000Trails(b *testing.B) {
	for _, perAccount := range []int{1000, 5} {
		b.Run(fmt.Sprintf("per-account=%d", perAccount), func(b *testing.B) {
			p := catalogPlan(b)
			inv := benchInventory(10000, perAccount)
			b.ReportAllocs()
			b.ResetTimer()
			findings := 0
			for b.Loop() {
				run, err := p.Run(context.Background(), inv, time.Time{})
				if err != nil {
					b.Fatal(err)
				}
				findings += len(run.Findings)
			}
			b.ReportMetric(float64(findings)/b.Elapsed().Seconds(), "findings/s")
			b.ReportMetric(float64(findings)/float64(b.N), "findings/op")
		})
	}
}
