package rules

import (
	"encoding/binary"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
)

// Rendering a remediation text for every failing finding through
// text/template is costly: reflection for each field, and a fresh copy of
// kilobytes of mostly constant text each time. Nearly every template only
// pastes target fields into text, so such templates are compiled at load
// into segments (literal text, or a field with the context it is pasted in)
// and rendered by concatenation, and a rule's rendered texts are remembered
// per distinct set of field values, so that findings with equal values
// share one set of strings. Templates that do more (if, range, pipelines,
// variables, functions) are executed by text/template as before, with
// every printed value passed through paste (lex.go). Either way a value is
// written by paste, so the rendering is a function of the field values
// alone, which is what the memo needs.

// Limits of the render memo of one rule.
const (
	// maxMemoEntries bounds how many distinct renderings one rule keeps.
	// When the memo is full, new renderings are returned but not kept
	// (rather than clearing it): the values that repeat across a scan
	// (regions, accounts, placeholders) are seen first and stay, while a
	// stream of one-off values (entity names, IDs) would only churn a
	// cleared memo without ever being hit.
	maxMemoEntries = 1024
	// maxMemoKeyBytes bounds the encoded field values of one rendering.
	// Longer values (a huge attribute) are rendered but not kept: they are
	// unlikely to repeat, and keeping them would let one input pin
	// megabytes in the memo. It is below MaxPastedBytes, so a value that
	// paste replaces by a placeholder never reaches the memo.
	maxMemoKeyBytes = 512
)

// inlineValues is how many field values a render keeps on the stack.
const inlineValues = 8

// targetField is a value of Target that a compiled template reads.
type targetField uint8

const (
	fieldID targetField = iota
	fieldName
	fieldRegion
	fieldAccount
	fieldWhere
	fieldResourceType
	fieldResourceName
	fieldAttr
)

// slot is one value a rule's compiled templates read: a field of the target,
// or an attribute at a path.
type slot struct {
	field targetField
	// path and placeholder are set for fieldAttr.
	path, placeholder string
}

// label names the value in placeholders ("<name of 1048576 bytes, not
// shown>").
func (s slot) label() string {
	switch s.field {
	case fieldID:
		return "id"
	case fieldName:
		return "name"
	case fieldRegion:
		return "region"
	case fieldAccount:
		return "account"
	case fieldWhere:
		return "scope"
	case fieldResourceType:
		return "resource_type"
	case fieldResourceName:
		return "resource_name"
	}
	return s.path
}

// value is what Target's method of the same name returns, without
// allocating for placeholders.
func (s slot) value(t Target) string {
	switch s.field {
	case fieldID:
		return t.ID()
	case fieldName:
		return t.Name()
	case fieldRegion:
		return t.Region()
	case fieldAccount:
		return t.Account()
	case fieldWhere:
		return t.Where()
	case fieldResourceType:
		return t.ResourceType()
	case fieldResourceName:
		return t.ResourceName()
	}
	if v, ok := t.attrText(s.path); ok {
		return v
	}
	return s.placeholder
}

// segment is literal text, or the value in a slot when slot >= 0, pasted
// in context with label.
type segment struct {
	text    string
	slot    int
	context pasteContext
	label   string
}

// compiledTemplate is a template reduced to segments.
type compiledTemplate struct {
	segments []segment
	// literalBytes is the length of all literal segments together.
	literalBytes int
	// static is the whole output of a template that reads no field.
	static   string
	isStatic bool
}

// fill renders the template with the rule's slot values, each pasted for
// its context, in one allocation of exactly the output's size.
func (c *compiledTemplate) fill(values []string) string {
	if c.isStatic {
		return c.static
	}
	var inline [inlineValues]string
	pasted := inline[:0]
	n := c.literalBytes
	for _, s := range c.segments {
		if s.slot >= 0 {
			v := paste(s.context, s.label, values[s.slot])
			pasted = append(pasted, v)
			n += len(v)
		}
	}
	var b strings.Builder
	b.Grow(n)
	i := 0
	for _, s := range c.segments {
		if s.slot >= 0 {
			b.WriteString(pasted[i])
			i++
		} else {
			b.WriteString(s.text)
		}
	}
	return b.String()
}

// slotTable assigns slot numbers to the values a rule's templates read, so
// that the three templates of a rule share one set of values.
type slotTable struct {
	slots []slot
}

func (st *slotTable) index(s slot) int {
	for i, have := range st.slots {
		if have.field == s.field && have.path == s.path {
			return i
		}
	}
	st.slots = append(st.slots, s)
	return len(st.slots) - 1
}

// compileTemplate reduces a parsed template to segments, or reports false
// when it does anything but paste fields of the target (see simpleAction)
// into text. contexts are where its
// actions paste (templateContexts). raw is the template's source, reused
// as the output of a template that reads nothing and changes nothing.
func compileTemplate(t *template.Template, raw string, contexts map[*parse.ActionNode]pasteContext, st *slotTable) (*compiledTemplate, bool) {
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return nil, false
	}
	c := &compiledTemplate{}
	var text []byte
	flush := func() {
		if len(text) > 0 {
			c.segments = append(c.segments, segment{text: string(text), slot: -1})
			c.literalBytes += len(text)
			text = text[:0]
		}
	}
	for _, n := range t.Tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			text = append(text, n.Text...)
		case *parse.ActionNode:
			s, ok := simpleAction(n)
			context, known := contexts[n]
			if !ok || !known {
				return nil, false
			}
			flush()
			c.segments = append(c.segments, segment{slot: st.index(s), context: context, label: s.label()})
		default:
			return nil, false
		}
	}
	flush()
	switch len(c.segments) {
	case 0:
		c.isStatic = true
	case 1:
		if c.segments[0].slot < 0 {
			c.isStatic, c.static = true, c.segments[0].text
			if c.static == raw {
				c.static = raw
			}
		}
	}
	return c, true
}

// simpleAction recognises {{.ID}}, {{.Name}}, {{.Region}}, {{.Account}},
// {{.Where}}, {{.ResourceType}}, {{.ResourceName}} and {{.Attr "path"}}.
func simpleAction(n *parse.ActionNode) (slot, bool) {
	p := n.Pipe
	if p == nil || len(p.Decl) > 0 || p.IsAssign || len(p.Cmds) != 1 {
		return slot{}, false
	}
	args := p.Cmds[0].Args
	if len(args) == 0 {
		return slot{}, false
	}
	f, ok := args[0].(*parse.FieldNode)
	if !ok || len(f.Ident) != 1 {
		return slot{}, false
	}
	if f.Ident[0] == "Attr" {
		if len(args) != 2 {
			return slot{}, false
		}
		path, ok := args[1].(*parse.StringNode)
		if !ok {
			return slot{}, false
		}
		return slot{field: fieldAttr, path: path.Text, placeholder: "<" + path.Text + ">"}, true
	}
	if len(args) != 1 {
		return slot{}, false
	}
	switch f.Ident[0] {
	case "ID":
		return slot{field: fieldID}, true
	case "Name":
		return slot{field: fieldName}, true
	case "Region":
		return slot{field: fieldRegion}, true
	case "Account":
		return slot{field: fieldAccount}, true
	case "Where":
		return slot{field: fieldWhere}, true
	case "ResourceType":
		return slot{field: fieldResourceType}, true
	case "ResourceName":
		return slot{field: fieldResourceName}, true
	}
	return slot{}, false
}

// renderMemo remembers a rule's compiled renderings by the values of the
// fields they read. It is safe for concurrent use; a hit takes only the
// read lock.
type renderMemo struct {
	mu sync.RWMutex
	m  map[string]Remediation
}

// get returns the rendering stored under key, and whether the memo is full.
func (m *renderMemo) get(key []byte) (r Remediation, hit, full bool) {
	m.mu.RLock()
	r, hit = m.m[string(key)]
	full = len(m.m) >= maxMemoEntries
	m.mu.RUnlock()
	return r, hit, full
}

// put stores r under key unless the memo is full, and returns the rendering
// to use: the stored one if another goroutine got there first.
func (m *renderMemo) put(key []byte, r Remediation) Remediation {
	m.mu.Lock()
	defer m.mu.Unlock()
	if have, ok := m.m[string(key)]; ok {
		return have
	}
	if len(m.m) >= maxMemoEntries {
		return r
	}
	if m.m == nil {
		m.m = make(map[string]Remediation)
	}
	m.m[string(key)] = r
	return r
}

// len is the number of renderings kept.
func (m *renderMemo) len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.m)
}

// memoKey encodes values injectively (each prefixed by its length) into
// buf, or reports false when they would not fit in maxMemoKeyBytes.
func memoKey(buf *[maxMemoKeyBytes]byte, values []string) ([]byte, bool) {
	n := 0
	for _, v := range values {
		if len(v) > maxMemoKeyBytes {
			return nil, false
		}
		n += len(v) + binary.MaxVarintLen64
	}
	if n > maxMemoKeyBytes {
		return nil, false
	}
	key := buf[:0]
	for _, v := range values {
		key = binary.AppendUvarint(key, uint64(len(v)))
		key = append(key, v...)
	}
	return key, true
}

// compile prepares the fast forms of the parsed templates, whose actions
// paste in contexts.
func (rt *remediationTemplates) compile(raw Remediation, contexts map[*parse.ActionNode]pasteContext) {
	var st slotTable
	rt.fastConsole, _ = compileTemplate(rt.console, raw.Console, contexts, &st)
	rt.fastCLI, _ = compileTemplate(rt.cli, raw.CLI, contexts, &st)
	rt.fastTerraform, _ = compileTemplate(rt.terraform, raw.Terraform, contexts, &st)
	rt.slots = st.slots
}

// render fills the three texts in for one target: compiled templates by
// concatenation (through the memo when they read any field), the others by
// text/template.
func (rt *remediationTemplates) render(t Target, raw Remediation) Remediation {
	out := rt.renderCompiled(t)
	if rt.fastConsole == nil {
		out.Console = execute(rt.console, t, raw.Console)
	}
	if rt.fastCLI == nil {
		out.CLI = execute(rt.cli, t, raw.CLI)
	}
	if rt.fastTerraform == nil {
		out.Terraform = execute(rt.terraform, t, raw.Terraform)
	}
	return out
}

// renderCompiled renders the compiled templates; the others' texts are
// left empty.
func (rt *remediationTemplates) renderCompiled(t Target) Remediation {
	var inline [inlineValues]string
	values := inline[:0]
	for _, s := range rt.slots {
		values = append(values, s.value(t))
	}
	var buf [maxMemoKeyBytes]byte
	key, keep := memoKey(&buf, values)
	if keep && len(values) > 0 {
		r, hit, full := rt.memo.get(key)
		if hit {
			return r
		}
		keep = !full
	}
	var out Remediation
	if rt.fastConsole != nil {
		out.Console = rt.fastConsole.fill(values)
	}
	if rt.fastCLI != nil {
		out.CLI = rt.fastCLI.fill(values)
	}
	if rt.fastTerraform != nil {
		out.Terraform = rt.fastTerraform.fill(values)
	}
	if keep && len(values) > 0 {
		out = rt.memo.put(key, out)
	}
	return out
}
