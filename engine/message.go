package engine

import (
	"slices"
	"strings"

	"vigil/entity"
	"vigil/gsl"
	"vigil/rules"
)

// A finding's Message is written from the rule's message (rules.Message)
// and the explanation's clauses (gsl.Clause): the rule's sentence for the
// result, then what decided it in the rule's own phrases. For a List<E>
// rule, which is about a scope, the phrases are those of the entities that
// came closest to passing, so that the reader learns which of them to fix
// and how: "No trail of account 222222222222 records management events in
// every region. Closest: staging-main (us-east-1) does not record read
// and write management events; staging-legacy (eu-west-1) is not logging."
// A rule without a message (a user's rule, an imported one) says its
// explanation instead.

// plainMessage is the message of a finding that needs no clauses: PASS,
// ERROR, and every result of a rule without a message. explanation is the
// finding's Explanation.
func (c *compiledRule) plainMessage(e *entity.Entity, scope entity.Scope, result Result, explanation string) string {
	m := &c.rule.Message
	if m.Fail == "" {
		return explanation
	}
	switch result {
	case Pass:
		return c.rule.PassMessage(rules.Target{Entity: e, Scope: scope})
	case Error:
		return "Not checked: " + explanation
	}
	return explanation
}

// entityMessage is the message of a FAIL on one entity: the rule's fail
// sentence, and when the rule tests more than one thing, which of them
// failed ("It has no CloudWatch Logs role and no log group.").
func (c *compiledRule) entityMessage(e *entity.Entity, scope entity.Scope, expl *gsl.Explanation) string {
	if c.rule.Message.Fail == "" {
		return expl.Summary
	}
	msg := c.rule.FailMessage(rules.Target{Entity: e, Scope: scope})
	if len(c.rule.Message.Lacks) < 2 {
		return msg
	}
	if lacks := c.lacks(expl.Clauses); len(lacks) > 0 {
		msg = sentence(msg) + " It " + joinPhrases(lacks) + "."
	}
	return msg
}

// listMessage is the message of a FAIL of a List<E> rule on a scope, and
// the entities it names: the rule's fail sentence, then either the none
// sentence when the scope has no E, or the closest entities and what
// each lacks.
func (c *compiledRule) listMessage(scope entity.Scope, expl *gsl.Explanation, items []*entity.Entity) (string, []*entity.Entity) {
	if c.rule.Message.Fail == "" {
		return expl.Summary, nil
	}
	t := rules.Target{Scope: scope}
	msg := c.rule.FailMessage(t)
	if len(items) == 0 {
		if none := c.rule.NoneMessage(t); none != "" {
			msg = sentence(msg) + " " + none
		}
		return sentence(msg), nil
	}
	var closest []string
	var related []*entity.Entity
	for _, cl := range expl.Clauses {
		if cl.Path != "items" {
			continue
		}
		for _, el := range cl.Closest {
			if el.Index < 0 || el.Index >= len(items) {
				continue
			}
			e := items[el.Index]
			related = append(related, e)
			text := elementName(e)
			if lacks := c.lacks(el.Clauses); len(lacks) > 0 {
				text += " " + joinPhrases(lacks)
			}
			closest = append(closest, text)
		}
	}
	if len(closest) > 0 {
		msg = sentence(msg) + " Closest: " + strings.Join(closest, "; ")
	}
	return sentence(msg), related
}

// unknownMessage is the message of an UNKNOWN: which values the result
// waits for.
func (c *compiledRule) unknownMessage(scope entity.Scope, expl *gsl.Explanation, explanation string) string {
	if c.rule.Message.Fail == "" || len(expl.Unknowns) == 0 {
		return explanation
	}
	lead := "Cannot be decided: "
	if scope.Kind == entity.ScopeTerraformModule {
		lead = "Cannot be decided from the code alone: "
	}
	return lead + strings.Join(expl.Unknowns, "; ") + "."
}

// lacks returns the rule's phrases for the clauses, each once, in order.
// A clause whose path has no phrase is named by its path: the catalog's
// rules have a phrase for every path (a test checks it), a user's rule
// may not. A clause on a path under another deciding clause's path is left
// out: when passwordPolicy is missing, that its minimum length fails too
// says nothing more.
func (c *compiledRule) lacks(clauses []gsl.Clause) []string {
	var out []string
	for _, cl := range clauses {
		if underAnother(cl.Path, clauses) {
			continue
		}
		phrase, ok := c.rule.Lack(cl.Path)
		if !ok {
			if cl.Path == "" {
				continue
			}
			phrase = "fails the test of " + cl.Path
		}
		if !slices.Contains(out, phrase) {
			out = append(out, phrase)
		}
	}
	return out
}

// underAnother reports whether path lies under the path of another of the
// clauses ("passwordPolicy.minPasswordLength" under "passwordPolicy").
func underAnother(path string, clauses []gsl.Clause) bool {
	for _, other := range clauses {
		if other.Path != "" && len(path) > len(other.Path) && strings.HasPrefix(path, other.Path+".") {
			return true
		}
	}
	return false
}

// elementName names an entity in a list of them: a live one by name and
// region ("staging-main (us-east-1)"), one from code by its address.
func elementName(e *entity.Entity) string {
	switch {
	case e.Origin.File != "" && e.ID != "":
		return e.ID
	case e.Name != "" && e.Region != "":
		return e.Name + " (" + e.Region + ")"
	case e.Name != "":
		return e.Name
	}
	return e.ID
}

// joinPhrases joins predicates into one: "a, b and c".
func joinPhrases(ps []string) string {
	switch len(ps) {
	case 0:
		return ""
	case 1:
		return ps[0]
	}
	return strings.Join(ps[:len(ps)-1], ", ") + " and " + ps[len(ps)-1]
}

// sentence ends s with a full stop unless it ends with punctuation.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}
