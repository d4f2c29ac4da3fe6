package awsfake

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// handle answers one call from the world. Callers hold s.mu.
func (s *Server) handle(req *request) (any, *apiError) {
	if req.service == "iam" {
		return s.handleIAM(req)
	}
	switch req.service + ":" + req.action {
	case "sts:GetCallerIdentity":
		return fmt.Sprintf("<Arn>arn:aws:iam::%s:user/vigil</Arn><UserId>AIDAFAKE</UserId><Account>%s</Account>", req.account, req.account), nil
	case "sts:AssumeRole":
		return s.assumeRole(req)
	case "ec2:DescribeRegions":
		return s.describeRegions(req), nil
	case "cloudtrail:DescribeTrails":
		return s.describeTrails(req), nil
	case "cloudtrail:GetTrailStatus":
		return s.getTrailStatus(req)
	case "cloudtrail:GetEventSelectors":
		return s.getEventSelectors(req)
	case "cloudtrail:ListTags":
		return s.listTags(req)
	case "logs:DescribeMetricFilters":
		return s.describeMetricFilters(req)
	case "cloudwatch:DescribeAlarmsForMetric":
		return s.describeAlarmsForMetric(req), nil
	case "sns:ListSubscriptionsByTopic":
		return s.listSubscriptionsByTopic(req)
	}
	return nil, errorf(400, "InvalidAction", "%s:%s is not faked", req.service, req.action)
}

func (s *Server) assumeRole(req *request) (any, *apiError) {
	role := req.form.Get("RoleArn")
	ext, ok := s.world.Roles[role]
	if !ok || ext != req.form.Get("ExternalId") {
		return nil, errorf(403, "AccessDenied", "not authorized to perform sts:AssumeRole on %s", role)
	}
	account := strings.Split(role, ":")[4]
	key := "ASIA" + account
	s.keys[key] = account
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	return fmt.Sprintf("<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>fake-secret-%s</SecretAccessKey>"+
		"<SessionToken>fake-session</SessionToken><Expiration>%s</Expiration></Credentials>"+
		"<AssumedRoleUser><Arn>%s/vigil</Arn><AssumedRoleId>AROAFAKE:vigil</AssumedRoleId></AssumedRoleUser>",
		key, account, exp, esc(role)), nil
}

func (s *Server) describeRegions(req *request) string {
	all := req.form.Get("AllRegions") == "true"
	var b strings.Builder
	b.WriteString("<regionInfo>")
	for _, r := range s.world.Regions {
		if s.world.NoRegionsListed {
			break
		}
		if !all && !r.Enabled() {
			continue
		}
		opt := r.OptIn
		if opt == "" {
			opt = "opt-in-not-required"
		}
		fmt.Fprintf(&b, "<item><regionName>%s</regionName><regionEndpoint>ec2.%s.amazonaws.com</regionEndpoint><optInStatus>%s</optInStatus></item>",
			r.Name, r.Name, opt)
	}
	b.WriteString("</regionInfo>")
	return b.String()
}

// visible reports whether account sees trail t in region.
func (s *Server) visible(t Trail, account, region string) bool {
	mine := t.Account == account || (t.Organization && slices.Contains(s.world.Organization, account))
	return mine && (t.HomeRegion == region || t.MultiRegion)
}

func (s *Server) describeTrails(req *request) map[string]any {
	shadows, _ := req.json["includeShadowTrails"].(bool)
	if _, set := req.json["includeShadowTrails"]; !set {
		shadows = true // the API's default
	}
	list := []any{}
	for _, t := range s.world.Trails {
		if !s.visible(t, req.account, req.region) || (!shadows && t.HomeRegion != req.region) {
			continue
		}
		m := map[string]any{
			"Name": t.Name, "TrailARN": t.ARN(), "HomeRegion": t.HomeRegion,
			"IsMultiRegionTrail": t.MultiRegion, "IsOrganizationTrail": t.Organization,
			"IncludeGlobalServiceEvents": t.IncludeGlobal, "LogFileValidationEnabled": t.LogFileValidation,
			"HasCustomEventSelectors": len(t.AdvancedEventSelectors) > 0, "HasInsightSelectors": false,
		}
		if t.S3Bucket != "" {
			m["S3BucketName"] = t.S3Bucket
		}
		if t.KMSKeyID != "" {
			m["KmsKeyId"] = t.KMSKeyID
		}
		if t.LogGroupARN != "" {
			m["CloudWatchLogsLogGroupArn"] = t.LogGroupARN
		}
		if t.RoleARN != "" {
			m["CloudWatchLogsRoleArn"] = t.RoleARN
		}
		list = append(list, m)
	}
	return map[string]any{"trailList": list}
}

// trail finds the trail a Name/TrailName parameter names, as seen from
// req's account in req's region: only its home region answers for it.
func (s *Server) trail(req *request, param string) (Trail, *apiError) {
	name, _ := req.json[param].(string)
	for _, t := range s.world.Trails {
		if (name == t.ARN() || (name == t.Name && t.Account == req.account)) &&
			s.visible(t, req.account, req.region) && t.HomeRegion == req.region {
			return t, nil
		}
	}
	return Trail{}, errorf(400, "TrailNotFoundException", "Unknown trail: %s for the user: %s", name, req.account)
}

func epoch(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return float64(t.UnixNano()) / 1e9
}

func (s *Server) getTrailStatus(req *request) (any, *apiError) {
	t, aerr := s.trail(req, "Name")
	if aerr != nil {
		return nil, aerr
	}
	st := t.Status
	m := map[string]any{"IsLogging": st.IsLogging}
	for k, v := range map[string]time.Time{"LatestCloudWatchLogsDeliveryTime": st.LatestCloudWatchLogsDeliveryTime,
		"LatestDeliveryTime": st.LatestDeliveryTime, "StartLoggingTime": st.StartLoggingTime} {
		if e := epoch(v); e != nil {
			m[k] = e
		}
	}
	if st.LatestDeliveryError != "" {
		m["LatestDeliveryError"] = st.LatestDeliveryError
	}
	return m, nil
}

func (s *Server) getEventSelectors(req *request) (any, *apiError) {
	t, aerr := s.trail(req, "TrailName")
	if aerr != nil {
		return nil, aerr
	}
	// The SDK's types carry the wire names of CloudTrail's JSON members.
	m := map[string]any{"TrailARN": t.ARN()}
	if len(t.EventSelectors) > 0 {
		m["EventSelectors"] = t.EventSelectors
	}
	if len(t.AdvancedEventSelectors) > 0 {
		m["AdvancedEventSelectors"] = t.AdvancedEventSelectors
	}
	return m, nil
}

// page returns the window of n items that token starts, and the next token.
func (s *Server) page(token any, n int) (start, end int, next string, aerr *apiError) {
	if tok, _ := token.(string); tok != "" {
		var err error
		num, _, _ := strings.Cut(strings.TrimPrefix(tok, "page-"), "-")
		start, err = strconv.Atoi(num)
		if err != nil || start < 0 || start > n {
			return 0, 0, "", errorf(400, "InvalidNextTokenException", "bad token %q", tok)
		}
	}
	end = min(start+s.world.PageSize, n)
	if end < n {
		next = "page-" + strconv.Itoa(end)
	}
	if s.world.EndlessPages {
		start, end = 0, min(s.world.PageSize, n)
		s.endless++
		next = "page-0-" + strconv.Itoa(s.endless)
	}
	return start, end, next, nil
}

func (s *Server) listTags(req *request) (any, *apiError) {
	ids, _ := req.json["ResourceIdList"].([]any)
	var rows []any
	for _, id := range ids {
		found := false
		for _, t := range s.world.Trails {
			if t.ARN() != id || t.Account != req.account || t.HomeRegion != req.region {
				continue
			}
			found = true
			tags := []any{}
			for _, k := range slices.Sorted(mapsKeys(t.Tags)) {
				tags = append(tags, map[string]any{"Key": k, "Value": t.Tags[k]})
			}
			rows = append(rows, map[string]any{"ResourceId": id, "TagsList": tags})
		}
		if !found {
			return nil, errorf(400, "CloudTrailARNInvalidException", "%v is not a trail of this account in %s", id, req.region)
		}
	}
	start, end, next, aerr := s.page(req.json["NextToken"], len(rows))
	if aerr != nil {
		return nil, aerr
	}
	out := map[string]any{"ResourceTagList": orEmpty(rows[start:end])}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func (s *Server) describeMetricFilters(req *request) (any, *apiError) {
	name, _ := req.json["logGroupName"].(string)
	for _, g := range s.world.LogGroups {
		if g.Account != req.account || g.Region != req.region || g.Name != name {
			continue
		}
		start, end, next, aerr := s.page(req.json["nextToken"], len(g.Filters))
		if aerr != nil {
			return nil, aerr
		}
		list := []any{}
		for _, f := range g.Filters[start:end] {
			mts := []any{}
			for _, mt := range f.Transformations {
				m := map[string]any{"metricName": mt.MetricName, "metricNamespace": mt.Namespace, "metricValue": mt.Value}
				if len(mt.Dimensions) > 0 {
					m["dimensions"] = mt.Dimensions
				}
				mts = append(mts, m)
			}
			list = append(list, map[string]any{"filterName": f.Name, "filterPattern": f.Pattern, "logGroupName": g.Name,
				"metricTransformations": mts, "creationTime": 1700000000000})
		}
		out := map[string]any{"metricFilters": list}
		if next != "" {
			out["nextToken"] = next
		}
		return out, nil
	}
	return nil, errorf(400, "ResourceNotFoundException", "The specified log group does not exist.")
}

func (s *Server) describeAlarmsForMetric(req *request) string {
	name, ns := req.form.Get("MetricName"), req.form.Get("Namespace")
	var b strings.Builder
	b.WriteString("<MetricAlarms>")
	for _, a := range s.world.Alarms {
		if a.Account != req.account || a.Region != req.region || a.MetricName != name || a.Namespace != ns {
			continue
		}
		fmt.Fprintf(&b, "<member><AlarmName>%s</AlarmName><AlarmArn>%s</AlarmArn><ActionsEnabled>%t</ActionsEnabled><AlarmActions>",
			esc(a.Name), esc(a.ARN()), a.ActionsEnabled)
		for _, act := range a.Actions {
			fmt.Fprintf(&b, "<member>%s</member>", esc(act))
		}
		fmt.Fprintf(&b, "</AlarmActions><MetricName>%s</MetricName><Namespace>%s</Namespace><StateValue>OK</StateValue></member>",
			esc(a.MetricName), esc(a.Namespace))
	}
	b.WriteString("</MetricAlarms>")
	return b.String()
}

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
