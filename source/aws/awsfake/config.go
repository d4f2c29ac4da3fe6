package awsfake

import "time"

func init() {
	registerService(fakeService{name: "config", protocol: awsJSON,
		handlers: map[string]handler{
			"DescribeConfigurationRecorders":      (*Server).describeConfigurationRecorders,
			"DescribeConfigurationRecorderStatus": (*Server).describeConfigurationRecorderStatus,
		}})
}

// Recorder is one AWS Config configuration recorder, in one account and
// region, with its status.
type Recorder struct {
	Account, Region, Name string
	// AllSupported and IncludeGlobal are the recording group's settings.
	AllSupported, IncludeGlobal bool
	// Recording says whether it is started; LastStatus is what it last
	// did ("SUCCESS", "FAILURE", "PENDING"; none when empty).
	Recording  bool
	LastStatus string
	// NoStatus leaves the recorder out of the status answer.
	NoStatus bool
}

// recordersOf returns the recorders of the caller's account and region.
func (s *Server) recordersOf(req *request) []Recorder {
	var out []Recorder
	for _, r := range s.world.Recorders {
		if r.Account == req.account && r.Region == req.region {
			out = append(out, r)
		}
	}
	return out
}

// describeConfigurationRecorders lists the recorders of the caller's
// account and region; the call is not paginated.
func (s *Server) describeConfigurationRecorders(req *request) (any, *apiError) {
	list := []any{}
	for _, r := range s.recordersOf(req) {
		list = append(list, map[string]any{
			"name":    r.Name,
			"arn":     "arn:aws:config:" + r.Region + ":" + r.Account + ":configuration-recorder/" + r.Name + "/abcdef",
			"roleARN": "arn:aws:iam::" + r.Account + ":role/aws-config",
			"recordingGroup": map[string]any{"allSupported": r.AllSupported, "includeGlobalResourceTypes": r.IncludeGlobal,
				"resourceTypes": []any{}},
		})
	}
	return map[string]any{"ConfigurationRecorders": list}, nil
}

// describeConfigurationRecorderStatus gives the status of each recorder of
// the caller's account and region.
func (s *Server) describeConfigurationRecorderStatus(req *request) (any, *apiError) {
	list := []any{}
	changed := float64(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Unix())
	for _, r := range s.recordersOf(req) {
		if r.NoStatus {
			continue
		}
		m := map[string]any{"name": r.Name, "recording": r.Recording, "lastStatusChangeTime": changed}
		if r.LastStatus != "" {
			m["lastStatus"] = r.LastStatus
		}
		list = append(list, m)
	}
	return map[string]any{"ConfigurationRecordersStatus": list}, nil
}
