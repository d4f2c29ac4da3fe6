package filterpattern

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"vigil/diag"
)

// Limits on the input. AWS caps a stored filter pattern at 1024 characters;
// vigil accepts more (Terraform may hold longer ones that AWS would refuse)
// but not without bound.
const (
	// MaxPatternBytes is the longest pattern Parse accepts.
	MaxPatternBytes = 16 << 10
	// MaxDepth is the deepest nesting of parentheses Parse accepts.
	MaxDepth = 64
	// MaxFields is the most slots a space-delimited pattern may have.
	MaxFields = 256
)

// Parse parses a CloudWatch Logs filter pattern of any kind: a term pattern
// (ERROR -DEBUG ?WARN), a JSON pattern ({ $.a = "x" && $.b > 1 }) or a
// space-delimited pattern ([ip, user, ..., status = 4*]). The error, an
// *Error, gives the column and what was expected there.
func Parse(src string) (*Pattern, error) {
	p, err := parse(src)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func parse(src string) (*Pattern, *Error) {
	if len(src) > MaxPatternBytes {
		return nil, newError(src, MaxPatternBytes, "pattern longer than %d bytes", MaxPatternBytes)
	}
	if !utf8.ValidString(src) {
		for i, r := range src {
			if r == utf8.RuneError {
				return nil, newError(src, i, "invalid UTF-8")
			}
		}
	}
	ps := &parser{s: scanner{src: src}}
	pat := &Pattern{src: src}
	var err *Error
	switch ps.s.peek() {
	case '{':
		pat.kind = KindJSON
		pat.expr, err = ps.parseJSON()
	case '[':
		pat.kind = KindDelimited
		pat.fields, pat.expr, err = ps.parseDelimited()
	default:
		pat.kind = KindTerms
		pat.terms, err = ps.parseTerms()
	}
	if err != nil {
		return nil, err
	}
	normalize(pat)
	return pat, nil
}

type parser struct {
	s         scanner
	delimited bool
	// conds collects the conditions of a space-delimited pattern, so that
	// their field names can be resolved once every slot is known.
	conds []*cond
}

// parseTerms parses a term pattern: a list of terms, each optionally
// prefixed with ? (any of these) or - (none of these).
func (p *parser) parseTerms() ([]term, *Error) {
	s := &p.s
	var terms []term
	for {
		s.skipSpace()
		if s.eof() {
			return terms, nil
		}
		mode := termRequired
		prefixPos := s.pos
		switch s.src[s.pos] {
		case '?':
			mode = termOptional
			s.pos++
		case '-':
			mode = termExcluded
			s.pos++
		}
		if mode != termRequired {
			s.skipSpace()
			if s.eof() {
				return nil, s.errorf(prefixPos, "expected a term after %q", s.src[prefixPos:prefixPos+1])
			}
		}
		t := term{mode: mode}
		switch s.src[s.pos] {
		case '"':
			text, err := s.readQuoted()
			if err != nil {
				return nil, err
			}
			t.text = text
		case '%':
			text, re, err := s.readRegex()
			if err != nil {
				return nil, err
			}
			t.text, t.re = text, re
		default:
			start := s.pos
			for s.pos < len(s.src) && !isSpace(s.src[s.pos]) && s.src[s.pos] != '"' {
				s.pos++
			}
			t.text = s.src[start:s.pos]
		}
		terms = append(terms, t)
	}
}

// parseJSON parses { expr }.
func (p *parser) parseJSON() (expr, *Error) {
	s := &p.s
	s.pos++ // {
	if s.peek() == '}' {
		return nil, s.errorf(s.pos, "expected a condition such as $.eventName = CreateTrail, found \"}\"")
	}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if !s.accept("}") {
		if s.peek() == ')' {
			return nil, s.errorf(s.pos, "unbalanced parentheses: found \")\" with no \"(\" before it")
		}
		return nil, s.errorf(s.next(), "expected \"&&\", \"||\" or \"}\", found %s", s.found())
	}
	if s.peek() != 0 {
		return nil, s.errorf(s.next(), "expected the end of the pattern after \"}\", found %s", s.found())
	}
	return e, nil
}

// parseOr parses and { "||" and }: && binds tighter than ||.
func (p *parser) parseOr() (expr, *Error) {
	first, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	ops := []expr{first}
	for p.s.accept("||") {
		e, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		ops = append(ops, e)
	}
	if len(ops) == 1 {
		return first, nil
	}
	return &logic{op: opOr, operands: ops}, nil
}

func (p *parser) parseAnd() (expr, *Error) {
	first, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	ops := []expr{first}
	for p.s.accept("&&") {
		e, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		ops = append(ops, e)
	}
	if len(ops) == 1 {
		return first, nil
	}
	return &logic{op: opAnd, operands: ops}, nil
}

func (p *parser) parseUnary() (expr, *Error) {
	s := &p.s
	open := s.pos
	if s.accept("(") {
		s.depth++
		if s.depth > MaxDepth {
			return nil, s.errorf(open, "nesting deeper than %d", MaxDepth)
		}
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if !s.accept(")") {
			opened := diag.PosOf(s.src, open)
			perr := s.errorf(s.next(), "expected \"&&\", \"||\" or \")\" to close the \"(\" at %s, found %s", opened, s.found())
			perr.Ref = opened
			return nil, perr
		}
		s.depth--
		return e, nil
	}
	return p.parseCond()
}

// parseCond parses one comparison: a selector ($.a.b[0]) or field name,
// an operator, and a value.
func (p *parser) parseCond() (expr, *Error) {
	s := &p.s
	s.skipSpace()
	c := &cond{}
	start := s.pos
	if p.delimited {
		c.fname = s.readName()
		if c.fname == "" {
			return nil, s.errorf(start, "expected a field name, found %s", s.found())
		}
		c.field = start // resolved to a slot index once all slots are known
		p.conds = append(p.conds, c)
	} else {
		path, err := p.parseSelector()
		if err != nil {
			return nil, err
		}
		c.path = path
	}
	s.skipSpace()
	opPos := s.pos
	switch {
	case s.accept("!="):
		c.op = cmpNe
	case s.accept("<="):
		c.op = cmpLe
	case s.accept(">="):
		c.op = cmpGe
	case s.accept("<"):
		c.op = cmpLt
	case s.accept(">"):
		c.op = cmpGt
	case s.accept("="):
		c.op = cmpEq
	case !p.delimited && s.acceptWord("IS"):
		switch {
		case s.acceptWord("NULL"):
			c.op = cmpIsNull
		case s.acceptWord("TRUE"):
			c.op = cmpIsTrue
		case s.acceptWord("FALSE"):
			c.op = cmpIsFalse
		default:
			return nil, s.errorf(s.next(), "expected NULL, TRUE or FALSE after IS, found %s", s.found())
		}
		return c, nil
	case !p.delimited && s.acceptWord("NOT"):
		if !s.acceptWord("EXISTS") {
			return nil, s.errorf(s.next(), "expected EXISTS after NOT, found %s", s.found())
		}
		c.op = cmpNotExists
		return c, nil
	default:
		if p.delimited {
			return nil, s.errorf(opPos, "expected a comparison (=, !=, <, <=, >, >=), \",\" or \"]\" after the field name, found %s", s.found())
		}
		return nil, s.errorf(opPos, "expected a comparison (=, !=, <, <=, >, >=, IS or NOT EXISTS), found %s", s.found())
	}
	v, err := p.parseValue(c.op)
	if err != nil {
		return nil, err
	}
	c.val = v
	return c, nil
}

// parseSelector parses $.name, $.name[0].name, $[0]… AWS writes no space
// inside a selector; vigil allows white space after a dot ("$. eventName"),
// which some tools emit.
func (p *parser) parseSelector() ([]segment, *Error) {
	s := &p.s
	start := s.pos
	if s.eof() || s.src[s.pos] != '$' {
		return nil, s.errorf(start, "expected a selector starting with \"$.\", found %s", s.found())
	}
	s.pos++
	var path []segment
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case '.':
			s.pos++
			s.skipSpace()
			name := s.readName()
			if name == "" {
				return nil, s.errorf(s.next(), "expected a property name after \".\", found %s", s.found())
			}
			path = append(path, segment{name: name})
			continue
		case '[':
			s.pos++
			digits := s.pos
			for s.pos < len(s.src) && s.src[s.pos] >= '0' && s.src[s.pos] <= '9' {
				s.pos++
			}
			n, err := strconv.Atoi(s.src[digits:s.pos])
			if err != nil || s.pos-digits > 9 {
				return nil, s.errorf(digits, "expected an array index (a number) after \"[\", found %s", s.found())
			}
			if s.pos >= len(s.src) || s.src[s.pos] != ']' {
				return nil, s.errorf(s.next(), "expected \"]\" after the array index, found %s", s.found())
			}
			s.pos++
			path = append(path, segment{index: n, isIndex: true})
			continue
		}
		break
	}
	if len(path) == 0 {
		return nil, s.errorf(s.next(), "expected \".\" and a property name after \"$\", found %s", s.found())
	}
	return path, nil
}

// parseValue parses the value after a comparison operator: "quoted",
// %regex% or bare words.
func (p *parser) parseValue(op cmpOp) (value, *Error) {
	s := &p.s
	c := s.peek()
	start := s.pos
	var v value
	switch {
	case c == '"':
		text, err := s.readQuoted()
		if err != nil {
			return v, err
		}
		v = makeValue(text)
	case c == '%':
		text, re, err := s.readRegex()
		if err != nil {
			return v, err
		}
		v = value{text: text, re: re}
	case c != 0 && strings.IndexByte("=!<>", c) >= 0:
		return v, s.errorf(start, "only one comparison operator is allowed, found %s after %q", s.found(), op.String())
	default:
		text := s.readBareValue()
		if text == "" {
			return v, s.errorf(start, "expected a value after %q, found %s", op.String(), s.found())
		}
		v = makeValue(text)
	}
	if op.ordering() && !v.isNum {
		return v, s.errorf(start, "expected a number after %q, found %q", op.String(), s.src[start:s.pos])
	}
	return v, nil
}

// makeValue interprets the text of a value: number, * alone, or a string
// with a leading and/or trailing * wildcard.
func makeValue(text string) value {
	v := value{text: text, core: text}
	if n, ok := parseNumber(text); ok {
		v.num, v.isNum = n, true
		return v
	}
	if strings.Trim(text, "*") == "" && text != "" {
		v.any = true
		v.core = ""
		return v
	}
	if strings.HasPrefix(v.core, "*") {
		v.prefix = true
		v.core = v.core[1:]
	}
	if strings.HasSuffix(v.core, "*") {
		v.suffix = true
		v.core = v.core[:len(v.core)-1]
	}
	return v
}

// parseDelimited parses [slot, slot, ...]. A slot is "...", a field name, a
// field name with conditions (status = 4* || status = 5*), or empty (an
// unnamed field). Conditions may name any field of the pattern.
func (p *parser) parseDelimited() ([]field, expr, *Error) {
	s := &p.s
	p.delimited = true
	s.pos++ // [
	var fields []field
	var conjuncts []expr
	seen := map[string]bool{}
	for {
		s.skipSpace()
		slotPos := s.pos
		if len(fields) == MaxFields {
			return nil, nil, s.errorf(slotPos, "more than %d fields", MaxFields)
		}
		switch c := s.peek(); {
		case s.accept("..."):
			fields = append(fields, field{ellipsis: true})
		case c == ',' || c == ']':
			if c == ']' && len(fields) == 0 {
				return nil, nil, s.errorf(slotPos, "expected a field name or \"...\", found \"]\"")
			}
			fields = append(fields, field{})
		case c == 0:
			return nil, nil, s.errorf(slotPos, "expected a field name or \"...\", found end of pattern")
		default:
			save := s.pos
			name := ""
			if isNameChar(c) {
				name = s.readName()
				if n := s.peek(); n != ',' && n != ']' && n != 0 {
					s.pos = save
					name = ""
				}
			}
			if name == "" {
				first := len(p.conds)
				e, err := p.parseOr()
				if err != nil {
					return nil, nil, err
				}
				name = p.conds[first].fname
				conjuncts = append(conjuncts, e)
			}
			if seen[name] {
				return nil, nil, s.errorf(save, "field %q is named twice", name)
			}
			seen[name] = true
			fields = append(fields, field{name: name})
		}
		if s.accept(",") {
			continue
		}
		if s.accept("]") {
			break
		}
		return nil, nil, s.errorf(s.next(), "expected \",\" or \"]\", found %s", s.found())
	}
	if s.peek() != 0 {
		return nil, nil, s.errorf(s.next(), "expected the end of the pattern after \"]\", found %s", s.found())
	}
	index := map[string]int{}
	for i, f := range fields {
		if !f.ellipsis && f.name != "" {
			index[f.name] = i
		}
	}
	for _, c := range p.conds {
		i, ok := index[c.fname]
		if !ok {
			return nil, nil, s.errorf(c.field, "%q is not a field of this pattern", c.fname)
		}
		c.field = i
	}
	switch len(conjuncts) {
	case 0:
		return fields, nil, nil
	case 1:
		return fields, conjuncts[0], nil
	}
	return fields, &logic{op: opAnd, operands: conjuncts}, nil
}
