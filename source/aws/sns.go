package aws

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

func init() {
	register(service{
		name:      "sns",
		newClient: func(cfg aws.Config) any { return sns.NewFromConfig(cfg) },
		actions: []action{
			{name: "sns:ListSubscriptionsByTopic", purpose: "count the confirmed subscriptions of each SNS topic an alarm notifies, in the topic's region",
				fills: []fill{{TypeCloudTrail, monitoringAttrs}}},
		},
		// Called from the monitoring chain that cloudwatchlogs.go starts.
	})
}

// snsAPI is the part of the SNS client vigil calls.
type snsAPI interface {
	ListSubscriptionsByTopic(context.Context, *sns.ListSubscriptionsByTopicInput, ...func(*sns.Options)) (*sns.ListSubscriptionsByTopicOutput, error)
}

var _ snsAPI = (*sns.Client)(nil)

func (c *Collector) sns(region string) snsAPI { return client[snsAPI](c, "sns", region) }

// confirmedSubscriptions counts the confirmed subscriptions of a topic, in
// the topic's region, following NextToken. A subscription that is still
// "PendingConfirmation" (or "Deleted") has no ARN and is not counted. A
// topic that no longer exists has none.
func (c *Collector) confirmedSubscriptions(ctx context.Context, topicARN, region string) (int, *callError) {
	const action = "sns:ListSubscriptionsByTopic"
	p := sns.NewListSubscriptionsByTopicPaginator(c.sns(region), &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topicARN)})
	n := 0
	for pages := 0; p.HasMorePages(); pages++ {
		if pages == maxPages {
			return 0, &callError{Call: action, Region: region, Err: errTooManyPages}
		}
		var out *sns.ListSubscriptionsByTopicOutput
		cerr := c.call(ctx, action, region, func(ctx context.Context) error {
			var err error
			out, err = p.NextPage(ctx)
			return err
		})
		if cerr != nil {
			if isNotFound(cerr.Err, "NotFound", "NotFoundException") {
				return 0, nil
			}
			return 0, cerr
		}
		for _, s := range out.Subscriptions {
			if strings.HasPrefix(aws.ToString(s.SubscriptionArn), "arn:") {
				n++
			}
		}
	}
	return n, nil
}
