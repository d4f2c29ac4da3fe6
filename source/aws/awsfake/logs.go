package awsfake

import "fmt"

func init() {
	registerService(fakeService{name: "logs", protocol: awsJSON,
		handlers: map[string]handler{
			"DescribeMetricFilters": (*Server).describeMetricFilters,
		}})
}

// LogGroup is one CloudWatch Logs log group and its metric filters.
type LogGroup struct {
	Account, Region, Name string
	Filters               []MetricFilter
}

// ARN returns the log group's ARN in the form trails use.
func (g LogGroup) ARN() string {
	return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:*", g.Region, g.Account, g.Name)
}

// MetricFilter is one metric filter.
type MetricFilter struct {
	Name, Pattern   string
	Transformations []Transformation
}

// Transformation is one metric transformation of a filter.
type Transformation struct {
	MetricName, Namespace, Value string
	// Dimensions map dimension names to log event fields ("$.region").
	Dimensions map[string]string
}

// describeMetricFilters pages through the metric filters of one log group
// of the caller's account and region.
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
