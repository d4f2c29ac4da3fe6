package gsl

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"vigil/entity"
)

// Explanation says why an evaluation came out as it did.
type Explanation struct {
	Outcome Outcome
	// Summary is one line: the deciding sub-expressions and their values,
	// e.g. "isMultiRegionTrail is false, expected true".
	Summary string
	// Lines is the full trace, outermost first, indented two spaces per
	// level of nesting.
	Lines []string
	// Unknowns names the attributes whose unknown values made the result
	// UNKNOWN, with the unknown's reason: "cloud_watch_logs_role_arn: unknown
	// (maybe null: var.role_arn has no value)".
	Unknowns []string
	// Err is the evaluation error of an ERROR result.
	Err *Diagnostic
	// Clauses are the deciding sub-expressions the Summary names, as data,
	// for messages written for people (see Clause).
	Clauses []Clause
}

// Clause is one deciding sub-expression of an explanation: a comparison,
// function, bare path or list operator whose outcome decided the result.
type Clause struct {
	// Path is the attribute the sub-expression tests, relative to the value
	// it was evaluated on: "isMultiRegionTrail" for isMultiRegionTrail=true,
	// "status.isLogging", "metricFilters" for a list operator on it. It is
	// empty when the sub-expression tests no attribute (a literal).
	Path    string
	Outcome Outcome
	// Closest, for a list operator, are the elements that came closest to
	// deciding it the other way, closest first (at most three), each with
	// the clauses that decided it.
	Closest []Element
}

// Element is one element of a list that an explanation names.
type Element struct {
	// Index is the element's position in the list.
	Index int
	// Clauses decided the element's outcome.
	Clauses []Clause
}

// Limits on explanations.
const (
	// maxTracedElements is how many elements of one list a trace shows.
	maxTracedElements = 10
	// maxTraceLines bounds the lines of one explanation.
	maxTraceLines = 500
)

// eventKind says how an event takes part in the summary.
type eventKind uint8

const (
	evLeaf  eventKind = iota // a comparison, function or bare path
	evLogic                  // and / or: decided by the operands with its outcome
	evNot                    // not: decided by its operand
	evList                   // a list operator: a summary line of its own
	evElem                   // one element of a list
	evRoot                   // a rule clause (where, should, exclude)
)

// event is one recorded step of an evaluation.
type event struct {
	// score, for an element, ranks how close it came to deciding its list
	// the other way: lower is closer.
	score int
	// text is the event's line in the trace. When render is set, the text
	// is built from the inputs below the first time it is needed (see
	// tracer.text): an explanation prints a few of the events it records,
	// and building every text would cost more than the evaluation.
	text   string
	render textFn
	// The inputs of render: the value the expression was evaluated on, up
	// to two values it computed, an element's index, a list's counts.
	cur, x, y any
	idx       int
	counts    elementCounts
	kids      []*event
	unknowns  []noted
	kind      eventKind
	// path is the attribute a leaf or list event tests (Clause.Path).
	path string
	// elemOut, for a list event, is the element outcome that decided it.
	elemOut tri
	out     tri
}

// noted is an unknown value met in a traced evaluation, and the path that
// read it. Its text is built only if the explanation names it.
type noted struct {
	name string
	u    *entity.Unknown
}

// appendTo appends how explanations list n: "name: unknown (reason)".
func (n noted) appendTo(dst []byte) []byte {
	dst = append(dst, n.name...)
	dst = append(dst, ": "...)
	return appendDescribeUnknown(dst, n.u)
}

// tracer records events while an expression is evaluated in explain mode.
type tracer struct {
	src     string
	now     time.Time
	root    event
	stack   []*event
	err     *Diagnostic
	lastErr string
	pending []noted
	// probe is where fast evaluations inside an explanation note errors.
	probe probe
	// blocks are where events are allocated from: every block allocated,
	// of which used are in use, and next is the index of the next free
	// event in the last of those. A pooled tracer reuses its blocks. (An
	// index, not the rest of the block as a slice: moving a slice's
	// pointer on every event costs a write barrier while the collector
	// marks.)
	blocks [][]event
	used   int
	next   int
	// line is scratch space for rendering one trace line or text.
	line []byte
	// Scratch space for summarize: the summary, where its texts lie in
	// it, the deciding events being summarized and the unknowns under
	// them.
	summary  []byte
	parts    []textSpan
	deciding []*event
	unknowns []string
	// interned caches the lines this tracer has interned (see intern).
	interned map[string]string
}

// Bounds of the blocks of events a tracer allocates: small explanations
// stay small, long ones make few allocations.
const (
	minEventBlock = 8
	maxEventBlock = 128
	// maxPooledEvents is the most events a tracer may hold to be reused:
	// one that traced a list of thousands is left to the collector.
	maxPooledEvents = 4096
)

// tracers holds tracers for reuse: a scan explains thousands of findings,
// and a tracer's events are garbage once its explanation is written.
var tracers = sync.Pool{New: func() any { return &tracer{} }}

func newTracer(src string, now time.Time, exhaustive bool) *tracer {
	t := tracers.Get().(*tracer)
	t.src, t.now, t.probe = src, now, probe{exhaustive: exhaustive}
	t.stack = append(t.stack[:0], &t.root)
	return t
}

// release returns t to the pool. Nothing of t may be used after: the
// explanation holds only strings and slices built apart from the events.
func (t *tracer) release() {
	n := 0
	for _, b := range t.blocks {
		n += len(b)
	}
	if n > maxPooledEvents {
		return
	}
	for j, b := range t.blocks[:t.used] {
		if j == t.used-1 {
			b = b[:t.next] // the rest of the last block is unused
		}
		for i := range b {
			b[i].reset()
		}
	}
	t.root = event{kids: t.root.kids[:0]}
	t.used, t.next = 0, 0
	t.err, t.lastErr = nil, ""
	t.pending = t.pending[:0]
	clear(t.stack)
	tracers.Put(t)
}

// reset clears ev for reuse. It keeps the children's and unknowns' arrays:
// they only ever point at this tracer's events and at strings. It writes
// only the pointers that are set: while the collector marks, each pointer
// written costs a write barrier, and most events set few of them.
func (ev *event) reset() {
	if ev.text != "" {
		ev.text = ""
	}
	if ev.render != nil {
		ev.render = nil
	}
	if ev.cur != nil {
		ev.cur = nil
	}
	if ev.x != nil {
		ev.x = nil
	}
	if ev.y != nil {
		ev.y = nil
	}
	ev.kids = ev.kids[:0]
	ev.unknowns = ev.unknowns[:0]
	ev.score, ev.idx, ev.counts = 0, 0, elementCounts{}
	ev.kind, ev.elemOut, ev.out = 0, 0, 0
	ev.path = ""
}

// open starts an event; its children are the events recorded until close.
func (t *tracer) open(kind eventKind) *event {
	if t.used == 0 || t.next == len(t.blocks[t.used-1]) {
		if t.used == len(t.blocks) {
			size := minEventBlock
			if t.used > 0 {
				size = min(2*len(t.blocks[t.used-1]), maxEventBlock)
			}
			t.blocks = append(t.blocks, make([]event, size))
		}
		t.used++
		t.next = 0
	}
	ev := &t.blocks[t.used-1][t.next]
	t.next++
	ev.kind = kind
	top := t.stack[len(t.stack)-1]
	top.kids = append(top.kids, ev)
	t.stack = append(t.stack, ev)
	return ev
}

// close ends ev with its outcome and its text.
func (t *tracer) close(ev *event, out tri, text string) {
	ev.text = text
	t.finish(ev, out)
}

// closeLazy ends ev with its outcome; render builds its text from the
// inputs the caller recorded in ev, if the text is ever needed.
func (t *tracer) closeLazy(ev *event, out tri, render textFn) {
	ev.render = render
	t.finish(ev, out)
}

func (t *tracer) finish(ev *event, out tri) {
	if out == tError && t.lastErr != "" && ev.kind == evLeaf {
		ev.text, ev.render = t.lastErr, nil
	}
	ev.out = out
	if len(t.pending) > 0 {
		// Most events note no unknown: storing the slice back costs a
		// write barrier while the collector marks.
		ev.unknowns = append(ev.unknowns, t.pending...)
		t.pending = t.pending[:0]
	}
	t.stack = t.stack[:len(t.stack)-1]
}

// text returns ev's text, building it if it was left to render.
func (t *tracer) text(ev *event) string {
	if ev.render != nil {
		t.line = ev.render(t.line[:0], ev, t.now)
		ev.text, ev.render = string(t.line), nil
	}
	return ev.text
}

// appendText appends ev's text to dst, rendering it there if it was left
// to render.
func (t *tracer) appendText(dst []byte, ev *event) []byte {
	if ev.render != nil {
		return ev.render(dst, ev, t.now)
	}
	return append(dst, ev.text...)
}

// fail records an evaluation error; the first one is the result's error.
func (t *tracer) fail(sp Span, msg string) {
	t.lastErr = msg
	if t.err == nil {
		t.err = diagnostic(t.src, sp, msg)
	}
}

// unknown notes that name evaluated to an unknown value.
func (t *tracer) unknown(name string, u *entity.Unknown) {
	if u == derivedUnknown {
		return
	}
	t.pending = append(t.pending, noted{name, u})
}

// lines renders the event tree, indented by depth. Each line is built in
// the tracer's scratch buffer and interned (see tracer.intern): a scan
// explains thousands of findings whose traces repeat line for line
// (modules instantiated many times, the same metric filters in every
// account), and findings keep their traces until the report is written.
func (t *tracer) lines() []string {
	n := 0
	var count func(ev *event)
	count = func(ev *event) {
		if n < maxTraceLines {
			n++
			for _, k := range ev.kids {
				count(k)
			}
		}
	}
	for _, ev := range t.root.kids {
		count(ev)
	}
	out := make([]string, 0, n+1)
	var walk func(ev *event, depth int)
	walk = func(ev *event, depth int) {
		if len(out) >= maxTraceLines {
			return
		}
		t.line = t.appendText(append(t.line[:0], indent(depth)...), ev)
		out = append(out, t.intern(t.line))
		for _, k := range ev.kids {
			walk(k, depth+1)
		}
	}
	for _, ev := range t.root.kids {
		walk(ev, 0)
	}
	if len(out) >= maxTraceLines {
		out = append(out, fmt.Sprintf("... (trace cut at %d lines)", maxTraceLines))
	}
	return out
}

// maxInternedLines bounds the lines lineInterner keeps; when it is full it
// starts again empty.
const maxInternedLines = 1 << 16

// maxTracerLines bounds the lines a tracer caches; when its cache is full
// it starts again empty.
const maxTracerLines = 1 << 12

// intern returns the shared copy of line b (see traceLines). A tracer
// first looks in its own cache, which needs no lock: pooled tracers stay
// with their worker, and a worker explains the same lines over and over.
// Every worker reading traceLines's lock for every line kept moving the
// lock's reader count between cores, which cost more than the lookups.
func (t *tracer) intern(b []byte) string {
	if s, ok := t.interned[string(b)]; ok {
		return s
	}
	s := traceLines.intern(b)
	if t.interned == nil {
		t.interned = make(map[string]string)
	} else if len(t.interned) >= maxTracerLines {
		clear(t.interned)
	}
	t.interned[s] = s
	return s
}

// traceLines interns the lines, summaries and unknowns of every
// explanation.
var traceLines = lineInterner{m: map[string]string{}}

// lineInterner returns one shared copy of each distinct line. A line seen
// before costs a lookup and no allocation (Go looks a map up by the bytes
// of string(b) without converting them). Lookups share a read lock: the
// workers of a scan intern at once, and most lines were seen before.
type lineInterner struct {
	mu sync.RWMutex
	m  map[string]string
}

func (in *lineInterner) intern(b []byte) string {
	in.mu.RLock()
	s, ok := in.m[string(b)]
	in.mu.RUnlock()
	if ok {
		return s
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	if len(in.m) >= maxInternedLines {
		clear(in.m)
	}
	s = string(b)
	in.m[s] = s
	return s
}

// spaces indents the usual depths of a trace without allocating.
const spaces = "                                                                "

// indent returns two spaces per level of depth.
func indent(depth int) string {
	if 2*depth <= len(spaces) {
		return spaces[:2*depth]
	}
	return strings.Repeat("  ", depth)
}

// clauseTexts are the texts of a clause's event, indexed by its outcome:
// "where ...: true". They are built once, when the rule is compiled.
type clauseTexts [tError + 1]string

func clauseTextsOf(label string) clauseTexts {
	var texts clauseTexts
	for r := range texts {
		texts[r] = label + ": " + tri(r).String()
	}
	return texts
}

// clause evaluates a clause in explain mode under a root event whose text
// is texts[outcome], and returns the event.
func (t *tracer) clause(texts *clauseTexts, c condFn, cur any, now time.Time) (*event, tri) {
	ev := t.open(evRoot)
	out := c(cur, frame{now: now, tr: t})
	t.close(ev, out, texts[out])
	return ev, out
}

// traceFail records an evaluation error when tracing, and returns errVal.
func traceFail(f frame, sp Span, format string, args ...any) any {
	if f.tr != nil {
		f.tr.fail(sp, fmt.Sprintf(format, args...))
	}
	if f.probe != nil {
		f.probe.sawErr = true
	}
	return errVal
}

// leaf wraps the fast closure of a comparison, function or bare path so
// that in explain mode the explaining closure runs instead, inside an event
// of its own. explain returns the result and up to two values it computed;
// render builds the event's text from them if the text is needed.
// path is the attribute the expression tests (see subjectPath).
//
// Every construct runs its fast closure when not explaining; the wrappers
// here (leaf, traced) and the list operators' (listCond) are the only
// places that look at the tracer.
func leaf(fast condFn, explain func(cur any, f frame) (r tri, x, y any), render textFn, path string) condFn {
	return func(cur any, f frame) tri {
		if f.tr == nil {
			return fast(cur, f)
		}
		ev := f.tr.open(evLeaf)
		ev.path = path
		r, x, y := explain(cur, f)
		ev.cur, ev.x, ev.y = cur, x, y
		f.tr.closeLazy(ev, r, render)
		return r
	}
}

// traced wraps the condition of an "and", "or" or "not" so that in explain
// mode it runs inside an event of kind, whose text render builds.
func traced(kind eventKind, inner condFn, render textFn) condFn {
	return func(cur any, f frame) tri {
		if f.tr == nil {
			return inner(cur, f)
		}
		ev := f.tr.open(kind)
		r := inner(cur, f)
		f.tr.closeLazy(ev, r, render)
		return r
	}
}

// isText renders the text of a match of x ("x is 'abc'"), followed by
// what was expected when it did not match.
func (c *compiler) isText(x Expr, expected string) textFn {
	return func(dst []byte, ev *event, _ time.Time) []byte {
		dst = appendIs(dst, c.short(x), x, ev.x, ev.cur)
		if ev.out == tFalse {
			dst = append(dst, expected...)
		}
		return dst
	}
}

// outcomeText renders the text of an "and", "or" or "not" event: the
// expression and its outcome.
func (c *compiler) outcomeText(n Expr) textFn {
	return func(dst []byte, ev *event, _ time.Time) []byte {
		dst = append(dst, c.short(n)...)
		dst = append(dst, ": "...)
		return append(dst, ev.out.String()...)
	}
}
