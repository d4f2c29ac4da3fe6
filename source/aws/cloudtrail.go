package aws

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"vigil/entity"
	"vigil/source/s3dataevents"
)

// TypeCloudTrail is the entity type of a CloudTrail trail.
const TypeCloudTrail = "CloudTrail"

func init() {
	register(service{
		name:      "cloudtrail",
		newClient: func(cfg aws.Config) any { return cloudtrail.NewFromConfig(cfg) },
		actions: []action{
			{name: "cloudtrail:DescribeTrails", purpose: "list the trails that apply in each scanned region, shadow trails included",
				fills: []fill{{TypeCloudTrail, trailAttrNames}}},
			{name: "cloudtrail:GetTrailStatus", purpose: "read whether each trail is logging and when it last delivered, in its home region",
				fills: []fill{{TypeCloudTrail, []string{"status"}}}},
			{name: "cloudtrail:GetEventSelectors", purpose: "read which events each trail records, in its home region",
				fills: []fill{{TypeCloudTrail, selectorAttrNames}}},
			{name: "cloudtrail:ListTags", purpose: "read the tags of the account's own trails, 20 trails per call",
				fills: []fill{{TypeCloudTrail, []string{"tags"}}}},
		},
		listed:   []string{TypeCloudTrail},
		list:     listTrails,
		enriched: TypeCloudTrail,
		enrich:   enrichTrails,
	})
}

// cloudTrailAPI is the part of the CloudTrail client vigil calls.
type cloudTrailAPI interface {
	DescribeTrails(context.Context, *cloudtrail.DescribeTrailsInput, ...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error)
	GetTrailStatus(context.Context, *cloudtrail.GetTrailStatusInput, ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailStatusOutput, error)
	GetEventSelectors(context.Context, *cloudtrail.GetEventSelectorsInput, ...func(*cloudtrail.Options)) (*cloudtrail.GetEventSelectorsOutput, error)
	ListTags(context.Context, *cloudtrail.ListTagsInput, ...func(*cloudtrail.Options)) (*cloudtrail.ListTagsOutput, error)
}

var _ cloudTrailAPI = (*cloudtrail.Client)(nil)

func (c *Collector) cloudtrail(region string) cloudTrailAPI {
	return client[cloudTrailAPI](c, "cloudtrail", region)
}

// trail is one trail as DescribeTrails showed it, from its home region or
// as a shadow from another.
type trail struct {
	t     types.Trail
	arn   string
	home  string
	owner string // account that owns the trail (from its ARN)
	seen  string // region whose DescribeTrails this view came from
}

// listTrails lists the trails that apply in the scanned regions, each once,
// as entities with the DescribeTrails fields.
func listTrails(ctx context.Context, c *Collector, regions []string) []*entity.Entity {
	trails := c.describeTrails(ctx, regions)
	out := make([]*entity.Entity, len(trails))
	for i, t := range trails {
		out[i] = &entity.Entity{Type: TypeCloudTrail, ID: t.arn, Name: aws.ToString(t.t.Name), Scope: c.account,
			Region: t.home, Attrs: trailAttrs(t, c.account), Origin: entity.Origin{API: []string{"cloudtrail:DescribeTrails"}}}
	}
	return out
}

// describeTrails lists the trails that apply in each region, shadow trails
// included, and de-duplicates them by ARN. A region whose trails cannot be
// listed becomes a Failure with no attribute.
func (c *Collector) describeTrails(ctx context.Context, regions []string) []*trail {
	var mu sync.Mutex
	byARN := map[string]*trail{}
	fanOut(regions, func(region string) {
		var out *cloudtrail.DescribeTrailsOutput
		cerr := c.call(ctx, "cloudtrail:DescribeTrails", region, func(ctx context.Context) error {
			var err error
			out, err = c.cloudtrail(region).DescribeTrails(ctx,
				&cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
			return err
		})
		if cerr != nil {
			c.fail(cerr.failure(TypeCloudTrail, "", c.account, ""))
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, t := range out.TrailList {
			a := aws.ToString(t.TrailARN)
			home := aws.ToString(t.HomeRegion)
			if home == "" {
				home = region
			}
			// Keep one view per ARN, preferring the home region's own
			// over a shadow's.
			if prev, ok := byARN[a]; ok && (prev.seen == prev.home || region != home) {
				continue
			}
			owner := c.account
			if p, err := arn.Parse(a); err == nil {
				owner = p.AccountID
			}
			byARN[a] = &trail{t: t, arn: a, home: home, owner: owner, seen: region}
		}
	})
	out := make([]*trail, 0, len(byARN))
	for _, t := range byARN {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].arn < out[j].arn })
	return out
}

// trailOwner returns the account that owns a listed trail.
func trailOwner(e *entity.Entity) string {
	owner, _ := e.Attrs["accountNumber"].(string)
	return owner
}

// enrichTrails reads each trail's status and selectors in its home region,
// and the tags of the account's own trails.
func enrichTrails(ctx context.Context, c *Collector, trails []*entity.Entity, out *additions) {
	var wg sync.WaitGroup
	wg.Go(func() { c.trailTags(ctx, trails, out) })
	for _, e := range trails {
		wg.Go(func() {
			status, cerr := c.trailStatus(ctx, e)
			out.used(e, "cloudtrail:GetTrailStatus")
			if cerr != nil {
				out.set(e, "status", cerr.unknown())
				c.fail(cerr.failure(TypeCloudTrail, "status", c.account, e.ID))
				return
			}
			out.set(e, "status", status)
		})
		wg.Go(func() {
			sel, cerr := c.eventSelectors(ctx, e)
			out.used(e, "cloudtrail:GetEventSelectors")
			if cerr != nil {
				for _, name := range selectorAttrNames {
					out.set(e, name, cerr.unknown())
					c.fail(cerr.failure(TypeCloudTrail, name, c.account, e.ID))
				}
				return
			}
			out.set(e, "eventSelectors", sel.classic)
			out.set(e, "advancedEventSelectors", sel.advanced)
			out.set(e, "hasManagementEventsReadWrite", sel.allManagement)
			s3 := s3dataevents.ObjectEvents(sel.classic, sel.advanced)
			out.set(e, "hasS3ObjectWriteEvents", s3.Write)
			out.set(e, "hasS3ObjectReadEvents", s3.Read)
		})
	}
	wg.Wait()
}

// trailTags sets the tags of each trail: read for the account's own trails,
// Unknown for another account's.
func (c *Collector) trailTags(ctx context.Context, trails []*entity.Entity, out *additions) {
	tagsByARN := c.listTags(ctx, trails)
	for _, e := range trails {
		tr := tagsByARN[e.ID]
		switch owner := trailOwner(e); {
		case owner != c.account:
			out.set(e, "tags", entity.NewUnknown(entity.UnknownMaybeNull,
				"the trail belongs to account "+owner+"; its tags can only be read there"))
		case tr.err != nil:
			out.set(e, "tags", tr.err.unknown())
			c.fail(tr.err.failure(TypeCloudTrail, "tags", c.account, e.ID))
			out.used(e, tr.err.Call)
		default:
			out.set(e, "tags", tr.tags)
			out.used(e, "cloudtrail:ListTags")
		}
	}
}

// selectorAttrNames are the attributes cloudtrail:GetEventSelectors fills:
// the selectors, and what vigil works out from them.
var selectorAttrNames = []string{"eventSelectors", "advancedEventSelectors", "hasManagementEventsReadWrite",
	"hasS3ObjectWriteEvents", "hasS3ObjectReadEvents"}

// trailAttrNames are the attributes trailAttrs fills.
var trailAttrNames = []string{"id", "arn", "name", "accountNumber", "region", "homeRegion", "isOwnedByScannedAccount",
	"isMultiRegionTrail", "isOrganizationTrail", "includeGlobalServiceEvents", "logFileValidationEnabled",
	"hasCustomEventSelectors", "hasInsightSelectors", "s3BucketName", "s3KeyPrefix", "snsTopicArn", "kmsKeyId",
	"cloudWatchLogsLogGroupArn", "cloudWatchLogsRoleArn"}

// trailAttrs normalises the DescribeTrails fields (gsl-spec §6).
func trailAttrs(t *trail, account string) map[string]any {
	tt := t.t
	return map[string]any{
		"id":                         t.arn,
		"arn":                        t.arn,
		"name":                       aws.ToString(tt.Name),
		"accountNumber":              t.owner,
		"region":                     t.home,
		"homeRegion":                 t.home,
		"isOwnedByScannedAccount":    t.owner == account,
		"isMultiRegionTrail":         aws.ToBool(tt.IsMultiRegionTrail),
		"isOrganizationTrail":        aws.ToBool(tt.IsOrganizationTrail),
		"includeGlobalServiceEvents": aws.ToBool(tt.IncludeGlobalServiceEvents),
		"logFileValidationEnabled":   aws.ToBool(tt.LogFileValidationEnabled),
		"hasCustomEventSelectors":    aws.ToBool(tt.HasCustomEventSelectors),
		"hasInsightSelectors":        aws.ToBool(tt.HasInsightSelectors),
		"s3BucketName":               stringOrNil(tt.S3BucketName),
		"s3KeyPrefix":                stringOrNil(tt.S3KeyPrefix),
		"snsTopicArn":                stringOrNil(tt.SnsTopicARN),
		"kmsKeyId":                   stringOrNil(tt.KmsKeyId),
		"cloudWatchLogsLogGroupArn":  stringOrNil(tt.CloudWatchLogsLogGroupArn),
		"cloudWatchLogsRoleArn":      stringOrNil(tt.CloudWatchLogsRoleArn),
	}
}

// stringOrNil returns the string, or nil (absent) for a nil or empty one.
func stringOrNil(s *string) any {
	if s == nil || *s == "" {
		return nil
	}
	return *s
}

// timeOrNil renders a time as RFC 3339 in UTC, or nil.
func timeOrNil(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// trailStatus reads GetTrailStatus in the trail's home region.
func (c *Collector) trailStatus(ctx context.Context, e *entity.Entity) (map[string]any, *callError) {
	var out *cloudtrail.GetTrailStatusOutput
	if cerr := c.call(ctx, "cloudtrail:GetTrailStatus", e.Region, func(ctx context.Context) error {
		var err error
		out, err = c.cloudtrail(e.Region).GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(e.ID)})
		return err
	}); cerr != nil {
		return nil, cerr
	}
	return map[string]any{
		"isLogging":                         aws.ToBool(out.IsLogging),
		"latestCloudWatchLogsDeliveryTime":  timeOrNil(out.LatestCloudWatchLogsDeliveryTime),
		"latestCloudWatchLogsDeliveryError": stringOrNil(out.LatestCloudWatchLogsDeliveryError),
		"latestDeliveryTime":                timeOrNil(out.LatestDeliveryTime),
		"latestDeliveryError":               stringOrNil(out.LatestDeliveryError),
		"startLoggingTime":                  timeOrNil(out.StartLoggingTime),
		"stopLoggingTime":                   timeOrNil(out.StopLoggingTime),
	}, nil
}

// selectors are a trail's normalised event selectors.
type selectors struct {
	classic       []any
	advanced      []any
	allManagement bool
}

// eventSelectors reads GetEventSelectors in the trail's home region.
func (c *Collector) eventSelectors(ctx context.Context, e *entity.Entity) (selectors, *callError) {
	var out *cloudtrail.GetEventSelectorsOutput
	if cerr := c.call(ctx, "cloudtrail:GetEventSelectors", e.Region, func(ctx context.Context) error {
		var err error
		out, err = c.cloudtrail(e.Region).GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(e.ID)})
		return err
	}); cerr != nil {
		return selectors{}, cerr
	}
	s := selectors{classic: []any{}, advanced: []any{}}
	for _, es := range out.EventSelectors {
		var data []any
		for _, d := range es.DataResources {
			data = append(data, map[string]any{"type": stringOrNil(d.Type), "values": stringList(d.Values)})
		}
		s.classic = append(s.classic, map[string]any{
			"readWriteType":                 string(es.ReadWriteType),
			"includeManagementEvents":       aws.ToBool(es.IncludeManagementEvents),
			"excludeManagementEventSources": stringList(es.ExcludeManagementEventSources),
			"dataResources":                 orEmpty(data),
		})
	}
	for _, as := range out.AdvancedEventSelectors {
		var fields []any
		for _, f := range as.FieldSelectors {
			fields = append(fields, map[string]any{
				"field":         aws.ToString(f.Field),
				"equals":        stringList(f.Equals),
				"notEquals":     stringList(f.NotEquals),
				"startsWith":    stringList(f.StartsWith),
				"notStartsWith": stringList(f.NotStartsWith),
				"endsWith":      stringList(f.EndsWith),
				"notEndsWith":   stringList(f.NotEndsWith),
			})
		}
		s.advanced = append(s.advanced, map[string]any{"name": stringOrNil(as.Name), "fieldSelectors": orEmpty(fields)})
	}
	s.allManagement = recordsAllManagementEvents(out.EventSelectors, out.AdvancedEventSelectors)
	return s, nil
}

func stringList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

// recordsAllManagementEvents reports whether the selectors, together, record
// every read and every write management event of every event source.
// Selectors are a union: an event is recorded when any selector matches it.
// Only selectors that are unconditional on everything but read/write count;
// any excluded event source or other restriction makes a selector partial,
// and a selector's name means nothing.
func recordsAllManagementEvents(classic []types.EventSelector, advanced []types.AdvancedEventSelector) bool {
	var read, write bool
	for _, es := range classic {
		if !aws.ToBool(es.IncludeManagementEvents) || len(es.ExcludeManagementEventSources) > 0 {
			continue
		}
		switch es.ReadWriteType {
		case types.ReadWriteTypeAll, "":
			read, write = true, true
		case types.ReadWriteTypeReadOnly:
			read = true
		case types.ReadWriteTypeWriteOnly:
			write = true
		}
	}
	for _, as := range advanced {
		r, w := advancedManagementCoverage(as.FieldSelectors)
		read = read || r
		write = write || w
	}
	return read && write
}

// advancedManagementCoverage says whether one advanced selector records all
// read and/or all write management events.
func advancedManagementCoverage(fields []types.AdvancedFieldSelector) (read, write bool) {
	management := false
	read, write = true, true
	for _, f := range fields {
		onlyEquals := len(f.NotEquals)+len(f.StartsWith)+len(f.NotStartsWith)+len(f.EndsWith)+len(f.NotEndsWith) == 0
		switch aws.ToString(f.Field) {
		case "eventCategory":
			if !onlyEquals || !slices.Contains(f.Equals, "Management") {
				return false, false
			}
			management = true
		case "readOnly":
			switch {
			case onlyEquals && len(f.Equals) == 1 && strings.EqualFold(f.Equals[0], "true"):
				write = false
			case onlyEquals && len(f.Equals) == 1 && strings.EqualFold(f.Equals[0], "false"):
				read = false
			case len(f.Equals)+len(f.StartsWith)+len(f.NotStartsWith)+len(f.EndsWith)+len(f.NotEndsWith) == 0 &&
				len(f.NotEquals) == 1 && strings.EqualFold(f.NotEquals[0], "true"):
				read = false
			case len(f.Equals)+len(f.StartsWith)+len(f.NotStartsWith)+len(f.EndsWith)+len(f.NotEndsWith) == 0 &&
				len(f.NotEquals) == 1 && strings.EqualFold(f.NotEquals[0], "false"):
				write = false
			default:
				return false, false
			}
		default:
			// eventSource, eventName, … narrow the selector (an excluded
			// kms.amazonaws.com, say): it no longer records all events.
			return false, false
		}
	}
	if !management {
		return false, false
	}
	return read, write
}

// tagResult is one trail's tags, or why they could not be read.
type tagResult struct {
	tags []any
	err  *callError
}

// listTags reads the tags of the trails this account owns, in batches of
// maxTagBatch ARNs per home region, following NextToken.
func (c *Collector) listTags(ctx context.Context, trails []*entity.Entity) map[string]tagResult {
	byRegion := map[string][]string{}
	for _, e := range trails {
		if trailOwner(e) == c.account {
			byRegion[e.Region] = append(byRegion[e.Region], e.ID)
		}
	}
	type batch struct {
		region string
		arns   []string
	}
	var batches []batch
	for region, arns := range byRegion {
		for chunk := range slices.Chunk(arns, maxTagBatch) {
			batches = append(batches, batch{region, chunk})
		}
	}
	var mu sync.Mutex
	res := map[string]tagResult{}
	fanOut(batches, func(b batch) {
		region, arns := b.region, b.arns
		found := map[string][]any{}
		p := cloudtrail.NewListTagsPaginator(c.cloudtrail(region), &cloudtrail.ListTagsInput{ResourceIdList: arns})
		var cerr *callError
		for pages := 0; p.HasMorePages() && cerr == nil; pages++ {
			if pages == maxPages {
				cerr = &callError{Call: "cloudtrail:ListTags", Region: region, Err: errTooManyPages}
				break
			}
			var out *cloudtrail.ListTagsOutput
			cerr = c.call(ctx, "cloudtrail:ListTags", region, func(ctx context.Context) error {
				var err error
				out, err = p.NextPage(ctx)
				return err
			})
			if cerr != nil {
				break
			}
			for _, rt := range out.ResourceTagList {
				id := aws.ToString(rt.ResourceId)
				for _, tag := range rt.TagsList {
					found[id] = append(found[id], map[string]any{"key": aws.ToString(tag.Key), "value": aws.ToString(tag.Value)})
				}
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for _, a := range arns {
			if cerr != nil {
				res[a] = tagResult{err: cerr}
			} else {
				res[a] = tagResult{tags: orEmpty(found[a])}
			}
		}
	})
	return res
}
