package awsfake

import (
	"fmt"
	"slices"
	"time"

	ctypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

func init() {
	registerService(fakeService{name: "cloudtrail", protocol: awsJSON,
		handlers: map[string]handler{
			"DescribeTrails":    (*Server).describeTrails,
			"GetTrailStatus":    (*Server).getTrailStatus,
			"GetEventSelectors": (*Server).getEventSelectors,
			"ListTags":          (*Server).listTags,
		}})
}

// Trail is one CloudTrail trail.
type Trail struct {
	Name, Account, HomeRegion string
	MultiRegion, Organization bool
	LogGroupARN, RoleARN      string
	S3Bucket, KMSKeyID        string
	IncludeGlobal             bool
	LogFileValidation         bool
	Status                    TrailStatus
	EventSelectors            []ctypes.EventSelector
	AdvancedEventSelectors    []ctypes.AdvancedEventSelector
	Tags                      map[string]string
}

// ARN returns the trail's ARN.
func (t Trail) ARN() string {
	return fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", t.HomeRegion, t.Account, t.Name)
}

// TrailStatus is what GetTrailStatus answers; zero times are absent.
type TrailStatus struct {
	IsLogging                        bool
	LatestCloudWatchLogsDeliveryTime time.Time
	LatestDeliveryTime               time.Time
	StartLoggingTime                 time.Time
	LatestDeliveryError              string
}

// visible reports whether account sees trail t in region.
func (s *Server) visible(t Trail, account, region string) bool {
	mine := t.Account == account || (t.Organization && slices.Contains(s.world.Organization, account))
	return mine && (t.HomeRegion == region || t.MultiRegion)
}

// describeTrails lists the trails the caller sees in its region, shadow
// trails included unless includeShadowTrails is false.
func (s *Server) describeTrails(req *request) (any, *apiError) {
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
	return map[string]any{"trailList": list}, nil
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

// epoch writes a time as AWS JSON does, in seconds; nil for zero.
func epoch(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return float64(t.UnixNano()) / 1e9
}

// getTrailStatus answers a trail's status, in its home region only.
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

// getEventSelectors answers a trail's selectors, in its home region
// only.
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

// listTags answers the tags of trails of the caller's account homed in
// the caller's region, paginated.
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

// mapsKeys yields the keys of m.
func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
