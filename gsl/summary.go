package gsl

import (
	"slices"
	"strings"
)

// An explanation's summary is one line made of the texts of the events that
// decided the result (for a list, with its closest elements), and the same
// in structured form (Explanation.Clauses) for messages written for people.

// appendDeciding appends the events that decided ev's outcome to dst: the
// operands of an "and"/"or" with the same outcome, the operand of a "not",
// else ev itself.
func appendDeciding(dst []*event, ev *event) []*event {
	switch ev.kind {
	case evLogic, evRoot:
		n := len(dst)
		for _, k := range ev.kids {
			if k.out == ev.out || ev.kind == evRoot {
				dst = appendDeciding(dst, k)
			}
		}
		if len(dst) > n {
			return dst
		}
	case evNot:
		if len(ev.kids) == 1 {
			return appendDeciding(dst, ev.kids[0])
		}
	}
	return append(dst, ev)
}

// countDeciding is the number of events appendDeciding appends, without
// appending them.
func countDeciding(ev *event) int {
	switch ev.kind {
	case evLogic, evRoot:
		n := 0
		for _, k := range ev.kids {
			if k.out == ev.out || ev.kind == evRoot {
				n += countDeciding(k)
			}
		}
		if n > 0 {
			return n
		}
	case evNot:
		if len(ev.kids) == 1 {
			return countDeciding(ev.kids[0])
		}
	}
	return 1
}

// unknownsUnder gathers the unknowns noted under ev. Each is described in
// the tracer's scratch buffer and interned (see traceLines): the same
// unknowns recur in finding after finding, and most are already listed or
// already interned.
func (t *tracer) unknownsUnder(ev *event, into []string) []string {
	if ev.out != tUnknown {
		return into
	}
	for _, n := range ev.unknowns {
		t.line = n.appendTo(t.line[:0])
		if !containsBytes(into, t.line) {
			into = append(into, t.intern(t.line))
		}
	}
	for _, k := range ev.kids {
		into = t.unknownsUnder(k, into)
	}
	return into
}

// containsBytes reports whether list holds the string b.
func containsBytes(list []string, b []byte) bool {
	for _, x := range list {
		if x == string(b) {
			return true
		}
	}
	return false
}

// maxSummaryElements is how many elements of a list a summary names.
const maxSummaryElements = 3

// summarize sets ex.Summary, ex.Unknowns and, withClauses, ex.Clauses
// from the events that decided decisive, the event of the deciding clause. The summary is the distinct
// texts of the deciding events (see appendSummaryText), joined by "; ".
// It is built in the tracer's scratch buffer and interned (see
// traceLines): a scan summarizes thousands of findings, and many say the
// same (in the 10,000-resource benchmark, 16,000 findings have 2,002
// distinct summaries: rules that differ in a filter pattern fail the same
// way on one scope).
func (t *tracer) summarize(ex *Explanation, decisive *event, withClauses bool) {
	t.deciding = appendDeciding(t.deciding[:0], decisive)
	n := len(t.deciding)
	// An ERROR with an error is summarized by the error's message.
	withText := ex.Outcome != Error || ex.Err == nil
	buf := t.summary[:0]
	if withText && ex.Outcome == NotRelevant && strings.HasPrefix(t.text(decisive), "where ") {
		buf = append(buf, "not relevant: "...)
	}
	// parts holds where each text of the summary starts and ends in buf,
	// to leave out texts already in it.
	parts := t.parts[:0]
	// The unknowns are gathered in scratch space too, and copied once.
	unknowns := t.unknowns[:0]
	for i := range n {
		ev := t.deciding[i]
		unknowns = t.unknownsUnder(ev, unknowns)
		if !withText {
			continue
		}
		end := len(buf)
		if len(parts) > 0 {
			buf = append(buf, "; "...)
		}
		start := len(buf)
		buf = t.appendSummaryText(buf, ev)
		if slices.ContainsFunc(parts, func(p textSpan) bool { return string(buf[p.start:p.end]) == string(buf[start:]) }) {
			buf = buf[:end]
			continue
		}
		parts = append(parts, textSpan{start, len(buf)})
	}
	if withText {
		ex.Summary = t.intern(buf)
		if withClauses {
			ex.Clauses = t.clauses(t.deciding[:n])
		}
	}
	if len(unknowns) > 0 {
		ex.Unknowns = slices.Clone(unknowns)
	}
	t.summary, t.parts, t.unknowns = buf, parts, unknowns
	t.deciding = t.deciding[:0]
}

// textSpan is where a text starts and ends in a buffer.
type textSpan struct{ start, end int }

// appendSummaryText appends an event's text in a summary: for a list,
// followed by why the first maxSummaryElements of its deciding elements,
// the closest to deciding the list the other way, came out as they did:
// "items with [...]: 0 of 2 elements match (items[0] (name 'a'): x is 1,
// expected 2 | items[1] (name 'b'): x is 3, expected 2)".
func (t *tracer) appendSummaryText(dst []byte, ev *event) []byte {
	dst = t.appendText(dst, ev)
	if ev.kind != evList {
		return dst
	}
	shown, nShown, more := closestElements(ev)
	if nShown == 0 {
		return dst
	}
	dst = append(dst, " ("...)
	for i, k := range shown[:nShown] {
		if i > 0 {
			dst = append(dst, " | "...)
		}
		// An element's text is its name, ": " and its match word; the
		// summary gives the element's deciding texts instead of the word.
		dst = trimSuffix(t.appendText(dst, k), ": ", matchWord(k.out))
		dst = append(dst, ": "...)
		m := len(t.deciding)
		t.deciding = appendDeciding(t.deciding, k.kids[0])
		for j, d := range t.deciding[m:] {
			if j > 0 {
				dst = append(dst, "; "...)
			}
			dst = t.appendText(dst, d)
		}
		t.deciding = t.deciding[:m]
	}
	if more {
		dst = append(dst, " | ..."...)
	}
	return append(dst, ')')
}

// closestElements returns the deciding elements of a list event with the
// lowest scores, the closest to deciding the list the other way, in order
// of score then of position (a stable sort), and whether there are more.
func closestElements(ev *event) (shown [maxSummaryElements]*event, nShown int, more bool) {
	for _, k := range ev.kids {
		if k.kind != evElem || k.out != ev.elemOut || len(k.kids) == 0 {
			continue
		}
		i := nShown
		for i > 0 && shown[i-1].score > k.score {
			i--
		}
		if i == maxSummaryElements {
			more = true
			continue
		}
		if nShown == maxSummaryElements {
			more = true
		} else {
			nShown++
		}
		copy(shown[i+1:nShown], shown[i:nShown-1])
		shown[i] = k
	}
	return shown, nShown, more
}

// maxClauseDepth bounds how deep Explanation.Clauses follows lists in
// lists: to the elements of a rule's lists, and not into the lists those
// elements hold (a message names the trails that came closest, not their
// closest metric filters).
const maxClauseDepth = 1

// clauses describes deciding events as Clauses, following each list to its
// closest elements.
func (t *tracer) clauses(deciding []*event) []Clause {
	return t.clausesAt(deciding, 0)
}

func (t *tracer) clausesAt(deciding []*event, depth int) []Clause {
	out := make([]Clause, 0, len(deciding))
	for _, ev := range deciding {
		c := Clause{Path: ev.path, Outcome: outcomeOf(ev.out)}
		if ev.kind == evList && depth < maxClauseDepth {
			shown, n, _ := closestElements(ev)
			for _, k := range shown[:n] {
				m := len(t.deciding)
				t.deciding = appendDeciding(t.deciding, k.kids[0])
				c.Closest = append(c.Closest, Element{Index: k.idx, Clauses: t.clausesAt(t.deciding[m:], depth+1)})
				t.deciding = t.deciding[:m]
			}
		}
		out = append(out, c)
	}
	return out
}

// trimSuffix removes sep+word from the end of b, if b ends with them.
func trimSuffix(b []byte, sep, word string) []byte {
	n := len(b) - len(sep) - len(word)
	if n >= 0 && string(b[n:n+len(sep)]) == sep && string(b[n+len(sep):]) == word {
		return b[:n]
	}
	return b
}
