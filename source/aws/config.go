package aws

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"

	"vigil/entity"
)

// configAttrs are the attributes of a Region that AWS Config's two calls
// fill together.
var configAttrs = []string{"configurationRecorders"}

func init() {
	register(service{
		name:      "config",
		newClient: func(cfg aws.Config) any { return configservice.NewFromConfig(cfg) },
		actions: []action{
			{name: "config:DescribeConfigurationRecorders", purpose: "list the AWS Config configuration recorders of each scanned region and what they record",
				fills: []fill{{TypeRegion, configAttrs}}},
			{name: "config:DescribeConfigurationRecorderStatus", purpose: "read whether each configuration recorder is recording, and its last status",
				fills: []fill{{TypeRegion, configAttrs}}},
		},
		enriched: TypeRegion,
		enrich:   enrichRegionsWithRecorders,
	})
}

// configAPI is the part of the AWS Config client vigil calls.
type configAPI interface {
	DescribeConfigurationRecorders(context.Context, *configservice.DescribeConfigurationRecordersInput, ...func(*configservice.Options)) (*configservice.DescribeConfigurationRecordersOutput, error)
	DescribeConfigurationRecorderStatus(context.Context, *configservice.DescribeConfigurationRecorderStatusInput, ...func(*configservice.Options)) (*configservice.DescribeConfigurationRecorderStatusOutput, error)
}

var _ configAPI = (*configservice.Client)(nil)

func (c *Collector) config(region string) configAPI { return client[configAPI](c, "config", region) }

// enrichRegionsWithRecorders reads the configuration recorders of each
// region, and their status, in that region. Either call failing leaves
// configurationRecorders Unknown with a failure: a recorder whose status
// is not known could make a rule pass or fail wrongly.
func enrichRegionsWithRecorders(ctx context.Context, c *Collector, regions []*entity.Entity, out *additions) {
	fanOut(regions, func(e *entity.Entity) {
		recorders, cerr := c.describeRecorders(ctx, e.ID)
		out.used(e, "config:DescribeConfigurationRecorders")
		if cerr == nil {
			var statuses []types.ConfigurationRecorderStatus
			statuses, cerr = c.describeRecorderStatus(ctx, e.ID)
			out.used(e, "config:DescribeConfigurationRecorderStatus")
			if cerr == nil {
				out.set(e, "configurationRecorders", recorderList(recorders, statuses))
				return
			}
		}
		out.set(e, "configurationRecorders", cerr.unknown())
		c.fail(cerr.failure(TypeRegion, "configurationRecorders", c.account, e.ID))
	})
}

// describeRecorders lists the region's configuration recorders, the
// customer-managed one and any service-linked ones. The call is not
// paginated.
func (c *Collector) describeRecorders(ctx context.Context, region string) ([]types.ConfigurationRecorder, *callError) {
	var out *configservice.DescribeConfigurationRecordersOutput
	if cerr := c.call(ctx, "config:DescribeConfigurationRecorders", region, func(ctx context.Context) error {
		var err error
		out, err = c.config(region).DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{})
		return err
	}); cerr != nil {
		return nil, cerr
	}
	return out.ConfigurationRecorders, nil
}

// describeRecorderStatus reads the status of every recorder of the region.
// The call is not paginated.
func (c *Collector) describeRecorderStatus(ctx context.Context, region string) ([]types.ConfigurationRecorderStatus, *callError) {
	var out *configservice.DescribeConfigurationRecorderStatusOutput
	if cerr := c.call(ctx, "config:DescribeConfigurationRecorderStatus", region, func(ctx context.Context) error {
		var err error
		out, err = c.config(region).DescribeConfigurationRecorderStatus(ctx, &configservice.DescribeConfigurationRecorderStatusInput{})
		return err
	}); cerr != nil {
		return nil, cerr
	}
	return out.ConfigurationRecordersStatus, nil
}

// recorderList normalises the recorders, each with its status, sorted by
// name. A recorder the status answer leaves out has recording and
// lastStatus Unknown; one without a recording group has what it records
// Unknown.
func recorderList(recorders []types.ConfigurationRecorder, statuses []types.ConfigurationRecorderStatus) []any {
	slices.SortFunc(recorders, func(a, b types.ConfigurationRecorder) int {
		return cmp.Compare(aws.ToString(a.Name), aws.ToString(b.Name))
	})
	list := make([]any, 0, len(recorders))
	for _, r := range recorders {
		name := aws.ToString(r.Name)
		m := map[string]any{"name": name, "roleArn": stringOrNil(r.RoleARN), "servicePrincipal": stringOrNil(r.ServicePrincipal)}
		if g := r.RecordingGroup; g != nil {
			m["allSupported"], m["includeGlobalResourceTypes"] = g.AllSupported, g.IncludeGlobalResourceTypes
		} else {
			missing := entity.NewUnknown(entity.UnknownMaybeNull, "config:DescribeConfigurationRecorders gave recorder "+name+" no recording group")
			m["allSupported"], m["includeGlobalResourceTypes"] = missing, missing
		}
		i := slices.IndexFunc(statuses, func(s types.ConfigurationRecorderStatus) bool { return aws.ToString(s.Name) == name })
		if i < 0 {
			missing := entity.NewUnknown(entity.UnknownMaybeNull, "config:DescribeConfigurationRecorderStatus gave no status for recorder "+name)
			m["recording"], m["lastStatus"], m["lastStatusChangeTime"] = missing, missing, missing
		} else {
			s := statuses[i]
			m["recording"] = s.Recording
			m["lastStatus"] = upperOrNil(string(s.LastStatus))
			m["lastStatusChangeTime"] = timeOrNil(s.LastStatusChangeTime)
		}
		list = append(list, m)
	}
	return list
}

// upperOrNil returns s in upper case, or nil when it is empty. AWS Config's
// API model spells the last status "Success", the service and the CIS
// audit "SUCCESS"; rules compare one spelling.
func upperOrNil(s string) any {
	if s == "" {
		return nil
	}
	return strings.ToUpper(s)
}
