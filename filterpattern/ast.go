package filterpattern

import "regexp"

// Kind is the kind of a filter pattern: terms, JSON or space-delimited.
type Kind int

// The three kinds of filter pattern.
const (
	// KindTerms is a term pattern: ERROR -DEBUG ?WARN "exact phrase" %regex%.
	// The empty pattern is a term pattern with no terms; it matches every event.
	KindTerms Kind = iota
	// KindJSON is a JSON pattern: { $.a.b = "x" && $.c > 5 }.
	KindJSON
	// KindDelimited is a space-delimited pattern: [ip, user, ..., status = 4*].
	KindDelimited
)

func (k Kind) String() string {
	switch k {
	case KindTerms:
		return "terms"
	case KindJSON:
		return "JSON"
	case KindDelimited:
		return "space-delimited"
	}
	return "unknown"
}

// Pattern is a parsed filter pattern. It is immutable and safe for
// concurrent use.
type Pattern struct {
	src  string
	kind Kind

	// terms holds the terms of a KindTerms pattern.
	terms []term
	// expr is the condition of a JSON pattern, or the conjunction of the
	// conditions of a space-delimited pattern (nil when it has none). It is
	// normalised: nested connectives flattened, operands sorted and
	// deduplicated.
	expr expr
	// fields are the slots of a space-delimited pattern.
	fields []field

	// key is the normalised form that Equal compares.
	key string
}

// Kind returns the kind of the pattern.
func (p *Pattern) Kind() Kind { return p.kind }

// String returns the source text the pattern was parsed from.
func (p *Pattern) String() string { return p.src }

// termMode says how a term takes part in a term pattern.
type termMode int

const (
	termRequired termMode = iota // ERROR: must appear
	termOptional                 // ?ERROR: at least one optional term must appear
	termExcluded                 // -ERROR: must not appear
)

// term is one term of a term pattern: ERROR, "exact phrase", -DEBUG, ?WARN or
// %regex%.
type term struct {
	mode termMode
	text string         // the text to find (unquoted), or the regex source
	re   *regexp.Regexp // non-nil for %regex%
}

// field is one slot of a space-delimited pattern: a name (possibly empty) or
// an ellipsis.
type field struct {
	name     string
	ellipsis bool
}

// expr is a condition of a JSON or space-delimited pattern: *logic or *cond.
type expr interface{ isExpr() }

// logicOp is && or ||.
type logicOp int

const (
	opAnd logicOp = iota
	opOr
)

func (o logicOp) String() string {
	if o == opAnd {
		return "&&"
	}
	return "||"
}

// logic is a connective over two or more operands:
// ($.a = 1) && ($.b = 2) && ($.c = 3).
type logic struct {
	op       logicOp
	operands []expr
	key      string
}

// cmpOp is the comparison of a cond.
type cmpOp int

const (
	cmpEq        cmpOp = iota // =
	cmpNe                     // !=
	cmpLt                     // <
	cmpLe                     // <=
	cmpGt                     // >
	cmpGe                     // >=
	cmpIsNull                 // IS NULL
	cmpIsTrue                 // IS TRUE
	cmpIsFalse                // IS FALSE
	cmpNotExists              // NOT EXISTS
)

var cmpText = [...]string{"=", "!=", "<", "<=", ">", ">=", "IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"}

func (c cmpOp) String() string { return cmpText[c] }

func (c cmpOp) ordering() bool { return c >= cmpLt && c <= cmpGe }

func (c cmpOp) unary() bool { return c >= cmpIsNull }

// cond compares one selector (JSON) or field (space-delimited) with a value:
// $.eventName = CreateTrail, status_code = 4*, $.x NOT EXISTS.
type cond struct {
	path  []segment // JSON selector; nil for space-delimited patterns
	field int       // slot index for space-delimited patterns
	fname string    // the field name as written (space-delimited)
	op    cmpOp
	val   value // unused for IS .../NOT EXISTS
	key   string
}

// segment is one step of a JSON selector: .name or [index].
type segment struct {
	name    string
	index   int
	isIndex bool
}

// value is the right-hand side of a comparison. Quoting never changes its
// meaning: "CreateTrail" and CreateTrail are the same value, and a leading or
// trailing * is a wildcard inside quotes too.
type value struct {
	text   string         // unquoted text, as written
	re     *regexp.Regexp // %regex% values
	num    float64        // the number, when isNum
	isNum  bool           // text is a number
	any    bool           // the value is * alone
	prefix bool           // starts with * (matches any text before core)
	suffix bool           // ends with * (matches any text after core)
	core   string         // text without the wildcard stars
}

func (*logic) isExpr() {}
func (*cond) isExpr()  {}
