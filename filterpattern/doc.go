// Package filterpattern implements CloudWatch Logs filter patterns, the
// language of metric filters and subscription filters, as the CloudWatch Logs
// User Guide ("Filter pattern syntax for metric filters, subscription
// filters, and filter log events") documents it: it parses patterns, matches
// log events, normalises patterns, decides semantic equality and proves
// coverage. It imports nothing of vigil.
//
// The three kinds of pattern:
//
//	ERROR -DEBUG ?WARN "exact phrase" %regex%          terms
//	{ ($.eventName = CreateTrail) || ($.n > 1e3) }     JSON
//	[ip, user, ..., status = 4* || status = 5*, bytes] space-delimited
//
// JSON conditions compare a selector ($.a.b, $.a[0].b) with = != (strings,
// with a * wildcard at the start or end, or numbers) or < <= > >= (numbers,
// with sign and exponent), or test it with IS NULL, IS TRUE, IS FALSE or NOT
// EXISTS; && binds tighter than ||, and parentheses group.
//
// Decisions where AWS's documentation is silent or loose:
//
//   - Quoting never changes the meaning of a value: "CreateTrail" equals
//     CreateTrail, and a leading or trailing * is a wildcard inside quotes
//     too, so "*UnauthorizedOperation" and *UnauthorizedOperation are the
//     same value. AWS's own CloudTrail and CIS examples quote wildcard values
//     ($.errorCode = "*UnauthorizedOperation") to match
//     Client.UnauthorizedOperation; the guide says only that a * inside a
//     value (Ev*ent) is a literal. There is no way to write a literal leading
//     or trailing *.
//   - An unquoted value may hold spaces ($.errorMessage = Failed
//     authentication), as some CIS transcriptions write it; it means the
//     quoted value.
//   - A comparison on a missing selector, or on one that reaches an object,
//     an array or null, is false for != as well as for =. The guide says so
//     for arrays; for missing fields DataBiosphere/azul#5884 reports the same
//     from the CloudWatch console.
//   - In a term pattern that mixes plain, ?optional and -excluded terms, the
//     plain terms must all appear, the excluded ones must not, and at least
//     one optional term must appear. The guide shows ?terms only on their
//     own; Covers is written to stay sound if AWS ignores ?terms beside
//     plain ones.
//   - Conditions in a space-delimited slot may name any field of the
//     pattern ([a, b = 1 && a != x]); naming a field the pattern does not
//     declare is an error.
//
// Parse returns a *Pattern or an *Error ("1:14: expected a value after
// "=", found "}"", with Snippet for a caret display). Equal, Covers and
// Format work on parsed patterns; a Cache parses each distinct pattern text
// once for callers that compare the same patterns many times.
//
//	a, _ := filterpattern.Parse(`{($.eventName=CreateTrail)||($.eventName=DeleteTrail)}`)
//	b, _ := filterpattern.Parse(`{ ($.eventName = "DeleteTrail") || ($.eventName = "CreateTrail") }`)
//	filterpattern.Equal(a, b) // true
//	filterpattern.Format(a)   // { ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) }
package filterpattern
