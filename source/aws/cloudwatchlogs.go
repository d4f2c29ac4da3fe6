package aws

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func init() {
	register(service{
		name:      "logs",
		newClient: func(cfg aws.Config) any { return cloudwatchlogs.NewFromConfig(cfg) },
		actions: []action{
			{name: "logs:DescribeMetricFilters", purpose: "list the metric filters of each trail's own log group, in its region",
				fills: []fill{{TypeCloudTrail, monitoringAttrs}}},
		},
		// The monitoring chain starts at the trail's log group; its next
		// links are in cloudwatch.go and sns.go.
		enriched: TypeCloudTrail,
		enrich:   enrichMonitoring,
	})
}

// logsAPI is the part of the CloudWatch Logs client vigil calls.
type logsAPI interface {
	DescribeMetricFilters(context.Context, *cloudwatchlogs.DescribeMetricFiltersInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeMetricFiltersOutput, error)
}

var _ logsAPI = (*cloudwatchlogs.Client)(nil)

func (c *Collector) logs(region string) logsAPI { return client[logsAPI](c, "logs", region) }

var errTooManyPages = fmt.Errorf("more than %d pages: the endpoint keeps returning a next token", maxPages)

// logGroup is a log group named by a trail's cloudWatchLogsLogGroupArn.
type logGroup struct {
	arn     string
	account string
	region  string
	name    string
}

// parseLogGroupARN reads "arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]".
func parseLogGroupARN(s string) (logGroup, error) {
	a, err := arn.Parse(s)
	if err != nil {
		return logGroup{}, fmt.Errorf("log group ARN %q: %w", s, err)
	}
	name, ok := strings.CutPrefix(a.Resource, "log-group:")
	if a.Service != "logs" || !ok {
		return logGroup{}, fmt.Errorf("log group ARN %q: not a CloudWatch Logs log group", s)
	}
	name = strings.TrimSuffix(name, ":*")
	if name == "" || a.Region == "" || a.AccountID == "" {
		return logGroup{}, fmt.Errorf("log group ARN %q: missing region, account or name", s)
	}
	return logGroup{arn: s, account: a.AccountID, region: a.Region, name: name}, nil
}

// describeMetricFilters lists the metric filters of one log group, in the
// log group's region, following nextToken. A log group that does not exist
// has none.
func (c *Collector) describeMetricFilters(ctx context.Context, lg logGroup) ([]types.MetricFilter, *callError) {
	const action = "logs:DescribeMetricFilters"
	p := cloudwatchlogs.NewDescribeMetricFiltersPaginator(c.logs(lg.region),
		&cloudwatchlogs.DescribeMetricFiltersInput{LogGroupName: aws.String(lg.name)})
	var filters []types.MetricFilter
	for pages := 0; p.HasMorePages(); pages++ {
		if pages == maxPages {
			return nil, &callError{Call: action, Region: lg.region, Err: errTooManyPages}
		}
		var out *cloudwatchlogs.DescribeMetricFiltersOutput
		cerr := c.call(ctx, action, lg.region, func(ctx context.Context) error {
			var err error
			out, err = p.NextPage(ctx)
			return err
		})
		if cerr != nil {
			if isNotFound(cerr.Err, "ResourceNotFoundException") {
				return nil, nil
			}
			return nil, cerr
		}
		for _, f := range out.MetricFilters {
			// The API filters by name; keep only this group's filters in
			// case an endpoint answers more broadly.
			if f.LogGroupName == nil || aws.ToString(f.LogGroupName) == lg.name {
				filters = append(filters, f)
			}
		}
	}
	return filters, nil
}
