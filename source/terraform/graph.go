package terraform

import (
	"slices"
	"strings"
	"vigil/entity"
)

// The normalisation of trails follows references between resources (a
// trail to its log group, a log group to its metric filters, a filter to
// the alarms on its metric, an alarm to its topics and their
// subscriptions). graph indexes the instances of one root module for those
// lookups, and summarises once what each rule of the chain reads of them.

// graph indexes the instances of one root module for following references.
type graph struct {
	// byAddr holds every instance by address (see lookup). Sorted slices
	// cost less to build than maps, and the normalisation looks up few
	// addresses.
	byAddr []*instance
	// The managed instances of each type the normalisation follows, and
	// what it reads of them and works out about them: every trail on a log
	// group looks at every metric filter, every metric filter at every
	// alarm, and so on. An instance's attributes are read once, and each
	// filter, alarm and topic is normalised once; the entities that reach
	// it share it, and only read it.
	logGroups     followed[logGroupSummary]
	filters       followed[filterSummary]
	alarms        followed[alarmSummary]
	topics        followed[topicSummary]
	subscriptions followed[subscriptionSummary]
	// filterIdx and alarmIdx index a large module's filters and alarms,
	// on first use (see filterCandidates).
	filterIdx *filterIndex
	alarmIdx  *alarmIndex
	// iamIdx indexes the IAM resources, on first use (see iam).
	iamIdx *iamIndex
}

// followed is the managed instances of one type, by address, and their
// summaries by position, made on first use.
type followed[S any] struct {
	list []*instance
	sums []S
}

// summary returns the summary of list[i].
func (f *followed[S]) summary(i int) *S {
	if f.sums == nil {
		f.sums = make([]S, len(f.list))
	}
	return &f.sums[i]
}

// logGroupSummary is what the normalisation reads of a log group: its name.
type logGroupSummary struct {
	read bool
	name any
}

// filterSummary is what the normalisation reads of a metric filter: its
// log_group_name and the addresses of the instances that was read from;
// and the normalised filter, once built, with whether it has a subscriber.
type filterSummary struct {
	read         bool
	logGroupName any
	refs         []string
	entry        map[string]any
	sub          tri
}

// alarmSummary is what the normalisation reads of an alarm: the metrics it
// watches (alarmMetrics); and the normalised alarm, once built, with
// whether it has a subscriber.
type alarmSummary struct {
	read    bool
	metrics [][2]any
	entry   map[string]any
	sub     tri
}

// topicSummary is what the normalisation reads of a topic: its name and
// arn; and the topic's summary, once built, with whether it has a
// subscriber.
type topicSummary struct {
	read      bool
	name, arn any
	entry     map[string]any
	sub       tri
}

// subscriptionSummary is what the normalisation reads of every
// subscription: its topic_arn and the addresses of the instances that was
// read from.
type subscriptionSummary struct {
	read     bool
	topicArn any
	refs     []string
}

// followedTypes are the types whose instances newGraph lists, in the order
// of graph.lists.
var followedTypes = [...]string{
	"aws_cloudwatch_log_group", "aws_cloudwatch_log_metric_filter", "aws_cloudwatch_metric_alarm",
	"aws_sns_topic", "aws_sns_topic_subscription",
}

func (g *graph) lists() [len(followedTypes)]*[]*instance {
	return [...]*[]*instance{&g.logGroups.list, &g.filters.list, &g.alarms.list, &g.topics.list, &g.subscriptions.list}
}

func newGraph(instances []*instance) *graph {
	g := &graph{byAddr: slices.Clone(instances)}
	slices.SortStableFunc(g.byAddr, func(a, b *instance) int { return strings.Compare(a.addr, b.addr) })
	// Count first, to carve the lists from one array.
	var counts [len(followedTypes)]int
	total := 0
	for _, in := range g.byAddr {
		if k := followedType(in); k >= 0 {
			counts[k]++
			total++
		}
	}
	all := make([]*instance, total)
	lists := g.lists()
	for k, n := range counts {
		*lists[k], all = all[:0:n], all[n:]
	}
	for _, in := range g.byAddr {
		if k := followedType(in); k >= 0 {
			*lists[k] = append(*lists[k], in)
		}
	}
	return g
}

// followedType returns the position of a managed instance's type in
// followedTypes, or -1.
func followedType(in *instance) int {
	if !in.managed {
		return -1
	}
	return slices.Index(followedTypes[:], in.typ)
}

// lookup returns the instance at address addr, or nil. Of several at one
// address, which a plan may give, it returns the last.
func (g *graph) lookup(addr string) *instance {
	i, found := slices.BinarySearchFunc(g.byAddr, addr, func(in *instance, addr string) int { return strings.Compare(in.addr, addr) })
	if !found {
		return nil
	}
	for i+1 < len(g.byAddr) && g.byAddr[i+1].addr == addr {
		i++
	}
	return g.byAddr[i]
}

// position returns the position of in in list, one of the graph's lists,
// which are sorted by address, and holds in. (A plan may repeat an
// address.)
func position(list []*instance, in *instance) int {
	i, _ := slices.BinarySearchFunc(list, in.addr, func(e *instance, addr string) int { return strings.Compare(e.addr, addr) })
	for list[i] != in {
		i++
	}
	return i
}

// filterSummary returns the summary of the metric filter at position i,
// reading its log_group_name on first use.
func (g *graph) filterSummary(i int) *filterSummary {
	sum := g.filters.summary(i)
	if !sum.read {
		sum.logGroupName, sum.refs = g.filters.list[i].attrRefs("log_group_name")
		sum.read = true
	}
	return sum
}

// indexFrom is how many instances of a followed type a root module
// declares before the normalisation indexes them: below it, looking at
// each is cheaper than building an index. A monorepo with thousands of
// trails in one root module would otherwise look at every filter for each
// trail, and at every alarm for each filter. (A variable for the test that
// compares both ways.)
var indexFrom = 64

// filterIndex narrows the metric filters a log group may have to those
// that name it, or reference it, or whose log group is unknown.
type filterIndex struct {
	byName map[string][]int // by log_group_name, when a string
	byRef  map[string][]int // by the address of each instance it is read from
	// always are the filters whose log_group_name is unknown and read
	// from no log group: they may be on any.
	always []int
}

// filterCandidates returns the positions of the metric filters that may be
// on the log group lg, named lgName, in order: all of them, or for a large
// module those its filterIndex gives. metricFilters skips the others as it
// would have.
func (g *graph) filterCandidates(lg *instance, lgName any) []int {
	n := len(g.filters.list)
	if n < indexFrom {
		return allPositions(n)
	}
	if g.filterIdx == nil {
		idx := &filterIndex{byName: map[string][]int{}, byRef: map[string][]int{}}
		for i := range n {
			sum := g.filterSummary(i)
			if s, ok := sum.logGroupName.(string); ok {
				idx.byName[s] = append(idx.byName[s], i)
			}
			readsLogGroup := false
			for _, addr := range sum.refs {
				idx.byRef[addr] = append(idx.byRef[addr], i)
				if ref := g.lookup(addr); ref != nil && ref.typ == "aws_cloudwatch_log_group" {
					readsLogGroup = true
				}
			}
			if entity.IsUnknown(sum.logGroupName) && !readsLogGroup {
				idx.always = append(idx.always, i)
			}
		}
		g.filterIdx = idx
	}
	var name []int
	if s, ok := lgName.(string); ok {
		name = g.filterIdx.byName[s]
	}
	return mergePositions(name, g.filterIdx.byRef[lg.addr], g.filterIdx.always)
}

// alarmIndex narrows the alarms on a metric to those that watch it by name
// and namespace, or may.
type alarmIndex struct {
	byMetric map[[2]string][]int
	// always are the alarms with a metric whose name or namespace is
	// unknown: they may watch any.
	always []int
}

// alarmCandidates returns the positions of the alarms that may watch the
// metric name in namespace, in order: all of them, or for a large module
// with a metric known by name and namespace those its alarmIndex gives.
// metricAlarms skips the others as it would have.
func (g *graph) alarmCandidates(name, namespace any) []int {
	n := len(g.alarms.list)
	sn, ok1 := name.(string)
	sns, ok2 := namespace.(string)
	if n < indexFrom || !ok1 || !ok2 {
		return allPositions(n)
	}
	if g.alarmIdx == nil {
		idx := &alarmIndex{byMetric: map[[2]string][]int{}}
		for i := range n {
			unknown := false
			for _, m := range g.alarmSummary(i).metrics {
				mn, ok1 := m[0].(string)
				mns, ok2 := m[1].(string)
				switch {
				case ok1 && ok2:
					if k := [2]string{mn, mns}; !slices.Contains(idx.byMetric[k], i) {
						idx.byMetric[k] = append(idx.byMetric[k], i)
					}
				case entity.IsUnknown(m[0]) || entity.IsUnknown(m[1]):
					unknown = true
				}
			}
			if unknown {
				idx.always = append(idx.always, i)
			}
		}
		g.alarmIdx = idx
	}
	return mergePositions(g.alarmIdx.byMetric[[2]string{sn, sns}], g.alarmIdx.always)
}

// alarmSummary returns the summary of the alarm at position i, reading the
// metrics it watches on first use.
func (g *graph) alarmSummary(i int) *alarmSummary {
	sum := g.alarms.summary(i)
	if !sum.read {
		sum.metrics, sum.read = alarmMetrics(g.alarms.list[i]), true
	}
	return sum
}

// smallPositions are 0 … 63, for the positions of a short list; they are
// only read.
var smallPositions = newPositions(64)

// allPositions returns 0 … n-1, without allocating for a short list.
func allPositions(n int) []int {
	if n <= len(smallPositions) {
		return smallPositions[:n]
	}
	return newPositions(n)
}

// newPositions returns a new list of 0 … n-1.
func newPositions(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// mergePositions returns the positions of the sorted lists, sorted and
// once each.
func mergePositions(lists ...[]int) []int {
	var out []int
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// topicAttrs returns the summary of topic t, at position i, with the
// attributes that name it read.
func (g *graph) topicAttrs(i int, t *instance) *topicSummary {
	sum := g.topics.summary(i)
	if !sum.read {
		sum.name, sum.arn, sum.read = t.attr("name"), t.attr("arn"), true
	}
	return sum
}
