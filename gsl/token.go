package gsl

import "strings"

// tokenKind classifies tokens.
type tokenKind uint8

const (
	tEOF     tokenKind = iota
	tIdent             // a name or dotted path: isMultiRegionTrail, status.isLogging
	tKeyword           // a reserved word; text holds its lower-case spelling
	tString            // 'text' or "text"; text holds the value after escapes
	tNumber            // -1, 22, 0.5, 1e3
	tRegex             // /pattern/flags, only after regexMatch; text is the pattern
	tList              // List<Name>; text holds Name
	tDollar            // $
	tLParen            // (
	tRParen            // )
	tLBrack            // [
	tRBrack            // ]
	tComma             // ,
	tCmp               // = != < > <= >=; text holds the operator
)

var tokenNames = [...]string{
	tEOF: "end of rule", tIdent: "name", tKeyword: "keyword", tString: "string", tNumber: "number",
	tRegex: "regular expression", tList: "List<...>", tDollar: "'$'", tLParen: "'('", tRParen: "')'",
	tLBrack: "'['", tRBrack: "']'", tComma: "','", tCmp: "operator",
}

// token is one lexical token.
type token struct {
	kind tokenKind
	text string
	// raw is the token's source text.
	raw  string
	span Span
	// num is the value of a tNumber.
	num float64
	// flags are a tRegex's flags.
	flags string
}

// describe names the token for "found ..." in messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of rule"
	case tIdent:
		return "name '" + t.text + "'"
	case tKeyword:
		return "keyword '" + t.text + "'"
	case tString:
		return "string " + clip(t.raw, 40)
	case tNumber:
		return "number " + t.raw
	case tCmp:
		return "'" + t.text + "'"
	case tList:
		return "'" + t.raw + "'"
	}
	return tokenNames[t.kind]
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// keywords are the reserved words of gsl-spec.md §7.22, matched
// case-insensitively. "List" appears only as List<X>.
var keywords = map[string]bool{
	"should": true, "not": true, "have": true, "where": true, "and": true, "or": true,
	"in": true, "like": true, "unlike": true, "regexmatch": true, "with": true,
	"contain": true, "contain-any": true, "contain-all": true, "contain-none": true,
	"true": true, "false": true, "list": true,
}

// lookupKeyword returns the canonical spelling of word if it is a keyword.
func lookupKeyword(word string) (string, bool) {
	l := strings.ToLower(word)
	if keywords[l] {
		return l, true
	}
	return "", false
}

// is reports whether t is the keyword kw (lower case).
func (t token) is(kw string) bool { return t.kind == tKeyword && t.text == kw }
