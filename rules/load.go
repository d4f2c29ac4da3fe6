package rules

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
	"golang.org/x/sync/errgroup"
)

// Limits on rule files, so that a hostile rule directory cannot exhaust
// memory.
const (
	// MaxRuleFileBytes is the largest rule file accepted.
	MaxRuleFileBytes = 1 << 20
	// MaxRulesPerDir is the most rule files one directory tree may hold.
	MaxRulesPerDir = 10000
)

// ruleMapping describes the top-level fields of a rule file, in the order
// the schema documents them.
var ruleMapping = Mapping{Kind: "a rule", Known: []string{"id", "title", "severity", "concern", "entity", "logic",
	"accountWide", "variants", "category", "description", "rationale", "impact", "message", "remediation", "references", "frameworks"}}

var requiredFields = []string{"id", "title", "severity", "entity", "logic"}

var remediationMapping = Mapping{Kind: "a remediation", Prefix: "remediation.", Known: []string{"console", "cli", "terraform"}}

var frameworkMapping = Mapping{Kind: "a framework", Prefix: "frameworks.", Known: []string{"framework", "version", "control", "variant"}}

// concernPattern is what a concern may be: lower-case words joined by
// hyphens ("cloudtrail-all-regions").
var concernPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// variantPattern is what a variant name may be: lower-case words and
// version numbers joined by hyphens ("cis-1.4.0").
var variantPattern = regexp.MustCompile(`^[a-z0-9]+([.-][a-z0-9]+)*$`)

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Parse reads one rule file. name is the file name used in errors. Every
// problem found is reported, each with its line, column and field.
func Parse(name string, data []byte) (*Rule, error) { return parseRule(name, data, false) }

// parseRule is Parse; loading is set for a file vigil loads to run (LoadFS),
// whose entity type must be one vigil models (CheckEntity): a rule on
// another applies to nothing. A file only converted (ImportCloudGuard) may
// be about another cloud's types.
func parseRule(name string, data []byte, loading bool) (*Rule, error) {
	if len(data) > MaxRuleFileBytes {
		return nil, &Error{Name: name, Msg: fmt.Sprintf("rule file is %d bytes, more than the limit of %d", len(data), MaxRuleFileBytes)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	p := &parser{file: name, lines: bytes.Split(data, []byte("\n")), loading: loading}
	r := p.rule(&doc)
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return r, nil
}

// yamlLine finds the line number in a YAML syntax error message.
var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := &Error{Name: name, Msg: "invalid YAML: " + msg}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Col = 1
	}
	return e
}

type parser struct {
	file  string
	lines [][]byte
	errs  ErrorList
	// loading is set for a rule file vigil loads to run (see parseRule).
	loading bool
}

func (p *parser) errorf(n *yaml.Node, field, format string, args ...any) {
	e := &Error{Name: p.file, Field: field, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

func (p *parser) rule(doc *yaml.Node) *Rule {
	root := doc
	if root.Kind == 0 {
		p.errorf(nil, "", "rule file is empty")
		return nil
	}
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			p.errorf(nil, "", "rule file is empty")
			return nil
		}
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "", "a rule file is a mapping of fields (id, title, severity, ...), found %s", kindName(root))
		return nil
	}
	r := &Rule{File: p.file}
	seen := map[string]*yaml.Node{}
	var remediationNodes, messageNodes map[string]*yaml.Node
	for key, val := range ruleMapping.Fields(root, p.report) {
		seen[key.Value] = key
		switch key.Value {
		case "id":
			r.ID = p.str(val, "id")
			if r.ID != "" && !idPattern.MatchString(r.ID) {
				p.errorf(val, "id", "rule id %q may contain only letters, digits, '.', '_' and '-'", r.ID)
			}
		case "title":
			r.Title = p.str(val, "title")
		case "severity":
			s := p.str(val, "severity")
			sev, err := ParseSeverity(s)
			if err != nil {
				p.errorf(val, "severity", "%v", err)
			}
			r.Severity = sev
		case "concern":
			r.Concern = p.str(val, "concern")
			if r.Concern != "" && !concernPattern.MatchString(r.Concern) {
				p.errorf(val, "concern", "concern %q is not lower-case words joined by hyphens (\"cloudtrail-all-regions\")", r.Concern)
			}
		case "accountWide":
			r.AccountWide = p.boolean(val, "accountWide")
		case "variants":
			r.Variants = p.variants(val)
		case "entity":
			r.Entity = p.str(val, "entity")
			if msg := CheckEntity(r.Entity); p.loading && r.Entity != "" && msg != "" {
				p.errorf(val, "entity", "%s", msg)
			}
		case "logic":
			r.Logic = strings.TrimSpace(p.str(val, "logic"))
			r.LogicLine, r.LogicCol = p.contentStart(val)
			if r.Logic == "" {
				p.errorf(val, "logic", "the logic is empty")
			}
		case "category":
			r.Category = p.str(val, "category")
		case "description":
			r.Description = p.str(val, "description")
		case "rationale":
			r.Rationale = p.str(val, "rationale")
		case "impact":
			r.Impact = p.str(val, "impact")
		case "message":
			messageNodes = p.message(val, &r.Message)
		case "remediation":
			remediationNodes = p.remediation(val, &r.Remediation)
		case "references":
			r.References = p.strList(val, "references")
		case "frameworks":
			r.Frameworks = p.frameworks(val)
		}
	}
	for _, f := range requiredFields {
		if seen[f] == nil {
			p.errorf(root, f, "field %q is required", f)
		}
	}
	for i, v := range []string{r.ID, r.Title, r.Entity} {
		name := []string{"id", "title", "entity"}[i]
		if seen[name] != nil && strings.TrimSpace(v) == "" {
			p.errorf(seen[name], name, "field %q is empty", name)
		}
	}
	if r.Entity != "" && r.Logic != "" {
		if target := logicTarget(r.Logic); target != "" && target != r.Entity {
			p.errorf(seen["entity"], "entity", "entity %q does not match the logic, which is about %q", r.Entity, target)
		}
	}
	p.checkVariants(r, seen["variants"], seen["frameworks"])
	if len(p.errs) == 0 {
		p.errs = append(p.errs, p.fieldErrors(r)...)
		t, errs := parseTemplates(p, r, remediationNodes)
		p.errs = append(p.errs, errs...)
		r.templates = t
		m, errs := parseMessage(p, r, messageNodes)
		p.errs = append(p.errs, errs...)
		r.messages = m
	}
	return r
}

// report is the report function of Mapping.Fields for the parser's file.
func (p *parser) report(n *yaml.Node, field, msg string) { p.errorf(n, field, "%s", msg) }

func (p *parser) str(n *yaml.Node, field string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, field, "field %q must be a string, found %s", field, kindName(n))
		return ""
	}
	return n.Value
}

func (p *parser) boolean(n *yaml.Node, field string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.errorf(n, field, "field %q must be true or false, found %s", field, kindName(n))
		return false
	}
	return n.Value == "true"
}

func (p *parser) strList(n *yaml.Node, field string) []string {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, field, "field %q must be a list of strings, found %s", field, kindName(n))
		return nil
	}
	var out []string
	for _, item := range n.Content {
		if s := p.str(item, field); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) remediation(n *yaml.Node, rem *Remediation) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "remediation", "field \"remediation\" must be a mapping with console, cli and terraform, found %s", kindName(n))
		return nil
	}
	nodes := map[string]*yaml.Node{}
	for key, val := range remediationMapping.Fields(n, p.report) {
		field := "remediation." + key.Value
		s := p.str(val, field)
		nodes[key.Value] = val
		switch key.Value {
		case "console":
			rem.Console = s
		case "cli":
			rem.CLI = s
		case "terraform":
			rem.Terraform = s
		}
	}
	return nodes
}

func (p *parser) frameworks(n *yaml.Node) []FrameworkRef {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "frameworks", "field \"frameworks\" must be a list of {framework, version, control}, found %s", kindName(n))
		return nil
	}
	var out []FrameworkRef
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			p.errorf(item, "frameworks", "each framework must be a mapping of framework, version and control, found %s", kindName(item))
			continue
		}
		var f FrameworkRef
		for key, val := range frameworkMapping.Fields(item, p.report) {
			s := p.str(val, "frameworks."+key.Value)
			switch key.Value {
			case "framework":
				f.Framework = s
			case "version":
				f.Version = s
			case "control":
				f.Control = s
			case "variant":
				f.Variant = s
			}
		}
		if err := f.Validate(); err != nil {
			p.errorf(item, "frameworks", "%v", err)
			continue
		}
		out = append(out, f)
	}
	return out
}

// variants reads the variants field: a mapping of variant names to logic
// texts.
func (p *parser) variants(n *yaml.Node) map[string]*Variant {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "variants", "field \"variants\" must be a mapping of variant names to logic, found %s", kindName(n))
		return nil
	}
	out := map[string]*Variant{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		name := p.str(key, "variants")
		if name == "" {
			continue
		}
		if !variantPattern.MatchString(name) {
			p.errorf(key, "variants", "variant name %q is not lower-case words and numbers joined by hyphens (\"cis-1.4.0\")", name)
			continue
		}
		if out[name] != nil {
			p.errorf(key, "variants", "variant %q is given twice", name)
			continue
		}
		v := &Variant{Logic: strings.TrimSpace(p.str(val, "variants."+name))}
		v.LogicLine, v.LogicCol = p.contentStart(val)
		if v.Logic == "" {
			p.errorf(val, "variants."+name, "the logic of variant %q is empty", name)
		}
		out[name] = v
	}
	return out
}

// checkVariants checks that the rule's variants fit it: each is about the
// rule's entity, each is named by some framework reference, and every
// reference names a variant that exists.
func (p *parser) checkVariants(r *Rule, variantsKey, frameworksKey *yaml.Node) {
	used := map[string]bool{}
	for _, f := range r.Frameworks {
		if f.Variant == "" {
			continue
		}
		used[f.Variant] = true
		if r.Variants[f.Variant] == nil {
			names := make([]string, 0, len(r.Variants))
			for name := range r.Variants {
				names = append(names, name)
			}
			msg := fmt.Sprintf("%s is judged with variant %q, which the rule does not define", f, f.Variant)
			if s := Suggest(f.Variant, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			p.errorf(frameworksKey, "frameworks", "%s", msg)
		}
	}
	names := make([]string, 0, len(r.Variants))
	for name := range r.Variants {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v := r.Variants[name]
		if !used[name] {
			p.errorf(variantsKey, "variants", "variant %q is named by no framework reference", name)
		}
		if r.Entity != "" && v.Logic != "" {
			if target := logicTarget(v.Logic); target != "" && target != r.Entity {
				p.errorf(variantsKey, "variants", "variant %q is about %q, not the rule's entity %q", name, target, r.Entity)
			}
		}
	}
}

// contentStart returns where a scalar's text begins in the file: the node's
// own position for plain and quoted scalars, the first line after the
// indicator for block scalars.
func (p *parser) contentStart(n *yaml.Node) (line, col int) {
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		for l := n.Line + 1; l <= len(p.lines); l++ {
			text := p.lines[l-1]
			if len(bytes.TrimSpace(text)) == 0 {
				continue
			}
			return l, len(text) - len(bytes.TrimLeft(text, " ")) + 1
		}
		return n.Line + 1, n.Column
	case n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
		return n.Line, n.Column + 1
	}
	return n.Line, n.Column
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "a " + strings.TrimPrefix(n.Tag, "!!")
	}
	return "nothing"
}

// logicTarget returns the entity type a GSL rule starts with ("CloudTrail"
// for "List<CloudTrail> should ..."), or "" when it cannot tell.
func logicTarget(logic string) string {
	s := strings.TrimSpace(logic)
	if len(s) > 5 && strings.EqualFold(s[:5], "List<") {
		if end := strings.IndexByte(s, '>'); end > 5 {
			return s[5:end]
		}
		return ""
	}
	end := strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	})
	if end < 0 {
		return s
	}
	return s[:end]
}

// readRuleFile reads the rule file at p in fsys, called name in errors. A
// file too large, or that is not a regular file (a link to a device would
// never end), is bad rather than read.
func readRuleFile(fsys fs.FS, p, name string) (data []byte, bad *Error, err error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &Error{Name: name, Msg: fmt.Sprintf("not a regular file (%s)", st.Mode().Type())}, nil
	}
	tooBig := func(n int64) *Error {
		return &Error{Name: name, Msg: fmt.Sprintf("rule file is %d bytes, more than the limit of %d", n, MaxRuleFileBytes)}
	}
	if st.Size() > MaxRuleFileBytes {
		return nil, tooBig(st.Size()), nil
	}
	data, err = io.ReadAll(io.LimitReader(f, MaxRuleFileBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxRuleFileBytes {
		return nil, tooBig(int64(len(data))), nil
	}
	return data, nil, nil
}

// LoadFS reads every rule file (*.yaml, *.yml) under dir in fsys, in lexical
// order. It reports every problem of every file, and duplicate rule IDs.
// File names in errors and in Rule.File are prefix joined with the path
// below dir.
func LoadFS(fsys fs.FS, dir, prefix string) ([]*Rule, error) {
	type file struct {
		name string
		data []byte
		bad  *Error // unreadable as a rule file: too large, or not a file
		rule *Rule
		err  error
	}
	var files []*file
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			return nil
		}
		if len(files) >= MaxRulesPerDir {
			return fmt.Errorf("%s: more than %d rule files", path.Join(prefix, dir), MaxRulesPerDir)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, dir), "/")
		name := path.Join(prefix, rel)
		data, bad, err := readRuleFile(fsys, p, name)
		if err != nil {
			return err
		}
		if bad != nil {
			files = append(files, &file{name: name, bad: bad})
			return nil
		}
		files = append(files, &file{name: name, data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Parsing is most of the work (YAML, GSL, templates), and each file
	// is parsed alone: on all cores, the embedded catalog costs every run
	// of vigil half the time.
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, f := range files {
		if f.bad == nil {
			g.Go(func() error {
				f.rule, f.err = parseRule(f.name, f.data, true)
				return nil
			})
		}
	}
	_ = g.Wait() // the errors are the files'
	var rs []*Rule
	var errs ErrorList
	for _, f := range files {
		switch {
		case f.bad != nil:
			errs = append(errs, f.bad)
			continue
		case f.err != nil:
			errs = append(errs, asErrors(f.name, f.err)...)
			continue
		}
		rs = append(rs, f.rule)
	}
	errs = append(errs, checkUnique(rs)...)
	if len(errs) > 0 {
		return nil, errs
	}
	return rs, nil
}

// checkUnique reports rules that share an ID.
func checkUnique(rs []*Rule) ErrorList {
	var errs ErrorList
	first := map[string]*Rule{}
	for _, r := range rs {
		if prev, ok := first[r.ID]; ok {
			errs = append(errs, &Error{Name: r.File, Field: "id",
				Msg: fmt.Sprintf("rule id %q is already used by %s", r.ID, prev.File)})
			continue
		}
		first[r.ID] = r
	}
	return errs
}

// Merge combines rule sets, later sets adding to earlier ones; a rule ID
// given twice is an error naming both files.
func Merge(sets ...[]*Rule) ([]*Rule, error) {
	var all []*Rule
	for _, s := range sets {
		all = append(all, s...)
	}
	if errs := checkUnique(all); len(errs) > 0 {
		return nil, errs
	}
	return all, nil
}
