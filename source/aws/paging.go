package aws

import (
	"context"
	"sort"
	"sync"

	"vigil/entity"
)

// paginator is an SDK paginator: the NewXPaginator types of every service
// have these two methods.
type paginator[Opts, Out any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*Opts)) (*Out, error)
}

// readPages reads every page of a paginated call in region, each page
// through Collector.call (retries, the concurrency limit, the failure's
// wording), and no more than maxPages of them, and returns the items that
// items takes from each page.
func readPages[Opts, Out, T any](ctx context.Context, c *Collector, call, region string, p paginator[Opts, Out],
	items func(*Out) []T) ([]T, *callError) {
	var out []T
	for pages := 0; p.HasMorePages(); pages++ {
		if pages == maxPages {
			return nil, &callError{Call: call, Region: region, Err: errTooManyPages}
		}
		var page *Out
		if cerr := c.call(ctx, call, region, func(ctx context.Context) error {
			var err error
			page, err = p.NextPage(ctx)
			return err
		}); cerr != nil {
			return nil, cerr
		}
		out = append(out, items(page)...)
	}
	return out, nil
}

// listPerRegion lists the entities of typ in every region at once: read
// lists a region's items, and build turns each into an entity (nil leaves
// it out). A region whose items cannot be read is a failure to list typ
// there. The entities are sorted by ID.
func listPerRegion[T any](ctx context.Context, c *Collector, regions []string, typ string,
	read func(ctx context.Context, region string) ([]T, *callError), build func(region string, item T) *entity.Entity) []*entity.Entity {
	var mu sync.Mutex
	var out []*entity.Entity
	fanOut(regions, func(region string) {
		items, cerr := read(ctx, region)
		if cerr != nil {
			c.fail(cerr.failure(typ, "", c.account, ""))
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, it := range items {
			if e := build(region, it); e != nil {
				out = append(out, e)
			}
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
