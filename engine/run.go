package engine

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"vigil/entity"
	"vigil/gsl"
	"vigil/rules"
)

// checkEvery is how many evaluations run between two checks of the context.
const checkEvery = 256

// Run evaluates every rule of the plan on the inventory. now is the scan's
// "now" (what date functions compare with); when zero, the inventory's
// CollectedAt is used, or else the current time. Run returns early with the
// context's error when it is cancelled.
func (p *Plan) Run(ctx context.Context, inv *entity.Inventory, now time.Time) (*Run, error) {
	if inv == nil {
		return nil, errNilInventory
	}
	if now.IsZero() {
		now = inv.CollectedAt
	}
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	idx := newIndex(inv, p.targets, p.opts.Workers)
	ex := newExcluder(p.opts.Exclusions, now)

	parts := p.parts(idx)
	stats := make([]sharedStats, len(p.rules))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(p.opts.Workers)
	for _, pt := range parts {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			for i, r := range pt.rules {
				c := p.rules[r]
				run := c.run
				if c.target.List {
					run = c.runList
				}
				local := stats[r].start()
				res, err := run(gctx, idx, ex, now, pt, &local)
				stats[r].add(local)
				pt.results[i] = res
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// Each rule's results, its parts in order: the same as one pass.
	results := make([]ruleResult, len(p.rules))
	for _, pt := range parts {
		for i, r := range pt.rules {
			results[r].findings = append(results[r].findings, pt.results[i].findings...)
			results[r].notRelevant += pt.results[i].notRelevant
		}
	}

	p.yieldToTwins(results)
	run := &Run{Started: now, Scopes: idx.scopes, NotRelevant: map[string]int{}, Failures: inv.Failures}
	for i, res := range results {
		if !res.applicable() && !res.yielded {
			run.NotApplicable = append(run.NotApplicable, p.rules[i].rule)
		}
		if res.notRelevant > 0 {
			run.NotRelevant[p.rules[i].rule.ID] = res.notRelevant
		}
		run.Findings = append(run.Findings, res.findings...)
	}
	slices.SortStableFunc(run.Findings, compareFindings)
	slices.SortStableFunc(run.NotApplicable, func(a, b *rules.Rule) int { return cmp.Compare(a.ID, b.ID) })
	run.ExpiredExclusions = ex.expired()
	redact(run, inv.Secrets)
	return run, nil
}

// yieldToTwins leaves out the findings of each rule that has a Terraform
// twin (Options.Twins) on the entities the twin has a finding on. A rule
// whose findings all went to its twin is not reported as not applicable.
func (p *Plan) yieldToTwins(results []ruleResult) {
	if len(p.opts.Twins) == 0 {
		return
	}
	index := make(map[string]int, len(p.rules))
	for i, c := range p.rules {
		index[c.rule.ID] = i
	}
	type on struct{ scope, entity string }
	for live, tf := range p.opts.Twins {
		li, ok1 := index[live]
		ti, ok2 := index[tf]
		if !ok1 || !ok2 {
			continue
		}
		covered := map[on]bool{}
		for _, f := range results[ti].findings {
			if f.Entity != nil {
				covered[on{f.Scope, f.Entity.ID}] = true
			}
		}
		if len(covered) == 0 {
			continue
		}
		res := &results[li]
		n := len(res.findings)
		res.findings = slices.DeleteFunc(res.findings, func(f *Finding) bool {
			return f.Entity != nil && covered[on{f.Scope, f.Entity.ID}]
		})
		res.yielded = res.yielded || len(res.findings) < n
	}
}

func compareFindings(a, b *Finding) int {
	if c := cmp.Compare(a.Rule.ID, b.Rule.ID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Scope, b.Scope); c != 0 {
		return c
	}
	return cmp.Compare(entityID(a.Entity), entityID(b.Entity))
}

func entityID(e *entity.Entity) string {
	if e == nil {
		return ""
	}
	return e.ID
}

// partSize is how many entities, or scopes for List<E> rules, one part
// holds (see part).
const partSize = 32

// A part is a unit of work of a run: the rules about one entity type, on a
// range of its entities (or, for List<E> rules, of the scopes). Each rule
// of a part runs over the range in turn, while the range's entities are
// still in the processor's caches: a scan runs dozens of rules over each
// entity, and reading entities from memory, rule after rule, took more
// time than evaluating them.
type part struct {
	rules  []int // indexes of Plan.rules
	lo, hi int
	// first is set on the part that starts the range: failures that
	// concern the whole type are reported there.
	first   bool
	results []ruleResult // one per rule
}

// parts splits the run of the plan on idx into parts.
func (p *Plan) parts(idx *index) []*part {
	type group struct {
		typ  string
		list bool
	}
	var groups []group
	members := map[group][]int{}
	for i, c := range p.rules {
		g := group{c.target.Entity, c.target.List}
		if _, ok := members[g]; !ok {
			groups = append(groups, g)
		}
		members[g] = append(members[g], i)
	}
	var parts []*part
	for _, g := range groups {
		n := len(idx.byType[g.typ])
		if g.list {
			n = len(idx.scopes)
		}
		for lo := 0; lo == 0 || lo < n; lo += partSize {
			rs := members[g]
			parts = append(parts, &part{rules: rs, lo: lo, hi: min(lo+partSize, n), first: lo == 0, results: make([]ruleResult, len(rs))})
		}
	}
	return parts
}

// ruleResult is what one rule produced.
type ruleResult struct {
	findings    []*Finding
	notRelevant int
	// yielded is set when some findings were left to the rule's twin.
	yielded bool
}

// applicable reports whether the rule had a relevant entity: a finding
// whose result is not NotRelevant (see Options.NotRelevant).
func (r *ruleResult) applicable() bool {
	return slices.ContainsFunc(r.findings, func(f *Finding) bool { return f.Result != NotRelevant })
}

// outcomeStats counts a rule's results so far, to choose between
// evaluating first and explaining at once (see evalOrExplain): those of
// one part, and those of the rule's parts done before it started.
type outcomeStats struct {
	evaluated, explained         int
	doneEvaluated, doneExplained int
}

// sharedStats counts the results of a rule's parts that are done.
type sharedStats struct {
	evaluated, explained atomic.Int64
}

// start returns the counts for a part that starts now.
func (s *sharedStats) start() outcomeStats {
	return outcomeStats{doneEvaluated: int(s.evaluated.Load()), doneExplained: int(s.explained.Load())}
}

// add adds the counts of a part that is done.
func (s *sharedStats) add(part outcomeStats) {
	s.evaluated.Add(int64(part.evaluated))
	s.explained.Add(int64(part.explained))
}

// explainFirst reports whether most results so far needed an explanation.
// It waits for a few results before it says yes.
func (s *outcomeStats) explainFirst() bool {
	evaluated, explained := s.evaluated+s.doneEvaluated, s.explained+s.doneExplained
	return evaluated >= 16 && 2*explained > evaluated
}

// evalOrExplain evaluates the rule on root, and explains the result when
// that is cheaper than evaluating first. Every result but PASS and not
// relevant is explained, and an explanation evaluates the rule again with a
// trace: where most entities fail (a new account, a module with a common
// misconfiguration), evaluating first doubles the work for nothing, so once
// most results of the rule have needed an explanation it explains at once.
// expl is nil when the result was only evaluated.
func (c *compiledRule) evalOrExplain(stats *outcomeStats, root any, now time.Time) (out gsl.Result, expl *gsl.Explanation) {
	stats.evaluated++
	if stats.explainFirst() {
		expl = c.explain(root, now)
		if expl.Outcome != gsl.Error {
			if needsExplaining(expl.Outcome) {
				stats.explained++
			}
			return gsl.Result{Outcome: expl.Outcome}, expl
		}
		// An error's message comes from the evaluation: evaluate too.
	}
	out = c.eval(root, now)
	if needsExplaining(out.Outcome) {
		stats.explained++
	}
	return out, expl
}

// needsExplaining reports whether a finding with outcome o carries an
// explanation.
func needsExplaining(o gsl.Outcome) bool { return o != gsl.Pass && o != gsl.NotRelevant }

// run evaluates a rule on E on the entities of part pt.
func (c *compiledRule) run(ctx context.Context, idx *index, ex *excluder, now time.Time, pt *part, stats *outcomeStats) (ruleResult, error) {
	var res ruleResult
	failures := idx.failures[c.target.Entity]
	// A failure to list the entities of a scope or region means entities
	// may be missing: the rule cannot pass for that scope. It gives one
	// ERROR per scope, whatever the number of such failures there.
	if pt.first {
		for _, fs := range listFailures(failures) {
			res.findings = append(res.findings, c.errorFinding(ex, nil, idx.scopeBy[fs[0].Scope], fs))
		}
		for _, scope := range idx.scopes {
			if fs := notCollected(scope, c.target.Entity); fs != nil {
				res.findings = append(res.findings, c.errorFinding(ex, nil, scope, fs))
			}
		}
	}
	for i, ie := range idx.byType[c.target.Entity][pt.lo:pt.hi] {
		e := ie.e
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		scope := idx.scopeBy[e.Scope]
		if c.liveOnly && scope.Kind == entity.ScopeTerraformModule {
			continue
		}
		if fs := c.entityFailures(failures, e); len(fs) > 0 {
			res.findings = append(res.findings, c.errorFinding(ex, e, scope, fs))
			continue
		}
		out, expl := c.evalOrExplain(stats, ie.attrs, now)
		if out.Outcome == gsl.NotRelevant {
			res.notRelevant++
			if c.notRelevant {
				res.findings = append(res.findings, c.notRelevantFinding(e, scope, expl, ie.attrs, now))
			}
			continue
		}
		res.findings = append(res.findings, c.evaluated(ex, e, scope, out, expl, ie.attrs, now, nil))
	}
	return res, nil
}

// runList evaluates a List<E> rule on the scopes of part pt.
func (c *compiledRule) runList(ctx context.Context, idx *index, ex *excluder, now time.Time, pt *part, stats *outcomeStats) (ruleResult, error) {
	var res ruleResult
	failures := idx.failures[c.target.Entity]
	for _, scope := range idx.scopes[pt.lo:pt.hi] {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		items := idx.items[c.target.Entity][scope.ID]
		fs := c.scopeFailures(failures, scope.ID)
		if nc := notCollected(scope, c.target.Entity); nc != nil {
			fs = append(fs, nc...)
		}
		// A scope without E has nothing to check, unless E may be
		// missing from it.
		if len(items) == 0 && !evaluateEmpty(scope, c.target.Entity) && !slices.ContainsFunc(fs, isListFailure) {
			continue
		}
		if len(fs) > 0 {
			res.findings = append(res.findings, c.errorFinding(ex, nil, scope, fs))
			continue
		}
		root := idx.root(c.target.Entity, scope.ID)
		out, expl := c.evalOrExplain(stats, root, now)
		if out.Outcome == gsl.NotRelevant {
			res.notRelevant++
			if c.notRelevant {
				res.findings = append(res.findings, c.notRelevantFinding(nil, scope, expl, root, now))
			}
			continue
		}
		f := c.evaluated(ex, nil, scope, out, expl, root, now, idx.entities[c.target.Entity][scope.ID])
		if c.rule.AccountWide && scope.Kind == entity.ScopeTerraformModule && f.Underlying == Fail {
			// Another module may declare what the code lacks.
			continue
		}
		if len(items) == 0 && f.Underlying != Pass {
			where := "scope"
			if scope.Kind == entity.ScopeAWSAccount {
				where = "account"
			}
			f.Explanation = fmt.Sprintf("the %s has no %s; %s", where, c.target.Entity, f.Explanation)
			if c.rule.Message.Fail == "" {
				f.Message = f.Explanation
			}
		}

		res.findings = append(res.findings, f)
	}
	return res, nil
}

// evaluated builds the finding of one evaluation, explaining every result
// but PASS.
// expl, when not nil, is the explanation of root already made. items are,
// for a List<E> rule, the scope's entities, which its message names.
func (c *compiledRule) evaluated(ex *excluder, e *entity.Entity, scope entity.Scope, out gsl.Result, expl *gsl.Explanation, root any, now time.Time, items []*entity.Entity) *Finding {
	result := resultOf(out.Outcome)
	if result == Pass {
		return c.finding(ex, e, scope, Pass, "", nil)
	}
	if expl == nil {
		expl = c.explain(root, now)
	}
	msg := expl.Summary
	// The summary usually names the unknown values already ("x is unknown
	// (...)"); when it does not, say which ones decided the result.
	if result == Unknown && len(expl.Unknowns) > 0 && !strings.Contains(msg, "unknown") {
		msg = strings.TrimPrefix(msg+"; unknown: "+strings.Join(expl.Unknowns, ", "), "; ")
	}
	if result == Error && msg == "" && out.Err != nil {
		msg = out.Err.Error()
	}
	f := c.finding(ex, e, scope, result, msg, expl.Lines)
	f.Unknowns = expl.Unknowns
	switch {
	case result == Fail && c.target.List:
		f.Message, f.Related = c.listMessage(scope, expl, items)
	case result == Fail:
		f.Message = c.entityMessage(e, scope, expl)
	case result == Unknown:
		f.Message = c.unknownMessage(scope, expl, f.Message)
	}
	return f
}

// notRelevantFinding is the finding of an entity (nil for a scope) the
// rule's where clause filters out, with its explanation (see
// Options.NotRelevant); expl, when not nil, is the explanation of root
// already made. No exclusion applies to it, and it needs no fix.
func (c *compiledRule) notRelevantFinding(e *entity.Entity, scope entity.Scope, expl *gsl.Explanation, root any, now time.Time) *Finding {
	if expl == nil {
		expl = c.explain(root, now)
	}
	f := &Finding{Rule: c.rule, Result: NotRelevant, Underlying: NotRelevant, Entity: e, Scope: scope.ID,
		Message: expl.Summary, Explanation: expl.Summary, Trace: expl.Lines, Unknowns: expl.Unknowns}
	if e != nil && f.Scope == "" {
		f.Scope = e.Scope
	}
	return f
}

// eval evaluates the rule on root. A panic in the evaluator (a bug) becomes
// an ERROR result for this entity instead of ending the scan.
func (c *compiledRule) eval(root any, now time.Time) (out gsl.Result) {
	defer func() {
		if r := recover(); r != nil {
			out = gsl.Result{Outcome: gsl.Error, Err: fmt.Errorf("internal error evaluating %s: %v", c.rule.ID, r)}
		}
	}()
	return c.prog.Eval(root, now)
}

// explain is Program.Explain, with a panic turned into an explanation.
func (c *compiledRule) explain(root any, now time.Time) (ex *gsl.Explanation) {
	defer func() {
		if r := recover(); r != nil {
			ex = &gsl.Explanation{Outcome: gsl.Error, Summary: fmt.Sprintf("internal error explaining %s: %v", c.rule.ID, r)}
		}
	}()
	if c.noTraces {
		return c.prog.Summarize(root, now)
	}
	return c.prog.Explain(root, now)
}

func resultOf(o gsl.Outcome) Result {
	switch o {
	case gsl.Pass:
		return Pass
	case gsl.Fail:
		return Fail
	case gsl.Unknown:
		return Unknown
	}
	return Error
}

func (c *compiledRule) finding(ex *excluder, e *entity.Entity, scope entity.Scope, result Result, msg string, trace []string) *Finding {
	f := &Finding{Rule: c.rule, Result: result, Underlying: result, Entity: e, Scope: scope.ID, Explanation: msg, Trace: trace}
	f.Message = c.plainMessage(e, scope, result, msg)
	// A passing entity needs no fix, and an ERROR one needs its data back
	// before any (errorFinding); rendering is most of the cost of a
	// finding.
	if result == Fail || result == Unknown {
		f.Remediation = c.rule.Render(rules.Target{Entity: e, Scope: scope})
	}
	if e != nil && f.Scope == "" {
		f.Scope = e.Scope
	}
	if x := ex.match(c, e, scope); x != nil {
		f.Result = Excluded
		f.Exclusion = x
	}
	return f
}

// RunEach evaluates the plan on several inventories, each with its own
// "now" (its CollectedAt, or the current time), and merges the results into
// one Run: a recorded snapshot is judged as of when it was recorded, even
// when it is scanned beside Terraform code read today. Run.Started is the
// first inventory's "now"; a rule is not applicable when it had no finding in
// any inventory.
func (p *Plan) RunEach(ctx context.Context, invs []*entity.Inventory) (*Run, error) {
	if len(invs) == 0 {
		return nil, errNilInventory
	}
	var runs []*Run
	for _, inv := range invs {
		r, err := p.Run(ctx, inv, time.Time{})
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	if len(runs) == 1 {
		return runs[0], nil
	}
	out := &Run{Started: runs[0].Started, NotRelevant: map[string]int{}}
	seenScope := map[string]bool{}
	notApplicable := map[string]int{}
	expired := map[string]Exclusion{}
	for _, r := range runs {
		for _, s := range r.Scopes {
			if !seenScope[s.Kind+"\x00"+s.ID] {
				seenScope[s.Kind+"\x00"+s.ID] = true
				out.Scopes = append(out.Scopes, s)
			}
		}
		out.Findings = append(out.Findings, r.Findings...)
		for id, n := range r.NotRelevant {
			out.NotRelevant[id] += n
		}
		for _, rule := range r.NotApplicable {
			notApplicable[rule.ID]++
		}
		for _, x := range r.ExpiredExclusions {
			expired[x.Source] = x
		}
		out.Failures = append(out.Failures, r.Failures...)
	}
	for _, rule := range runs[0].NotApplicable {
		if notApplicable[rule.ID] == len(runs) {
			out.NotApplicable = append(out.NotApplicable, rule)
		}
	}
	for _, x := range expired {
		out.ExpiredExclusions = append(out.ExpiredExclusions, x)
	}
	slices.SortFunc(out.ExpiredExclusions, func(a, b Exclusion) int { return cmp.Compare(a.Source, b.Source) })
	slices.SortStableFunc(out.Findings, compareFindings)
	return out, nil
}
