package report

// This file measures text as a terminal shows it and wraps it to a width:
// the text formats never write a line wider than Options.Width columns.
// Widths are display widths (go-pretty's text.RuneWidth, rune by rune: a
// wide East Asian character takes two columns, a combining mark none),
// never bytes.

import (
	"strings"
	"unicode/utf8"

	"github.com/jedib0t/go-pretty/v6/text"
)

// printableRun returns the length of the run of printable ASCII that s
// starts with, looking at eight bytes at a time.
func printableRun(s string) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; len(s)-i >= 8; i += 8 {
		// Is there a byte below ' ', or above '~' (DEL and every byte of
		// a non-ASCII rune)?
		if x := load64(s[i:]); ((x-ones*' ')&^x|(x+ones)|x)&highs != 0 {
			break
		}
	}
	for i < len(s) && s[i] >= ' ' && s[i] <= '~' {
		i++
	}
	return i
}

// load64 reads the first eight bytes of s, the first in the lowest bits.
func load64(s string) uint64 {
	b := s[:8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// asciiWidth is text.RuneWidth of an ASCII character: one column for a
// printable one, none for a control character.
func asciiWidth(c byte) int {
	if c >= ' ' && c < 0x7f {
		return 1
	}
	return 0
}

// runeWidth is text.RuneWidth, without the call for ASCII.
func runeWidth(r rune) int {
	if r < utf8.RuneSelf {
		return asciiWidth(byte(r))
	}
	return text.RuneWidth(r)
}

// stringWidth is text.StringWidthWithoutEscSequences(s): how many terminal
// columns s takes.
func stringWidth(s string) int {
	width := printableRun(s)
	for i := width; i < len(s); {
		switch c := s[i]; {
		case c == 0x1b:
			return text.StringWidthWithoutEscSequences(s)
		case c < utf8.RuneSelf:
			width += asciiWidth(c)
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			width += text.RuneWidth(r)
			i += n
		}
	}
	return width
}

// wrapLine breaks one line of text, without escape sequences or newlines,
// into pieces that fit: the first in first columns, the others in rest
// columns. It breaks at the last space that lets a piece fit, or inside a
// word longer than the room. The spaces at a break are dropped, the others
// kept (code keeps its alignment). A room of zero or less does not wrap.
func wrapLine(line string, first, rest int) []string {
	return appendWrappedLine(nil, line, first, rest)
}

// appendWrappedLine appends the pieces wrapLine breaks line into to
// pieces.
func appendWrappedLine(pieces []string, line string, first, rest int) []string {
	if first <= 0 || stringWidth(line) <= first {
		return append(pieces, line)
	}
	room := first
	for line != "" {
		if room <= 0 || stringWidth(line) <= room {
			pieces = append(pieces, line)
			break
		}
		// cut is where the piece ends; lastSpace the last space before
		// the room runs out, where a break keeps words whole.
		cut, lastSpace, used := 0, -1, 0
		for cut < len(line) {
			r, n := utf8.DecodeRuneInString(line[cut:])
			w := runeWidth(r)
			if used+w > room {
				break
			}
			if r == ' ' && cut > 0 {
				lastSpace = cut
			}
			used += w
			cut += n
		}
		switch {
		case cut < len(line) && line[cut] == ' ' && strings.TrimLeft(line[:cut], " ") != "":
			// The piece ends right before a space: a break as good as any.
		case lastSpace > 0 && strings.TrimLeft(line[:lastSpace], " ") != "":
			cut = lastSpace
		case cut == 0:
			// Not even one character fits: take one anyway, so that the
			// loop ends.
			_, cut = utf8.DecodeRuneInString(line)
		}
		pieces = append(pieces, strings.TrimRight(line[:cut], " "))
		line = strings.TrimLeft(line[cut:], " ")
		room = rest
	}
	return pieces
}

// cutLine shortens one line of text, without escape sequences, to at most
// width columns, ending it with "…" when it was cut. A width of zero or
// less does not cut.
func cutLine(line string, width int) string {
	if width <= 0 || stringWidth(line) <= width {
		return line
	}
	used := 0
	for i, r := range line {
		w := runeWidth(r)
		if used+w > width-1 {
			return line[:i] + "…"
		}
		used += w
	}
	return line
}
