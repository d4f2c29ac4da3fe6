package filterpattern

import (
	"regexp"
	"strconv"
	"strings"
)

// scanner reads a pattern byte by byte. The three kinds of pattern have
// different lexical rules (a bare value may hold spaces, a term may hold
// punctuation), so the parser asks the scanner for the token it expects next
// instead of reading a fixed token stream.
type scanner struct {
	src   string
	pos   int
	depth int
}

func (s *scanner) errorf(pos int, format string, args ...any) *Error {
	return newError(s.src, pos, format, args...)
}

func (s *scanner) eof() bool { return s.pos >= len(s.src) }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (s *scanner) skipSpace() {
	for s.pos < len(s.src) && isSpace(s.src[s.pos]) {
		s.pos++
	}
}

// peek returns the next byte after white space, or 0 at the end.
func (s *scanner) peek() byte {
	s.skipSpace()
	if s.eof() {
		return 0
	}
	return s.src[s.pos]
}

// accept consumes lit (after white space) if it comes next.
func (s *scanner) accept(lit string) bool {
	s.skipSpace()
	if strings.HasPrefix(s.src[s.pos:], lit) {
		s.pos += len(lit)
		return true
	}
	return false
}

// acceptWord consumes a keyword (case-insensitive) that is not followed by a
// name character.
func (s *scanner) acceptWord(word string) bool {
	s.skipSpace()
	end := s.pos + len(word)
	if end > len(s.src) || !strings.EqualFold(s.src[s.pos:end], word) {
		return false
	}
	if end < len(s.src) && isNameChar(s.src[end]) {
		return false
	}
	s.pos = end
	return true
}

// next returns the offset of the next non-space byte, without moving.
func (s *scanner) next() int {
	i := s.pos
	for i < len(s.src) && isSpace(s.src[i]) {
		i++
	}
	return i
}

// found describes the text at the next non-space byte for an error message.
func (s *scanner) found() string {
	i := s.next()
	if i >= len(s.src) {
		return "end of pattern"
	}
	rest := s.src[i:]
	for _, op := range []string{"&&", "||", "!=", "<=", ">=", "..."} {
		if strings.HasPrefix(rest, op) {
			return strconv.Quote(op)
		}
	}
	if isNameChar(rest[0]) {
		end := 0
		for end < len(rest) && end < 20 && isNameChar(rest[end]) {
			end++
		}
		return strconv.Quote(rest[:end])
	}
	r := []rune(rest)
	return strconv.Quote(string(r[0]))
}

// isNameChar reports whether c may appear in a selector property or a field
// name. AWS documents letters, digits, '-' and '_'; vigil also accepts the
// other characters that cannot be confused with an operator (':' '@' '$' …),
// since CloudTrail keys such as "aws:SourceIp" hold them.
func isNameChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c >= 0x80:
		return true
	}
	return strings.IndexByte("_-:@$", c) >= 0
}

// isBareValueChar reports whether c may appear in an unquoted value.
func isBareValueChar(c byte) bool {
	if isSpace(c) {
		return false
	}
	return strings.IndexByte(`(){}[]"&|=!<>,%`, c) < 0
}

// readQuoted reads a double-quoted string at s.pos and returns its content.
// Inside it, \" is a quote and \\ a backslash; any other backslash is kept.
func (s *scanner) readQuoted() (string, *Error) {
	start := s.pos
	s.pos++ // opening quote
	var b strings.Builder
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '"':
			s.pos++
			return b.String(), nil
		case c == '\\' && s.pos+1 < len(s.src) && (s.src[s.pos+1] == '"' || s.src[s.pos+1] == '\\'):
			b.WriteByte(s.src[s.pos+1])
			s.pos += 2
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
	return "", s.errorf(start, "unterminated string: expected a closing \"")
}

// readRegex reads %regex% at s.pos and compiles it.
func (s *scanner) readRegex() (string, *regexp.Regexp, *Error) {
	start := s.pos
	end := strings.IndexByte(s.src[s.pos+1:], '%')
	if end < 0 {
		return "", nil, s.errorf(start, "unterminated regular expression: expected a closing %%")
	}
	text := s.src[s.pos+1 : s.pos+1+end]
	if text == "" {
		return "", nil, s.errorf(start, "empty regular expression")
	}
	re, err := regexp.Compile(text)
	if err != nil {
		return "", nil, s.errorf(start+1, "bad regular expression: %v", err)
	}
	s.pos += end + 2
	return text, re, nil
}

// readBareValue reads an unquoted value: one or more words of bare value
// characters separated by white space ("Failed authentication" written
// without quotes, as some CIS transcriptions do). Inner white space is kept
// as written.
func (s *scanner) readBareValue() string {
	s.skipSpace()
	start := s.pos
	end := s.pos
	for {
		for s.pos < len(s.src) && isBareValueChar(s.src[s.pos]) {
			s.pos++
		}
		if s.pos == end {
			break
		}
		end = s.pos
		s.skipSpace()
		if s.eof() || !isBareValueChar(s.src[s.pos]) {
			break
		}
	}
	s.pos = end
	return s.src[start:end]
}

// readName reads a run of name characters.
func (s *scanner) readName() string {
	start := s.pos
	for s.pos < len(s.src) && isNameChar(s.src[s.pos]) {
		s.pos++
	}
	return s.src[start:s.pos]
}

var numberRE = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// parseNumber parses AWS's number syntax: an optional sign, digits with an
// optional fraction, an optional exponent.
func parseNumber(text string) (float64, bool) {
	if !numberRE.MatchString(text) {
		return 0, false
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}
