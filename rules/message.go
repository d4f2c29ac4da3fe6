package rules

import (
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"

	"go.yaml.in/yaml/v4"

	"vigil/entity"
)

// Message is what a finding of the rule says, in plain words, for people
// who do not read GSL. Its texts are templates over the finding's Target,
// like the remediation's (see Target), pasted as prose.
type Message struct {
	// Fail is the sentence of a failing finding: it names the resource and
	// what is wrong ("Trail {{.Name}} records events in {{.Region}} only.").
	// For a List<E> rule it is about the scope ("No trail of {{.Where}}
	// ...").
	Fail string
	// Pass is the sentence of a passing finding.
	Pass string
	// None, for a List<E> rule, is what a scope with no E at all is told;
	// when empty, Fail is said alone.
	None string
	// Lacks says, for each attribute the logic tests, what an entity
	// lacks when that test fails, as a predicate of the entity ("is not
	// logging", "has no metric filter for root account usage"). A failing
	// finding adds the phrases of the tests that decided it; for a
	// List<E> rule, those of the entities that came closest.
	Lacks map[string]string
}

// messageMapping describes the fields of a rule file's message.
var messageMapping = Mapping{Kind: "a message", Prefix: "message.", Known: []string{"fail", "pass", "none", "lacks"}}

// messageTemplates are the parsed forms of a rule's message texts.
type messageTemplates struct {
	fail, pass, none *proseTemplate
}

// proseTemplate is one parsed prose template, with its fast form when it
// only pastes fields.
type proseTemplate struct {
	t     *template.Template
	fast  *compiledTemplate
	slots []slot
	raw   string
}

// render fills t in for target.
func (t *proseTemplate) render(target Target) string {
	if t == nil {
		return ""
	}
	if t.fast == nil {
		return execute(t.t, target, t.raw)
	}
	var inline [inlineValues]string
	values := inline[:0]
	for _, s := range t.slots {
		values = append(values, s.value(target))
	}
	return t.fast.fill(values)
}

// message reads a rule file's message mapping.
func (p *parser) message(n *yaml.Node, m *Message) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "message", "field \"message\" must be a mapping with fail, pass, none and lacks, found %s", kindName(n))
		return nil
	}
	nodes := map[string]*yaml.Node{}
	for key, val := range messageMapping.Fields(n, p.report) {
		field := "message." + key.Value
		nodes[key.Value] = val
		switch key.Value {
		case "fail":
			m.Fail = strings.TrimSpace(p.str(val, field))
		case "pass":
			m.Pass = strings.TrimSpace(p.str(val, field))
		case "none":
			m.None = strings.TrimSpace(p.str(val, field))
		case "lacks":
			m.Lacks = p.lacks(val)
		}
	}
	if m.Fail == "" || m.Pass == "" {
		p.errorf(n, "message", "a message needs both fail and pass")
	}
	return nodes
}

// lacks reads message.lacks: attribute paths to phrases.
func (p *parser) lacks(n *yaml.Node) map[string]string {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "message.lacks", "field \"message.lacks\" must map attribute paths to phrases, found %s", kindName(n))
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		phrase := strings.TrimSpace(p.str(v, "message.lacks."+k.Value))
		if phrase == "" {
			p.errorf(v, "message.lacks."+k.Value, "the phrase for %q is empty", k.Value)
		}
		out[k.Value] = phrase
	}
	return out
}

// parseMessage parses the message templates and renders each once for a
// sample target, as parseTemplates does for the remediation.
func parseMessage(p *parser, r *Rule, nodes map[string]*yaml.Node) (*messageTemplates, ErrorList) {
	var errs ErrorList
	sample := Target{Entity: &entity.Entity{ID: "id", Name: "name", Region: "region", Attrs: map[string]any{}},
		Scope: entity.Scope{Kind: entity.ScopeAWSAccount, ID: "123456789012"}}
	parse1 := func(name, text string) *proseTemplate {
		if text == "" {
			return nil
		}
		t, err := newTemplate(name, text)
		var contexts map[*parse.ActionNode]pasteContext
		if err == nil {
			contexts, err = templateContexts(t, langProse)
		}
		if err == nil {
			out := &proseTemplate{t: t, raw: text}
			var st slotTable
			out.fast, _ = compileTemplate(t, text, contexts, &st)
			out.slots = st.slots
			addPasteCalls(contexts)
			if err = t.Execute(discard{}, sample); err == nil {
				return out
			}
		}
		e := p.templateError(nodes[name], name, err)
		e.Field = "message." + name
		errs = append(errs, e)
		return nil
	}
	mt := &messageTemplates{
		fail: parse1("fail", r.Message.Fail),
		pass: parse1("pass", r.Message.Pass),
		none: parse1("none", r.Message.None),
	}
	return mt, errs
}

// FailMessage renders the message's fail sentence for t; "" when the rule
// has no message.
func (r *Rule) FailMessage(t Target) string {
	if r.messages == nil {
		return r.Message.Fail
	}
	return r.messages.fail.render(t)
}

// PassMessage renders the message's pass sentence for t.
func (r *Rule) PassMessage(t Target) string {
	if r.messages == nil {
		return r.Message.Pass
	}
	return r.messages.pass.render(t)
}

// NoneMessage renders the message's none sentence for t; "" when the rule
// has none.
func (r *Rule) NoneMessage(t Target) string {
	if r.messages == nil {
		return r.Message.None
	}
	return r.messages.none.render(t)
}

// Lack returns the phrase for what an entity lacks when the test of the
// attribute at path fails: the phrase of path itself, else of its longest
// prefix with one ("status" for "status.isLogging").
func (r *Rule) Lack(path string) (string, bool) {
	for p := path; p != ""; {
		if s, ok := r.Message.Lacks[p]; ok {
			return s, true
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return "", false
}

// Where names the scope for a sentence: "account 123456789012", "module
// envs/prod".
func (t Target) Where() string {
	s := t.Scope
	switch s.Kind {
	case entity.ScopeAWSAccount:
		return "account " + orPlaceholder(s.ID, "<account>")
	case entity.ScopeTerraformModule:
		name := s.Name
		if name == "" {
			name = s.ID
		}
		return "module " + orPlaceholder(name, "<module>")
	}
	if s.ID != "" {
		return fmt.Sprintf("scope %s", s.ID)
	}
	return "<scope>"
}

func orPlaceholder(s, placeholder string) string {
	if s == "" {
		return placeholder
	}
	return s
}
