package gsl

import (
	"errors"
	"sort"
	"sync"
	"time"
)

// Outcome is the result of evaluating a rule on one entity (or, for
// List<E>, on one scope).
type Outcome uint8

// Outcomes.
const (
	NotRelevant Outcome = iota // the where clause is false (or exclude is true)
	Pass
	Fail
	Unknown
	Error
)

var outcomeNames = [...]string{NotRelevant: "NOT_RELEVANT", Pass: "PASS", Fail: "FAIL", Unknown: "UNKNOWN", Error: "ERROR"}

// String returns "NOT_RELEVANT", "PASS", "FAIL", "UNKNOWN" or "ERROR".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "Outcome(?)"
}

// Target is what a rule is about.
type Target struct {
	// Entity is the entity type: "CloudTrail".
	Entity string
	// List is set for List<CloudTrail>: the rule is evaluated once per scope
	// on {"items": [...]}.
	List bool
}

// String renders the target as GSL writes it.
func (t Target) String() string {
	if t.List {
		return "List<" + t.Entity + ">"
	}
	return t.Entity
}

// PatternFuncs supplies the CloudWatch Logs filter-pattern functions. The
// filterpattern package's *filterpattern.Cache satisfies it.
//
// A rule's pattern is a constant, so it is compiled once, with the rule:
// each method parses want and returns a test that an evaluation calls for
// every pattern it reads from an entity, or want's parse error. When
// want's parse error is or wraps a *diag.Error positioned in want, the
// rule's error points at the same place in the rule's string literal. A
// test's error says that the entity's pattern does not parse. Tests must
// be safe for concurrent use, and cheap: they run once per metric filter.
type PatternFuncs interface {
	// EqualTo's test reports whether a pattern is the same filter pattern
	// as want.
	EqualTo(want string) (func(pattern string) (bool, error), error)
	// Covering's test reports whether a pattern matches every event that
	// want matches.
	Covering(want string) (func(pattern string) (bool, error), error)
}

// config holds the options of Compile.
type config struct {
	patterns PatternFuncs
	// entities checks the rule's entity type (see WithEntityCheck).
	entities func(entity string) string
	// fields checks the fields the rule reads (see WithFieldCheck).
	fields func(entity, path string) string
	// clauses makes explanations carry Explanation.Clauses.
	clauses bool
}

// Option configures Compile.
type Option func(*config)

// WithPatterns supplies the filter-pattern functions. Without it, a rule
// that uses isFilterPatternEqual or filterPatternCovers does not compile.
func WithPatterns(p PatternFuncs) Option { return func(c *config) { c.patterns = p } }

// WithEntityCheck supplies a check of the rule's entity type: the
// language knows no entity types, its user does. check returns "" for a
// type it knows, or else why not ("entity type "CloudTral" is not one
// vigil models (did you mean "CloudTrail"?)"), which becomes a warning at
// the type (Program.Warnings): the rule still compiles.
func WithEntityCheck(check func(entity string) string) Option {
	return func(c *config) { c.entities = check }
}

// WithClauses makes the program's explanations carry their deciding
// clauses as data (Explanation.Clauses), for messages written from them.
// Building them costs about as much as the summary, so they are left out
// unless asked for.
func WithClauses() Option { return func(c *config) { c.clauses = true } }

// Program is a compiled rule, ready to be evaluated against many entities.
// It is safe for concurrent use.
type Program struct {
	src      string
	rule     *Rule
	where    condFn
	cond     condFn
	exclude  condFn
	paths    []string
	warnings ErrorList
	// clauses is WithClauses.
	clauses bool
	// The texts of the clauses' events in explanations, by outcome:
	// "where ...: true", "exclude ...: false", "should have ...: false".
	whereTexts, excludeTexts, condTexts clauseTexts
}

// Result is the outcome of one evaluation, without explanation.
type Result struct {
	Outcome Outcome
	// Err is set for Error: what went wrong and where in the rule.
	Err error
}

// Compile parses and checks a rule: function names, arity and literal
// arguments, regular expressions. Its error is an ErrorList.
func Compile(src string, opts ...Option) (*Program, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	r, err := Parse(src)
	if err != nil {
		return nil, err
	}
	c := &compiler{src: src, cfg: cfg, list: r.List, texts: new(sync.Map), conds: map[Expr]condFn{}}
	p := &Program{src: src, rule: r, clauses: cfg.clauses}
	if cfg.entities != nil {
		if msg := cfg.entities(r.Entity); msg != "" {
			c.warnf(r.EntitySpan, "%s", msg)
		}
	}
	if cfg.fields != nil {
		for _, read := range r.FieldReads() {
			if msg := cfg.fields(r.Entity, read.Path); msg != "" {
				c.warnf(read.Span, "%s", msg)
			}
		}
	}
	if r.Where != nil {
		p.where = c.cond(r.Where)
		p.whereTexts = clauseTextsOf("where " + shortString(r.Where))
	}
	if r.Cond != nil {
		p.cond = c.cond(r.Cond)
		label := "should have " + shortString(r.Cond)
		if r.Negated {
			label = "should not have " + shortString(r.Cond)
		}
		p.condTexts = clauseTextsOf(label)
	}
	if r.Exclude != nil {
		p.exclude = c.cond(r.Exclude)
		p.excludeTexts = clauseTextsOf("exclude " + shortString(r.Exclude))
	}
	c.conds = nil
	if len(c.errs) > 0 {
		sort.SliceStable(c.errs, func(i, j int) bool { return c.errs[i].Offset < c.errs[j].Offset })
		if len(c.errs) > maxErrors {
			c.errs = c.errs[:maxErrors]
		}
		return nil, c.errs
	}
	p.warnings = c.warnings
	p.paths = rulePaths(r)
	return p, nil
}

// MustCompile is Compile for rules known to be valid; it panics on error.
func MustCompile(src string, opts ...Option) *Program {
	p, err := Compile(src, opts...)
	if err != nil {
		panic("gsl: " + err.Error())
	}
	return p
}

// Source returns the rule text.
func (p *Program) Source() string { return p.src }

// Rule returns the parsed rule.
func (p *Program) Rule() *Rule { return p.rule }

// Target returns what the rule is about.
func (p *Program) Target() Target { return Target{Entity: p.rule.Entity, List: p.rule.List} }

// IsQuery reports whether the rule is a bare target with no "should": it
// selects entities (Eval returns Pass for a selected one).
func (p *Program) IsQuery() bool { return !p.rule.Should }

// Warnings lists problems that do not stop the rule from compiling, such as
// functions that are not implemented yet (gsl-spec.md §7.27).
func (p *Program) Warnings() ErrorList { return p.warnings }

// Paths lists the attribute paths the rule reads, relative to one entity
// (for List<E>: relative to each item; "items" itself is not listed), e.g.
// ["hasSNSSubscriber", "metricFilters"]. Paths read inside brackets of a
// nested list are not listed; the list's own path is.
func (p *Program) Paths() []string { return p.paths }

// Eval evaluates the rule. root is the entity's attributes (a
// map[string]any, or the same frozen with entity.Freeze, which evaluates
// several times faster); for a List<E> rule it is {"items": [attrs1,
// attrs2, ...]}. now is the scan's fixed "now". Eval does not allocate for
// PASS or FAIL.
func (p *Program) Eval(root any, now time.Time) Result {
	o := p.run(root, frame{now: now})
	if o == Error {
		ex := p.explain(root, now, true, false)
		if ex.Err != nil {
			return Result{Outcome: Error, Err: ex.Err}
		}
		return Result{Outcome: Error, Err: errors.New("evaluation error")}
	}
	return Result{Outcome: o}
}

func (p *Program) run(root any, f frame) Outcome {
	if p.where != nil {
		switch p.where(root, f) {
		case tFalse:
			return NotRelevant
		case tUnknown:
			return Unknown
		case tError:
			return Error
		}
	}
	if p.exclude != nil {
		switch p.exclude(root, f) {
		case tTrue:
			return NotRelevant
		case tUnknown:
			return Unknown
		case tError:
			return Error
		}
	}
	if p.cond == nil {
		return Pass
	}
	r := p.cond(root, f)
	if p.rule.Negated {
		r = r.not()
	}
	return outcomeOf(r)
}

func outcomeOf(r tri) Outcome {
	switch r {
	case tTrue:
		return Pass
	case tFalse:
		return Fail
	case tUnknown:
		return Unknown
	}
	return Error
}

// Explain evaluates the rule again, recording why it came out as it did.
// It is meant for FAIL, UNKNOWN and ERROR results and allocates freely.
//
// Its cost is proportional to what it shows: a list operator's elements
// are evaluated fast and only those shown are traced. Explanation.Err is
// the first evaluation error a full evaluation of every element meets; for
// a result that is not ERROR it may stay nil when the only errors lie past
// a nested list's deciding element.
func (p *Program) Explain(root any, now time.Time) *Explanation {
	return p.explainTwice(root, now, true)
}

// Summarize is Explain without the trace: the Explanation's Lines are nil,
// everything else is as Explain returns it. It is for reports that show
// only the summary, and costs a fraction of Explain (BenchmarkSummarizeMON05
// measures both).
func (p *Program) Summarize(root any, now time.Time) *Explanation {
	return p.explainTwice(root, now, false)
}

func (p *Program) explainTwice(root any, now time.Time, withLines bool) *Explanation {
	ex := p.explain(root, now, false, withLines)
	if ex.Outcome == Error || ex.Err != nil {
		// Which error comes first depends on the elements past the
		// deciding ones: look at them all.
		ex = p.explain(root, now, true, withLines)
	}
	return ex
}

// explain is Explain; exhaustive makes the fast evaluations of list
// elements meet every error a full trace would; withLines renders the
// trace.
func (p *Program) explain(root any, now time.Time, exhaustive, withLines bool) *Explanation {
	t, decisive, outcome := p.trace(root, now, exhaustive)
	ex := &Explanation{Outcome: outcome, Err: t.err}
	if withLines {
		ex.Lines = t.lines()
	}
	if decisive != nil {
		t.summarize(ex, decisive, p.clauses)
	}
	if ex.Outcome == Error && ex.Err != nil {
		ex.Summary = ex.Err.Msg
	}
	t.release()
	return ex
}

// trace evaluates the rule in explain mode. It returns the tracer, which
// the caller must release, the event of the clause that decided the
// outcome (nil for a PASS that no clause decided), and the outcome.
func (p *Program) trace(root any, now time.Time, exhaustive bool) (*tracer, *event, Outcome) {
	t := newTracer(p.src, now, exhaustive)
	if p.where != nil {
		ev, r := t.clause(&p.whereTexts, p.where, root, now)
		if r != tTrue {
			if r == tFalse {
				return t, ev, NotRelevant
			}
			return t, ev, outcomeOf(r)
		}
	}
	if p.exclude != nil {
		ev, r := t.clause(&p.excludeTexts, p.exclude, root, now)
		if r != tFalse {
			if r == tTrue {
				return t, ev, NotRelevant
			}
			return t, ev, outcomeOf(r)
		}
	}
	if p.cond == nil {
		return t, nil, Pass
	}
	ev, r := t.clause(&p.condTexts, p.cond, root, now)
	if p.rule.Negated {
		r = r.not()
	}
	return t, ev, outcomeOf(r)
}
