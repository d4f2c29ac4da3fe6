package aws

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

// recorder is a configuration recorder of the scenario's account as a
// Region lists it.
func recorder(allSupported, global, recording bool, status any) map[string]any {
	return map[string]any{"name": "default", "roleArn": "arn:aws:iam::" + acct + ":role/aws-config", "servicePrincipal": nil,
		"allSupported": allSupported, "includeGlobalResourceTypes": global, "recording": recording, "lastStatus": status,
		"lastStatusChangeTime": "2026-11-01T00:00:00Z"}
}

// vpc is a VPC of the scenario's account as a Region lists it, with its
// flow logs as "id status trafficType".
func vpc(id, cidr string, isDefault bool, logs ...string) map[string]any {
	list := []any{}
	active := false
	for _, l := range logs {
		f := strings.Fields(l)
		list = append(list, map[string]any{"id": f[0], "status": f[1], "trafficType": f[2],
			"logDestinationType": "cloud-watch-logs", "deliverLogsStatus": "SUCCESS"})
		active = active || f[1] == "ACTIVE"
	}
	return map[string]any{"id": id, "cidr": cidr, "isDefault": isDefault, "ownerId": acct, "flowLogs": list, "hasActiveFlowLog": active}
}

// TestRegionSettings: each scanned region has its AWS Config recorders
// with their status, its EBS encryption default and its VPCs with their
// flow logs, read in that region for the scanned account only; a read that
// fails leaves what it fills Unknown with a failure naming the call, in
// that region only.
func TestRegionSettings(t *testing.T) {
	scenario := map[string]map[string]any{
		"us-east-1": {"configurationRecorders": []any{recorder(true, true, true, "SUCCESS")}, "ebsEncryptionByDefault": false,
			"vpcs":              []any{vpc("vpc-0a1", "172.31.0.0/16", true, "fl-1 ACTIVE REJECT"), vpc("vpc-0b2", "10.0.0.0/16", false)},
			"hasVpcFLowLogging": false},
		"eu-west-1": {"configurationRecorders": []any{recorder(true, false, false, "SUCCESS")}, "ebsEncryptionByDefault": true,
			"vpcs": []any{vpc("vpc-0c3", "10.1.0.0/16", false, "fl-3 ACTIVE ALL")}, "hasVpcFLowLogging": true},
		"ap-southeast-2": {"configurationRecorders": []any{}, "ebsEncryptionByDefault": false, "vpcs": []any{},
			"hasVpcFLowLogging": true},
	}
	const unknown = "?"
	tests := []struct {
		name  string
		world func(w *awsfake.World)
		// changes are what differs from scenario, "region attr"; unknown
		// wants an Unknown.
		changes map[string]any
		// failures are "region attr call code".
		failures []string
	}{
		{name: "scenario", world: func(*awsfake.World) {}},
		{name: "recorders denied in one region", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "config:DescribeConfigurationRecorders", Region: "eu-west-1", Code: "AccessDeniedException", Status: 400}}
		}, changes: map[string]any{"eu-west-1 configurationRecorders": unknown},
			failures: []string{"eu-west-1 configurationRecorders config:DescribeConfigurationRecorders AccessDeniedException"}},
		{name: "recorder status denied", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "config:DescribeConfigurationRecorderStatus", Region: "us-east-1", Code: "AccessDeniedException", Status: 400}}
		}, changes: map[string]any{"us-east-1 configurationRecorders": unknown},
			failures: []string{"us-east-1 configurationRecorders config:DescribeConfigurationRecorderStatus AccessDeniedException"}},
		{name: "a recorder without a status", world: func(w *awsfake.World) { w.Recorders[0].NoStatus = true },
			changes: map[string]any{"us-east-1 configurationRecorders": []any{map[string]any{"name": "default",
				"roleArn": "arn:aws:iam::" + acct + ":role/aws-config", "servicePrincipal": nil, "allSupported": true,
				"includeGlobalResourceTypes": true, "recording": unknown, "lastStatus": unknown, "lastStatusChangeTime": unknown}}}},
		{name: "EBS default denied", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "ec2:GetEbsEncryptionByDefault", Region: "eu-west-1", Code: "UnauthorizedOperation", Status: 403}}
		}, changes: map[string]any{"eu-west-1 ebsEncryptionByDefault": unknown},
			failures: []string{"eu-west-1 ebsEncryptionByDefault ec2:GetEbsEncryptionByDefault UnauthorizedOperation"}},
		{name: "flow logs denied", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "ec2:DescribeFlowLogs", Region: "eu-west-1", Code: "UnauthorizedOperation", Status: 403}}
		}, changes: map[string]any{"eu-west-1 vpcs": unknown, "eu-west-1 hasVpcFLowLogging": unknown},
			failures: []string{"eu-west-1 hasVpcFLowLogging ec2:DescribeFlowLogs UnauthorizedOperation",
				"eu-west-1 vpcs ec2:DescribeFlowLogs UnauthorizedOperation"}},
		{name: "a VPC shared by another account", world: func(w *awsfake.World) {
			w.VPCs = append(w.VPCs, awsfake.VPC{Account: acct, Region: "eu-west-1", ID: "vpc-0d4", CIDR: "10.9.0.0/16", Owner: mgmt})
		}, changes: map[string]any{"eu-west-1 vpcs": []any{vpc("vpc-0c3", "10.1.0.0/16", false, "fl-3 ACTIVE ALL"),
			map[string]any{"id": "vpc-0d4", "cidr": "10.9.0.0/16", "isDefault": false, "ownerId": mgmt, "flowLogs": unknown, "hasActiveFlowLog": unknown}},
			"eu-west-1 hasVpcFLowLogging": unknown}},
		{name: "a flow log that failed", world: func(w *awsfake.World) {
			w.FlowLogs[2].Status = "FAILED"
		}, changes: map[string]any{"eu-west-1 vpcs": []any{vpc("vpc-0c3", "10.1.0.0/16", false, "fl-3 FAILED ALL")},
			"eu-west-1 hasVpcFLowLogging": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := scenarioWorld()
			w.Faults = nil
			tt.world(&w)
			opts := regionsOnly
			opts.Regions, opts.MaxAttempts = scannedRegions, 1
			inv, _ := collect(t, w, opts)
			var failures []string
			for _, f := range inv.Failures {
				code, _, _ := strings.Cut(f.Error, ":")
				failures = append(failures, fmt.Sprintf("%s %s %s %s", f.Entity, f.Attr, f.Call, code))
			}
			if diff := cmp.Diff(tt.failures, failures); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
			regions := ofType(inv, TypeRegion)
			if len(regions) != len(scannedRegions) {
				t.Fatalf("%d regions, want %d", len(regions), len(scannedRegions))
			}
			for _, e := range regions {
				for attr, want := range scenario[e.ID] {
					if c, ok := tt.changes[e.ID+" "+attr]; ok {
						want = c
					}
					if diff := cmp.Diff(want, withUnknowns(e.Attrs[attr], unknown)); diff != "" {
						t.Errorf("%s %s (-want +got):\n%s", e.ID, attr, diff)
					}
				}
			}
		})
	}
}

// withUnknowns replaces every Unknown in v by mark, so that tests can
// compare values that hold some.
func withUnknowns(v any, mark string) any {
	switch x := v.(type) {
	case *entity.Unknown:
		if x.Reason == "" {
			return "an Unknown without a reason"
		}
		return mark
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = withUnknowns(e, mark)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = withUnknowns(e, mark)
		}
		return out
	}
	return v
}

// TestVPCPagination: VPCs and flow logs are read page by page, whatever
// the page size, and a flow log on the last page still counts.
func TestVPCPagination(t *testing.T) {
	w := scenarioWorld()
	w.Faults = nil
	var want []any
	for i := range 5 {
		id := fmt.Sprintf("vpc-1%d", i)
		w.VPCs = append(w.VPCs, awsfake.VPC{Account: acct, Region: "ap-southeast-2", ID: id, CIDR: fmt.Sprintf("10.2%d.0.0/16", i)})
		w.FlowLogs = append(w.FlowLogs, awsfake.FlowLog{Account: acct, Region: "ap-southeast-2", ID: "fl-1" + fmt.Sprint(i), ResourceID: id})
		want = append(want, vpc(id, fmt.Sprintf("10.2%d.0.0/16", i), false, "fl-1"+fmt.Sprint(i)+" ACTIVE ALL"))
	}
	opts := regionsOnly
	opts.Regions = []string{"ap-southeast-2"}
	for _, size := range []int{1, 2, 50} {
		w.PageSize = size
		inv, srv := collect(t, w, opts)
		e := ofType(inv, TypeRegion)[0]
		if diff := cmp.Diff(want, e.Attrs["vpcs"]); diff != "" {
			t.Errorf("page size %d (-want +got):\n%s", size, diff)
		}
		if e.Attrs["hasVpcFLowLogging"] != true {
			t.Errorf("page size %d: hasVpcFLowLogging = %v", size, e.Attrs["hasVpcFLowLogging"])
		}
		if n, pages := srv.CallsByAction()["ec2:DescribeVpcs"], (5+size-1)/size; n != pages {
			t.Errorf("page size %d: %d DescribeVpcs calls, want %d", size, n, pages)
		}
	}
}
