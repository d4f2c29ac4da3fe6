package gsl

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// lexer splits a rule's text into tokens. It stops at the first error.
type lexer struct {
	src       string
	off       int
	line, col int
	toks      []token
}

// lex returns the tokens of src, ending with tEOF, or the first lexical error.
func lex(src string) ([]token, *Diagnostic) {
	lx := &lexer{src: src, line: 1, col: 1, toks: make([]token, 0, min(len(src)/8+8, 4096))}
	for {
		lx.skipSpace()
		if lx.off >= len(lx.src) {
			p := lx.pos()
			lx.toks = append(lx.toks, token{kind: tEOF, span: Span{p, p}})
			return lx.toks, nil
		}
		if len(lx.toks) > maxNodes*2 {
			return nil, lx.errAt(lx.pos(), fmt.Sprintf("rule is longer than %d tokens", maxNodes*2))
		}
		if err := lx.next(); err != nil {
			return nil, err
		}
	}
}

func (lx *lexer) pos() Pos { return Pos{Offset: lx.off, Line: lx.line, Col: lx.col} }

func (lx *lexer) peek() rune {
	if lx.off >= len(lx.src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(lx.src[lx.off:])
	return r
}

func (lx *lexer) peekAt(n int) byte {
	if lx.off+n >= len(lx.src) {
		return 0
	}
	return lx.src[lx.off+n]
}

func (lx *lexer) advance() rune {
	r, size := utf8.DecodeRuneInString(lx.src[lx.off:])
	lx.off += size
	if r == '\n' {
		lx.line++
		lx.col = 1
	} else {
		lx.col++
	}
	return r
}

func (lx *lexer) skipSpace() {
	for lx.off < len(lx.src) {
		switch lx.src[lx.off] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			lx.advance()
		default:
			return
		}
	}
}

func (lx *lexer) errAt(at Pos, msg string) *Diagnostic {
	return diagnostic(lx.src, Span{at, at}, msg)
}

func (lx *lexer) emit(kind tokenKind, text string, start Pos) *token {
	lx.toks = append(lx.toks, token{kind: kind, text: text, raw: lx.src[start.Offset:lx.off], span: Span{start, lx.pos()}})
	return &lx.toks[len(lx.toks)-1]
}

func isLetter(c rune) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isDigit(c rune) bool { return '0' <= c && c <= '9' }

func isWordChar(c rune) bool { return isLetter(c) || isDigit(c) }

// isSegmentChar: path segments after the first may also hold ':' and '-'
// (gsl-spec.md §7.35: Condition.Bool.aws:SecureTransport).
func isSegmentChar(c rune) bool { return isWordChar(c) || c == ':' || c == '-' }

func (lx *lexer) next() *Diagnostic {
	start := lx.pos()
	c := lx.peek()
	switch {
	case isLetter(c):
		return lx.word(start)
	case isDigit(c) || (c == '-' && isDigit(rune(lx.peekAt(1)))):
		return lx.number(start)
	case c == '\'' || c == '"':
		return lx.str(start)
	case c == '/' && len(lx.toks) > 0 && lx.toks[len(lx.toks)-1].is("regexmatch"):
		return lx.regex(start)
	}
	lx.advance()
	switch c {
	case '$':
		lx.emit(tDollar, "$", start)
	case '(':
		lx.emit(tLParen, "(", start)
	case ')':
		lx.emit(tRParen, ")", start)
	case '[':
		lx.emit(tLBrack, "[", start)
	case ']':
		lx.emit(tRBrack, "]", start)
	case ',':
		lx.emit(tComma, ",", start)
	case '=':
		lx.emit(tCmp, "=", start)
	case '<', '>':
		op := string(c)
		if lx.peek() == '=' {
			lx.advance()
			op += "="
		}
		lx.emit(tCmp, op, start)
	case '!':
		if lx.peek() != '=' {
			return lx.errAt(start, "unexpected '!': did you mean '!=' or 'not'?")
		}
		lx.advance()
		lx.emit(tCmp, "!=", start)
	default:
		return lx.errAt(start, fmt.Sprintf("unexpected character %s", quoteRune(c)))
	}
	return nil
}

func quoteRune(c rune) string {
	if c == '\'' {
		return `"'"`
	}
	if strconv.IsPrint(c) {
		return "'" + string(c) + "'"
	}
	return fmt.Sprintf("%U", c)
}

// word lexes a keyword, a name or dotted path, or List<Name>.
func (lx *lexer) word(start Pos) *Diagnostic {
	for isWordChar(lx.peek()) {
		lx.advance()
	}
	w := lx.src[start.Offset:lx.off]
	lw := strings.ToLower(w)
	if lw == "contain" && lx.peek() == '-' {
		for _, suffix := range []string{"any", "all", "none"} {
			end := lx.off + 1 + len(suffix)
			if end <= len(lx.src) && strings.EqualFold(lx.src[lx.off+1:end], suffix) &&
				(end == len(lx.src) || !isWordChar(rune(lx.src[end]))) {
				for lx.off < end {
					lx.advance()
				}
				lx.emit(tKeyword, "contain-"+suffix, start)
				return nil
			}
		}
		return lx.errAt(start, "expected 'contain-any', 'contain-all' or 'contain-none' after 'contain-'")
	}
	if lw == "list" && lx.peek() == '<' {
		lx.advance()
		nameStart := lx.pos()
		if !isLetter(lx.peek()) {
			return lx.errAt(nameStart, "expected an entity type after 'List<', found "+lx.describeHere())
		}
		for isWordChar(lx.peek()) {
			lx.advance()
		}
		name := lx.src[nameStart.Offset:lx.off]
		if lx.peek() != '>' {
			p := lx.pos()
			return lx.errAt(p, "expected '>' to close 'List<"+name+"', found "+lx.describeHere())
		}
		lx.advance()
		lx.emit(tList, name, start)
		return nil
	}
	if kw, ok := lookupKeyword(w); ok {
		lx.emit(tKeyword, kw, start)
		return nil
	}
	for lx.peek() == '.' {
		if !isSegmentChar(rune(lx.peekAt(1))) {
			p := lx.pos()
			lx.advance()
			return lx.errAt(p, "expected a field name after '.' in path '"+lx.src[start.Offset:p.Offset]+"', found "+lx.describeHere())
		}
		lx.advance()
		for isSegmentChar(lx.peek()) {
			lx.advance()
		}
	}
	lx.emit(tIdent, lx.src[start.Offset:lx.off], start)
	return nil
}

// describeHere names what is at the current offset, for messages.
func (lx *lexer) describeHere() string {
	c := lx.peek()
	switch {
	case c < 0:
		return "end of rule"
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		return "a space"
	}
	return quoteRune(c)
}

func (lx *lexer) number(start Pos) *Diagnostic {
	if lx.peek() == '-' {
		lx.advance()
	}
	for isDigit(lx.peek()) {
		lx.advance()
	}
	if lx.peek() == '.' && isDigit(rune(lx.peekAt(1))) {
		lx.advance()
		for isDigit(lx.peek()) {
			lx.advance()
		}
	}
	if c := lx.peek(); c == 'e' || c == 'E' {
		n := 1
		if s := lx.peekAt(1); s == '+' || s == '-' {
			n = 2
		}
		if isDigit(rune(lx.peekAt(n))) {
			for range n {
				lx.advance()
			}
			for isDigit(lx.peek()) {
				lx.advance()
			}
		}
	}
	raw := lx.src[start.Offset:lx.off]
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return lx.errAt(start, "number "+clip(raw, 40)+" is out of range")
	}
	t := lx.emit(tNumber, raw, start)
	t.num = f
	return nil
}

// str lexes a quoted string. Escapes: \\, \' and \"; any other backslash is
// kept as it is (gsl-spec.md §7.23).
func (lx *lexer) str(start Pos) *Diagnostic {
	quote := lx.advance()
	var b strings.Builder
	for {
		if lx.off >= len(lx.src) {
			d := lx.errAt(start, fmt.Sprintf("unterminated string: no closing %c for the quote opened at %s", quote, start))
			d.Ref = start
			return d
		}
		c := lx.advance()
		switch c {
		case quote:
			lx.emit(tString, b.String(), start)
			return nil
		case '\\':
			if n := lx.peek(); n == '\\' || n == '\'' || n == '"' {
				b.WriteRune(lx.advance())
				continue
			}
		}
		b.WriteRune(c)
	}
}

// regex lexes /pattern/flags. "\/" writes a slash; other escapes are left
// for RE2.
func (lx *lexer) regex(start Pos) *Diagnostic {
	lx.advance()
	var b strings.Builder
	for {
		if lx.off >= len(lx.src) {
			d := lx.errAt(start, fmt.Sprintf("unterminated regular expression: no closing / for the one at %s", start))
			d.Ref = start
			return d
		}
		c := lx.advance()
		if c == '/' {
			break
		}
		if c == '\\' && lx.peek() == '/' {
			b.WriteRune(lx.advance())
			continue
		}
		b.WriteRune(c)
		if c == '\\' && lx.off < len(lx.src) {
			b.WriteRune(lx.advance())
		}
	}
	flagStart := lx.pos()
	for isLetter(lx.peek()) {
		lx.advance()
	}
	flags := lx.src[flagStart.Offset:lx.off]
	for i, f := range flags {
		if f != 'i' {
			p := flagStart
			p.Offset += i
			p.Col += i
			return lx.errAt(p, fmt.Sprintf("unknown regular expression flag %q: the only flag is 'i'", f))
		}
	}
	t := lx.emit(tRegex, b.String(), start)
	t.flags = flags
	return nil
}
