package filterpattern

import (
	"fmt"
	"slices"
	"testing"
)

const cis45 = `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`

func TestCovers(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"CIS 4.5 plus DeleteEventDataStore covers 4.5",
			`{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) || ($.eventName = DeleteEventDataStore) }`,
			cis45, true},
		{"4.5 does not cover its superset", cis45,
			`{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) || ($.eventName = DeleteEventDataStore) }`,
			false},
		{"4.5 missing StopLogging",
			`{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }`,
			cis45, false},
		{"4.5 clauses joined with &&",
			`{ ($.eventName = CreateTrail) && ($.eventName = UpdateTrail) && ($.eventName = DeleteTrail) && ($.eventName = StartLogging) && ($.eventName = StopLogging) }`,
			cis45, false},
		{"*Trail with StartLogging and StopLogging covers 4.5",
			`{ ($.eventName = *Trail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`, cis45, true},
		{"*Trail alone misses StartLogging and StopLogging", `{ $.eventName = *Trail }`, cis45, false},
		{"4.5 in another spelling", cis45,
			`{($.eventName="StopLogging")||($.eventName=StartLogging)||($.eventName=DeleteTrail)||($.eventName=UpdateTrail)||($.eventName=CreateTrail)}`, true},
		{"dropping a conjunct broadens",
			`{ $.eventSource = kms.amazonaws.com }`,
			`{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`, true},
		{"adding a conjunct narrows",
			`{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`,
			`{ $.eventSource = kms.amazonaws.com }`, false},
		{"distributed form covers the factored one",
			`{ ($.eventSource = kms.amazonaws.com && $.eventName = DisableKey) || ($.eventSource = kms.amazonaws.com && $.eventName = ScheduleKeyDeletion) }`,
			`{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`, true},
		{"factored form covers the distributed one",
			`{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`,
			`{ ($.eventSource = kms.amazonaws.com && $.eventName = DisableKey) || ($.eventSource = kms.amazonaws.com && $.eventName = ScheduleKeyDeletion) }`, true},
		{"distributed form missing a clause",
			`{ ($.eventSource = kms.amazonaws.com && $.eventName = DisableKey) }`,
			`{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`, false},
		{"other selector", `{ $.eventSource = CreateTrail }`, `{ $.eventName = CreateTrail }`, false},
		{"prefix wildcard covers longer prefix", `{ $.e = Access* }`, `{ $.e = AccessDenied* }`, true},
		{"longer prefix does not cover shorter", `{ $.e = AccessDenied* }`, `{ $.e = Access* }`, false},
		{"contains covers suffix", `{ $.e = *Unauthorized* }`, `{ $.e = *UnauthorizedOperation }`, true},
		{"star covers any comparison", `{ $.n = * }`, `{ $.n > 5 }`, true},
		{"!= covers a different =", `{ $.e != HeadBucket }`, `{ $.e = GetObject }`, true},
		{"!= does not cover the same =", `{ $.e != HeadBucket }`, `{ $.e = HeadBucket }`, false},
		{"!= does not cover a missing field", `{ $.e != HeadBucket }`, `{ $.e NOT EXISTS }`, false},
		{"!= broader value", `{ $.e != Head* }`, `{ $.e != HeadBucket }`, false},
		{"!= narrower value", `{ $.e != HeadBucket }`, `{ $.e != Head* }`, true},
		{"number ranges", `{ $.n > 1 }`, `{ $.n >= 2 }`, true},
		{"number ranges, open end", `{ $.n >= 2 }`, `{ $.n > 1 }`, false},
		{"number ranges, same bound", `{ $.n >= 2 }`, `{ $.n > 2 }`, true},
		{"number ranges, strict same bound", `{ $.n > 2 }`, `{ $.n >= 2 }`, false},
		{"= number is not covered by a range (it also matches the string)", `{ $.n > 1 }`, `{ $.n = 2 }`, false},
		{"quoted number is the same number", `{ $.n = "400" }`, `{ $.n = 400 }`, true},
		{"different spelling of a number", `{ $.n = 400.0 }`, `{ $.n = 400 }`, false},
		{"union needed: not provable", `{ $.n < 5 || $.n >= 5 }`, `{ $.n > 3 }`, false},
		{"IS TRUE covered by = true", `{ $.f = true }`, `{ $.f IS TRUE }`, true},
		{"IS NULL only by itself", `{ $.f = * }`, `{ $.f IS NULL }`, false},
		{"empty pattern covers JSON", ``, cis45, true},
		{"JSON does not cover terms", cis45, `ERROR`, false},
		{"term: fewer terms", `ERROR`, `ERROR Exception`, true},
		{"term: part of a term", `ERROR`, `"[ERROR]"`, true},
		{"term: more terms", `ERROR Exception`, `ERROR`, false},
		{"term: optional group", `?ERROR ?WARN`, `ERROR`, true},
		{"term: optional subgroup", `?ERROR ?WARN ?FATAL`, `?ERROR ?WARN`, true},
		{"term: optional supergroup", `?ERROR ?WARN`, `?ERROR ?WARN ?FATAL`, false},
		{"term: b's ?terms prove nothing beside plain terms", `?X ?Y`, `ERROR ?X`, false},
		{"term: exclusion", `ERROR -DEBUG`, `ERROR -DEBUG -TRACE`, true},
		{"term: missing exclusion", `ERROR -DEBUG`, `ERROR`, false},
		{"delimited: same slots, weaker condition", `[a, b = 4*]`, `[x, y = 404]`, false},
		{"delimited: same slots, wildcard", `[a, b = 4*]`, `[x, y = "40*"]`, true},
		{"delimited: no condition covers", `[a, b]`, `[x, y = 404]`, true},
		{"delimited: different slots", `[a, ..., b]`, `[x, y]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustParse(t, tt.a), mustParse(t, tt.b)
			if got := Covers(a, b); got != tt.want {
				t.Errorf("Covers(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := len(Uncovered(a, b)) == 0; got != tt.want {
				t.Errorf("Uncovered = %q, inconsistent with Covers", Uncovered(a, b))
			}
		})
	}
}

func TestUncoveredNamesMissingClauses(t *testing.T) {
	a := mustParse(t, `{ $.eventName = *Trail }`)
	b := mustParse(t, cis45)
	got := Uncovered(a, b)
	want := []string{"$.eventName = StartLogging", "$.eventName = StopLogging"}
	if !slices.Equal(got, want) {
		t.Errorf("Uncovered = %q, want %q", got, want)
	}
}

func TestUncoveredSplitsFactoredPatterns(t *testing.T) {
	a := mustParse(t, `{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }`)
	b := mustParse(t, `{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`)
	got := Uncovered(a, b)
	want := []string{"($.eventName = ScheduleKeyDeletion) && ($.eventSource = kms.amazonaws.com)"}
	if !slices.Equal(got, want) {
		t.Errorf("Uncovered = %q, want %q", got, want)
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"whitespace", `{$.a=b}`, "{ \t$.a  =  b }", true},
		{"quoting of a bare-safe value", `{ $.a = "CreateTrail" }`, `{ $.a = CreateTrail }`, true},
		{"quoting keeps the wildcard", `{ $.e = "*UnauthorizedOperation" }`, `{ $.e = *UnauthorizedOperation }`, true},
		{"redundant parentheses", `{ ((($.a = 1))) }`, `{ $.a = 1 }`, true},
		{"flattening", `{ ($.a = 1 || $.b = 2) || $.c = 3 }`, `{ $.a = 1 || ($.b = 2 || $.c = 3) }`, true},
		{"operand order", `{ $.a = 1 && $.b = 2 }`, `{ $.b = 2 && $.a = 1 }`, true},
		{"duplicates", `{ $.a = 1 || $.a = 1 || $.b = 2 }`, `{ $.b = 2 || $.a = 1 }`, true},
		{"&& against ||", `{ $.a = 1 && $.b = 2 }`, `{ $.a = 1 || $.b = 2 }`, false},
		{"precedence", `{ $.a = 1 || $.b = 2 && $.c = 3 }`, `{ ($.a = 1 || $.b = 2) && $.c = 3 }`, false},
		{"case of values matters", `{ $.a = Yes }`, `{ $.a = YES }`, false},
		{"case of keywords does not", `{ $.a is null }`, `{ $.a IS NULL }`, true},
		{"selector with a space after the dot", `{ $. eventName = X }`, `{ $.eventName = X }`, true},
		{"= against !=", `{ $.a = 1 }`, `{ $.a != 1 }`, false},
		{"ordering numbers are canonical", `{ $.n > +1000 }`, `{ $.n > 1e3 }`, true},
		{"= numbers keep their spelling", `{ $.n = 1000 }`, `{ $.n = 1e3 }`, false},
		{"escaped quote", `{ $.a = "x\"y" }`, `{ $.a = "x\"y" }`, true},
		{"terms: order and quoting", `ERROR "Exception" -DEBUG`, `-DEBUG Exception ERROR`, true},
		{"terms: phrase is not two terms", `"Failed to"`, `Failed to`, false},
		{"terms: empty", ``, `""`, true},
		{"terms: optional vs required", `?ERROR`, `ERROR`, true},
		{"terms: two optionals vs required", `?ERROR ?WARN`, `ERROR WARN`, false},
		{"delimited: names do not matter", `[a, b = 4*, ...]`, `[ip, status = "4*", ...]`, true},
		{"delimited: condition position", `[a, b, c = 1 && b = 2]`, `[x, y = 2, z = 1]`, true},
		{"delimited: slot count", `[a, b]`, `[a, b, c]`, false},
		{"kinds differ", `ERROR`, `[ERROR]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustParse(t, tt.a), mustParse(t, tt.b)
			if got := Equal(a, b); got != tt.want {
				t.Errorf("Equal(%s, %s) = %v, want %v\n %s\n %s", tt.a, tt.b, got, tt.want, a.key, b.key)
			}
		})
	}
}

// TestOptionalAloneIsRequired pins why ?ERROR and ERROR are Equal: a lone
// ?term must appear, exactly like a plain term.
func TestOptionalAloneIsRequired(t *testing.T) {
	opt, req := mustParse(t, `?ERROR`), mustParse(t, `ERROR`)
	for _, e := range []string{"ERROR x", "WARN x"} {
		if opt.Match(e) != req.Match(e) {
			t.Errorf("?ERROR and ERROR disagree on %q", e)
		}
	}
}

func TestDifference(t *testing.T) {
	a := mustParse(t, `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) }`)
	b := mustParse(t, `{ ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) }`)
	onlyA, onlyB := Difference(a, b)
	if !slices.Equal(onlyA, []string{"$.eventName = UpdateTrail"}) || !slices.Equal(onlyB, []string{"$.eventName = DeleteTrail"}) {
		t.Errorf("Difference = %q, %q", onlyA, onlyB)
	}
	c := mustParse(t, `{ ($.eventName = CreateTrail) && ($.eventName = DeleteTrail) }`)
	onlyA, onlyB = Difference(b, c)
	if !slices.Equal(onlyA, []string{Format(b)}) || !slices.Equal(onlyB, []string{Format(c)}) {
		t.Errorf("Difference across connectives = %q, %q", onlyA, onlyB)
	}
}

// TestCoversBudget checks that Covers gives up, soundly answering false, when
// a proof needs more than MaxCoverSteps steps, and that nested alternating
// connectives (the shape that makes the search grow) stay fast.
func TestCoversBudget(t *testing.T) {
	a, b := mustParse(t, cis45), mustParse(t, cis45+" ")
	budget := 2
	if coversExpr(a.expr, mustParse(t, `{ ($.eventName = CreateTrail) || ($.eventName = StopLogging) }`).expr, &budget) {
		t.Error("proved coverage with a budget of 2 steps")
	}
	if !Covers(a, b) {
		t.Error("Covers(p, p) is false")
	}
	nest := func(depth int, leaf string) string {
		s := leaf
		for i := 0; i < depth; i++ {
			op := " && "
			if i%2 == 1 {
				op = " || "
			}
			s = fmt.Sprintf("(%s%s$.k%d = v%d)%s(%s%s$.k%d = w%d)", s, op, i, i, op, s, op, i, i)
			if len(s) > MaxPatternBytes/4 {
				break
			}
		}
		return "{ " + s + " }"
	}
	x, y := mustParse(t, nest(12, "$.a = 1")), mustParse(t, nest(12, "$.a = 2"))
	Covers(x, y) // must return; the budget bounds the work
}
