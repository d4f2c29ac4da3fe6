package engine

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v4"

	"vigil/diag"
	"vigil/entity"
	"vigil/gsl"
	"vigil/rules"
)

// Limits on exclusion files.
const (
	// MaxExclusionFileBytes is the largest exclusion file accepted.
	MaxExclusionFileBytes = 1 << 20
	// MaxExclusions is the most entries one exclusion file may hold.
	MaxExclusions = 10000
)

// ExclusionRule is one entry of an exclusion file. A finding is excluded
// when every condition the entry gives holds:
//
//	rules:     [IDs or globs]     the rule's ID matches one ("D9.AWS.MON.*"); required
//	entity:    glob               the entity's ID or name matches (for a List<E>
//	                              finding: the scope's ID)
//	where:     GSL condition      true for the entity ("name like 'sandbox-%'");
//	                              never matches a List<E> finding
//	accounts:  [account IDs]      the finding's scope is one of them
//	reason:    text               required: why the finding is accepted
//	expires:   YYYY-MM-DD         the last day the entry applies; required
//
// The file is a YAML mapping with one key, "exclusions", holding the list.
// An entry whose expiry date has passed no longer applies; the run lists it
// in Run.ExpiredExclusions.
type ExclusionRule struct {
	Rules    []string
	Entity   string
	Where    string
	Accounts []string
	Reason   string
	// Expires is the last day the entry applies (midnight UTC of that day).
	Expires time.Time
	// Source is where the entry is declared: "exclusions.yaml:12".
	Source string

	where *gsl.Program
}

func (r *ExclusionRule) exclusion() Exclusion {
	return Exclusion{Reason: r.Reason, Expires: r.Expires, Source: r.Source}
}

func (r *ExclusionRule) expiredOn(today string) bool {
	return !r.Expires.IsZero() && r.Expires.Format(time.DateOnly) < today
}

func (r *ExclusionRule) matches(ruleID string, e *entity.Entity, scope entity.Scope) bool {
	if !slices.ContainsFunc(r.Rules, func(p string) bool { return globMatch(p, ruleID) }) {
		return false
	}
	scopeID := scope.ID
	if e != nil && e.Scope != "" {
		scopeID = e.Scope
	}
	if len(r.Accounts) > 0 && !slices.Contains(r.Accounts, scopeID) {
		return false
	}
	if r.Entity != "" {
		if e == nil {
			if !globMatch(r.Entity, scope.ID) {
				return false
			}
		} else if !globMatch(r.Entity, e.ID) && (e.Name == "" || !globMatch(r.Entity, e.Name)) {
			return false
		}
	}
	if r.where != nil {
		if e == nil {
			return false
		}
		// Only a definite true excludes: UNKNOWN or ERROR never hide a
		// finding.
		if r.where.Eval(e.Attrs, time.Time{}).Outcome != gsl.Pass {
			return false
		}
	}
	return true
}

// globMatch matches s against a pattern where "*" is any run of characters
// (including "/" and ":", which ARNs and Terraform addresses contain) and
// "?" one character.
func globMatch(pattern, s string) bool {
	if !strings.ContainsAny(pattern, "*?[") {
		return pattern == s
	}
	// path.Match's "*" stops at "/"; replace "/" on both sides so that it
	// does not.
	ok, err := path.Match(strings.ReplaceAll(pattern, "/", "\x00"), strings.ReplaceAll(s, "/", "\x00"))
	return err == nil && ok
}

// exclusionMapping describes the fields of an entry of an exclusion file.
var exclusionMapping = rules.Mapping{Kind: "an exclusion", Known: []string{"rules", "entity", "where", "accounts", "reason", "expires"}}

// ParseExclusions reads an exclusion file. name is used in errors and in
// each entry's Source. Every problem is reported with its line and column.
func ParseExclusions(name string, data []byte) ([]*ExclusionRule, error) {
	if len(data) > MaxExclusionFileBytes {
		return nil, &diag.Error{Name: name, Msg: fmt.Sprintf("exclusion file is %d bytes, more than the limit of %d", len(data), MaxExclusionFileBytes)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &diag.Error{Name: name, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	p := &exclusionParser{name: name}
	out := p.file(&doc)
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return out, nil
}

// exclusionParser reads one exclusion file, collecting its problems.
type exclusionParser struct {
	name string
	errs diag.List
}

func (p *exclusionParser) errorf(n *yaml.Node, format string, args ...any) {
	p.report(n, "", fmt.Sprintf(format, args...))
}

// report adds the problem msg with field at n; it is the report function
// of rules.Mapping.Fields.
func (p *exclusionParser) report(n *yaml.Node, field, msg string) {
	e := &diag.Error{Name: p.name, Field: field, Msg: msg}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

func (p *exclusionParser) file(doc *yaml.Node) []*ExclusionRule {
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind == 0 || root.Kind == yaml.DocumentNode {
		return nil // an empty file excludes nothing
	}
	if root.Kind != yaml.MappingNode || len(root.Content) != 2 || root.Content[0].Value != "exclusions" {
		p.errorf(root, `an exclusion file is a mapping with one key, "exclusions", holding a list of entries`)
		return nil
	}
	list := root.Content[1]
	if list.Kind != yaml.SequenceNode {
		p.errorf(list, `"exclusions" must be a list of entries`)
		return nil
	}
	if len(list.Content) > MaxExclusions {
		p.errorf(list, "%d exclusions, more than the limit of %d", len(list.Content), MaxExclusions)
		return nil
	}
	var out []*ExclusionRule
	for _, item := range list.Content {
		if r := p.entry(item); r != nil {
			out = append(out, r)
		}
	}
	return out
}

func (p *exclusionParser) entry(n *yaml.Node) *ExclusionRule {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "an exclusion is a mapping of %s", strings.Join(exclusionMapping.Known, ", "))
		return nil
	}
	before := len(p.errs)
	r := &ExclusionRule{Source: fmt.Sprintf("%s:%d", p.name, n.Line)}
	seen := map[string]bool{}
	for key, val := range exclusionMapping.Fields(n, p.report) {
		seen[key.Value] = true
		switch key.Value {
		case "rules":
			r.Rules = p.strings(val, "rules")
		case "accounts":
			r.Accounts = p.strings(val, "accounts")
		case "entity":
			r.Entity = p.scalar(val, "entity")
		case "reason":
			r.Reason = strings.TrimSpace(p.scalar(val, "reason"))
		case "where":
			r.Where = p.scalar(val, "where")
			if r.Where != "" {
				prog, err := gsl.Compile("Exclusion should have (" + r.Where + ")")
				if err != nil {
					p.report(val, "where", gslMessage(err))
				}
				r.where = prog
			}
		case "expires":
			s := p.scalar(val, "expires")
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				p.report(val, "expires", fmt.Sprintf("%q is not a date written YYYY-MM-DD", s))
			}
			r.Expires = t
		}
	}
	if len(r.Rules) == 0 {
		p.errorf(n, `an exclusion needs "rules": the rule IDs or globs it applies to`)
	}
	if r.Reason == "" {
		p.errorf(n, `an exclusion needs a "reason"`)
	}
	if !seen["expires"] {
		p.errorf(n, `an exclusion needs an "expires" date (YYYY-MM-DD), so that accepted risks are looked at again`)
	}
	for _, g := range append(slices.Clone(r.Rules), r.Entity) {
		if _, err := path.Match(g, ""); err != nil {
			p.errorf(n, "bad glob %q", g)
		}
	}
	if len(p.errs) > before {
		return nil
	}
	return r
}

func gslMessage(err error) string {
	if l := diag.AsList(err); len(l) > 0 {
		return l[0].Msg
	}
	return err.Error()
}

func (p *exclusionParser) scalar(n *yaml.Node, field string) string {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, "%s must be a string", field)
		return ""
	}
	return n.Value
}

func (p *exclusionParser) strings(n *yaml.Node, field string) []string {
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list of strings", field)
		return nil
	}
	var out []string
	for _, item := range n.Content {
		if s := p.scalar(item, field); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// excluder applies exclusion files and inline suppressions, and remembers
// the expired ones.
type excluder struct {
	rules []*ExclusionRule
	today string // YYYY-MM-DD of the scan's now, UTC

	mu         sync.Mutex
	expiredSet map[string]Exclusion
}

func newExcluder(rs []*ExclusionRule, now time.Time) *excluder {
	x := &excluder{rules: rs, today: now.Format(time.DateOnly), expiredSet: map[string]Exclusion{}}
	for _, r := range rs {
		if r.expiredOn(x.today) {
			x.expiredSet[r.Source] = r.exclusion()
		}
	}
	return x
}

// match returns the exclusion that applies to a finding, or nil.
func (x *excluder) match(c *compiledRule, e *entity.Entity, scope entity.Scope) *Exclusion {
	if e != nil {
		for _, s := range e.Suppressions {
			if s.Rule != c.rule.ID {
				continue
			}
			ex := Exclusion{Reason: s.Reason, Source: s.Source + " (vigil:ignore comment)"}
			if s.Expires != "" {
				t, err := time.Parse(time.DateOnly, s.Expires)
				if err != nil {
					// A date that does not parse never hides a finding.
					continue
				}
				ex.Expires = t
				if s.Expires < x.today {
					x.mu.Lock()
					x.expiredSet[ex.Source+" "+s.Rule] = ex
					x.mu.Unlock()
					continue
				}
			}
			return &ex
		}
	}
	for _, r := range x.rules {
		if r.expiredOn(x.today) {
			continue
		}
		if r.matches(c.rule.ID, e, scope) {
			ex := r.exclusion()
			return &ex
		}
	}
	return nil
}

func (x *excluder) expired() []Exclusion {
	out := make([]Exclusion, 0, len(x.expiredSet))
	for _, e := range x.expiredSet {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Exclusion) int { return cmp.Compare(a.Source, b.Source) })
	if len(out) == 0 {
		return nil
	}
	return out
}
