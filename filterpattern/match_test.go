package filterpattern

import "testing"

func TestMatch(t *testing.T) {
	const ev = `{"s":"abc","n":400,"f":1.5,"neg":-2,"big":1e3,"t":true,"z":null,"o":{"k":"v"},"a":[1,"two",{"k":3}],"num":"400","sp":"x y"}`
	tests := []struct {
		name    string
		pattern string
		event   string
		want    bool
	}{
		{"string equal", `{ $.s = abc }`, ev, true},
		{"string case-sensitive", `{ $.s = ABC }`, ev, false},
		{"prefix wildcard", `{ $.s = ab* }`, ev, true},
		{"suffix wildcard", `{ $.s = *bc }`, ev, true},
		{"both wildcards", `{ $.s = *b* }`, ev, true},
		{"quoted wildcard is a wildcard", `{ $.s = "*bc" }`, ev, true},
		{"middle star is literal", `{ $.s = a*c }`, ev, false},
		{"star alone matches a number", `{ $.n = * }`, ev, true},
		{"star alone does not match null", `{ $.z = * }`, ev, false},
		{"star alone does not match an object", `{ $.o = * }`, ev, false},
		{"number equal", `{ $.n = 400 }`, ev, true},
		{"number equal, other spelling", `{ $.n = 4e2 }`, ev, true},
		{"number against numeric string is text", `{ $.num = 400 }`, ev, true},
		{"number against numeric string, other spelling", `{ $.num = 4e2 }`, ev, false},
		{"number wildcard on raw text", `{ $.n = 4* }`, ev, true},
		{"exponent in event", `{ $.big = 1000 }`, ev, true},
		{"less than", `{ $.f < 2 }`, ev, true},
		{"greater or equal", `{ $.n >= 400 }`, ev, true},
		{"negative", `{ $.neg < -1.5 }`, ev, true},
		{"ordering on a string is false", `{ $.num > 1 }`, ev, false},
		{"!= different", `{ $.s != xyz }`, ev, true},
		{"!= same", `{ $.s != abc }`, ev, false},
		{"!= on a missing field is false", `{ $.missing != abc }`, ev, false},
		{"!= on null is false", `{ $.z != abc }`, ev, false},
		{"!= on an object is false", `{ $.o != abc }`, ev, false},
		{"= on an array is false", `{ $.a = 1 }`, ev, false},
		{"array index", `{ $.a[1] = two }`, ev, true},
		{"array index then property", `{ $.a[2].k = 3 }`, ev, true},
		{"array index out of range", `{ $.a[9] NOT EXISTS }`, ev, true},
		{"index on an object", `{ $.o[0] NOT EXISTS }`, ev, true},
		{"nested property", `{ $.o.k = v }`, ev, true},
		{"IS TRUE", `{ $.t IS TRUE }`, ev, true},
		{"IS FALSE on true", `{ $.t IS FALSE }`, ev, false},
		{"IS TRUE on a string", `{ $.s IS TRUE }`, ev, false},
		{"= true on a bool", `{ $.t = true }`, ev, true},
		{"IS NULL", `{ $.z IS NULL }`, ev, true},
		{"IS NULL on missing", `{ $.missing IS NULL }`, ev, false},
		{"NOT EXISTS on null", `{ $.z NOT EXISTS }`, ev, false},
		{"regex value", `{ $.s = %^a.c$% }`, ev, true},
		{"bare value with a space", `{ $.sp = x y }`, ev, true},
		{"&& before ||", `{ $.s = nope || $.n = 400 && $.t IS TRUE }`, ev, true},
		{"parentheses", `{ ($.s = nope || $.n = 400) && $.t IS FALSE }`, ev, false},
		{"not JSON", `{ $.s = abc }`, `s=abc`, false},
		{"JSON with trailing text", `{ $.s = abc }`, `{"s":"abc"} x`, false},
		{"top-level array", `{ $[0] = 1 }`, `[1]`, true},
		{"terms: substring", `ERROR`, `Exiting with ERRORCODE: -1`, true},
		{"terms: case-sensitive", `error`, `ERROR`, false},
		{"terms: all required", `ERROR Exception`, `[ERROR] Unhandled Exception`, true},
		{"terms: optional none", `?ERROR ?WARN`, `INFO`, false},
		{"terms: required and optional", `ERROR ?a ?b`, `ERROR c`, false},
		{"terms: excluded", `ERROR -DEBUG`, `ERROR DEBUG`, false},
		{"terms: regex", `%ERR[0-9]+%`, `got ERR42`, true},
		{"terms: empty matches all", ``, `anything`, true},
		{"terms: JSON event as text", `CreateTrail`, `{"eventName":"CreateTrail"}`, true},
		{"delimited: field count", `[a, b]`, `x y z`, false},
		{"delimited: brackets and quotes", `[ip, id, user, ts, req = "GET *", status = 2*, bytes > 1000]`,
			`127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`, true},
		{"delimited: ellipsis at the start", `[..., status = 5*, bytes]`, `a b c 503 12`, true},
		{"delimited: ellipsis in the middle", `[ip, ..., bytes > 10]`, `1.2.3.4 a b c 12`, true},
		{"delimited: two ellipses", `[..., x = mid, ...]`, `a b mid c`, true},
		{"delimited: numeric field", `[a, n = 404]`, `x 404.0`, true},
		{"delimited: non-numeric field with ordering", `[a, n > 1]`, `x -`, false},
		{"delimited: cross-field condition", `[a, b = 1 && a != x]`, `y 1`, true},
		{"delimited: unnamed field", `[a, , c = 3]`, `1 2 3`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.pattern)
			if got := p.Match(tt.event); got != tt.want {
				t.Errorf("Match(%s, %s) = %v, want %v", tt.pattern, tt.event, got, tt.want)
			}
		})
	}
}

// TestNotEqualOnMissingField_azul5884 pins AWS's behaviour reported in
// DataBiosphere/azul#5884 (tested in the CloudWatch console): != on a field
// the event lacks does not match.
func TestNotEqualOnMissingField_azul5884(t *testing.T) {
	p := mustParse(t, `{($.errorCode = "AccessDenied") && ($.userIdentity.invokedBy != "cloudfront.amazonaws.com")}`)
	if p.Match(`{"errorCode":"AccessDenied","userIdentity":{"accountId":"anonymous"}}`) {
		t.Error("matched an event without userIdentity.invokedBy")
	}
	if !p.Match(`{"errorCode":"AccessDenied","userIdentity":{"invokedBy":"config.amazonaws.com"}}`) {
		t.Error("did not match an event with another invokedBy")
	}
}
