package terraform

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"vigil/entity"
	"vigil/source/s3dataevents"
)

// The CloudTrail mapping: each aws_cloudtrail gives a CloudTrail, whose
// metric filters and subscribers come from following references from the
// trail to its log group, metric filters, alarms, topics and
// subscriptions (see graph.go).
func init() {
	chain := []string{"metricFilters", "hasSNSSubscriber"}
	register(&mapping{
		typ:  "CloudTrail",
		from: []string{"aws_cloudtrail"},
		joined: []joinedType{
			{"aws_cloudwatch_log_group", chain}, {"aws_cloudwatch_log_metric_filter", chain},
			{"aws_cloudwatch_metric_alarm", chain}, {"aws_sns_topic", chain}, {"aws_sns_topic_subscription", chain},
		},
		defaults: map[string]map[string]any{
			"aws_cloudtrail": {
				"enable_logging": true, "is_multi_region_trail": false, "is_organization_trail": false,
				"include_global_service_events": true, "enable_log_file_validation": false,
			},
			"aws_cloudwatch_metric_alarm": {"actions_enabled": true},
			"aws_sns_topic_subscription":  {"endpoint_auto_confirms": false},
		},
		blocks: []string{
			"event_selector", "advanced_event_selector", "data_resource", "field_selector",
			"insight_selector", "metric_transformation", "metric_query", "metric",
		},
		seesAllResources: true,
		build:            (*graph).cloudTrail,
	})
}

// boolAttr reads a boolean argument with the provider's default for null.
// Terraform converts "true" and "false" strings to bools, and so does this.
func boolAttr(v any, def bool) any {
	switch x := v.(type) {
	case nil:
		return def
	case string:
		switch x {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return v
}

// list reads a list argument or block list; ok is false when it is Unknown.
func list(v any) (items []any, unknown *entity.Unknown) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case *entity.Unknown:
		return nil, x
	}
	return nil, nil
}

func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func orDefault(v, def any) any {
	if v == nil {
		return def
	}
	return v
}

// emptyList is the empty list the normalisation gives for an argument the
// configuration leaves out, shared: nothing appends to an entity's values.
var emptyList any = []any{}

// orKnownAfterApply returns v, or for nil the Unknown of an attribute of
// the resource at addr that the provider sets when it creates it.
func orKnownAfterApply(v any, addr, attr string) any {
	if v == nil {
		return entity.NewUnknown(entity.UnknownSet, "known after apply: "+addr+"."+attr)
	}
	return v
}

// cloudTrail builds the normalised CloudTrail attributes (gsl-spec.md §6)
// of an aws_cloudtrail instance.
func (g *graph) cloudTrail(in *instance) map[string]any {
	a := in.attrs
	out := map[string]any{
		"id":                         orKnownAfterApply(a["id"], in.addr, "id"),
		"arn":                        orKnownAfterApply(a["arn"], in.addr, "arn"),
		"name":                       a["name"],
		"isMultiRegionTrail":         boolAttr(a["is_multi_region_trail"], false),
		"isOrganizationTrail":        boolAttr(a["is_organization_trail"], false),
		"includeGlobalServiceEvents": boolAttr(a["include_global_service_events"], true),
		"logFileValidationEnabled":   boolAttr(a["enable_log_file_validation"], false),
		"s3BucketName":               a["s3_bucket_name"],
		"s3KeyPrefix":                a["s3_key_prefix"],
		"snsTopicName":               a["sns_topic_name"],
		"kmsKeyId":                   a["kms_key_id"],
		"cloudWatchLogsLogGroupArn":  a["cloud_watch_logs_group_arn"],
		"cloudWatchLogsRoleArn":      a["cloud_watch_logs_role_arn"],
		"status":                     trailStatus(a),
		"tags":                       tags(a["tags"]),
	}
	// What only the account that applies the code, or the running
	// trail, decides is Unknown with its reason, never absent: a rule
	// reading it must not read null and pass.
	out["accountNumber"] = appliedUnknown
	out["region"] = appliedUnknown
	out["homeRegion"] = appliedUnknown
	out["isOwnedByScannedAccount"] = appliedUnknown
	out["snsTopicArn"] = topicARN(a["sns_topic_name"])
	out["hasCustomEventSelectors"] = anyBlocks(a["event_selector"], a["advanced_event_selector"])
	out["hasInsightSelectors"] = anyBlocks(a["insight_selector"])
	selectors, advanced, rw := eventSelectors(a)
	out["eventSelectors"] = selectors
	out["advancedEventSelectors"] = advanced
	out["hasManagementEventsReadWrite"] = rw.value()
	s3 := s3dataevents.ObjectEvents(selectors, advanced)
	out["hasS3ObjectWriteEvents"] = s3.Write
	out["hasS3ObjectReadEvents"] = s3.Read
	filters, subscribed := g.metricFilters(in)
	out["metricFilters"] = filters
	out["hasSNSSubscriber"] = subscribed.value()
	// The access logging of the trail's bucket is read from the account
	// (S3Bucket is not yet mapped from code): Unknown, from the catalogue.
	fillLiveOnly("CloudTrail", out)
	return out
}

// liveOnly is the reason given for trail status fields that exist only in a
// running account.
const liveOnly = "only known in a live account (cloudtrail:GetTrailStatus), not from code"

// liveOnlyUnknown is the value of those fields, shared by every trail.
var liveOnlyUnknown = entity.NewUnknown(entity.UnknownMaybeNull, liveOnly)

// trailStatus is the trail's status as far as code can tell: whether logging
// is enabled. The delivery times that live rules read (D9.AWS.LOG.03 asks for a
// CloudWatch Logs delivery within the last day) are facts of a running trail,
// so code makes them maybe-null unknowns rather than missing, which would
// FAIL every trail in code.
func trailStatus(a map[string]any) map[string]any {
	isLogging := boolAttr(a["enable_logging"], true)
	switch isLogging {
	case true:
		return loggingStatus
	case false:
		return notLoggingStatus
	}
	return liveStatus(isLogging)
}

// liveStatus is the status of a trail whose enable_logging reads isLogging.
func liveStatus(isLogging any) map[string]any {
	return map[string]any{
		"isLogging":                         isLogging,
		"latestCloudWatchLogsDeliveryTime":  liveOnlyUnknown,
		"latestCloudWatchLogsDeliveryError": liveOnlyUnknown,
		"latestDeliveryTime":                liveOnlyUnknown,
		"latestDeliveryError":               liveOnlyUnknown,
		"startLoggingTime":                  liveOnlyUnknown,
		"stopLoggingTime":                   liveOnlyUnknown,
	}
}

// appliedReason is why the account, the regions and the ownership of a
// trail in code are unknown: they are those of whoever applies it.
const appliedReason = "decided by the account and region of the provider that applies the code"

// appliedUnknown is the value of those fields, shared by every trail.
var appliedUnknown = entity.NewUnknown(entity.UnknownSet, appliedReason)

// topicARN is the snsTopicArn of a trail whose sns_topic_name is name:
// none without a topic, else known only once applied.
func topicARN(name any) any {
	switch x := name.(type) {
	case nil:
		return nil
	case string:
		if x == "" {
			return nil
		}
	case *entity.Unknown:
		return x // unknown name, unknown ARN, as null or not as the name
	}
	return topicARNUnknown
}

// topicARNUnknown is the snsTopicArn of a trail with a topic.
var topicARNUnknown = entity.NewUnknown(entity.UnknownSet, "the ARN of the trail's SNS topic is known once applied")

// anyBlocks is whether any of the nested block lists has a block: true,
// false, or the Unknown of a list not known until apply.
func anyBlocks(lists ...any) any {
	var unknown *entity.Unknown
	for _, l := range lists {
		items, u := list(l)
		if len(items) > 0 {
			return true
		}
		if u != nil && unknown == nil {
			unknown = u
		}
	}
	if unknown != nil {
		return unknown
	}
	return false
}

// loggingStatus and notLoggingStatus are the statuses of trails whose
// enable_logging is known, shared by all of them as other constant values
// are (emptyList): entities only read their values.
var loggingStatus, notLoggingStatus = liveStatus(true), liveStatus(false)

func tags(v any) any {
	if u, ok := v.(*entity.Unknown); ok {
		return u
	}
	m := object(v)
	out := make([]any, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, map[string]any{"key": k, "value": m[k]})
	}
	return out
}

// eventSelectors reads the event_selector and advanced_event_selector
// blocks. A trail with neither records all management events, read and
// write: that is the selector AWS gives a new trail.
func eventSelectors(a map[string]any) (classic, advanced any, rw tri) {
	basic, ub := list(a["event_selector"])
	adv, ua := list(a["advanced_event_selector"])
	switch {
	case ub != nil:
		classic, rw = ub, triUnknown("the event selectors are unknown: "+ub.Reason)
	case len(basic) == 0 && len(adv) == 0 && ua == nil:
		classic, rw = defaultEventSelectors, triTrue
	case len(basic) == 1 && isDefaultSelector(object(basic[0])):
		// The selector AWS gives a new trail, declared.
		classic, rw = defaultEventSelectors, triTrue
	default:
		sels := make([]any, 0, len(basic))
		rw = triFalse
		for _, s := range basic {
			m := object(s)
			excl := orDefault(m["exclude_management_event_sources"], emptyList)
			sel := map[string]any{
				"readWriteType":                 orDefault(m["read_write_type"], "All"),
				"includeManagementEvents":       boolAttr(m["include_management_events"], true),
				"excludeManagementEventSources": excl,
				"dataResources":                 dataResources(m["data_resource"]),
			}
			sels = append(sels, sel)
			all := triFalse
			switch x := sel["readWriteType"].(type) {
			case string:
				if x == "All" {
					all = triTrue
				}
			case *entity.Unknown:
				all = triUnknown("read_write_type is unknown: " + x.Reason)
			}
			none := triFalse
			switch x := excl.(type) {
			case []any:
				if len(x) == 0 {
					none = triTrue
				}
			case *entity.Unknown:
				none = triUnknown("exclude_management_event_sources is unknown: " + x.Reason)
			}
			rw = rw.or(all.and(triOf(sel["includeManagementEvents"], "include_management_events")).and(none))
		}
		classic = sels
	}
	switch {
	case ua != nil:
		advanced = ua
		rw = triUnknown("the advanced event selectors are unknown: " + ua.Reason)
	case len(adv) > 0:
		sels := make([]any, 0, len(adv))
		rw = triFalse
		for _, s := range adv {
			m := object(s)
			fields, uf := list(m["field_selector"])
			if uf != nil {
				sels = append(sels, map[string]any{"name": m["name"], "fieldSelectors": uf})
				rw = rw.or(triUnknown("field selectors are unknown: " + uf.Reason))
				continue
			}
			fs := make([]any, 0, len(fields))
			management, readOnly, source := triFalse, triFalse, triFalse
			for _, f := range fields {
				fm := object(f)
				fs = append(fs, map[string]any{
					"field":         fm["field"],
					"equals":        orDefault(fm["equals"], emptyList),
					"notEquals":     orDefault(fm["not_equals"], emptyList),
					"startsWith":    orDefault(fm["starts_with"], emptyList),
					"notStartsWith": orDefault(fm["not_starts_with"], emptyList),
					"endsWith":      orDefault(fm["ends_with"], emptyList),
					"notEndsWith":   orDefault(fm["not_ends_with"], emptyList),
				})
				switch field := fm["field"].(type) {
				case *entity.Unknown:
					readOnly = readOnly.or(triUnknown("a field selector's field is unknown: " + field.Reason))
				case string:
					switch field {
					case "eventCategory":
						management = management.or(containsString(fm["equals"], "Management"))
					case "readOnly":
						readOnly = triTrue
					case "eventSource":
						source = triTrue
					}
				}
			}
			sels = append(sels, map[string]any{"name": m["name"], "fieldSelectors": fs})
			rw = rw.or(management.and(not(readOnly)).and(not(source)))
		}
		advanced = sels
	default:
		advanced = emptyList
	}
	return classic, advanced, rw
}

// defaultEventSelectors are the event selectors of a trail that declares
// none, or only the selector AWS gives a new trail, shared by all of them.
var defaultEventSelectors any = []any{map[string]any{
	"readWriteType": "All", "includeManagementEvents": true,
	"excludeManagementEventSources": emptyList, "dataResources": emptyList,
}}

// isDefaultSelector reports whether the classic event selector m reads, as
// eventSelectors reads it, as the one in defaultEventSelectors.
func isDefaultSelector(m map[string]any) bool {
	excl, ok := orDefault(m["exclude_management_event_sources"], emptyList).([]any)
	data, u := list(m["data_resource"])
	return orDefault(m["read_write_type"], "All") == "All" && boolAttr(m["include_management_events"], true) == true &&
		ok && len(excl) == 0 && u == nil && len(data) == 0
}

func containsString(v any, want string) tri {
	items, u := list(v)
	if u != nil {
		return triUnknown("a selector's values are unknown: " + u.Reason)
	}
	res := triFalse
	for _, e := range items {
		switch x := e.(type) {
		case string:
			if x == want {
				return triTrue
			}
		case *entity.Unknown:
			res = triUnknown("a selector value is unknown: " + x.Reason)
		}
	}
	return res
}

func dataResources(v any) any {
	items, u := list(v)
	if u != nil {
		return u
	}
	out := make([]any, 0, len(items))
	for _, d := range items {
		m := object(d)
		out = append(out, map[string]any{"type": m["type"], "values": orDefault(m["values"], emptyList)})
	}
	return out
}

// logGroup finds the declared aws_cloudwatch_log_group a trail writes to.
// It returns nil and no reason when the trail has no log group, and nil and
// a reason when the log group is not declared in this configuration.
func (g *graph) logGroup(trail *instance) (*instance, string) {
	v := trail.attr("cloud_watch_logs_group_arn")
	if v == nil {
		return nil, ""
	}
	var data []string
	_, refs := trail.attrRefs("cloud_watch_logs_group_arn")
	for _, addr := range refs {
		if lg := g.lookup(addr); lg != nil && lg.managed && lg.typ == "aws_cloudwatch_log_group" {
			return lg, ""
		}
		if _, typ, isData := splitAddress(addr); isData && typ == "aws_cloudwatch_log_group" {
			data = append(data, addr)
		}
	}
	if s, ok := v.(string); ok {
		if name, ok := logGroupNameFromARN(s); ok {
			for i, lg := range g.logGroups.list {
				if g.logGroupName(i, lg) == name {
					return lg, ""
				}
			}
		}
	}
	switch {
	case len(data) > 0:
		return nil, fmt.Sprintf("the trail's log group is read from %s, so it and its metric filters are not declared in this configuration", strings.Join(data, ", "))
	case entity.IsUnknown(v):
		return nil, fmt.Sprintf("the trail's log group ARN is unknown (%s) and refers to no log group declared in this configuration", v.(*entity.Unknown).Reason)
	}
	return nil, fmt.Sprintf("the trail's log group %s is not declared in this configuration, so its metric filters cannot be known", entity.Format(v))
}

// logGroupName returns the name of lg, the log group at position i.
func (g *graph) logGroupName(i int, lg *instance) any {
	sum := g.logGroups.summary(i)
	if !sum.read {
		sum.name, sum.read = lg.attr("name"), true
	}
	return sum.name
}

// logGroupNameFromARN extracts NAME from arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME[:*].
func logGroupNameFromARN(arn string) (string, bool) {
	_, rest, ok := strings.Cut(arn, ":log-group:")
	if !ok || !strings.HasPrefix(arn, "arn:") {
		return "", false
	}
	rest = strings.TrimSuffix(rest, ":*")
	return rest, rest != ""
}

// metricFilters lists the metric filters on the trail's log group, each
// with its alarms and their SNS topics, and whether any has a subscriber.
func (g *graph) metricFilters(trail *instance) (any, tri) {
	lg, external := g.logGroup(trail)
	if lg == nil {
		if external == "" {
			return emptyList, triFalse
		}
		return entity.NewUnknown(entity.UnknownMaybeNull, external), triUnknown(external)
	}
	lgName := g.logGroupName(position(g.logGroups.list, lg), lg)
	var filters []any
	var uncertain []string
	anySub := triFalse
	for _, i := range g.filterCandidates(lg, lgName) {
		mf := g.filters.list[i]
		sum := g.filterSummary(i)
		v := sum.logGroupName
		linked, other := false, false
		for _, addr := range sum.refs {
			if addr == lg.addr {
				linked = true
			} else if ref := g.lookup(addr); ref != nil && ref.typ == "aws_cloudwatch_log_group" {
				other = true
			}
		}
		if s, ok := v.(string); ok && s == lgName {
			linked = true
		}
		if !linked {
			if entity.IsUnknown(v) && !other {
				uncertain = append(uncertain, mf.addr)
			}
			continue
		}
		if sum.entry == nil {
			sum.entry, sum.sub = g.metricFilter(mf, v)
		}
		filters = append(filters, sum.entry)
		anySub = anySub.or(sum.sub)
	}
	if len(uncertain) > 0 {
		why := fmt.Sprintf("the log group of %s is unknown, so it may or may not filter this trail's logs", strings.Join(uncertain, ", "))
		return entity.NewUnknown(entity.UnknownSet, why), anySub.or(triUnknown(why))
	}
	if filters == nil {
		return emptyList, anySub
	}
	return filters, anySub
}

// metricFilter normalises the metric filter mf, whose log_group_name is
// logGroupName.
func (g *graph) metricFilter(mf *instance, logGroupName any) (map[string]any, tri) {
	a := mf.attr
	f := map[string]any{
		"filterName":    a("name"),
		"filterPattern": a("pattern"),
		"logGroupName":  logGroupName,
	}
	transforms, u := mf.metricTransformations()
	if u != nil {
		f["metricTransformations"] = u
		sub := triUnknown("the metric transformation of " + mf.addr + " is unknown: " + u.Reason)
		f["hasSNSSubscriber"] = sub.value()
		return f, sub
	}
	sub := triFalse
	ts := make([]any, 0, len(transforms))
	for _, t := range transforms {
		alarms, s := g.metricAlarms(t.name, t.namespace, mf.addr)
		sub = sub.or(s)
		ts = append(ts, map[string]any{
			"metricName":      t.name,
			"metricNamespace": t.namespace,
			"metricValue":     t.value,
			"dimensions":      t.dimensions,
			"alarms":          alarms,
		})
	}
	f["metricTransformations"] = ts
	f["hasSNSSubscriber"] = sub.value()
	return f, sub
}

// alarmMetrics lists the (metric name, namespace) pairs an alarm watches:
// its own, or those of its metric_query blocks.
func alarmMetrics(al *instance) [][2]any {
	var out [][2]any
	if name, namespace := al.attr("metric_name"), al.attr("namespace"); name != nil || namespace != nil {
		out = append(out, [2]any{name, namespace})
	}
	queries, u := list(al.attr("metric_query"))
	if u != nil {
		out = append(out, [2]any{u, u})
	}
	for _, q := range queries {
		metrics, u := list(object(q)["metric"])
		if u != nil {
			out = append(out, [2]any{u, u})
		}
		for _, m := range metrics {
			mm := object(m)
			out = append(out, [2]any{mm["metric_name"], mm["namespace"]})
		}
	}
	return out
}

// metricAlarms finds the alarms on one metric, which filter publishes.
func (g *graph) metricAlarms(name, namespace any, filter string) (any, tri) {
	var out []any
	sub := triFalse
	for _, i := range g.alarmCandidates(name, namespace) {
		al := g.alarms.list[i]
		sum := g.alarmSummary(i)
		match := triFalse
		for _, m := range sum.metrics {
			match = match.or(sameString(m[0], name).and(sameString(m[1], namespace)))
		}
		switch match.state {
		case 0:
			continue
		case 2:
			why := fmt.Sprintf("whether %s watches the metric of %s is unknown (%s)", al.addr, filter, match.u.Reason)
			_, s := g.alarm(sum, al)
			sub = sub.or(s.and(triUnknown(why)))
			continue
		}
		entry, s := g.alarm(sum, al)
		out = append(out, entry)
		sub = sub.or(s)
	}
	if out == nil {
		return emptyList, sub
	}
	return out, sub
}

func sameString(a, b any) tri {
	ua, aUnknown := a.(*entity.Unknown)
	ub, bUnknown := b.(*entity.Unknown)
	switch {
	case aUnknown:
		return triUnknown(ua.Reason)
	case bUnknown:
		return triUnknown(ub.Reason)
	}
	sa, ok1 := a.(string)
	sb, ok2 := b.(string)
	if ok1 && ok2 && sa == sb {
		return triTrue
	}
	return triFalse
}

// alarm returns the normalised alarm al, whose summary is sum, building it
// on first use.
func (g *graph) alarm(sum *alarmSummary, al *instance) (map[string]any, tri) {
	if sum.entry != nil {
		return sum.entry, sum.sub
	}
	a := al.attr
	enabled := boolAttr(a("actions_enabled"), true)
	actions, refs := al.attrRefs("alarm_actions")
	entry := map[string]any{
		"alarmName":      a("alarm_name"),
		"alarmArn":       orKnownAfterApply(a("arn"), al.addr, "arn"),
		"actionsEnabled": enabled,
		"alarmActions":   orDefault(actions, emptyList),
	}
	topics, sub := g.alarmTopics(al, actions, refs)
	entry["snsTopics"] = topics
	sub = triOfAttr(enabled, "actions_enabled", al.addr).and(sub)
	entry["hasSNSSubscriber"] = sub.value()
	sum.entry, sum.sub = entry, sub
	return entry, sub
}

// alarmTopics resolves the actions of alarm al, read from refs, to SNS
// topics: declared topics it references or names by ARN, and topics not
// declared here, whose subscriptions are unknown.
func (g *graph) alarmTopics(al *instance, alarmActions any, refs []string) (any, tri) {
	actions, u := list(alarmActions)
	if u != nil {
		why := "the alarm actions of " + al.addr + " are unknown: " + u.Reason
		return u, triUnknown(why)
	}
	var topics []any
	sub := triFalse
	// An alarm names a topic or two: a list is cheaper than a set.
	var seenTopics [4]*instance
	seen := seenTopics[:0]
	declaredRefs := 0
	for _, addr := range refs {
		ref := g.lookup(addr)
		if ref == nil {
			continue
		}
		declaredRefs++
		if ref.managed && ref.typ == "aws_sns_topic" && !slices.Contains(seen, ref) {
			seen = append(seen, ref)
			t, s := g.topic(position(g.topics.list, ref), ref)
			topics = append(topics, t)
			sub = sub.or(s)
		}
	}
	unknownActions := 0
	for _, act := range actions {
		switch x := act.(type) {
		case *entity.Unknown:
			unknownActions++
		case string:
			if !strings.HasPrefix(x, "arn:") || !strings.Contains(x, ":sns:") {
				continue
			}
			name := x[strings.LastIndex(x, ":")+1:]
			declared := -1
			for i, t := range g.topics.list {
				if sum := g.topicAttrs(i, t); sum.name == name || sum.arn == x {
					declared = i
					break
				}
			}
			if declared >= 0 {
				if t := g.topics.list[declared]; !slices.Contains(seen, t) {
					seen = append(seen, t)
					t, s := g.topic(declared, t)
					topics = append(topics, t)
					sub = sub.or(s)
				}
				continue
			}
			why := fmt.Sprintf("topic %s is not declared in this configuration, so its subscriptions are unknown", x)
			topics = append(topics, map[string]any{"topicArn": x, "confirmedSubscriptions": entity.NewUnknown(entity.UnknownMaybeNull, why)})
			sub = sub.or(triUnknown(why))
		}
	}
	if unknownActions > declaredRefs {
		why := fmt.Sprintf("an alarm action of %s is unknown and refers to no topic declared in this configuration", al.addr)
		topics = append(topics, map[string]any{
			"topicArn":               entity.NewUnknown(entity.UnknownMaybeNull, why),
			"confirmedSubscriptions": entity.NewUnknown(entity.UnknownMaybeNull, why),
		})
		sub = sub.or(triUnknown(why))
	}
	if topics == nil {
		return emptyList, sub
	}
	return topics, sub
}

// confirmedProtocols are the subscription protocols AWS confirms without a
// person or endpoint acting on a confirmation message.
var confirmedProtocols = map[string]bool{"sqs": true, "lambda": true, "firehose": true, "application": true, "sms": true}

// topic summarises a declared topic and its declared subscriptions. A
// declared aws_sns_topic_subscription counts as confirmed when its protocol
// needs no confirmation; an email subscription, or an http(s) one whose
// endpoint does not auto-confirm, stays pending until someone confirms it, so
// it makes the count Unknown rather than a pass.
func (g *graph) topic(i int, t *instance) (map[string]any, tri) {
	sum := g.topicAttrs(i, t)
	if sum.entry == nil {
		sum.entry, sum.sub = g.summariseTopic(t, sum)
	}
	return sum.entry, sum.sub
}

func (g *graph) summariseTopic(t *instance, ts *topicSummary) (map[string]any, tri) {
	arn := orKnownAfterApply(ts.arn, t.addr, "arn")
	confirmed := 0
	var pending []string
	for i, s := range g.subscriptions.list {
		sum := g.subscriptions.summary(i)
		if !sum.read {
			sum.topicArn, sum.refs = s.attrRefs("topic_arn")
			sum.read = true
		}
		if !subscribes(sum, t, ts.name, arn) {
			continue
		}
		switch p := s.attr("protocol").(type) {
		case string:
			switch {
			case confirmedProtocols[p]:
				confirmed++
			case (p == "http" || p == "https") && boolAttr(s.attr("endpoint_auto_confirms"), false) == true:
				confirmed++
			default:
				pending = append(pending, s.addr+" ("+p+")")
			}
		default:
			pending = append(pending, s.addr+" (protocol unknown)")
		}
	}
	entry := map[string]any{"topicArn": arn}
	sort.Strings(pending)
	switch {
	case len(pending) > 0:
		why := fmt.Sprintf("subscription %s needs confirmation, which the configuration cannot show", strings.Join(pending, ", "))
		entry["confirmedSubscriptions"] = entity.NewUnknown(entity.UnknownSet, why)
		if confirmed > 0 {
			return entry, triTrue
		}
		return entry, triUnknown(why)
	default:
		entry["confirmedSubscriptions"] = float64(confirmed)
		if confirmed > 0 {
			return entry, triTrue
		}
		return entry, triFalse
	}
}

// subscribes reports whether the subscription s subscribes to topic t,
// whose name and arn are given.
func subscribes(s *subscriptionSummary, t *instance, name, arn any) bool {
	for _, addr := range s.refs {
		if addr == t.addr {
			return true
		}
	}
	v, ok := s.topicArn.(string)
	if !ok {
		return false
	}
	if a, ok := arn.(string); ok && a == v {
		return true
	}
	n, _ := name.(string)
	return n != "" && strings.HasPrefix(v, "arn:") && len(v) > len(n) && strings.HasSuffix(v, n) && v[len(v)-len(n)-1] == ':'
}

// splitAddress splits a resource instance address into its module path and
// resource type, and says whether it is a data source.
func splitAddress(addr string) (module, typ string, isData bool) {
	rest := addr
	for strings.HasPrefix(rest, "module.") {
		i := len("module.")
		for i < len(rest) && rest[i] != '.' && rest[i] != '[' {
			i++
		}
		if i < len(rest) && rest[i] == '[' {
			i = skipIndex(rest, i)
		}
		if i >= len(rest) {
			return addr, "", false
		}
		rest = rest[i+1:]
	}
	module = strings.TrimSuffix(addr[:len(addr)-len(rest)], ".")
	if r, ok := strings.CutPrefix(rest, "data."); ok {
		rest, isData = r, true
	}
	typ, _, _ = strings.Cut(rest, ".")
	return module, typ, isData
}

// skipIndex returns the position after the [...] that starts at i, honouring
// quoted keys.
func skipIndex(s string, i int) int {
	inQuote := false
	for i++; i < len(s); i++ {
		switch {
		case inQuote && s[i] == '\\':
			i++
		case s[i] == '"':
			inQuote = !inQuote
		case !inQuote && s[i] == ']':
			return i + 1
		}
	}
	return i
}
