package engine

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"

	"vigil/diag"
	"vigil/entity"
	"vigil/filterpattern"
	"vigil/gsl"
	"vigil/rules"
)

// Options configure a Plan.
type Options struct {
	// Patterns supplies the filter-pattern functions of
	// isFilterPatternEqual and filterPatternCovers; nil means the
	// filterpattern package's, through one cache every plan of the process
	// shares (patterns are constants of rules, the same in every plan).
	// Tests set it to count or stub pattern calls.
	Patterns gsl.PatternFuncs
	// Exclusions are the entries of the user's exclusion files.
	Exclusions []*ExclusionRule
	// Workers is how many rules are evaluated at once; 0 means one per CPU.
	Workers int
	// NoTraces leaves Finding.Trace empty: findings still carry their
	// one-line Message. For reports that print no traces (text, CSV), it
	// saves about a third of the cost of explaining and most of the
	// memory findings hold.
	NoTraces bool
	// Twins maps a rule on a normalised entity (CloudTrail) to its twin on
	// the native Terraform type (aws_cloudtrail), which checks the same
	// concern (rules.Twin). Terraform code gives both entities of a trail
	// the same ID: where the twin has a finding on an entity of a scope, the
	// rule's own finding on that entity is left out, so that the trail is
	// reported once.
	Twins map[string]string
	// Queries accepts a rule whose logic is a query (a target with no
	// "should", gsl-spec.md §7.31): an entity it selects passes, one it
	// does not is not relevant. vigil eval runs queries so.
	Queries bool
	// NotRelevant gives each entity (or scope) that a rule's where clause
	// filters out a finding of result NotRelevant, with the explanation,
	// besides counting it; a rule whose findings are all NotRelevant is
	// still not applicable. For vigil eval, which lists every entity;
	// reports expect no such findings.
	NotRelevant bool
}

// sharedPatterns is the filter-pattern cache of plans that name none.
var sharedPatterns = sync.OnceValue(func() gsl.PatternFuncs { return filterpattern.NewCache() })

// needsClauses reports whether the rule's messages are written from its
// explanations' clauses (see message.go): those of a rule with a message.
func needsClauses(r *rules.Rule) bool { return r.Message.Fail != "" }

// Plan is a set of compiled rules, ready to run on many inventories. It is
// safe for concurrent use.
type Plan struct {
	rules []*compiledRule
	opts  Options
	// targets holds the entity types the rules are about.
	targets map[string]bool
}

// compiledRule is one rule with its program and what it reads.
type compiledRule struct {
	rule   *rules.Rule
	prog   *gsl.Program
	target gsl.Target
	// reads holds the top-level attribute names the rule reads (of the
	// entity, or of each item for List<E>), to match collection failures.
	reads map[string]bool
	// noTraces is Options.NoTraces, notRelevant Options.NotRelevant.
	noTraces, notRelevant bool
	// liveOnly is set for a rule every field of which the entity
	// catalogue says only a live account knows (the root user's MFA):
	// Terraform code can never decide it, so it does not apply there.
	liveOnly bool
}

// Compile compiles every rule once. Its error lists every rule that does not
// compile, each positioned in its rule file (a *rules.Error per problem).
func Compile(rs []*rules.Rule, opts Options) (*Plan, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Patterns == nil {
		opts.Patterns = sharedPatterns()
	}
	copts := []gsl.Option{gsl.WithPatterns(opts.Patterns)}
	p := &Plan{opts: opts, targets: map[string]bool{}}
	var errs rules.ErrorList
	for _, r := range rs {
		ropts := copts
		if needsClauses(r) {
			ropts = append(slices.Clip(copts), gsl.WithClauses())
		}
		prog, err := gsl.Compile(r.Logic, ropts...)
		if err != nil {
			errs = append(errs, logicErrors(r, err)...)
			continue
		}
		c := &compiledRule{rule: r, prog: prog, target: prog.Target(), reads: map[string]bool{}, noTraces: opts.NoTraces,
			notRelevant: opts.NotRelevant}
		if r.Entity != "" && c.target.Entity != r.Entity {
			errs = append(errs, &rules.Error{Name: r.File, Line: r.LogicLine, Col: r.LogicCol, Field: "logic",
				Msg: "the logic is about " + c.target.Entity + " but the rule's entity is " + r.Entity})
			continue
		}
		if r.AccountWide && !c.target.List {
			errs = append(errs, &rules.Error{Name: r.File, Line: r.LogicLine, Col: r.LogicCol, Field: "accountWide",
				Msg: "accountWide is for List<E> rules, which judge a whole account; this rule judges one " + c.target.Entity + " at a time"})
			continue
		}
		if prog.IsQuery() && !opts.Queries {
			errs = append(errs, &rules.Error{Name: r.File, Line: r.LogicLine, Col: r.LogicCol, Field: "logic",
				Msg: "the logic is a query (it has no \"should\"), not a rule"})
			continue
		}
		for _, path := range prog.Paths() {
			top, _, _ := strings.Cut(path, ".")
			c.reads[top] = true
		}
		c.liveOnly = readsOnlyLiveFields(c.target.Entity, prog.Paths())
		p.rules = append(p.rules, c)
		p.targets[c.target.Entity] = true
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// readsOnlyLiveFields reports whether every path a rule on typ reads is a
// field that Terraform code does not give (liveOnly in the entity
// catalogue). A path the catalogue does not declare counts as one code
// may give.
func readsOnlyLiveFields(typ string, paths []string) bool {
	s := entity.SchemaOf(typ)
	if s == nil || len(paths) == 0 {
		return false
	}
	for _, p := range paths {
		f := s.Field(p)
		if f == nil || f.Terraform.LiveOnly == "" {
			return false
		}
	}
	return true
}

// logicErrors turns a GSL compile error into rule-file errors at the
// position of the fault in the rule file.
func logicErrors(r *rules.Rule, err error) rules.ErrorList {
	l := diag.AsList(err)
	if len(l) == 0 {
		return rules.ErrorList{{Name: r.File, Line: r.LogicLine, Col: r.LogicCol, Field: "logic", Msg: err.Error()}}
	}
	// The logic is a YAML scalar: a block scalar's lines all start at
	// LogicCol, and a rule on one line moves the same way.
	start := diag.Pos{Line: r.LogicLine, Col: r.LogicCol}
	out := make(rules.ErrorList, len(l))
	for i, e := range l {
		out[i] = e.InBlock(r.File, start)
		out[i].Field = "logic"
		out[i].Offset = 0 // the logic's offset in the file is not kept
	}
	return out
}

// Rules returns the compiled rules, in the order given to Compile.
func (p *Plan) Rules() []*rules.Rule {
	out := make([]*rules.Rule, len(p.rules))
	for i, c := range p.rules {
		out[i] = c.rule
	}
	return out
}

// errNilInventory is returned by Run when given no inventory.
var errNilInventory = errors.New("no inventory to scan")
