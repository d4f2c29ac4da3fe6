package report

// This file is the default layout of the text report, in the manner of
// Trivy's and Checkov's: the findings grouped by what they are about (a
// resource, or the account or root module of a List<E> rule), the groups
// with the most severe findings first. A group shows where its resource is
// (file:line and a few lines of its code, or account and region), then each
// finding: severity, result, rule ID and title, the message, the fix and a
// link.
//
// Findings of one group that share their result, the rule's category and
// link form a family, written once: the CIS monitoring rules on one account
// give fifteen findings that say the same thing of fifteen events. A family
// lists each finding's severity, result, rule and title, then one message
// (the findings' own when they differ in more than a few words), fix and
// link.

import (
	"cmp"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// Bounds of the default layout.
const (
	// maxCodeLines is how many lines of a resource's block are shown.
	maxCodeLines = 8
	// maxRuleColumn is the widest the rule ID column is padded to; a
	// longer ID is shown whole.
	maxRuleColumn = 24
	// maxMergedMiddle is the longest text, in bytes, by which the
	// messages of a family may differ and still be written once (and no
	// more than a third of each).
	maxMergedMiddle = 100
	// bodyIndent starts the lines under a finding's headline.
	bodyIndent = "    "
)

// textGroup is the findings the report shows about one resource, or about
// one scope for the findings of List<E> rules.
type textGroup struct {
	// entity is the resource; nil for a scope. Of twin entities with one
	// ID (a Terraform trail's aws_cloudtrail and CloudTrail), the one
	// with a file.
	entity *entity.Entity
	scope  string
	// items are the group's findings, most severe first, a family of
	// findings in one item.
	findings []*engine.Finding
	items    [][]*engine.Finding
}

// groupKey identifies a textGroup.
type groupKey struct {
	scope, entity string
	isEntity      bool
}

// familyKey is what the findings of one family share.
type familyKey struct {
	result, underlying engine.Result
	category, link     string
}

// groupFindings groups the findings (sorted as shownFindings sorts them)
// by resource and scope, in the order of each group's first finding, and
// each group's findings into families.
func groupFindings(shown []*engine.Finding) []*textGroup {
	index := map[groupKey]*textGroup{}
	var groups []*textGroup
	for _, f := range shown {
		k := groupKey{scope: findingScope(f), entity: entityID(f), isEntity: f.Entity != nil}
		g := index[k]
		if g == nil {
			g = &textGroup{entity: f.Entity, scope: k.scope}
			index[k] = g
			groups = append(groups, g)
		}
		if g.entity != nil && g.entity.Origin.File == "" && f.Entity.Origin.File != "" {
			g.entity = f.Entity
		}
		g.findings = append(g.findings, f)
	}
	for _, g := range groups {
		g.items = families(g.findings)
	}
	return groups
}

// families groups findings into families, in the order of each family's
// first finding. An excluded finding is a family of its own: it carries its
// own exclusion.
func families(findings []*engine.Finding) [][]*engine.Finding {
	var items [][]*engine.Finding
	index := map[familyKey]int{}
	for _, f := range findings {
		if f.Result == engine.Excluded {
			items = append(items, []*engine.Finding{f})
			continue
		}
		k := familyKey{f.Result, underlying(f), f.Rule.Category, ruleLink(f.Rule)}
		if i, ok := index[k]; ok {
			items[i] = append(items[i], f)
			continue
		}
		index[k] = len(items)
		items = append(items, []*engine.Finding{f})
	}
	return items
}

// detailLayout is what the default layout computes once for a report.
type detailLayout struct {
	// widths of the severity, result and rule columns of the headlines.
	severity, result, rule int
	// scopeKinds maps each scope ID to its kind.
	scopeKinds map[string]string
	// placed are the places of related resources the current group has
	// given already ("at main.tf:14 (aws_cloudtrail.app)").
	placed []string
}

// detailed writes the findings in the default layout.
func (tw *textWriter) detailed(v *view, shown []*engine.Finding) {
	if len(shown) == 0 {
		return
	}
	l := &detailLayout{scopeKinds: scopeKinds(v.run)}
	for _, f := range shown {
		l.severity = max(l.severity, len(severityName(f.Rule.Severity)))
		l.result = max(l.result, stringWidth(printable(string(f.Result))))
		l.rule = max(l.rule, min(maxRuleColumn, stringWidth(printable(f.Rule.ID))))
	}
	for _, g := range groupFindings(shown) {
		tw.writeLine("")
		tw.groupHeader(g, l)
		tw.code(g.entity)
		l.placed = l.placed[:0]
		for _, it := range g.items {
			tw.item(it, l)
		}
	}
}

// scopeKinds maps the run's scope IDs to their kinds.
func scopeKinds(run *engine.Run) map[string]string {
	kinds := make(map[string]string, len(run.Scopes))
	for _, s := range run.Scopes {
		kinds[s.ID] = s.Kind
	}
	return kinds
}

// scopeTitle names a scope for people: "account 123456789012", "root
// module infra/prod".
func scopeTitle(scope, kind string) string {
	switch kind {
	case entity.ScopeAWSAccount:
		return "account " + scope
	case entity.ScopeTerraformModule:
		return "root module " + scope
	}
	return scope
}

// groupHeader names what the group's findings are about and where it is:
// a resource with its file and line (and its root module, when the file
// lies outside it), or its account and region; an entity of a whole
// account by its type and the account; or a scope.
func (tw *textWriter) groupHeader(g *textGroup, l *detailLayout) {
	e := g.entity
	if e == nil {
		tw.heading(scopeTitle(entity.Shown(g.scope), l.scopeKinds[g.scope]))
		return
	}
	parts := []string{entity.Shown(e.ID)}
	if e.ID == g.scope {
		// An entity of a whole account (Iam) is named by the account:
		// say what it is, and the account once.
		parts[0] = entity.Shown(e.Type)
	}
	switch o := e.Origin; {
	case o.File != "":
		loc := entity.Shown(o.File)
		if o.Start.Line > 0 {
			loc += ":" + strconv.Itoa(o.Start.Line)
		}
		parts = append(parts, loc)
		if g.scope != "" && !inDir(o.File, g.scope) {
			parts = append(parts, scopeTitle(entity.Shown(g.scope), l.scopeKinds[g.scope]))
		}
	default:
		if g.scope != "" {
			parts = append(parts, scopeTitle(entity.Shown(g.scope), l.scopeKinds[g.scope]))
		}
		if e.Region != "" {
			parts = append(parts, entity.Shown(e.Region))
		}
	}
	tw.heading(strings.Join(parts, " · "))
}

// inDir reports whether file lies in the directory dir, both as given.
func inDir(file, dir string) bool {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(file))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// heading writes a group's heading, wrapped, in bold when colour is on.
func (tw *textWriter) heading(s string) {
	width, rest := 0, 0
	if tw.opts.Width > 0 {
		width, rest = tw.opts.Width, max(1, tw.opts.Width-2)
	}
	for i, piece := range wrapLine(cell(s), width, rest) {
		if i > 0 {
			piece = "  " + piece
		}
		tw.writeLine(tw.bold(piece))
	}
}

// code writes the first lines of a Terraform resource's block, numbered,
// each cut to the width.
func (tw *textWriter) code(e *entity.Entity) {
	if e == nil || tw.opts.Code == nil || e.Origin.File == "" || e.Origin.Start.Line <= 0 {
		return
	}
	first := e.Origin.Start.Line
	last := max(first, e.Origin.End.Line)
	lines := tw.opts.Code.Lines(e.Origin.File, first, min(last, first+maxCodeLines-1))
	if len(lines) == 0 {
		return
	}
	numWidth := len(strconv.Itoa(first + len(lines) - 1))
	for i, line := range lines {
		prefix := fmt.Sprintf("  %*d │ ", numWidth, first+i)
		line = printable(strings.ReplaceAll(line, "\t", "    "))
		if tw.opts.Width > 0 {
			line = cutLine(line, max(1, tw.opts.Width-stringWidth(prefix)))
		}
		tw.writeLine(prefix + line)
	}
	if more := last - first + 1 - len(lines); more > 0 && len(lines) == maxCodeLines {
		tw.writeLine(fmt.Sprintf("  %*s │ … %d more %s", numWidth, "", more, plural(more, "line", "lines")))
	}
}

// item writes one finding, or a family of them: the headline of each,
// then the message and where the resources it names are, the exclusion,
// the fix and the link. In a family, a message follows the headlines it is
// the message of: consecutive findings with one message share it. With
// Options.Explain each finding has its own message, followed by the GSL
// explanation and trace it was written from.
func (tw *textWriter) item(fs []*engine.Finding, l *detailLayout) {
	messages := familyMessages(fs)
	start := 0 // the first finding of those that share the next message
	for i, f := range fs {
		tw.headline(f, l, len(fs) > 1)
		msg := messages[i]
		if tw.opts.Explain {
			msg = f.Message
		} else if i+1 < len(fs) && messages[i+1] == msg {
			continue
		}
		if msg != "" {
			tw.para(bodyIndent, "", msg)
		}
		tw.related(fs[start:i+1], l)
		if tw.opts.Explain {
			tw.explanation(bodyIndent, f, true)
		}
		start = i + 1
	}
	if f := fs[0]; f.Result == engine.Excluded {
		tw.para(bodyIndent, "  ", excludedText(f))
	}
	tw.fix(fs, l)
	link := ruleLink(fs[0].Rule)
	if link == "" {
		link = "vigil rules show " + fs[0].Rule.ID
	}
	tw.block(bodyIndent+"See ", len(bodyIndent+"See "), bodyIndent, bodyIndent, link)
}

// related writes where the resources the findings' message names are, one
// line each, for those in a file: "at main.tf:14 (aws_cloudtrail.app)".
// Each place is given once in a group, under the first message that names
// it: the rules of one concern (the CIS monitoring rules) name the same
// closest trails.
func (tw *textWriter) related(fs []*engine.Finding, l *detailLayout) {
	for _, f := range fs {
		for _, e := range f.Related {
			if e.Origin.File == "" {
				continue
			}
			id, where := relatedPlace(e)
			line := "at " + where + " (" + id + ")"
			if slices.Contains(l.placed, line) {
				continue
			}
			l.placed = append(l.placed, line)
			tw.para(bodyIndent, "  ", line)
		}
	}
}

// explanation writes a finding's GSL explanation, unless it is the
// message and the message was shown whole (messageShown), and its trace,
// indented under it (vigil scan --explain).
func (tw *textWriter) explanation(indent string, f *engine.Finding, messageShown bool) {
	if f.Explanation != "" && (f.Explanation != f.Message || !messageShown) {
		tw.para(indent, "     ", "GSL: "+f.Explanation)
	}
	for _, line := range f.Trace {
		trimmed := strings.TrimLeft(line, " ")
		depth := indent + "  " + strings.Repeat(" ", min(len(line)-len(trimmed), maxTraceIndent))
		tw.para(depth, "  ", trimmed)
	}
}

// maxTraceIndent is the deepest a trace line is indented beyond its
// explanation, in columns: deeper lines keep to it, so that a narrow
// terminal still has room for their text.
const maxTraceIndent = 16

// excludedText says what an excluded finding's rule gave and why it is
// excluded: "Excluded (FAIL): reason (until 2027-01-31) [source]".
func excludedText(f *engine.Finding) string {
	s := "Excluded (" + string(underlying(f)) + ")"
	if f.Exclusion != nil {
		s += ": " + exclusionText(f.Exclusion)
	}
	return s
}

// headline writes a finding's severity, result, rule ID and title. In a
// family (inFamily) the title is cut to one line, so that the family reads
// as a list; alone it wraps.
func (tw *textWriter) headline(f *engine.Finding, l *detailLayout, inFamily bool) {
	sev, label, id := severityName(f.Rule.Severity), printable(string(f.Result)), printable(f.Rule.ID)
	plain := 2 + l.severity + 2 + l.result + 2 + max(l.rule, stringWidth(id)) + 2
	title := cmp.Or(f.Rule.Title, f.Rule.ID)
	if tw.opts.Width > 0 && plain > tw.opts.Width*2/3 {
		// Too narrow for columns: one paragraph.
		tw.para("  ", "    ", sev+"  "+string(f.Result)+"  "+f.Rule.ID+"  "+title)
		return
	}
	prefix := "  " + tw.colorSeverity(f.Rule.Severity) + spacesFor(l.severity-len(sev)+2) +
		tw.colorResult(f.Result) + spacesFor(l.result-stringWidth(label)+2) +
		id + spacesFor(l.rule-stringWidth(id)+2)
	// The title wraps under itself where that leaves it room, else under
	// the message.
	if inFamily && tw.opts.Width > 0 {
		tw.writePrefixed(prefix, cutLine(strings.ReplaceAll(cell(title), "\n", " "), tw.opts.Width-plain))
		return
	}
	hang := spacesFor(plain)
	if tw.opts.Width > 0 && plain > tw.opts.Width/3 {
		hang = bodyIndent + "  "
	}
	tw.block(prefix, plain, hang, hang, title)
}

// spacesFor returns n spaces; none when n is not positive.
func spacesFor(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

// familyMessages returns the message each finding of a family shows;
// consecutive findings that show the same one share it. Equal messages
// are shown once; so are those that differ only in a short middle part
// (the event each rule watches), as the words they share with "…" in
// place of the rest. Runs of findings are merged greedily, in order.
func familyMessages(fs []*engine.Finding) []string {
	out := make([]string, len(fs))
	start, run := 0, newMessageRun(fs[0].Message)
	for i := 1; i <= len(fs); i++ {
		if i < len(fs) && run.mayTake(fs[i].Message) {
			next := run
			next.add(fs[i].Message)
			if _, ok := next.merged(); ok {
				run = next
				continue
			}
		}
		text, _ := run.merged()
		for j := start; j < i; j++ {
			out[j] = text
		}
		if i < len(fs) {
			start, run = i, newMessageRun(fs[i].Message)
		}
	}
	return out
}

// messageRun is consecutive messages of a family and what they share: the
// bytes at the start and at the end of the first that all have.
type messageRun struct {
	first            string
	prefix, suffix   int
	minLen, maxLen   int
	identical, alone bool
}

func newMessageRun(first string) messageRun {
	return messageRun{first: first, prefix: len(first), suffix: len(first), minLen: len(first), maxLen: len(first), identical: true, alone: true}
}

// mayTake reports whether the run might still merge with m, by lengths
// alone: the words merged messages do not share are few.
func (r *messageRun) mayTake(m string) bool {
	lo, hi := min(r.minLen, len(m)), max(r.maxLen, len(m))
	return m == r.first || hi-lo <= maxMergedMiddle && 3*(hi-lo) <= hi
}

// add adds a message to the run.
func (r *messageRun) add(m string) {
	r.alone = false
	r.identical = r.identical && m == r.first
	r.minLen, r.maxLen = min(r.minLen, len(m)), max(r.maxLen, len(m))
	r.prefix = min(r.prefix, len(m))
	for i := range r.prefix {
		if m[i] != r.first[i] {
			r.prefix = i
			break
		}
	}
	r.suffix = min(r.suffix, len(m))
	for i := range r.suffix {
		if m[len(m)-1-i] != r.first[len(r.first)-1-i] {
			r.suffix = i
			break
		}
	}
}

// merged returns the one message the run shows, and whether it has one:
// the words its messages share at their start and end, with "…" for the
// words between, when those are few in each (at most maxMergedMiddle
// bytes, and no more than a third of the message).
func (r messageRun) merged() (string, bool) {
	if r.alone || r.identical {
		return r.first, true
	}
	first, prefix, suffix := r.first, r.prefix, r.suffix
	// Whole words only: the shared start ends before a space, the shared
	// end starts after one or at punctuation ("…: none is multi-region").
	for prefix > 0 && prefix < len(first) && first[prefix] != ' ' {
		prefix--
	}
	for suffix > 0 && suffix < len(first) && first[len(first)-suffix-1] != ' ' && !isPunct(first[len(first)-suffix]) {
		suffix--
	}
	shared := prefix + suffix
	switch {
	case shared == 0, shared > r.minLen: // nothing shared, or the start and end overlap in a message
		return "", false
	case r.maxLen-shared > maxMergedMiddle, 3*(r.maxLen-shared) > r.maxLen:
		return "", false
	}
	end := strings.TrimSpace(first[len(first)-suffix:])
	if end == "" || !isPunct(end[0]) {
		end = " " + end
	}
	return strings.TrimSpace(strings.TrimSpace(first[:prefix]) + " …" + end), true
}

// isPunct reports whether c is punctuation that ends a phrase.
func isPunct(c byte) bool { return strings.IndexByte(":;,.)", c) >= 0 }

// fix writes the fix of a finding, or of a family when its findings share
// one, when it is one line: how to restore the data for an ERROR, a
// command. A
// longer fix would bury the findings; the formats that have room for it
// show it whole, filled in for the resource (the intro says so).
func (tw *textWriter) fix(fs []*engine.Finding, l *detailLayout) {
	fix := fixOf(fs[0], l)
	if fix == "" || strings.Contains(fix, "\n") {
		return
	}
	for _, f := range fs[1:] {
		if fixOf(f, l) != fix {
			return
		}
	}
	tw.block(bodyIndent+"Fix: ", len(bodyIndent+"Fix: "), bodyIndent, bodyIndent+"  ", fix)
}

// fixOf returns the fix a finding needs: how to restore the data for an
// ERROR (the engine's, engine.Finding.Remediation, when it has one), the
// Terraform change for a finding on code, the command line (or console)
// steps for a live one; none for PASS or an excluded finding.
func fixOf(f *engine.Finding, l *detailLayout) string {
	r := f.Remediation
	switch underlying(f) {
	case engine.Pass:
		return ""
	case engine.Error:
		return strings.TrimSpace(r.Console)
	}
	if f.Result == engine.Excluded {
		return ""
	}
	onCode := f.Entity != nil && f.Entity.Origin.File != "" ||
		f.Entity == nil && l.scopeKinds[f.Scope] == entity.ScopeTerraformModule
	if onCode && r.Terraform != "" {
		return strings.TrimSpace(r.Terraform)
	}
	return strings.TrimSpace(cmp.Or(r.CLI, r.Console, r.Terraform))
}

// ruleLink is the first web reference of a rule, or "".
func ruleLink(r *rules.Rule) string {
	for _, ref := range r.References {
		if u, err := url.Parse(ref); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
			return ref
		}
	}
	return ""
}
