package awsfake

import (
	"fmt"
	"strings"
)

func init() {
	registerService(fakeService{name: "sns", protocol: awsQuery, tokenInvalidWhenDisabled: true,
		handlers: map[string]handler{
			"ListSubscriptionsByTopic": (*Server).listSubscriptionsByTopic,
		}})
}

// Topic is one SNS topic. Subscriptions hold each subscription's
// SubscriptionArn: an ARN when confirmed, "PendingConfirmation" when not.
type Topic struct {
	ARN           string
	Subscriptions []string
}

// listSubscriptionsByTopic pages through a topic's subscriptions, in the
// topic's own account and region only.
func (s *Server) listSubscriptionsByTopic(req *request) (any, *apiError) {
	topicARN := req.form.Get("TopicArn")
	parts := strings.Split(topicARN, ":")
	for _, t := range s.world.Topics {
		if t.ARN != topicARN || len(parts) < 6 || parts[3] != req.region || parts[4] != req.account {
			continue
		}
		start, end, next, aerr := s.page(req.form.Get("NextToken"), len(t.Subscriptions))
		if aerr != nil {
			return nil, aerr
		}
		var b strings.Builder
		b.WriteString("<Subscriptions>")
		for _, sub := range t.Subscriptions[start:end] {
			fmt.Fprintf(&b, "<member><TopicArn>%s</TopicArn><Protocol>email</Protocol><SubscriptionArn>%s</SubscriptionArn>"+
				"<Owner>%s</Owner><Endpoint>secops@example.com</Endpoint></member>", esc(t.ARN), esc(sub), req.account)
		}
		b.WriteString("</Subscriptions>")
		if next != "" {
			fmt.Fprintf(&b, "<NextToken>%s</NextToken>", next)
		}
		return b.String(), nil
	}
	return nil, errorf(404, "NotFound", "Topic does not exist")
}
