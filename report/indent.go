package report

import "bytes"

// appendIndented appends src, compact JSON as encoding/json encodes it,
// indented exactly as json.Indent(dst, src, prefix, indent) would indent
// it. json.Indent runs its validating scanner over every byte, strings
// included, which made indenting most of the cost of a large SARIF report
// (its results are mostly trace lines and remediation texts). Here strings
// are copied whole. src must be valid: it always comes from encoding/json.
func appendIndented(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	// needIndent delays the line break after '{' or '[', so that empty
	// objects and arrays stay "{}" and "[]".
	needIndent := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			dst = appendNewline(dst, prefix, indent, depth)
		}
		switch c {
		case '"':
			end := stringEnd(src, i)
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = appendNewline(dst, prefix, indent, depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				dst = appendNewline(dst, prefix, indent, depth)
			}
			dst = append(dst, c)
		case ' ', '\t', '\n', '\r':
			// Space between tokens: json.Indent drops it too.
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// stringEnd returns the index just past the JSON string that starts with
// the quote at src[start], or len(src) if it does not end.
func stringEnd(src []byte, start int) int {
	for i := start + 1; i < len(src); {
		q := bytes.IndexByte(src[i:], '"')
		if q < 0 {
			return len(src)
		}
		i += q
		// The quote ends the string unless an odd number of
		// backslashes escapes it.
		n := 0
		for j := i - 1; j > start && src[j] == '\\'; j-- {
			n++
		}
		i++
		if n%2 == 0 {
			return i
		}
	}
	return len(src)
}

func appendNewline(dst []byte, prefix, indent string, depth int) []byte {
	dst = append(dst, '\n')
	dst = append(dst, prefix...)
	for range depth {
		dst = append(dst, indent...)
	}
	return dst
}
