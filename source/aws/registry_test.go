package aws

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/source/aws/awsfake"
)

// TestTypesSelectServices: only the services that list or enrich a wanted
// entity type make calls. With no type the collector can build, the
// account is identified and nothing else is called, not even the regions.
func TestTypesSelectServices(t *testing.T) {
	_, all := collect(t, scenarioWorld(), Options{})
	trailCalls := all.Calls()
	for call := range trailCalls {
		// Only the Region needs these; ec2:DescribeRegions lists the
		// regions of every regional type.
		regionOnly := strings.HasPrefix(call, "config:") || (strings.HasPrefix(call, "ec2:") && !strings.HasPrefix(call, "ec2:DescribeRegions@"))
		if strings.HasPrefix(call, "iam:") || strings.HasPrefix(call, "access-analyzer:") || regionOnly || dataCalls[call] > 0 || strings.HasPrefix(call, "s3:") {
			delete(trailCalls, call)
		}
	}
	// The trails' buckets' access logging: the account's buckets, and
	// the logging of main-trail-logs and adv (the other trails' buckets
	// are not the account's).
	trailCalls["s3:ListAllMyBuckets@us-east-1"] = 2
	trailCalls["s3:GetBucketLogging@us-east-1"] = 1
	trailCalls["s3:GetBucketLogging@ap-southeast-2"] = 1
	enabled := []string{"ap-southeast-2", "eu-west-1", "us-east-1"}
	tests := []struct {
		name    string
		opts    Options
		want    map[string]int // nil: the calls of a collection of every type
		regions []string
		// entities is the number of entities collected.
		entities int
	}{
		{name: "every type", opts: Options{}, regions: enabled, entities: 7 + 1 + 5 + 4 + 2 + 2 + 3 + 2 + 2 + 3 + 6 + 4 + 2},
		{name: "CloudTrail", opts: Options{Types: []string{TypeCloudTrail}}, want: trailCalls, regions: enabled, entities: 7},
		{name: "CloudTrail among others", opts: Options{Types: []string{"aws_cloudtrail", TypeCloudTrail}}, want: trailCalls,
			regions: enabled, entities: 7},
		{name: "IAM policies, global", opts: Options{Types: []string{TypeIamPolicy}}, entities: 4,
			want: map[string]int{"sts:GetCallerIdentity@us-east-1": 1, "iam:GetAccountAuthorizationDetails@us-east-1": 6}},
		{name: "the account's IAM", opts: Options{Types: []string{TypeIam}}, entities: 1,
			want: map[string]int{"sts:GetCallerIdentity@us-east-1": 1, "iam:GetAccountPasswordPolicy@us-east-1": 1,
				"iam:GetAccountSummary@us-east-1": 1, "iam:GenerateCredentialReport@us-east-1": 1,
				"iam:GetCredentialReport@us-east-1": 1, "iam:ListVirtualMFADevices@us-east-1": 1}},
		{name: "regions, listed", opts: Options{Types: []string{TypeRegion}}, regions: enabled, entities: 3,
			want: withRegionCalls(map[string]int{"sts:GetCallerIdentity@us-east-1": 1, "ec2:DescribeRegions@us-east-1": 1}, enabled...)},
		{name: "regions, named", opts: Options{Types: []string{TypeRegion}, Regions: []string{"eu-west-1"}},
			regions: []string{"eu-west-1"}, entities: 1,
			want: withRegionCalls(map[string]int{"sts:GetCallerIdentity@us-east-1": 1}, "eu-west-1")},
		{name: "KMS keys", opts: Options{Types: []string{TypeKMS}}, regions: enabled, entities: 6,
			want: map[string]int{"sts:GetCallerIdentity@us-east-1": 1, "ec2:DescribeRegions@us-east-1": 1,
				"kms:ListKeys@us-east-1": 3, "kms:ListKeys@eu-west-1": 1, "kms:ListKeys@ap-southeast-2": 1,
				"kms:DescribeKey@us-east-1": 5, "kms:DescribeKey@eu-west-1": 1,
				"kms:GetKeyRotationStatus@us-east-1": 3, "kms:GetKeyRotationStatus@eu-west-1": 1}},
		{name: "volumes, not regions", opts: Options{Types: []string{TypeVolume}, Regions: []string{"us-east-1"}},
			regions: []string{"us-east-1"}, entities: 2,
			want: map[string]int{"sts:GetCallerIdentity@us-east-1": 1, "ec2:DescribeVolumes@us-east-1": 1}},
		{name: "databases and file systems", opts: Options{Types: []string{TypeRDS, TypeEFS}, Regions: []string{"eu-west-1"}},
			regions: []string{"eu-west-1"}, entities: 2,
			want: map[string]int{"sts:GetCallerIdentity@us-east-1": 1, "rds:DescribeDBInstances@eu-west-1": 1,
				"elasticfilesystem:DescribeFileSystems@eu-west-1": 1}},
		{name: "only a Terraform type", opts: Options{Types: []string{"aws_cloudtrail"}},
			want: map[string]int{"sts:GetCallerIdentity@us-east-1": 1}},
		{name: "only a Terraform type, regions named", opts: Options{Types: []string{"aws_cloudtrail"}, Regions: []string{"eu-west-1"}},
			want: map[string]int{"sts:GetCallerIdentity@us-east-1": 1}, regions: []string{"eu-west-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, srv := collect(t, scenarioWorld(), tt.opts)
			want := tt.want
			if want == nil {
				want = all.Calls()
			}
			if diff := cmp.Diff(want, srv.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if len(inv.Entities) != tt.entities || len(inv.Failures) != 0 {
				t.Errorf("%d entities, failures %v; want %d entities", len(inv.Entities), inv.Failures, tt.entities)
			}
			if len(inv.Scopes) != 1 || inv.Scopes[0].ID != acct || !cmp.Equal(tt.regions, inv.Scopes[0].Regions) {
				t.Errorf("scopes %+v, want account %s with regions %v", inv.Scopes, acct, tt.regions)
			}
			// The scope says which types were looked for: those wanted
			// that vigil collects, so that a rule on another type is not
			// judged on an absence nobody looked at.
			wantTypes := []string{}
			for _, typ := range Types() {
				if tt.opts.wanted(typ) {
					wantTypes = append(wantTypes, typ)
				}
			}
			if len(inv.Scopes) == 1 && !cmp.Equal(wantTypes, inv.Scopes[0].Types) {
				t.Errorf("scope types %v, want %v", inv.Scopes[0].Types, wantTypes)
			}
		})
	}
}

// regionCalls are the calls that fill a Region, one each per region in
// the scenario (no list there has more than one page).
var regionCalls = []string{"access-analyzer:ListAnalyzers", "config:DescribeConfigurationRecorders",
	"config:DescribeConfigurationRecorderStatus", "ec2:GetEbsEncryptionByDefault", "ec2:DescribeVpcs", "ec2:DescribeFlowLogs"}

// withRegionCalls adds to calls one of each of regionCalls per region.
func withRegionCalls(calls map[string]int, regions ...string) map[string]int {
	for _, r := range regions {
		for _, c := range regionCalls {
			calls[c+"@"+r]++
		}
	}
	return calls
}

// TestTypesListed names the entity types the registered services build.
func TestTypesListed(t *testing.T) {
	if diff := cmp.Diff([]string{TypeCloudTrail, TypeEFS, TypeIam, TypeIamPolicy, TypeIamRole, TypeIamServerCertificate, TypeIamUser,
		TypeInstance, TypeKMS, TypeRDS, TypeRegion, TypeS3Bucket, TypeVolume}, Types()); diff != "" {
		t.Errorf("Types() (-want +got):\n%s", diff)
	}
}

// TestDeclaredAttributesAlwaysSet: every attribute a registered action
// says it fills is set on every entity of its type, to a value or an
// Unknown, whichever call fails, and no other attribute is. An attribute
// left out would read as absent, and a rule could pass on it.
func TestDeclaredAttributesAlwaysSet(t *testing.T) {
	declared := map[string][]string{}
	for _, s := range services {
		for _, a := range s.actions {
			for _, f := range a.fills {
				declared[f.entityType] = append(declared[f.entityType], f.attrs...)
			}
		}
	}
	faults := []awsfake.Fault{{}}
	for _, action := range Actions() {
		if action != "sts:GetCallerIdentity" && action != "ec2:DescribeRegions" {
			faults = append(faults, awsfake.Fault{Action: action, Code: "AccessDenied", Status: 403, Message: "denied"})
		}
	}
	for _, fault := range faults {
		name := "no fault"
		if fault.Action != "" {
			name = "access denied on " + fault.Action
		}
		t.Run(name, func(t *testing.T) {
			w := scenarioWorld()
			w.Faults = nil
			if fault.Action != "" {
				w.Faults = []awsfake.Fault{fault}
			}
			inv, _ := collect(t, w, Options{Regions: scannedRegions, MaxAttempts: 1})
			for _, e := range inv.Entities {
				for _, attr := range declared[e.Type] {
					if _, ok := e.Attrs[attr]; !ok {
						t.Errorf("%s %s: %s is not set", e.Type, e.Name, attr)
					}
				}
				for attr := range e.Attrs {
					if !slices.Contains(declared[e.Type], attr) {
						t.Errorf("%s %s: %s is set, but no registered action declares it", e.Type, e.Name, attr)
					}
				}
			}
		})
	}
}
