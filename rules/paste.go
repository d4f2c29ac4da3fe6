package rules

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"vigil/entity"
)

// A remediation text pastes values from the finding (a trail's name, an
// ARN, a region) into console steps, shell commands and Terraform. Those
// values come from the scanned input and are written by strangers: a trail
// named "audit; curl x | sh; echo" must not turn a fix into a command that
// runs something else. So each value is written for the place it is pasted
// in, which the remediation field's language (console, cli, terraform) and
// the text before the value decide (see lex.go). This file writes the
// values.

// MaxPastedBytes is the longest value pasted into a remediation text. A
// longer one (a megabyte-long Terraform local used as a trail name) is
// replaced by a placeholder that gives its length, "<name of 1048576 bytes,
// not shown>", so that it is not copied into the fix of every finding. It
// is long enough for every AWS name and ARN, IAM role ARNs with paths
// included.
const MaxPastedBytes = 1024

// pasteContext is where in a remediation text a value is pasted.
type pasteContext uint8

const (
	// pasteProse is text for people: console steps, and comments in
	// commands and Terraform. The value is shown on one line, with control
	// characters and invalid UTF-8 escaped (entity.Printable).
	pasteProse pasteContext = iota
	// pasteShellWord is a shell word outside quotes: the value is quoted
	// with single quotes, unless it has only characters the shell takes
	// literally.
	pasteShellWord
	// pasteShellSingle is inside '...' in a shell command.
	pasteShellSingle
	// pasteShellDouble is inside "..." in a shell command.
	pasteShellDouble
	// pasteHCLString is inside a quoted string in Terraform.
	pasteHCLString
	// pasteHCLLabel is inside a block label in Terraform
	// (resource "aws_cloudtrail" "{{.ResourceName}}"): a value that is not
	// a Terraform name is replaced by a placeholder.
	pasteHCLLabel
)

// pasteContextNames name the contexts in the templates text/template runs
// (see pasteFunc).
var pasteContextNames = [...]string{
	pasteProse:       "prose",
	pasteShellWord:   "shell-word",
	pasteShellSingle: "shell-single-quoted",
	pasteShellDouble: "shell-double-quoted",
	pasteHCLString:   "hcl-string",
	pasteHCLLabel:    "hcl-label",
}

func (c pasteContext) String() string { return pasteContextNames[c] }

// paste returns value as it is written in context c. label names the value
// in a placeholder ("name", "region", an attribute's path).
func paste(c pasteContext, label, value string) string {
	if len(value) > MaxPastedBytes {
		value = fmt.Sprintf("<%s of %d bytes, not shown>", label, len(value))
	}
	switch c {
	case pasteShellWord, pasteShellSingle, pasteShellDouble:
		// No shell argument can hold a NUL. A word that starts with "-"
		// is read as an option whichever way it is quoted
		// ("--name --endpoint-url=https://x" would send the call
		// elsewhere), and no AWS name starts with one.
		switch {
		case strings.IndexByte(value, 0) >= 0:
			value = fmt.Sprintf("<%s with a NUL character, not shown>", label)
		case strings.HasPrefix(value, "-"):
			value = fmt.Sprintf("<%s starting with a dash, not shown>", label)
		}
		switch c {
		case pasteShellWord:
			return shellQuote(value)
		case pasteShellSingle:
			return strings.ReplaceAll(value, "'", `'\''`)
		}
		// Inside "...", $, ` and \ still act: close the double quotes
		// around a single-quoted value ("abc"'$(id)'"def" is one word).
		if shellLiteral(value) {
			return value
		}
		return `"` + shellQuote(value) + `"`
	case pasteHCLLabel:
		// A label names the block: Terraform takes only a name there,
		// so anything else would not apply. The placeholder of an
		// unknown value stays as it is.
		if !isTerraformName(value) && value != "<"+label+">" {
			value = fmt.Sprintf("<%s that is not a Terraform name>", label)
		}
		return hclEscape(value)
	case pasteHCLString:
		// An HCL string holds Unicode text only.
		if !utf8.ValidString(value) {
			value = fmt.Sprintf("<%s with invalid UTF-8, not shown>", label)
		}
		return hclEscape(value)
	}
	return entity.Printable(value, "")
}

// shellLiteral reports whether s is not empty and made only of characters
// that a POSIX shell (and bash, interactive or not) takes literally
// anywhere in a word.
func shellLiteral(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("_@%+=:,./-", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// shellQuote makes s one shell word: s itself when the shell takes it
// literally, otherwise s in single quotes, each ' in it closing the quotes,
// escaped and reopening them (the four characters ', \, ', ').
func shellQuote(s string) string {
	if shellLiteral(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// hclEscape writes s as the inside of a quoted HCL string: " and \
// escaped, "${" and "%{" doubled so that they start no interpolation, a $
// or % at the end escaped so that a "{" after the value starts none either,
// and control characters, bidirectional controls and the line separators
// as \n, \t or \uXXXX.
func hclEscape(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		switch c := s[i]; {
		case c < 0x20, c == 0x7f, c == '"', c == '\\', c == '$', c == '%', c >= utf8.RuneSelf:
			clean = false
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '$' || r == '%':
			switch {
			case i+1 == len(s):
				fmt.Fprintf(&b, `\u%04x`, r)
			case s[i+1] == '{':
				b.WriteRune(r)
				b.WriteRune(r)
			default:
				b.WriteRune(r)
			}
		case entity.Unprintable(r):
			b.WriteString(`\u`)
			b.WriteString(fmt.Sprintf("%04x", r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pasteFuncName is the function that templates text/template runs call on
// every value they print (see addPasteCalls).
const pasteFuncName = "_vigil_paste"

// pasteFuncs holds the function, for template.Funcs.
var pasteFuncs = map[string]any{pasteFuncName: pasteFunc}

// pasteFunc is paste for a value printed by text/template: the context's
// name, the value's label, and the value, printed as text/template prints.
func pasteFunc(context, label string, v any) (string, error) {
	for c, name := range pasteContextNames {
		if name == context {
			s, ok := v.(string)
			if !ok {
				s = fmt.Sprint(v)
			}
			return paste(pasteContext(c), label, s), nil
		}
	}
	return "", fmt.Errorf("unknown paste context %s", strconv.Quote(context))
}
