package terraform

import (
	"encoding/json"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// hclsyntax's parser, and hcljson's, recurse once for every level of
// nesting without a limit of their own, and the Go runtime ends a program
// whose stack passes 1 GB with a fatal error no recover can catch: 100,000
// nested brackets, a 200 KB file, stopped every scan. So the nesting of
// every file and template is checked before it is parsed (see
// MaxNesting).

// nestingBytes are the bytes that start each level the parsers recurse
// for: brackets, braces and parentheses (template interpolations and
// directives among them), quotes, heredocs, and the unary and conditional
// operators. A text with at most MaxNesting of them cannot nest deeper,
// which spares the lexing of almost every file.
var nestingBytes = [256]bool{'(': true, '[': true, '{': true, '"': true, '<': true, '!': true, '?': true, '-': true}

func fewNestingBytes(src []byte) bool {
	n := 0
	for _, b := range src {
		if nestingBytes[b] {
			if n++; n > MaxNesting {
				return false
			}
		}
	}
	return true
}

// checkNesting returns an error when the native-syntax src (a template
// when template is set, else a file) may nest deeper than MaxNesting. It
// counts, from the lexer's tokens, the open brackets, quotes,
// interpolations and %{if} and %{for} directives, plus the unary and
// conditional operators since the last bracket, quote, comma or equals
// sign: at least the depth the parser will recurse to.
func checkNesting(src []byte, filename string, start hcl.Pos, template bool) *hcl.Diagnostic {
	if fewNestingBytes(src) {
		return nil
	}
	var tokens hclsyntax.Tokens
	if template {
		tokens, _ = hclsyntax.LexTemplate(src, filename, start)
	} else {
		tokens, _ = hclsyntax.LexConfig(src, filename, start)
	}
	depth, chain, directives := 0, 0, 0
	for i, tok := range tokens {
		if i > 0 && tokens[i-1].Type == hclsyntax.TokenTemplateControl && tok.Type == hclsyntax.TokenIdent {
			// %{if} and %{for} nest until their %{endif} and %{endfor}.
			switch string(tok.Bytes) {
			case "if", "for":
				directives++
			case "endif", "endfor":
				directives = max(0, directives-1)
			}
		}
		switch tok.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenTemplateInterp,
			hclsyntax.TokenTemplateControl, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
			chain = 0
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd,
			hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			depth = max(0, depth-1)
			chain = 0
		case hclsyntax.TokenComma, hclsyntax.TokenEqual:
			chain = 0
		case hclsyntax.TokenBang, hclsyntax.TokenMinus, hclsyntax.TokenQuestion:
			chain++
		default:
			continue
		}
		if depth+chain+directives > MaxNesting {
			return nestingTooDeep(filename, tok.Range)
		}
	}
	return nil
}

// checkJSONNesting is checkNesting for a JSON file: its arrays and objects,
// and the templates in its strings, which are parsed when evaluated.
func checkJSONNesting(src []byte, filename string) *hcl.Diagnostic {
	if fewNestingBytes(src) {
		return nil
	}
	var bad *hcl.Diagnostic
	at := walkJSON(src, func(start, end int) bool {
		lit := src[start:end]
		if fewNestingBytes(lit) {
			return true
		}
		var s string
		if json.Unmarshal(lit, &s) != nil {
			return true // hcljson reports it
		}
		pos := byteRange(src, filename, start+1).Start
		if checkNesting([]byte(s), filename, pos, true) != nil {
			bad = nestingTooDeep(filename, byteRange(src, filename, start))
			return false
		}
		return true
	})
	if at >= 0 {
		return nestingTooDeep(filename, byteRange(src, filename, at))
	}
	return bad
}

// walkJSON goes through the JSON text src and returns the offset of the
// bracket or brace that opens a level deeper than MaxNesting, or -1. It
// calls str with the offsets of each string, quotes included, and stops
// when str returns false.
func walkJSON(src []byte, str func(start, end int) bool) int {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '[', '{':
			if depth++; depth > MaxNesting {
				return i
			}
		case ']', '}':
			depth = max(0, depth-1)
		case '"':
			end := i + 1
			for end < len(src) && src[end] != '"' {
				if src[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(src) {
				return -1 // unterminated: the parser reports it
			}
			if !str(i, end+1) {
				return -1
			}
			i = end
		}
	}
	return -1
}

// jsonTooDeep reports whether the JSON text s nests deeper than
// MaxNesting, for jsondecode.
func jsonTooDeep(s string) bool {
	src := []byte(s)
	return !fewNestingBytes(src) && walkJSON(src, func(int, int) bool { return true }) >= 0
}

// yamlTooDeep reports whether the YAML text s may nest deeper than
// MaxNesting, for yamldecode: it may when it opens more than MaxNesting
// flow collections or indents a line by more than MaxNesting spaces. (It
// does not parse YAML: a large document with many brackets is refused too,
// and its value is unknown rather than wrong.)
func yamlTooDeep(s string) bool {
	opens, indent := 0, 0
	atLineStart := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\n':
			atLineStart, indent = true, 0
		case atLineStart && (c == ' ' || c == '\t' || c == '-'):
			if indent++; indent > MaxNesting {
				return true
			}
		default:
			atLineStart = false
			if c == '[' || c == '{' {
				if opens++; opens > MaxNesting {
					return true
				}
			}
		}
	}
	return false
}

func nestingTooDeep(filename string, rng hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Nesting too deep",
		Detail:   fmt.Sprintf("%s nests brackets, templates or operators more than %d deep; vigil does not parse it, since the parser would run out of stack.", filename, MaxNesting),
		Subject:  &rng,
	}
}

// byteRange is the one-byte range at offset in src.
func byteRange(src []byte, filename string, offset int) hcl.Range {
	start := offsetPos(src, offset)
	end := start
	end.Column++
	end.Byte++
	return hcl.Range{Filename: filename, Start: start, End: end}
}
