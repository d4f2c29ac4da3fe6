package gsl

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/diag"
	"vigil/entity"
)

// testNow is the fixed "now" of the evaluation tests.
var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// attrsOf decodes one attribute object written as JSON, with unknowns
// written {"$unknown": "set"} as in inventory files.
func attrsOf(t testing.TB, js string) map[string]any {
	t.Helper()
	inv, err := entity.DecodeAttrList([]byte("["+js+"]"), "X", "test")
	if err != nil {
		t.Fatalf("attrs %s: %v", js, err)
	}
	return inv.Entities[0].Attrs
}

// evalCase is one rule evaluated on one entity.
type evalCase struct {
	// name says what the case pins; decisions of gsl-spec.md §7 are named
	// D1 ... D36.
	name string
	// rule is a whole rule, or just a condition, which is evaluated as
	// "X should have <rule>".
	rule string
	// attrs is the entity's attributes as JSON.
	attrs string
	want  Outcome
}

func (c evalCase) source() string {
	if strings.Contains(c.rule, " should ") || strings.HasPrefix(c.rule, "X ") || strings.HasPrefix(c.rule, "List<") || c.rule == "X" {
		return c.rule
	}
	return "X should have " + c.rule
}

var evalCases = []evalCase{
	// Equality (§3, D14).
	{"D14 bool equals bool", "a = true", `{"a": true}`, Pass},
	{"D14 'true' = true", "a = 'true'", `{"a": true}`, Pass},
	{"D14 true = 'true'", "a = true", `{"a": "true"}`, Pass},
	{"D14 'false' = false", "a = false", `{"a": "false"}`, Pass},
	{"D14 only the exact string 'true'", "a = true", `{"a": "True"}`, Fail},
	{"D14 bool not equal to 1", "a = true", `{"a": 1}`, Fail},
	{"D14 numeric string equals number", "a = 22", `{"a": "22"}`, Pass},
	{"D14 numeric string 22.0", "a = 22", `{"a": "22.0"}`, Pass},
	{"D14 spaced number is not a number", "a = 22", `{"a": " 22"}`, Fail},
	{"D14 hex is not a decimal number", "a = 22", `{"a": "0x16"}`, Fail},
	{"D14 numbers compare numerically", "a = 1e3", `{"a": 1000}`, Pass},
	{"D14 strings compare case-sensitively", "a = 'abc'", `{"a": "ABC"}`, Fail},
	{"D14 null equals only null", "a = 1", `{}`, Fail},
	{"D14 null is not the empty string", "a = ''", `{"a": null}`, Fail},
	{"D14 lists compare deeply", "a = b", `{"a": [1, {"x": "y"}], "b": [1, {"x": "y"}]}`, Pass},
	{"D14 lists differ", "a = b", `{"a": [1, 2], "b": [2, 1]}`, Fail},
	{"D14 maps compare deeply", "a = b", `{"a": {"k": [true]}, "b": {"k": [true]}}`, Pass},
	{"D14 missing equals missing", "a = b", `{}`, Pass},
	{"compare path with path", "port <= x and portTo >= x", `{"port": 20, "portTo": 30, "x": 22}`, Pass},
	{"no whitespace around operators", "port<=22", `{"port": 22}`, Pass},
	// Inequality and missing fields (D8).
	{"D8 != on a missing field is true", "a != 'x'", `{}`, Pass},
	{"D8 != on null is true", "a != 'x'", `{"a": null}`, Pass},
	{"!= on the same value", "a != 'x'", `{"a": "x"}`, Fail},
	{"!= with number and numeric string", "a != 0", `{"a": "0"}`, Fail},
	// Ordering (D15, D16).
	{"D15 numbers", "a < 10", `{"a": 5}`, Pass},
	{"D15 numeric string", "a < 10", `{"a": "5"}`, Pass},
	{"D15 numeric string on the right", "a >= '14'", `{"a": 14}`, Pass},
	{"D15 non-number is false", "a < 10", `{"a": "abc"}`, Fail},
	{"D15 non-number is false for > too", "a > 10", `{"a": "abc"}`, Fail},
	{"D15 null is false", "a < 10", `{}`, Fail},
	{"D15 bool is false", "a >= 0", `{"a": true}`, Fail},
	{"D15 RFC 3339 strings as instants", "a > '2024-01-01T00:00:00Z'", `{"a": "2024-01-01T01:00:00+00:30"}`, Pass},
	{"D15 RFC 3339 with offset", "a < '2024-01-01T00:00:00Z'", `{"a": "2024-01-01T00:30:00+01:00"}`, Pass},
	{"D15 epoch seconds against RFC 3339", "a > '2024-12-31T00:00:00Z'", `{"a": 1735689600}`, Pass},
	{"D16 epoch milliseconds against RFC 3339", "a > '2024-12-31T00:00:00Z'", `{"a": 1735689600000}`, Pass},
	{"D16 epoch milliseconds earlier", "a < '2025-01-02T00:00:00Z'", `{"a": 1735689600000}`, Pass},
	{"D15 date-only string orders as midnight", "a < '2024-01-01T00:00:01Z'", `{"a": "2024-01-01"}`, Pass},
	{"D15 two strings that are not dates", "a < 'b'", `{"a": "a"}`, Fail},
	// in.
	{"in: one of the list", "a in ('x', 'y')", `{"a": "y"}`, Pass},
	{"in: not in the list", "a in ('x', 'y')", `{"a": "z"}`, Fail},
	{"in: numbers", "a in (22, 3389)", `{"a": "3389"}`, Pass},
	{"in: missing", "a in ('x')", `{}`, Fail},
	{"D4 in on unknown", "a in ('x')", `{"a": {"$unknown": "set"}}`, Unknown},
	{"in: $ on a list of scalars", "a contain-any [$ in ('Protocol-SSLv3', 'Protocol-TLSv1')]", `{"a": ["Protocol-TLSv1.2", "Protocol-TLSv1"]}`, Pass},
	// like / unlike (D10, D21).
	{"D21 like is case-insensitive", "a like 'abc%'", `{"a": "ABCdef"}`, Pass},
	{"D21 % matches an empty run", "a like 'abc%'", `{"a": "abc"}`, Pass},
	{"D21 _ is one code point", "a like 'a_c'", `{"a": "aßc"}`, Pass},
	{"D21 _ is exactly one", "a like 'a_c'", `{"a": "abbc"}`, Fail},
	{"D21 \\% is a literal percent", `a like '100\%'`, `{"a": "100%"}`, Pass},
	{"D21 \\% does not match other text", `a like '100\%'`, `{"a": "1000"}`, Fail},
	{"D21 \\_ is a literal underscore", `a like 'a\_b'`, `{"a": "axb"}`, Fail},
	{"D21 regexp characters are literal", "a like 'a.c'", `{"a": "abc"}`, Fail},
	{"D21 like matches the whole value", "a like 'default'", `{"a": "default-sg"}`, Fail},
	{"D21 case folding as EqualFold", "a like 'STRASSE'", `{"a": "strasse"}`, Pass},
	{"D10 like on null is false", "a like '%'", `{}`, Fail},
	{"D10 unlike on null is true", "a unlike 'x%'", `{}`, Pass},
	{"D10 unlike is not like", "a unlike 'x%'", `{"a": "xyz"}`, Fail},
	{"D10 like on a number's text", "a like '22'", `{"a": 22}`, Pass},
	{"D10 like on a bool's text", "a like 'TRUE'", `{"a": true}`, Pass},
	{"like on a list is false", "a like '%'", `{"a": []}`, Fail},
	{"D4 like on unknown", "a like 'x'", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D4 unlike on unknown", "a unlike 'x'", `{"a": {"$unknown": "set"}}`, Unknown},
	// regexMatch (D20).
	{"D20 regexMatch finds anywhere", "a regexMatch /b/", `{"a": "abc"}`, Pass},
	{"D20 anchored", "a regexMatch /^b$/", `{"a": "abc"}`, Fail},
	{"D20 flag i", "a regexMatch /^<ROOT_account>$/i", `{"a": "<root_account>"}`, Pass},
	{"D20 without i is case-sensitive", "a regexMatch /ABC/", `{"a": "abc"}`, Fail},
	{"D20 \\/ writes a slash", `a regexMatch /^arn:aws:iam::\d+:role\/admin$/`, `{"a": "arn:aws:iam::123456789012:role/admin"}`, Pass},
	{"D10 regexMatch on null is false", "a regexMatch /.*/", `{}`, Fail},
	{"D10 regexMatch on a number's text", "a regexMatch /^2\\d$/", `{"a": 22}`, Pass},
	{"D4 regexMatch on unknown", "a regexMatch /x/", `{"a": {"$unknown": "maybe-null"}}`, Unknown},
	// Truthiness of a bare path (§3, D3, D18).
	{"D18 true", "a", `{"a": true}`, Pass},
	{"D18 0 is true", "a", `{"a": 0}`, Pass},
	{"D18 '0' is true", "a", `{"a": "0"}`, Pass},
	{"D18 'False' is true", "a", `{"a": "False"}`, Pass},
	{"D18 'false' is false", "a", `{"a": "false"}`, Fail},
	{"D18 false", "a", `{"a": false}`, Fail},
	{"D18 empty string", "a", `{"a": ""}`, Fail},
	{"D18 empty list", "a", `{"a": []}`, Fail},
	{"D18 empty map", "a", `{"a": {}}`, Fail},
	{"D18 non-empty map", "a", `{"a": {"k": null}}`, Pass},
	{"D18 missing", "a", `{}`, Fail},
	{"D18 null", "a", `{"a": null}`, Fail},
	{"D3 bare unknown is unknown", "a", `{"a": {"$unknown": "set"}}`, Unknown},
	{"dotted path", "status.isLogging", `{"status": {"isLogging": true}}`, Pass},
	{"dotted path through a missing map", "status.isLogging", `{}`, Fail},
	// isEmpty (§3, D1).
	{"isEmpty missing", "a isEmpty()", `{}`, Pass},
	{"isEmpty null", "a isEmpty()", `{"a": null}`, Pass},
	{"isEmpty empty string", "a isEmpty()", `{"a": ""}`, Pass},
	{"isEmpty empty list", "a isEmpty()", `{"a": []}`, Pass},
	{"isEmpty empty map", "a isEmpty()", `{"a": {}}`, Pass},
	{"isEmpty string", "a isEmpty()", `{"a": "x"}`, Fail},
	{"isEmpty zero", "a isEmpty()", `{"a": 0}`, Fail},
	{"isEmpty false", "a isEmpty()", `{"a": false}`, Fail},
	{"D1 isEmpty of a set unknown is false", "a isEmpty()", `{"a": {"$unknown": "set"}}`, Fail},
	{"D1 isEmpty of a maybe-null unknown is unknown", "a isEmpty()", `{"a": {"$unknown": "maybe-null"}}`, Unknown},
	// length (D9, D19).
	{"D19 length counts code points", "a length() = 3", `{"a": "héé"}`, Pass},
	{"length of a list", "a length() = 3", `{"a": [1, 2, 3]}`, Pass},
	{"length of a map", "a length() = 2", `{"a": {"x": 1, "y": 2}}`, Pass},
	{"D9 length of missing is 0", "a length() = 0", `{}`, Pass},
	{"D19 length of a number is ERROR", "a length() = 0", `{"a": 5}`, Error},
	{"D19 length of a bool is ERROR", "a length() > 0", `{"a": true}`, Error},
	{"D4 length of unknown", "a length() > 0", `{"a": {"$unknown": "set"}}`, Unknown},
	// List operators (§3, D5, D9).
	{"with: a match", "a with [x = 1]", `{"a": [{"x": 2}, {"x": 1}]}`, Pass},
	{"with: no match", "a with [x = 1]", `{"a": [{"x": 2}]}`, Fail},
	{"D9 with on [] is false", "a with [x = 1]", `{"a": []}`, Fail},
	{"D9 with on missing is false", "a with [x = 1]", `{}`, Fail},
	{"D9 with on a string is ERROR", "a with [x = 1]", `{"a": "abc"}`, Error},
	{"D9 with on a map is ERROR", "a with [x = 1]", `{"a": {"x": 1}}`, Error},
	{"D9 contain on a number is ERROR", "a contain [x = 1]", `{"a": 1}`, Error},
	{"with length counts matches", "a with [x = 1] length() = 2", `{"a": [{"x": 1}, {"x": 2}, {"x": 1}]}`, Pass},
	{"with length > 0 chained", "a with [x = 1] length() > 0", `{"a": [{"x": 2}]}`, Fail},
	{"with length = 0", "a with [x = 1] length() = 0", `{"a": [{"x": 2}]}`, Pass},
	{"contain", "a contain [x = 1]", `{"a": [{"x": 1}]}`, Pass},
	{"contain-any", "a contain-any [x = 1]", `{"a": [{"x": 3}, {"x": 1}]}`, Pass},
	{"contain-all: all", "a contain-all [x > 0]", `{"a": [{"x": 3}, {"x": 1}]}`, Pass},
	{"contain-all: not all", "a contain-all [x = 1]", `{"a": [{"x": 3}, {"x": 1}]}`, Fail},
	{"D9 contain-all on [] is true", "a contain-all [x = 1]", `{"a": []}`, Pass},
	{"D9 contain-all on missing is true", "a contain-all [x = 1]", `{}`, Pass},
	{"contain-none: none", "a contain-none [x = 1]", `{"a": [{"x": 3}]}`, Pass},
	{"contain-none: one", "a contain-none [x = 1]", `{"a": [{"x": 3}, {"x": 1}]}`, Fail},
	{"D9 contain-none on missing is true", "a contain-none [x = 1]", `{}`, Pass},
	{"$ is the element", "a contain [$ = 'x']", `{"a": ["w", "x"]}`, Pass},
	{"D26 bare names bind to the innermost element", "a contain [b contain [x = 1]]", `{"x": 1, "a": [{"x": 2, "b": [{"x": 3}]}]}`, Fail},
	{"D26 $ outside brackets is the entity", "$ length() = 2", `{"a": 1, "b": 2}`, Pass},
	{"D5 unknown list makes with unknown", "a with [x = 1]", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D5 unknown list makes contain-all unknown", "a contain-all [x = 1]", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D5 unknown list makes contain-none unknown", "a contain-none [x = 1]", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D5 with: unknown element and no match", "a with [x = 1]", `{"a": [{"x": {"$unknown": "set"}}, {"x": 2}]}`, Unknown},
	{"D5 with: definite match beside an unknown", "a with [x = 1]", `{"a": [{"x": {"$unknown": "set"}}, {"x": 1}]}`, Pass},
	{"D5 with length() is unknown with an unknown element", "a with [x = 1] length() = 1", `{"a": [{"x": {"$unknown": "set"}}, {"x": 1}]}`, Unknown},
	{"D5 contain-all: a false decides over unknown", "a contain-all [x = 1]", `{"a": [{"x": {"$unknown": "set"}}, {"x": 2}]}`, Fail},
	{"D5 contain-all: unknown without false", "a contain-all [x = 1]", `{"a": [{"x": {"$unknown": "set"}}, {"x": 1}]}`, Unknown},
	{"D5 contain-none: unknown element", "a contain-none [x = 1]", `{"a": [{"x": {"$unknown": "set"}}]}`, Unknown},
	{"list element error without a match is ERROR", "a with [b.c = 1]", `{"a": [{"b": []}]}`, Error},
	{"list: a match decides over another element's error", "a with [b.c = 1]", `{"a": [{"b": []}, {"b": {"c": 1}}]}`, Pass},
	// Kleene logic (D2) and Unknown in comparisons (§5, D4).
	{"D2 unknown and false", "a and b", `{"a": {"$unknown": "set"}, "b": false}`, Fail},
	{"D2 false and unknown", "b and a", `{"a": {"$unknown": "set"}, "b": false}`, Fail},
	{"D2 unknown and true", "a and b", `{"a": {"$unknown": "set"}, "b": true}`, Unknown},
	{"D2 unknown or true", "a or b", `{"a": {"$unknown": "set"}, "b": true}`, Pass},
	{"D2 true or unknown", "b or a", `{"a": {"$unknown": "set"}, "b": true}`, Pass},
	{"D2 unknown or false", "a or b", `{"a": {"$unknown": "set"}, "b": false}`, Unknown},
	{"D2 not unknown", "not a", `{"a": {"$unknown": "set"}}`, Unknown},
	{"not", "not a = 1", `{"a": 2}`, Pass},
	{"and binds tighter than or", "a or b and c", `{"a": true, "b": true, "c": false}`, Pass},
	{"and binds tighter than or (2)", "a and b or c", `{"a": false, "b": true, "c": true}`, Pass},
	{"parentheses group", "(a or b) and c", `{"a": true, "b": true, "c": false}`, Fail},
	{"D4 = with unknown", "a = 1", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D4 != with unknown", "a != 1", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D4 < with unknown", "a < 1", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D4 comparison with an unknown on the right", "a = b", `{"a": 1, "b": {"$unknown": "set"}}`, Unknown},
	{"D4 after on unknown", "a after(-1, 'days')", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D4 isCIDR on unknown", "a isCIDR()", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D6 unknown where is UNKNOWN", "X where a = 1 should have b", `{"a": {"$unknown": "maybe-null"}, "b": true}`, Unknown},
	{"where false is not relevant", "X where a = 1 should have b", `{"a": 2}`, NotRelevant},
	{"where true evaluates the condition", "X where a = 1 should have b", `{"a": 1}`, Fail},
	// Errors (D7, D8, D13).
	{"D7 false and error is ERROR", "flag = true and eventSelectors.readWriteType = 'All'", `{"flag": false, "eventSelectors": []}`, Error},
	{"D7 error and false is ERROR", "eventSelectors.readWriteType = 'All' and flag = true", `{"flag": false, "eventSelectors": [{"readWriteType": "All"}]}`, Error},
	{"D7 true or error is ERROR", "flag or eventSelectors.readWriteType = 'All'", `{"flag": true, "eventSelectors": []}`, Error},
	{"D7 null compared with an erring path is ERROR", "a = b.c", `{"b": []}`, Error},
	{"D7 unknown compared with an erring path is ERROR", "a = b.c", `{"a": {"$unknown": "set"}, "b": "s"}`, Error},
	{"D7 error under not is ERROR", "not a.b", `{"a": "x"}`, Error},
	{"D8 path into an empty list is ERROR", "a.b = 1", `{"a": []}`, Error},
	{"D8 path into a scalar is ERROR", "a.b = 1", `{"a": "x"}`, Error},
	{"D8 path into an unknown is unknown", "a.b = 1", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D8 path through null is null", "a.b != 1", `{"a": null}`, Pass},
	{"D8 path into a list element that is a scalar is ERROR", "a contain [b = 1]", `{"a": ["x"]}`, Error},
	{"D13 should not maps UNKNOWN to UNKNOWN", "X should not have a", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D13 should not maps ERROR to ERROR", "X should not have a.b", `{"a": []}`, Error},
	{"should not negates the condition", "X should not have a = 1", `{"a": 1}`, Fail},
	// Dates (D11, D16, D17).
	{"D11 after on missing is false", "a after(-1, 'days')", `{}`, Fail},
	{"D11 after on the empty string is false", "a after(-1, 'days')", `{"a": ""}`, Fail},
	{"D11 after on a non-date is ERROR", "a after(-1, 'days')", `{"a": "yesterday"}`, Error},
	{"D11 after on a bool is ERROR", "a after(-1, 'days')", `{"a": true}`, Error},
	{"after: RFC 3339 within a day", "a after(-1, 'days')", `{"a": "2026-11-21T12:00:00Z"}`, Pass},
	{"after: RFC 3339 older than a day", "a after(-1, 'days')", `{"a": "2026-11-21T09:59:59Z"}`, Fail},
	{"D16 after: epoch seconds", "a after(-1, 'days')", `{"a": 1795348800}`, Pass},
	{"D16 after: epoch milliseconds", "a after(-1, 'days')", `{"a": 1795348800000}`, Pass},
	{"D16 after: old epoch seconds", "a after(-1, 'days')", `{"a": 1700000000}`, Fail},
	{"D16 date-only is midnight UTC", "a after(-1, 'days')", `{"a": "2026-11-21"}`, Fail},
	{"D16 date-only today", "a after(-1, 'days')", `{"a": "2026-11-22"}`, Pass},
	{"before", "a before(30, 'days')", `{"a": "2026-12-01T00:00:00Z"}`, Pass},
	{"before: later", "a before(30, 'days')", `{"a": "2027-01-01T00:00:00Z"}`, Fail},
	{"D17 singular unit", "a after(-1, 'day')", `{"a": "2026-11-21T12:00:00Z"}`, Pass},
	{"D17 hours", "a after(-2, 'hours')", `{"a": "2026-11-22T08:30:00Z"}`, Pass},
	{"D17 minutes", "a before(1, 'minutes')", `{"a": "2026-11-22T10:00:30Z"}`, Pass},
	{"D17 seconds", "a after(-10, 'seconds')", `{"a": "2026-11-22T09:59:55Z"}`, Pass},
	{"D17 weeks", "a after(-1, 'weeks')", `{"a": "2026-11-15T10:00:01Z"}`, Pass},
	{"D17 years are calendar years", "a after(-1, 'years')", `{"a": "2025-11-22T10:00:01Z"}`, Pass},
	{"not after", "not a after(-90, 'days')", `{"a": "2026-01-01T00:00:00Z"}`, Pass},
	// Filter patterns (§4, D12) with the stub functions.
	{"isFilterPatternEqual: same pattern", "p isFilterPatternEqual('{ $.a = 1 }')", `{"p": "{ $.a = 1 }"}`, Pass},
	{"isFilterPatternEqual: other pattern", "p isFilterPatternEqual('{ $.a = 1 }')", `{"p": "{ $.a = 2 }"}`, Fail},
	{"D12 isFilterPatternEqual on missing is false", "p isFilterPatternEqual('{ $.a = 1 }')", `{}`, Fail},
	{"D12 isFilterPatternEqual on a number is false", "p isFilterPatternEqual('{ $.a = 1 }')", `{"p": 1}`, Fail},
	{"isFilterPatternEqual on an unparsable pattern is false", "p isFilterPatternEqual('{ $.a = 1 }')", `{"p": "!oops"}`, Fail},
	{"D4 isFilterPatternEqual on unknown", "p isFilterPatternEqual('{ $.a = 1 }')", `{"p": {"$unknown": "set"}}`, Unknown},
	{"filterPatternCovers", "p filterPatternCovers('{ $.a = 1 }')", `{"p": "{ $.a = 1 }"}`, Pass},
	{"D12 filterPatternCovers on missing is false", "p filterPatternCovers('{ $.a = 1 }')", `{}`, Fail},
	// Networking helpers (D27, D28).
	{"D28 isCIDR needs a prefix", "a isCIDR()", `{"a": "10.0.0.1"}`, Fail},
	{"D28 isCIDR", "a isCIDR()", `{"a": "10.0.0.0/8"}`, Pass},
	{"D28 isCIDR IPv6", "a isCIDR()", `{"a": "2001:db8::/32"}`, Pass},
	{"D27 isCIDR on a number is false", "a isCIDR()", `{"a": 10}`, Fail},
	{"D28 0.0.0.0/0 is public", "a isPublic()", `{"a": "0.0.0.0/0"}`, Pass},
	{"D28 a private block is not public", "a isPublic()", `{"a": "10.1.0.0/16"}`, Fail},
	{"D28 172.16/12 is private", "a isPublic()", `{"a": "172.20.0.0/16"}`, Fail},
	{"D28 a block wider than a private range is public", "a isPublic()", `{"a": "10.0.0.0/7"}`, Pass},
	{"D28 shared range is not public", "a isPublic()", `{"a": "100.64.1.0/24"}`, Fail},
	{"D28 documentation range is not public", "a isPublic()", `{"a": "203.0.113.0/24"}`, Fail},
	{"D28 loopback is not public", "a isPublic()", `{"a": "127.0.0.1/32"}`, Fail},
	{"D28 link-local is not public", "a isPublic()", `{"a": "169.254.169.254"}`, Fail},
	{"D28 a public address", "a isPublic()", `{"a": "8.8.8.8/32"}`, Pass},
	{"D28 IPv6 ::/0 is public", "a isPublic()", `{"a": "::/0"}`, Pass},
	{"D28 IPv6 ULA is not public", "a isPublic()", `{"a": "fd00::/8"}`, Fail},
	{"D28 IPv6 documentation is not public", "a isPublic()", `{"a": "2001:db8:1::/48"}`, Fail},
	{"D28 IPv6 global", "a isPublic()", `{"a": "2600::/16"}`, Pass},
	{"D28 numberOfHosts /24", "a numberOfHosts() = 256", `{"a": "10.0.0.0/24"}`, Pass},
	{"D28 numberOfHosts /0", "a numberOfHosts() = 4294967296", `{"a": "0.0.0.0/0"}`, Pass},
	{"D28 numberOfHosts IPv6 /120", "a numberOfHosts() = 256", `{"a": "2600::/120"}`, Pass},
	{"inCIDR address", "a inCIDR('10.0.0.0/8')", `{"a": "10.1.2.3"}`, Pass},
	{"inCIDR address outside", "a inCIDR('10.0.0.0/8')", `{"a": "11.0.0.1"}`, Fail},
	{"inCIDR block inside", "a inCIDR('10.0.0.0/8')", `{"a": "10.1.0.0/16"}`, Pass},
	{"inCIDR wider block", "a inCIDR('10.0.0.0/8')", `{"a": "10.0.0.0/7"}`, Fail},
	{"inCIDR IPv6", "a inCIDR('2001:db8::/32')", `{"a": "2001:db8::1"}`, Pass},
	{"D27 inCIDR on a number is false", "a inCIDR('10.0.0.0/8')", `{"a": 10}`, Fail},
	{"D27 a known but unimplemented function is ERROR", "a allowedPublicHostsForPort(22) > 32", `{"a": []}`, Error},
	// Syntax forms (D22, D23, D24, D35, D36).
	{"D22 identifiers are case-sensitive", "IsMultiRegionTrail = true", `{"isMultiRegionTrail": true}`, Fail},
	{"D22 keywords are case-insensitive", "X SHOULD HAVE a = 1 AND NOT b", `{"a": 1, "b": false}`, Pass},
	{"D23 escaped quote", `a = 'it\'s'`, `{"a": "it's"}`, Pass},
	{"D23 double-quoted string", `a = "it's"`, `{"a": "it's"}`, Pass},
	{"D23 other backslashes stay", `a = 'c:\d'`, `{"a": "c:\\d"}`, Pass},
	{"D23 escaped backslash", `a = 'c:\\d'`, `{"a": "c:\\d"}`, Pass},
	{"D24 negative decimal", "a = -1.5", `{"a": -1.5}`, Pass},
	{"D24 exponent", "a = 2E-2", `{"a": 0.02}`, Pass},
	{"D35 segments with : and -", "policy.Statement contain [Condition.Bool.aws:SecureTransport = 'false']", `{"policy": {"Statement": [{"Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}`, Pass},
	{"D35 s3:x-amz segment", "c contain [Condition.Null.s3:x-amz-server-side-encryption = 'true']", `{"c": [{"Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}}]}`, Pass},
	{"D36 a field named like no keyword", "VPC should fail", `{"fail": true}`, Pass},
	// Scopes and forms (D29 - D34).
	{"D29 List<E> with no items fails", "List<X> should have items with [a]", `{"items": []}`, Fail},
	{"List<E> passes when an item matches", "List<X> should have items with [a]", `{"items": [{"a": false}, {"a": true}]}`, Pass},
	{"D30 where on List<E> filters the scope", "List<X> where items length() > 0 should have items contain [a]", `{"items": []}`, NotRelevant},
	{"D31 query selects", "X where a = 1", `{"a": 1}`, Pass},
	{"D31 query does not select", "X where a = 1", `{"a": 2}`, NotRelevant},
	{"D31 query unknown", "X where a = 1", `{"a": {"$unknown": "set"}}`, Unknown},
	{"D31 query error", "X where a.b = 1", `{"a": []}`, Error},
	{"D31 bare target selects all", "X", `{}`, Pass},
	{"D32 groupBy", "items groupBy [k] contain-all [values length() > 1]", `{"items": [{"k": "a"}, {"k": "b"}, {"k": "a"}, {"k": "b"}]}`, Pass},
	{"D32 groupBy: one group too small", "items groupBy [k] contain-all [values length() > 1]", `{"items": [{"k": "a"}, {"k": "b"}, {"k": "a"}]}`, Fail},
	{"D32 groupBy keys", "items groupBy [k] length() = 2", `{"items": [{"k": [1]}, {"k": [1]}, {"k": 2}]}`, Pass},
	{"D32 groupBy key values", "items groupBy [k] contain [key = 2 and values length() = 1]", `{"items": [{"k": 1}, {"k": 2}]}`, Pass},
	{"D32 groupBy with an unknown key", "items groupBy [k] length() = 1", `{"items": [{"k": {"$unknown": "set"}}]}`, Unknown},
	{"D33 exclude makes the entity not relevant", "X should have vpc exclude name = 'test'", `{"name": "test"}`, NotRelevant},
	{"D33 exclude false evaluates", "X should have vpc exclude name = 'test'", `{"name": "prod"}`, Fail},
	{"D33 unknown exclude is UNKNOWN", "X should have vpc exclude name = 'test'", `{"name": {"$unknown": "set"}, "vpc": "v"}`, Unknown},
	{"D34 trailing where filters", "X should have a with [v = 'ON'] where name = 'x'", `{"name": "y"}`, NotRelevant},
	{"D34 trailing where applies", "X should have a with [v = 'ON'] where name = 'x'", `{"name": "x", "a": [{"v": "ON"}]}`, Pass},
}

func TestEval(t *testing.T) {
	for _, tt := range evalCases {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(tt.source(), WithPatterns(stubPatterns{}))
			if err != nil {
				t.Fatalf("compile %q: %v", tt.source(), err)
			}
			attrs := attrsOf(t, tt.attrs)
			r := p.Eval(attrs, testNow)
			if r.Outcome != tt.want {
				ex := p.Explain(attrs, testNow)
				t.Errorf("%s on %s = %v (%v), want %v\n%s", tt.source(), tt.attrs, r.Outcome, r.Err, tt.want, strings.Join(ex.Lines, "\n"))
			}
			if (r.Outcome == Error) != (r.Err != nil) {
				t.Errorf("outcome %v with error %v", r.Outcome, r.Err)
			}
			// Explain must reach the same outcome as Eval.
			ex := p.Explain(attrs, testNow)
			if ex.Outcome != r.Outcome {
				t.Errorf("Explain outcome %v, Eval %v", ex.Outcome, r.Outcome)
			}
			sameOnFrozen(t, p, attrs, r, ex)
			sameSummary(t, p, attrs, ex)
		})
	}
}

// sameSummary checks that Summarize explains as Explain does, without the
// trace.
func sameSummary(t *testing.T, p *Program, attrs map[string]any, ex *Explanation) {
	t.Helper()
	sm := p.Summarize(entity.Freeze(attrs), testNow)
	if sm.Lines != nil || sm.Outcome != ex.Outcome || sm.Summary != ex.Summary ||
		!slices.Equal(sm.Unknowns, ex.Unknowns) || fmt.Sprint(sm.Err) != fmt.Sprint(ex.Err) {
		t.Errorf("Summarize = %v %q %q %v, %d lines\nExplain   = %v %q %q %v", sm.Outcome, sm.Summary, sm.Unknowns, sm.Err,
			len(sm.Lines), ex.Outcome, ex.Summary, ex.Unknowns, ex.Err)
	}
}

// sameOnFrozen checks that a program evaluates and explains the frozen
// form of attrs (entity.Freeze, what scans evaluate) exactly as it does
// the maps.
func sameOnFrozen(t *testing.T, p *Program, attrs map[string]any, r Result, ex *Explanation) {
	t.Helper()
	frozen := entity.Freeze(attrs)
	if fr := p.Eval(frozen, testNow); fr.Outcome != r.Outcome || fmt.Sprint(fr.Err) != fmt.Sprint(r.Err) {
		t.Errorf("frozen: Eval = %v (%v), maps %v (%v)", fr.Outcome, fr.Err, r.Outcome, r.Err)
	}
	fx := p.Explain(frozen, testNow)
	if fx.Outcome != ex.Outcome || fx.Summary != ex.Summary || !slices.Equal(fx.Lines, ex.Lines) || !slices.Equal(fx.Unknowns, ex.Unknowns) {
		t.Errorf("frozen: explanation differs\n got %v %q\n%s\nwant %v %q\n%s", fx.Outcome, fx.Summary,
			strings.Join(fx.Lines, "\n"), ex.Outcome, ex.Summary, strings.Join(ex.Lines, "\n"))
	}
}

// TestCalendarMonths (D17): months are calendar arithmetic with AddDate.
func TestCalendarMonths(t *testing.T) {
	p := MustCompile("X should have a after(-1, 'months')")
	now := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC) // minus a month: "Feb 31" = Mar 3
	for _, tt := range []struct {
		a    string
		want Outcome
	}{{"2026-03-02T00:00:00Z", Fail}, {"2026-03-04T00:00:00Z", Pass}} {
		if got := p.Eval(map[string]any{"a": tt.a}, now).Outcome; got != tt.want {
			t.Errorf("%s: %v, want %v", tt.a, got, tt.want)
		}
	}
}

// TestRuntimeErrors pins the messages and positions of evaluation errors.
func TestRuntimeErrors(t *testing.T) {
	tests := []struct{ rule, attrs, want string }{
		{"CloudTrail should have eventSelectors.readWriteType = 'All'", `{"eventSelectors": []}`,
			"1:24: path 'eventSelectors.readWriteType' goes into a list at 'eventSelectors': use a list operator such as with [...] or contain [...]"},
		{"X should have a.b.c = 1", `{"a": {"b": "s"}}`, "1:15: path 'a.b.c' goes into string 's' at 'a.b'"},
		{"X should have a length() > 1", `{"a": 5}`, "1:17: length() needs a list, map or string, found number 5"},
		{"X should have a after(-1, 'days')", `{"a": "soon"}`, "1:17: after() needs a date (RFC 3339, or epoch seconds or milliseconds), found string 'soon'"},
		{"X should have a with [b]", `{"a": "s"}`, "1:15: 'with' needs a list, found string 's'"},
		{"X should have a allowedHostsForPort(22) > 1", `{}`, "1:17: allowedHostsForPort() is not implemented"},
		{"X should have a contain [b = 1]", `{"a": [[1]]}`, "1:26: path 'b' cannot be read from a list element that is itself a list"},
	}
	for _, tt := range tests {
		p := MustCompile(tt.rule)
		r := p.Eval(attrsOf(t, tt.attrs), testNow)
		if r.Outcome != Error || r.Err == nil || r.Err.Error() != tt.want {
			t.Errorf("%s: %v %v, want ERROR %s", tt.rule, r.Outcome, r.Err, tt.want)
		}
	}
}

// TestNotImplementedWarns (D27): the function compiles with a warning.
func TestNotImplementedWarns(t *testing.T) {
	p, err := Compile("VMInstance should not have nics contain-any [inboundRules allowedPublicHostsForPort(22) > 32]")
	if err != nil {
		t.Fatal(err)
	}
	w := p.Warnings()
	if len(w) != 1 || w[0].Error() != "1:59: allowedPublicHostsForPort() is not implemented yet: rules using it evaluate to ERROR" {
		t.Errorf("warnings %v", w)
	}
}

// TestEntityCheckWarns: WithEntityCheck's message about the rule's entity
// type is a warning at the type, and the rule still compiles.
func TestEntityCheckWarns(t *testing.T) {
	check := func(entity string) string {
		if entity == "CloudTrail" {
			return ""
		}
		return "not " + entity
	}
	for src, want := range map[string]string{
		"CloudTrail should have x=1":      "",
		"List<CloudTral> should have x=1": "1:1: not CloudTral", // the target, List<...> included
		"  CloudTral where x=1":           "1:3: not CloudTral",
	} {
		p, err := Compile(src, WithEntityCheck(check))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		var got string
		if w := p.Warnings(); len(w) > 0 {
			got = w.Error()
		}
		if got != want {
			t.Errorf("%s: warnings %q, want %q", src, got, want)
		}
	}
}

// TestPatternFunctionsNeedPatterns: without WithPatterns the filter-pattern
// functions do not compile; with it, a rule whose own pattern does not
// parse is an error pointing into the literal.
func TestPatternFunctionsNeedPatterns(t *testing.T) {
	_, err := Compile(mon05)
	want := "1:104: isFilterPatternEqual() needs the filter-pattern functions, which are not available here"
	if err == nil || err.Error() != want {
		t.Errorf("no patterns: %v", err)
	}
	_, err = Compile("X should have p filterPatternCovers('!x')", WithPatterns(stubPatterns{}))
	if err == nil || err.Error() != "1:38: filterPatternCovers() pattern does not parse: unexpected '!'" {
		t.Errorf("bad pattern: %v", err)
	}
}

// failingPatterns are pattern functions whose every pattern fails to parse
// with err.
type failingPatterns struct{ err error }

func (f failingPatterns) EqualTo(string) (func(string) (bool, error), error)  { return nil, f.err }
func (f failingPatterns) Covering(string) (func(string) (bool, error), error) { return nil, f.err }

// TestPatternErrorPointsIntoTheLiteral: a pattern's positioned parse error
// is moved to the same place in the rule's string literal, with the
// position its message names; an error without position, or a literal
// with escapes, leaves the error on the literal.
func TestPatternErrorPointsIntoTheLiteral(t *testing.T) {
	unclosed := &diag.Error{Line: 1, Col: 5, Offset: 4, Msg: "expected ')' to close the '(' at 1:3, found end of pattern",
		Source: "a (b", Ref: Pos{Offset: 2, Line: 1, Col: 3}}
	secondLine := &diag.Error{Line: 2, Col: 3, Offset: 4, Msg: "unexpected 'c'", Source: "  c"}
	tests := []struct {
		rule string
		err  error
		want string
	}{
		{"X should have p filterPatternCovers('a (b')", unclosed,
			"1:42: filterPatternCovers() pattern does not parse: expected ')' to close the '(' at 1:40, found end of pattern"},
		{"X should have p filterPatternCovers('a\n  c')", secondLine,
			"2:3: filterPatternCovers() pattern does not parse: unexpected 'c'"},
		{"X should have p filterPatternCovers('a\\n (b')", unclosed,
			"1:37: filterPatternCovers() pattern does not parse: 1:5: expected ')' to close the '(' at 1:3, found end of pattern"},
		{"X should have p filterPatternCovers('a (b')", errors.New("no good"),
			"1:37: filterPatternCovers() pattern does not parse: no good"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.rule, WithPatterns(failingPatterns{tt.err}))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.rule, err, tt.want)
		}
	}
}

// TestRulePatternCompiledOnce: the rule's own pattern is compiled with the
// rule, not per evaluation; each entity pattern costs one test.
func TestRulePatternCompiledOnce(t *testing.T) {
	var pf countingPatterns
	p := MustCompile(mon05, WithPatterns(&pf))
	scope := trailScope(100)
	for range 3 {
		if p.Eval(scope, benchNow).Outcome != Fail {
			t.Fatal("want FAIL")
		}
	}
	if c, n := pf.compiled.Load(), pf.tested.Load(); c != 1 || n != 3*100*5 {
		t.Errorf("pattern compiled %d times, tested %d times; want 1 and %d", c, n, 3*100*5)
	}
}

func TestProgramAccessors(t *testing.T) {
	p := MustCompile(mon05, WithPatterns(stubPatterns{}))
	if p.Target() != (Target{Entity: "CloudTrail", List: true}) || p.IsQuery() || p.Source() != mon05 {
		t.Errorf("target %v query %v", p.Target(), p.IsQuery())
	}
	if got := strings.Join(p.Paths(), ","); got != "hasSNSSubscriber,metricFilters" {
		t.Errorf("paths %s", got)
	}
	p = MustCompile("CloudTrail where region = 'x' should have cloudWatchLogsRoleArn and status.latestCloudWatchLogsDeliveryTime after(-1, 'days') exclude tags contain [key = 'skip']")
	if got := strings.Join(p.Paths(), ","); got != "cloudWatchLogsRoleArn,region,status.latestCloudWatchLogsDeliveryTime,tags" {
		t.Errorf("paths %s", got)
	}
	if q := MustCompile("cloudtrail where event.name = 'x'"); !q.IsQuery() || q.Target().Entity != "cloudtrail" {
		t.Errorf("query %v", q.Target())
	}
	if len(Functions()) != 12 || Functions()[0].Name != "after" {
		t.Errorf("functions %v", Functions())
	}
}

// TestEvalDoesNotAllocate: PASS and FAIL of compiled rules allocate nothing.
func TestEvalDoesNotAllocate(t *testing.T) {
	for _, tt := range []struct{ rule, attrs string }{
		{"CloudTrail should have isMultiRegionTrail=true", `{"isMultiRegionTrail": false}`},
		{"CloudTrail should have cloudWatchLogsRoleArn and status.latestCloudWatchLogsDeliveryTime after(-1, 'days')", `{"cloudWatchLogsRoleArn": "r", "status": {"latestCloudWatchLogsDeliveryTime": "2026-11-22T09:00:00Z"}}`},
		{"SecurityGroup should not have inboundRules with [scope = '0.0.0.0/0' and port<=22 and portTo>=22]", `{"inboundRules": [{"scope": "0.0.0.0/0", "port": 0, "portTo": 65535}]}`},
	} {
		p := MustCompile(tt.rule)
		attrs := attrsOf(t, tt.attrs)
		if n := testing.AllocsPerRun(100, func() { p.Eval(attrs, testNow) }); n != 0 {
			t.Errorf("%s: %v allocations", tt.rule, n)
		}
	}
}

func decodeAttrs(js string) (map[string]any, error) {
	inv, err := entity.DecodeAttrList([]byte("["+js+"]"), "X", "test")
	if err != nil {
		return nil, err
	}
	if len(inv.Entities) != 1 {
		return nil, errNotOneObject
	}
	return inv.Entities[0].Attrs, nil
}

var errNotOneObject = errors.New("not one object")

// TestFastListsAgreeWithResult: the fast loops of the list operators say
// what elementCounts.result, their definition, says, on every sequence of
// element outcomes of up to four elements.
func TestFastListsAgreeWithResult(t *testing.T) {
	outcomes := []tri{tFalse, tTrue, tUnknown, tError}
	var seqs [][]tri
	var grow func(prefix []tri)
	grow = func(prefix []tri) {
		seqs = append(seqs, prefix)
		if len(prefix) == 4 {
			return
		}
		for _, o := range outcomes {
			grow(append(slices.Clone(prefix), o))
		}
	}
	grow(nil)
	for _, seq := range seqs {
		list := make([]any, len(seq))
		for i := range seq {
			list[i] = i
		}
		elem := func(cur any, _ frame) tri { return seq[cur.(int)] }
		for _, kind := range []ListOpKind{Contain, ContainAll, ContainNone} {
			counts := countElements(list, elem, frame{})
			if got, want := matchElements(list, elem, frame{}, kind), counts.result(kind); got != want {
				t.Errorf("%v over %v: fast %v, result %v", kind, seq, got, want)
			}
		}
	}
}
