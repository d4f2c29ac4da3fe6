package entity

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text from an input (an entity's name, a line of a .tf file, a rule ID) is
// written by strangers and may carry characters that act on whoever reads
// it: an escape sequence that recolours or rewrites a terminal line, a NUL,
// a carriage return that overwrites a CI log line, a bidirectional control
// that reorders what an editor shows. Printable and PrintableWriter are the
// one escaping every writer of such text uses: the reports, the remediation
// texts of rules and the command line's standard error.

// Unprintable reports whether r is a character that text from an input must
// not carry raw to a terminal, a log or a report: control characters (C0,
// DEL, C1), bidirectional controls, the line and paragraph separators, and
// U+FFFD, the mark of a decoding error, so that a real U+FFFD is not taken
// for one.
func Unprintable(r rune) bool {
	return unicode.IsControl(r) || r == utf8.RuneError || r == '\u2028' || r == '\u2029' ||
		unicode.Is(unicode.Bidi_Control, r)
}

// Printable returns s with every Unprintable character written as a Go
// escape (\x1b, \x00, \r, \u202e) and every byte that is not part of valid
// UTF-8 as \xff, except the characters listed in keep ("\n\t" for text that
// may span lines, "" for text shown on one line). It returns s itself when
// nothing needs escaping.
func Printable(s, keep string) string {
	i := printableLen(s, keep)
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	return string(appendPrintable(b, s[i:], keep))
}

// printableLen is the length of the start of s that Printable leaves as it
// is.
func printableLen(s, keep string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if strings.IndexByte(keep, c) < 0 {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if Unprintable(r) {
			return i
		}
		i += size
	}
	return i
}

// appendPrintable appends what Printable makes of s to b.
func appendPrintable(b []byte, s, keep string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c < 0x7f || strings.IndexByte(keep, c) >= 0 {
				b = append(b, c)
			} else {
				b = appendEscape(b, rune(c))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		case Unprintable(r):
			b = appendEscape(b, r)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendEscape appends r as Go writes it in a quoted string with %+q.
func appendEscape(b []byte, r rune) []byte {
	switch r {
	case '\a':
		return append(b, `\a`...)
	case '\b':
		return append(b, `\b`...)
	case '\f':
		return append(b, `\f`...)
	case '\n':
		return append(b, `\n`...)
	case '\r':
		return append(b, `\r`...)
	case '\t':
		return append(b, `\t`...)
	case '\v':
		return append(b, `\v`...)
	}
	if r < utf8.RuneSelf {
		return append(b, '\\', 'x', hexDigits[r>>4], hexDigits[r&0xf])
	}
	// Every Unprintable rune is in the Basic Multilingual Plane.
	return append(b, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// PrintableWriter writes to an underlying writer what Printable makes of
// everything written to it, for streams of text from inputs (diagnostics
// with source snippets, error messages). A UTF-8 sequence cut between two
// writes is held until the next one; Flush writes what is left of it.
type PrintableWriter struct {
	w    io.Writer
	keep string
	// partial is the start of a UTF-8 sequence the last write ended in.
	partial []byte
	buf     []byte
}

// NewPrintableWriter returns a PrintableWriter to w that leaves the
// characters of keep (see Printable) as they are.
func NewPrintableWriter(w io.Writer, keep string) *PrintableWriter {
	return &PrintableWriter{w: w, keep: keep}
}

// Write escapes p and writes it. It reports len(p) written when the
// underlying writer took all of the escaped text.
func (pw *PrintableWriter) Write(p []byte) (int, error) {
	n := len(p)
	if len(pw.partial) > 0 {
		p = append(pw.partial, p...)
		pw.partial = nil
	}
	// Hold back an incomplete UTF-8 sequence at the end: at most three
	// bytes, of which the first starts a sequence longer than what is
	// left.
	for k := 1; k <= utf8.UTFMax-1 && k <= len(p); k++ {
		c := p[len(p)-k]
		if c < utf8.RuneSelf {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(p[len(p)-k:]) {
				pw.partial = append(pw.partial[:0], p[len(p)-k:]...)
				p = p[:len(p)-k]
			}
			break
		}
	}
	pw.buf = appendPrintable(pw.buf[:0], string(p), pw.keep)
	if _, err := pw.w.Write(pw.buf); err != nil {
		return 0, err
	}
	return n, nil
}

// Flush writes the bytes of an incomplete UTF-8 sequence the last write
// ended in, escaped as \xNN. It does not close the underlying writer.
func (pw *PrintableWriter) Flush() error {
	if len(pw.partial) == 0 {
		return nil
	}
	pw.buf = appendPrintable(pw.buf[:0], string(pw.partial), pw.keep)
	pw.partial = nil
	_, err := pw.w.Write(pw.buf)
	return err
}
