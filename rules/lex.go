package rules

import (
	"errors"
	"fmt"
	"strconv"
	"text/template"
	"text/template/parse"
)

// To paste a value safely, the renderer must know where in the text it
// goes: in a shell command, outside quotes, inside '...' or "...", or in a
// comment; in Terraform, inside a quoted string, a block label or a
// comment. A lexer per language follows the literal text of a template up
// to each {{action}}, as html/template does for HTML, and the action's
// output is written for that place (paste.go). A place where a value cannot
// be pasted safely (Terraform code outside a string, a shell command
// substitution vigil does not follow) is an error when the rule is loaded,
// at the action's line and column.

// language is the language of a remediation field.
type language uint8

const (
	// langProse is the console field: steps for people.
	langProse language = iota
	// langShell is the cli field: POSIX shell commands.
	langShell
	// langHCL is the terraform field: Terraform configuration.
	langHCL
)

// lexState is where a lexer is in a text. Its values are comparable: two
// branches of an {{if}} must end in equal states.
type lexState interface {
	// scan returns the state after the literal text.
	scan(text string) lexState
	// paste returns the context of a value pasted here, or why none can be.
	paste() (pasteContext, error)
	// pasted returns the state after a pasted value.
	pasted() lexState
}

// startState is the state at the start of a text in lang.
func startState(lang language) lexState {
	switch lang {
	case langShell:
		return shellState{}
	case langHCL:
		return hclState{head: headStart}
	}
	return proseState{}
}

// proseState is console text: every value is prose.
type proseState struct{}

func (s proseState) scan(string) lexState       { return s }
func (proseState) paste() (pasteContext, error) { return pasteProse, nil }
func (s proseState) pasted() lexState           { return s }

// Word positions of the shell lexer: whether a # starts a comment.
const (
	wordStart   = iota // between words: a # starts a comment
	inWord             // inside a word: a # is literal
	wordUnknown        // after {{if}} branches that disagree
)

// shellState follows the quoting of a POSIX shell command.
type shellState struct {
	quote   byte // 0, '\'' or '"'
	comment bool // after a # that starts a comment, to the end of the line
	escaped bool // after a backslash outside single quotes
	dollar  bool // after a $ outside single quotes
	less    bool // after a < outside quotes
	word    uint8
	// stuck names a construct this lexer does not follow ("$(", "`",
	// "${", "<<", "$'"); no value may be pasted after it.
	stuck string
}

func (s shellState) scan(text string) lexState {
	for i := 0; i < len(text) && s.stuck == ""; i++ {
		c := text[i]
		switch {
		case s.comment:
			if c == '\n' {
				s.comment, s.word = false, wordStart
			}
		case s.escaped:
			s.escaped = false
			if s.quote == 0 && c != '\n' {
				s.word = inWord
			}
		case s.quote == '\'':
			if c == '\'' {
				s.quote = 0
			}
		case s.quote == '"':
			s = s.scanDoubleQuoted(c)
		default:
			s = s.scanUnquoted(c)
		}
	}
	return s
}

func (s shellState) scanDoubleQuoted(c byte) shellState {
	if s.dollar {
		s.dollar = false
		if c == '(' || c == '{' {
			s.stuck = "$" + string(c)
			return s
		}
	}
	switch c {
	case '\\':
		s.escaped = true
	case '"':
		s.quote = 0
	case '$':
		s.dollar = true
	case '`':
		s.stuck = "`"
	}
	return s
}

func (s shellState) scanUnquoted(c byte) shellState {
	if s.dollar {
		s.dollar = false
		switch c {
		case '(', '{', '\'', '"':
			s.stuck = "$" + string(c)
			return s
		}
	}
	if s.less {
		s.less = false
		if c == '<' {
			s.stuck = "<<"
			return s
		}
	}
	switch c {
	case ' ', '\t', '\n', ';', '&', '|', '(', ')', '>':
		s.word = wordStart
	case '<':
		s.word, s.less = wordStart, true
	case '#':
		switch s.word {
		case wordStart:
			s.comment = true
		case wordUnknown:
			s.stuck = "a # that may or may not start a comment"
		}
	case '\'', '"':
		s.quote, s.word = c, inWord
	case '\\':
		s.escaped, s.word = true, inWord
	case '$':
		s.dollar, s.word = true, inWord
	case '`':
		s.stuck = "`"
	default:
		s.word = inWord
	}
	return s
}

func (s shellState) paste() (pasteContext, error) {
	switch {
	case s.stuck != "":
		return 0, fmt.Errorf("a value cannot be pasted after %s: vigil does not follow the shell's quoting past it", s.stuck)
	case s.comment:
		return pasteProse, nil
	case s.escaped:
		return 0, errors.New("a value cannot be pasted right after a backslash")
	case s.dollar:
		return 0, errors.New("a value cannot be pasted right after a $")
	case s.quote == '\'':
		return pasteShellSingle, nil
	case s.quote == '"':
		return pasteShellDouble, nil
	}
	return pasteShellWord, nil
}

func (s shellState) pasted() lexState {
	if s.quote == 0 && !s.comment {
		s.word, s.less = inWord, false
	}
	return s
}

// hclState follows the strings, interpolations and comments of Terraform
// configuration.
type hclState struct {
	// stack holds one byte per open construct: '"' a quoted string, '$'
	// an interpolation or directive inside one ("${" or "%{"), '{' a brace
	// inside an interpolation. Top-level code is the empty stack.
	stack string
	// comment is '#' in a line comment (# or //), '*' in a /* */ one.
	comment byte
	// prev is the byte before, where a token of two bytes needs it: '\\'
	// in a string, '/' or '<' in code, '*' in a block comment.
	prev byte
	// mark and marks follow a run of $ or % in a string: "${" starts an
	// interpolation, "$${" is a literal "${".
	mark  byte
	marks uint8
	// stuck names a construct this lexer does not follow (a heredoc); no
	// value may be pasted after it.
	stuck string
	// head follows the start of a line of code, to tell the labels of a
	// block (resource "aws_cloudtrail" "this" {) from other strings.
	head headPos
}

// headPos is where a line of Terraform code is, as far as block labels
// go: a quoted string after an identifier and nothing but labels is a
// label.
type headPos uint8

const (
	headOther headPos = iota // after anything that is not a block header
	headStart                // at the start of a line or body
	headIdent                // in or after the block type, or after a label
	headLabel                // in a label string
)

func (s hclState) top() byte {
	if s.stack == "" {
		return 0
	}
	return s.stack[len(s.stack)-1]
}

func (s hclState) scan(text string) lexState {
	for i := 0; i < len(text) && s.stuck == ""; i++ {
		c := text[i]
		switch {
		case s.comment == '#':
			if c == '\n' {
				s.comment, s.head = 0, headStart
			}
		case s.comment == '*':
			if s.prev == '*' && c == '/' {
				s.comment, s.prev = 0, 0
			} else {
				s.prev = c
			}
		case s.top() == '"':
			s = s.scanString(c)
		default:
			s = s.scanCode(c)
		}
	}
	return s
}

func (s hclState) scanString(c byte) hclState {
	if s.prev == '\\' {
		s.prev = 0
		return s
	}
	if s.marks > 0 {
		mark, marks := s.mark, s.marks
		s.mark, s.marks = 0, 0
		switch {
		case c == '{' && marks == 1:
			s.stack += "$"
			return s
		case c == '{':
			return s // "$${": a literal "${"
		case c == mark:
			s.mark, s.marks = c, 2
			return s
		}
	}
	switch c {
	case '\\':
		s.prev = '\\'
	case '"':
		s.stack = s.stack[:len(s.stack)-1]
		if s.stack == "" && s.head == headLabel {
			s.head = headIdent
		}
	case '$', '%':
		s.mark, s.marks = c, 1
	}
	return s
}

func (s hclState) scanCode(c byte) hclState {
	prev := s.prev
	s.prev = 0
	switch {
	case prev == '/' && c == '/':
		s.comment = '#'
		return s
	case prev == '/' && c == '*':
		s.comment = '*'
		return s
	case prev == '<' && c == '<':
		s.stuck = "a heredoc (<<)"
		return s
	}
	if s.stack == "" {
		s.head = s.head.next(c)
	}
	switch c {
	case '#':
		s.comment = '#'
	case '/', '<':
		s.prev = c
	case '"':
		s.stack += `"`
	case '{':
		if s.stack != "" {
			s.stack += "{"
		}
	case '}':
		if s.stack != "" {
			s.stack = s.stack[:len(s.stack)-1]
		}
	}
	return s
}

// next is the position after byte c of top-level code. A line whose code
// starts with an identifier followed by quoted strings (or more
// identifiers) is a block header, and those strings its labels; after a
// "{" a body starts, whose lines may be headers of nested blocks.
func (h headPos) next(c byte) headPos {
	switch {
	case c == '\n' || c == '{' || c == '}':
		return headStart
	case c == ' ' || c == '\t' || c == '\r':
		return h
	case c == '"' && h == headIdent:
		return headLabel
	case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_':
		if h == headStart || h == headIdent {
			return headIdent
		}
	case '0' <= c && c <= '9' || c == '-':
		if h == headIdent {
			return headIdent
		}
	}
	return headOther
}

func (s hclState) paste() (pasteContext, error) {
	switch {
	case s.stuck != "":
		return 0, fmt.Errorf("a value cannot be pasted after %s: vigil does not follow Terraform's syntax past it", s.stuck)
	case s.comment == '#':
		return pasteProse, nil
	case s.comment == '*':
		return 0, errors.New("a value cannot be pasted into a /* */ comment: use a # comment")
	case s.top() != '"':
		return 0, errors.New(`a value must be pasted inside a quoted string ("{{.Name}}") or a # comment`)
	case s.prev == '\\':
		return 0, errors.New("a value cannot be pasted right after a backslash")
	case s.marks > 0:
		return 0, fmt.Errorf("a value cannot be pasted right after a %c", s.mark)
	case s.head == headLabel && len(s.stack) == 1:
		return pasteHCLLabel, nil
	}
	return pasteHCLString, nil
}

func (s hclState) pasted() lexState { return s }

// join is the state after two branches that end in a and b, or false when
// the text after them would be read differently.
func join(a, b lexState) (lexState, bool) {
	if a == b {
		return a, true
	}
	if ha, ok := a.(hclState); ok {
		// Branches that differ only in where a line's code is join as
		// not in a block header: a label after them is pasted as any
		// string.
		if hb, ok := b.(hclState); ok {
			ha.head, hb.head = headOther, headOther
			if ha == hb {
				return ha, true
			}
		}
	}
	sa, ok1 := a.(shellState)
	sb, ok2 := b.(shellState)
	if ok1 && ok2 {
		// Branches that differ only in whether they end inside a word
		// join; a # after them is then not followed.
		sa.word, sb.word = wordUnknown, wordUnknown
		if sa == sb {
			return sa, true
		}
	}
	return nil, false
}

// templateContexts finds the context of every action that prints a value in
// t and the templates it calls, for a text in lang. It fails at the first
// action whose value cannot be pasted safely, or a branch, loop or template
// call that leaves the quoting of what follows unclear.
func templateContexts(t *template.Template, lang language) (map[*parse.ActionNode]pasteContext, error) {
	w := &contextWalker{tmpl: t, contexts: map[*parse.ActionNode]pasteContext{}, called: map[string]callStates{}}
	if t.Tree == nil {
		return w.contexts, nil
	}
	w.tree = t.Tree
	w.walk(t.Tree.Root, startState(lang))
	return w.contexts, w.err
}

// callStates are the states a called template starts and ends in.
type callStates struct{ in, out lexState }

type contextWalker struct {
	tmpl     *template.Template
	tree     *parse.Tree
	contexts map[*parse.ActionNode]pasteContext
	// called holds the templates walked, each with the states of its
	// (only) entry and exit; a template that is being walked has a nil
	// out.
	called map[string]callStates
	// loops are the states at the start of the enclosing {{range}}s.
	loops []lexState
	err   error
}

// fail records the first error, at node n.
func (w *contextWalker) fail(n parse.Node, msg string) {
	if w.err == nil {
		location, _ := w.tree.ErrorContext(n)
		w.err = fmt.Errorf("template: %s: %s", location, msg)
	}
}

// walk returns the state after the nodes of list, entered in state s.
func (w *contextWalker) walk(list *parse.ListNode, s lexState) lexState {
	if list == nil {
		return s
	}
	for _, n := range list.Nodes {
		if w.err != nil {
			return s
		}
		s = w.node(n, s)
	}
	return s
}

func (w *contextWalker) node(n parse.Node, s lexState) lexState {
	switch n := n.(type) {
	case *parse.TextNode:
		return s.scan(string(n.Text))
	case *parse.ActionNode:
		if len(n.Pipe.Decl) > 0 {
			return s // {{$x := ...}} and {{$x = ...}} print nothing
		}
		c, err := s.paste()
		if err != nil {
			w.fail(n, err.Error())
			return s
		}
		w.contexts[n] = c
		return s.pasted()
	case *parse.IfNode:
		return w.branches(n, "if", &n.BranchNode, s)
	case *parse.WithNode:
		return w.branches(n, "with", &n.BranchNode, s)
	case *parse.RangeNode:
		return w.loop(n, s)
	case *parse.BreakNode, *parse.ContinueNode:
		if len(w.loops) > 0 {
			if _, ok := join(w.loops[len(w.loops)-1], s); !ok {
				w.fail(n, "{{break}} and {{continue}} must be where the quoting is as at the start of {{range}}")
			}
		}
		return s
	case *parse.TemplateNode:
		return w.call(n, s)
	case *parse.CommentNode:
		return s
	}
	w.fail(n, fmt.Sprintf("vigil cannot tell where %s pastes its values", n))
	return s
}

// branches walks the two branches of an {{if}} or {{with}}.
func (w *contextWalker) branches(n parse.Node, name string, b *parse.BranchNode, s lexState) lexState {
	a := w.walk(b.List, s)
	other := w.walk(b.ElseList, s)
	joined, ok := join(a, other)
	if !ok {
		w.fail(n, fmt.Sprintf("the branches of {{%s}} must end in the same quoting (close in each what it opens)", name))
		return s
	}
	return joined
}

// loop walks a {{range}}: its body runs any number of times, so it must
// end in the quoting it starts in; it is walked again from the joined
// state when the two differ in what join allows.
func (w *contextWalker) loop(n *parse.RangeNode, s lexState) lexState {
	entry := s
	for {
		w.loops = append(w.loops, entry)
		body := w.walk(n.List, entry)
		w.loops = w.loops[:len(w.loops)-1]
		joined, ok := join(entry, body)
		if !ok {
			w.fail(n, "the body of {{range}} must end in the quoting it starts in (close what it opens)")
			return s
		}
		if joined == entry || w.err != nil {
			break
		}
		entry = joined
	}
	joined, ok := join(entry, w.walk(n.ElseList, s))
	if !ok {
		w.fail(n, "the {{else}} of {{range}} must end in the quoting the loop ends in")
		return s
	}
	return joined
}

// call walks a {{template}} call: the called template is walked once, in
// the state of its first call; every call must be in that state.
func (w *contextWalker) call(n *parse.TemplateNode, s lexState) lexState {
	if cs, ok := w.called[n.Name]; ok {
		switch {
		case cs.out == nil:
			w.fail(n, "a template that calls itself cannot paste values")
		case cs.in != s:
			w.fail(n, "a template called in two places must be called where the quoting is the same")
		}
		return cs.out
	}
	t := w.tmpl.Lookup(n.Name)
	if t == nil || t.Tree == nil {
		return s // text/template reports it when the template runs
	}
	w.called[n.Name] = callStates{in: s}
	tree := w.tree
	w.tree = t.Tree
	out := w.walk(t.Tree.Root, s)
	w.tree = tree
	w.called[n.Name] = callStates{in: s, out: out}
	return out
}

// addPasteCalls makes every action that prints a value pass it through
// paste for its context: {{.Name}} runs as {{.Name | _vigil_paste "shell-word" "name"}}.
func addPasteCalls(contexts map[*parse.ActionNode]pasteContext) {
	for n, c := range contexts {
		label := "value"
		if s, ok := simpleAction(n); ok {
			label = s.label()
		}
		n.Pipe.Cmds = append(n.Pipe.Cmds, &parse.CommandNode{
			NodeType: parse.NodeCommand,
			Pos:      n.Pos,
			Args: []parse.Node{
				parse.NewIdentifier(pasteFuncName).SetTree(nil).SetPos(n.Pos),
				&parse.StringNode{NodeType: parse.NodeString, Pos: n.Pos, Quoted: strconv.Quote(c.String()), Text: c.String()},
				&parse.StringNode{NodeType: parse.NodeString, Pos: n.Pos, Quoted: strconv.Quote(label), Text: label},
			},
		})
	}
}
