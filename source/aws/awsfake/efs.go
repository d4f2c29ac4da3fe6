package awsfake

import (
	"fmt"
	"net/http"
	"strconv"
)

func init() {
	registerService(fakeService{name: "elasticfilesystem", protocol: restJSON, route: efsRoute,
		handlers: map[string]handler{
			"DescribeFileSystems": (*Server).describeFileSystems,
		}})
}

// FileSystem is one EFS file system, in one account and region.
type FileSystem struct {
	Account, Region, ID string
	Encrypted           bool
	KMSKeyID            string
	Tags                map[string]string
}

// ARN returns the file system's ARN.
func (f FileSystem) ARN() string {
	return fmt.Sprintf("arn:aws:elasticfilesystem:%s:%s:file-system/%s", f.Region, f.Account, f.ID)
}

// efsRoute names the action of an EFS request; only DescribeFileSystems
// (GET /2015-02-01/file-systems) is faked.
func efsRoute(r *http.Request) string {
	if r.Method == http.MethodGet && r.URL.Path == "/2015-02-01/file-systems" {
		return "DescribeFileSystems"
	}
	return r.Method + " " + r.URL.Path
}

// describeFileSystems pages through the file systems of the caller's
// account and region, at most MaxItems a page, with their tags and the
// Name tag as Name, as EFS answers.
func (s *Server) describeFileSystems(req *request) (any, *apiError) {
	var list []any
	for _, f := range s.world.FileSystems {
		if f.Account != req.account || f.Region != req.region {
			continue
		}
		tags := []any{}
		for _, k := range sortedKeys(f.Tags) {
			tags = append(tags, map[string]any{"Key": k, "Value": f.Tags[k]})
		}
		m := map[string]any{"OwnerId": f.Account, "CreationToken": f.ID, "FileSystemId": f.ID, "FileSystemArn": f.ARN(),
			"CreationTime": 1.7e9, "LifeCycleState": "available", "NumberOfMountTargets": 0,
			"SizeInBytes": map[string]any{"Value": 6144}, "PerformanceMode": "generalPurpose",
			"ThroughputMode": "bursting", "Encrypted": f.Encrypted, "Tags": tags}
		if name := f.Tags["Name"]; name != "" {
			m["Name"] = name
		}
		if f.KMSKeyID != "" {
			m["KmsKeyId"] = f.KMSKeyID
		}
		list = append(list, m)
	}
	size := s.world.PageSize
	if m, err := strconv.Atoi(req.form.Get("MaxItems")); err == nil && m > 0 && m < size {
		size = m
	}
	start, end, next, aerr := s.pageOf(req.form.Get("Marker"), len(list), size)
	if aerr != nil {
		return nil, aerr
	}
	out := map[string]any{"FileSystems": orEmpty(list[start:end])}
	if next != "" {
		out["NextMarker"] = next
	}
	return out, nil
}
