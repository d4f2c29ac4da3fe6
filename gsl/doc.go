// Package gsl implements GSL, the rule language of CloudGuard-style posture
// rules: lexer, parser, AST, canonical printer, checker, evaluator, built-in
// functions and explanations.
//
// A rule names an entity type, optionally filters it, and states a condition:
//
//	rule    = target [ "should" ["not"] ["have"] expr [ "where" expr ] ] [ "exclude" expr ]
//	target  = Entity [ "where" expr ] | "List<" Entity ">" [ "where" expr ]
//	expr    = and { "or" and }                 "and" binds tighter than "or"
//	and     = unary { "and" unary }
//	unary   = "not" unary | postfix
//	postfix = primary { op }                   chaining: L with [e] length() > 0
//	primary = "(" expr ")" | path | "$" | literal
//	op      = ("=" | "!=" | "<" | ">" | "<=" | ">=") (literal | path | "$")
//	        | "in" "(" literal { "," literal } ")"
//	        | ("like" | "unlike") String | "regexMatch" /re/flags
//	        | ("with" | "contain" | "contain-any" | "contain-all" | "contain-none" | "groupBy") "[" expr "]"
//	        | Name "(" [ literal { "," literal } ] ")"
//
// A rule is compiled once into a tree of Go closures and then evaluated
// against many entities:
//
//	p, err := gsl.Compile("CloudTrail should have isMultiRegionTrail=true")
//	if err != nil {
//		fmt.Println(diag.AsList(err).In("rule.gsl", gsl.Pos{}).Render())
//	}
//	r := p.Eval(attrs, now)            // PASS, FAIL, UNKNOWN, ERROR or NOT_RELEVANT
//	if r.Outcome != gsl.Pass {
//		ex := p.Explain(attrs, now) // "isMultiRegionTrail is false, expected true"
//	}
//
// Parse and Compile return an ErrorList of *Diagnostic, which are the
// errors of package diag: each has a position (byte offset, 1-based line
// and column) in the rule text and the rule's line at fault. In names the
// rule and moves the errors into a larger file that holds it; Render
// prints "name:line:col: message" with the line and a caret. (The
// positioned error type is Diagnostic rather than Error because Error is
// the ERROR outcome.)
//
// Values are those of package entity: nil, bool, float64, string, []any,
// map[string]any or *entity.Object (the frozen form scans evaluate, much
// faster to read; see entity.Freeze) and *entity.Unknown. Evaluation is
// three-valued (Kleene)
// with Unknown, plus evaluation errors, which make the result ERROR.
//
// # Decisions
//
// gsl-spec.md §7 decides most open points; the tests pin each by number
// ("D14"). The points it leaves open are decided here:
//
//   - Errors and short-circuits. "and", "or" and "not" always evaluate every
//     operand, so an evaluation error anywhere makes them ERROR (§7.7),
//     whatever the other operands say. List operators are different: they
//     stop at the first element that decides them (a match for with,
//     contain and contain-any, a non-match for contain-all and contain-none),
//     so "items with [...]" stops at the first trail that passes. An element
//     that decides wins over an error in another element; without one, an
//     error wins over unknown. The result never depends on the order of the
//     elements.
//   - "L with [e] length() > 0" (also ">= 1", "!= 0") is compiled as "some
//     element matches", and "= 0" (also "< 1", "<= 0") as "no element
//     matches"; other comparisons of the count count every element.
//   - A value used as a condition is truthy as a bare path is (§3): a
//     function's result, "$", a literal.
//   - "=" between a list or map and a scalar is false; "<" and friends
//     between non-numbers that are not both dates are false, never ERROR.
//   - Date-only strings ("2024-01-01") order as midnight UTC, like the date
//     functions (§7.16). Numbers and numeric strings order numerically
//     before dates are tried.
//   - A date function on the empty string is false (like null); on a bool, list or map it
//     is ERROR naming the value (§7.11).
//   - Time units are matched case-insensitively ("Days").
//   - A trailing where is printed by Format as a leading where; Format keeps
//     the author's parentheses and writes keywords in lower case, one space
//     around operators, "should have" / "should not have".
//   - "exclude" is recognised only where a clause may start; it is not a
//     reserved word. "groupBy" is an operator only when "[" follows it.
//   - isPublic() and inCIDR() accept a single address as a one-address block;
//     an IPv4-mapped IPv6 block is read as IPv4; numberOfHosts() of a single
//     address is 1; on a value that is not an address or block the
//     networking helpers are false (§7.27).
//   - isFilterPatternEqual and filterPatternCovers check their literal
//     pattern at compile time: a rule whose own pattern does not parse does
//     not compile. A pattern in the data that does not parse makes the
//     function false, and the explanation says why (§4).
//   - Explanations show at most 10 elements of one list (the others are
//     counted) and at most 500 lines. Explaining a longer list costs one
//     fast evaluation of each element, which also counts the sub-expressions
//     that decided it, and a trace of the elements shown only.
//   - An unknown that comes from an expression (the length() of a list with
//     an unknown element) is reported through the attributes it came from.
//
// # Limits
//
// MaxSourceBytes bounds the rule text, MaxDepth the nesting of brackets,
// parentheses and "not" (§7.25), and an internal limit the number of AST
// nodes, so hostile input cannot exhaust the stack or memory. A like pattern
// is matched in time linear in the value for its parts without _, and in
// the value times the part's length / 64 for a part with _ (a 30 KB pattern
// against a 1 MB value takes about a second at worst), never the pattern
// times the value as a regular expression would.
package gsl
