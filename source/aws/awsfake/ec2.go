package awsfake

import (
	"fmt"
	"strings"
)

func init() {
	registerService(fakeService{name: "ec2", protocol: ec2Query, tokenInvalidWhenDisabled: true,
		anyRegion: []string{"DescribeRegions"},
		handlers: map[string]handler{
			"DescribeRegions":           answer((*Server).describeRegions),
			"GetEbsEncryptionByDefault": answer((*Server).getEbsEncryptionByDefault),
			"DescribeVpcs":              (*Server).describeVpcs,
			"DescribeFlowLogs":          (*Server).describeFlowLogs,
			"DescribeVolumes":           (*Server).describeVolumes,
			"DescribeInstances":         (*Server).describeInstances,
		}})
}

// Region is one AWS region and its opt-in status.
type Region struct {
	Name  string
	OptIn string // "opt-in-not-required" (default), "opted-in", "not-opted-in"
}

// Enabled reports whether the region is enabled for accounts.
func (r Region) Enabled() bool { return r.OptIn != "not-opted-in" }

// describeRegions lists the enabled regions, or every region with
// AllRegions; none with World.NoRegionsListed.
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
