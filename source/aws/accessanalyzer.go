package aws

import (
	"cmp"
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"

	"vigil/entity"
)

// accessAnalyzerAttrs are the attributes of a Region that
// access-analyzer:ListAnalyzers fills.
var accessAnalyzerAttrs = []string{"accessAnalyzers", "hasActiveAccessAnalyzer"}

func init() {
	register(service{
		name:      "access-analyzer",
		newClient: func(cfg aws.Config) any { return accessanalyzer.NewFromConfig(cfg) },
		actions: []action{
			{name: "access-analyzer:ListAnalyzers", purpose: "list the IAM Access Analyzer analyzers of each scanned region, with their status",
				fills: []fill{{TypeRegion, accessAnalyzerAttrs}}},
		},
		enriched: TypeRegion,
		enrich:   enrichRegionsWithAnalyzers,
	})
}

// accessAnalyzerAPI is the part of the Access Analyzer client vigil calls.
type accessAnalyzerAPI interface {
	ListAnalyzers(context.Context, *accessanalyzer.ListAnalyzersInput, ...func(*accessanalyzer.Options)) (*accessanalyzer.ListAnalyzersOutput, error)
}

var _ accessAnalyzerAPI = (*accessanalyzer.Client)(nil)

func (c *Collector) accessAnalyzer(region string) accessAnalyzerAPI {
	return client[accessAnalyzerAPI](c, "access-analyzer", region)
}

// enrichRegionsWithAnalyzers lists the analyzers of each region, in that
// region. A region whose analyzers cannot be listed has both attributes
// Unknown and a failure each: an empty list there would fail a rule
// wrongly, and a missing one could pass a negated rule.
func enrichRegionsWithAnalyzers(ctx context.Context, c *Collector, regions []*entity.Entity, out *additions) {
	fanOut(regions, func(e *entity.Entity) {
		analyzers, cerr := c.listAnalyzers(ctx, e.ID)
		out.used(e, "access-analyzer:ListAnalyzers")
		if cerr != nil {
			for _, attr := range accessAnalyzerAttrs {
				out.set(e, attr, cerr.unknown())
				c.fail(cerr.failure(TypeRegion, attr, c.account, e.ID))
			}
			return
		}
		list := make([]any, len(analyzers))
		active := false
		for i, a := range analyzers {
			list[i] = map[string]any{"name": aws.ToString(a.Name), "arn": aws.ToString(a.Arn),
				"type": string(a.Type), "status": string(a.Status)}
			active = active || a.Status == types.AnalyzerStatusActive
		}
		out.set(e, "accessAnalyzers", list)
		out.set(e, "hasActiveAccessAnalyzer", active)
	})
}

// listAnalyzers reads every page of the analyzers of one region, of every
// type (account, organisation, unused access), sorted by name.
func (c *Collector) listAnalyzers(ctx context.Context, region string) ([]types.AnalyzerSummary, *callError) {
	p := accessanalyzer.NewListAnalyzersPaginator(c.accessAnalyzer(region), &accessanalyzer.ListAnalyzersInput{})
	analyzers, cerr := readPages(ctx, c, "access-analyzer:ListAnalyzers", region, p, func(page *accessanalyzer.ListAnalyzersOutput) []types.AnalyzerSummary { return page.Analyzers })
	if cerr != nil {
		return nil, cerr
	}
	slices.SortFunc(analyzers, func(a, b types.AnalyzerSummary) int {
		return cmp.Compare(aws.ToString(a.Name), aws.ToString(b.Name))
	})
	return analyzers, nil
}
