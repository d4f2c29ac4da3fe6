package aws

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"vigil/entity"
)

// monitoring is the monitoring chain of one log group, as the CloudTrail
// entity's metricFilters and hasSNSSubscriber attributes hold it.
type monitoring struct {
	filters any // []any, or *entity.Unknown
	hasSNS  any // bool, or *entity.Unknown
	errs    []*callError
	calls   []string
}

// joins memoises each step of the chain so trails that share a log group,
// filters that share a metric and alarms that share a topic cost one call.
type joins struct {
	logGroups memo[string, monitoring]
	alarms    memo[metricKey, alarmsResult]
	topics    memo[string, topicResult]
}

type alarmsResult struct {
	alarms []cwtypes.MetricAlarm
	err    *callError
}

type topicResult struct {
	confirmed any // float64, or *entity.Unknown
	err       *callError
	called    bool
}

// monitoringAttrs are the CloudTrail attributes the monitoring chain
// fills.
var monitoringAttrs = []string{"metricFilters", "hasSNSSubscriber"}

// enrichMonitoring sets each trail's metricFilters and hasSNSSubscriber from
// its monitoring chain. Every failed call along a trail's chain is a
// failure of both attributes.
func enrichMonitoring(ctx context.Context, c *Collector, trails []*entity.Entity, out *additions) {
	fanOut(trails, func(e *entity.Entity) {
		lgARN, _ := e.Attrs["cloudWatchLogsLogGroupArn"].(string)
		m := c.trailMonitoring(ctx, lgARN)
		out.set(e, "metricFilters", m.filters)
		out.set(e, "hasSNSSubscriber", m.hasSNS)
		for _, a := range m.calls {
			out.used(e, a)
		}
		for _, cerr := range m.errs {
			c.fail(cerr.failure(TypeCloudTrail, "metricFilters", c.account, e.ID),
				cerr.failure(TypeCloudTrail, "hasSNSSubscriber", c.account, e.ID))
		}
	})
}

// trailMonitoring follows a trail's log group (lgARN) → metric filters →
// alarms → SNS subscribers. A trail with no log group has no metric
// filters. A log group in another account (an organisation trail seen from
// a member account) cannot be read from this one: its fields are Unknown.
func (c *Collector) trailMonitoring(ctx context.Context, lgARN string) monitoring {
	if lgARN == "" {
		return monitoring{filters: []any{}, hasSNS: false}
	}
	lg, err := parseLogGroupARN(lgARN)
	if err != nil {
		u := entity.NewUnknown(entity.UnknownMaybeNull, err.Error())
		return monitoring{filters: u, hasSNS: u}
	}
	if lg.account != c.account {
		u := entity.NewUnknown(entity.UnknownMaybeNull, "the trail's log group "+lg.name+" is in account "+lg.account+
			" and cannot be read from account "+c.account+"; scan account "+lg.account+" to check its metric filters and alarms")
		return monitoring{filters: u, hasSNS: u}
	}
	m := c.joins.logGroups.get(lg.arn, func() monitoring { return c.logGroupMonitoring(ctx, lg) })
	m.filters = cloneValue(m.filters)
	return m
}

// logGroupMonitoring reads one log group's chain.
func (c *Collector) logGroupMonitoring(ctx context.Context, lg logGroup) monitoring {
	res := monitoring{calls: []string{"logs:DescribeMetricFilters"}}
	filters, cerr := c.describeMetricFilters(ctx, lg)
	if cerr != nil {
		res.filters, res.hasSNS, res.errs = cerr.unknown(), cerr.unknown(), []*callError{cerr}
		return res
	}
	var mu sync.Mutex
	note := func(call string, err *callError) {
		mu.Lock()
		defer mu.Unlock()
		res.calls = appendAction(res.calls, call)
		if err == nil {
			return
		}
		// One failure per call, region and error is enough to say what is
		// missing; the same topic behind many alarms fails once.
		for _, have := range res.errs {
			if have.Call == err.Call && have.Region == err.Region && describeError(have.Err) == describeError(err.Err) {
				return
			}
		}
		res.errs = append(res.errs, err)
	}
	values := make([]any, len(filters))
	has := make([]any, len(filters))
	var wg sync.WaitGroup
	for i, f := range filters {
		wg.Go(func() { values[i], has[i] = c.filterValue(ctx, lg, f, note) })
	}
	wg.Wait()
	res.filters = values
	res.hasSNS = or3(has...)
	sort.Slice(res.errs, func(i, j int) bool { return res.errs[i].Error() < res.errs[j].Error() })
	return res
}

// filterValue normalises one metric filter with the alarms on each of its
// metrics; it also returns whether the filter has an SNS subscriber.
func (c *Collector) filterValue(ctx context.Context, lg logGroup, f logstypes.MetricFilter, note func(string, *callError)) (map[string]any, any) {
	transforms := make([]any, len(f.MetricTransformations))
	has := make([]any, len(f.MetricTransformations))
	var wg sync.WaitGroup
	for i, mt := range f.MetricTransformations {
		wg.Go(func() {
			if len(mt.Dimensions) > 0 {
				// DescribeAlarmsForMetric needs the dimensions' values,
				// which come from each log event: the alarms cannot be
				// listed, and "none" would be a false FAIL.
				u := entity.NewUnknown(entity.UnknownMaybeNull, "metric "+aws.ToString(mt.MetricNamespace)+"/"+
					aws.ToString(mt.MetricName)+" has dimensions; its alarms cannot be listed by name and namespace")
				transforms[i] = map[string]any{
					"metricName":      aws.ToString(mt.MetricName),
					"metricNamespace": aws.ToString(mt.MetricNamespace),
					"metricValue":     aws.ToString(mt.MetricValue),
					"dimensions":      dimensionsValue(mt.Dimensions),
					"alarms":          u,
				}
				has[i] = u
				return
			}
			key := metricKey{region: lg.region, namespace: aws.ToString(mt.MetricNamespace), name: aws.ToString(mt.MetricName)}
			ar := c.joins.alarms.get(key, func() alarmsResult {
				alarms, err := c.alarmsForMetric(ctx, key)
				return alarmsResult{alarms: alarms, err: err}
			})
			note("cloudwatch:DescribeAlarmsForMetric", ar.err)
			v := map[string]any{
				"metricName":      aws.ToString(mt.MetricName),
				"metricNamespace": aws.ToString(mt.MetricNamespace),
				"metricValue":     aws.ToString(mt.MetricValue),
			}
			if ar.err != nil {
				v["alarms"] = ar.err.unknown()
				transforms[i], has[i] = v, ar.err.unknown()
				return
			}
			alarms := make([]any, len(ar.alarms))
			alarmHas := make([]any, len(ar.alarms))
			for j, a := range ar.alarms {
				alarms[j], alarmHas[j] = c.alarmValue(ctx, a, note)
			}
			v["alarms"] = alarms
			transforms[i], has[i] = v, or3(alarmHas...)
		})
	}
	wg.Wait()
	hasSNS := or3(has...)
	return map[string]any{
		"filterName":            aws.ToString(f.FilterName),
		"filterPattern":         aws.ToString(f.FilterPattern),
		"logGroupName":          lg.name,
		"metricTransformations": transforms,
		"hasSNSSubscriber":      hasSNS,
	}, hasSNS
}

func dimensionsValue(d map[string]string) map[string]any {
	out := make(map[string]any, len(d))
	for k, v := range d {
		out[k] = v
	}
	return out
}

// alarmValue normalises one alarm with the confirmed subscriptions of the
// SNS topics among its alarm actions. An alarm notifies only when its
// actions are enabled.
func (c *Collector) alarmValue(ctx context.Context, a cwtypes.MetricAlarm, note func(string, *callError)) (map[string]any, any) {
	topics := []any{}
	var has []any
	for _, action := range a.AlarmActions {
		parsed, err := arn.Parse(action)
		if err != nil || parsed.Service != "sns" {
			continue
		}
		tr := c.joins.topics.get(action, func() topicResult {
			if parsed.AccountID != c.account {
				return topicResult{confirmed: entity.NewUnknown(entity.UnknownMaybeNull,
					"topic "+action+" is in account "+parsed.AccountID+" and its subscriptions cannot be read from account "+c.account)}
			}
			n, cerr := c.confirmedSubscriptions(ctx, action, parsed.Region)
			if cerr != nil {
				return topicResult{confirmed: cerr.unknown(), err: cerr, called: true}
			}
			return topicResult{confirmed: float64(n), called: true}
		})
		if tr.called {
			note("sns:ListSubscriptionsByTopic", tr.err)
		}
		topics = append(topics, map[string]any{"topicArn": action, "confirmedSubscriptions": tr.confirmed})
		switch n := tr.confirmed.(type) {
		case float64:
			has = append(has, n > 0)
		default:
			has = append(has, n)
		}
	}
	enabled := aws.ToBool(a.ActionsEnabled)
	hasSNS := or3(has...)
	if !enabled {
		hasSNS = false
	}
	return map[string]any{
		"alarmName":        aws.ToString(a.AlarmName),
		"alarmArn":         aws.ToString(a.AlarmArn),
		"actionsEnabled":   enabled,
		"alarmActions":     stringList(a.AlarmActions),
		"snsTopics":        topics,
		"hasSNSSubscriber": hasSNS,
	}, hasSNS
}

// or3 is Kleene's OR over true, false and Unknown: true when any value is
// true, else Unknown when any is Unknown, else false (also for no values).
func or3(vals ...any) any {
	var unknown *entity.Unknown
	var reasons []string
	for _, v := range vals {
		switch x := v.(type) {
		case bool:
			if x {
				return true
			}
		case *entity.Unknown:
			unknown = x
			if x.Reason != "" && !containsString(reasons, x.Reason) {
				reasons = append(reasons, x.Reason)
			}
		}
	}
	if unknown == nil {
		return false
	}
	return entity.NewUnknown(entity.UnknownMaybeNull, strings.Join(reasons, "; "))
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cloneValue deep-copies lists and maps, so entities that share a log
// group do not share attribute values.
func cloneValue(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneValue(e)
		}
		return out
	}
	return v
}
