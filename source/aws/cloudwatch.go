package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// The client is held at v1.52.0, which speaks awsQuery: see docs/aws.md,
// "Dependencies", before changing it.
func init() {
	register(service{
		name:      "cloudwatch",
		newClient: func(cfg aws.Config) any { return cloudwatch.NewFromConfig(cfg) },
		actions: []action{
			{name: "cloudwatch:DescribeAlarmsForMetric", purpose: "list the alarms on each metric filter's metric (name and namespace), in the log group's region",
				fills: []fill{{TypeCloudTrail, monitoringAttrs}}},
		},
		// Called from the monitoring chain that cloudwatchlogs.go starts.
	})
}

// cloudWatchAPI is the part of the CloudWatch client vigil calls.
type cloudWatchAPI interface {
	DescribeAlarmsForMetric(context.Context, *cloudwatch.DescribeAlarmsForMetricInput, ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsForMetricOutput, error)
}

var _ cloudWatchAPI = (*cloudwatch.Client)(nil)

func (c *Collector) cloudwatch(region string) cloudWatchAPI {
	return client[cloudWatchAPI](c, "cloudwatch", region)
}

// metricKey names one CloudWatch metric in one region.
type metricKey struct {
	region, namespace, name string
}

// alarmsForMetric lists the metric alarms on one metric, matched by name
// and namespace together, in the metric's region. The call is not
// paginated.
func (c *Collector) alarmsForMetric(ctx context.Context, m metricKey) ([]types.MetricAlarm, *callError) {
	var out *cloudwatch.DescribeAlarmsForMetricOutput
	if cerr := c.call(ctx, "cloudwatch:DescribeAlarmsForMetric", m.region, func(ctx context.Context) error {
		var err error
		out, err = c.cloudwatch(m.region).DescribeAlarmsForMetric(ctx, &cloudwatch.DescribeAlarmsForMetricInput{
			MetricName: aws.String(m.name), Namespace: aws.String(m.namespace)})
		return err
	}); cerr != nil {
		return nil, cerr
	}
	var alarms []types.MetricAlarm
	for _, a := range out.MetricAlarms {
		// Keep only alarms on exactly this metric, whatever the endpoint
		// returned: joining on the name alone is a known false PASS.
		if aws.ToString(a.MetricName) == m.name && aws.ToString(a.Namespace) == m.namespace {
			alarms = append(alarms, a)
		}
	}
	return alarms, nil
}
