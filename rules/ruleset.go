package rules

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
)

// Ruleset is a named selection of rules, as data: which rules of the
// catalog run together (see the package documentation, "Rulesets").
type Ruleset struct {
	Name        string
	Description string
	// Rules are the IDs or globs (path.Match: "VIGIL.AWS.*") of the rules
	// the ruleset holds.
	Rules []string
	// Twins pair rules of the ruleset that check one concern on two views
	// of the same resource; on an entity both report on, only the Terraform
	// twin's finding is kept.
	Twins []Twin
	// File is the file the ruleset was read from.
	File string
}

// Twin is a rule on a normalised entity (CloudTrail, which live accounts and
// Terraform code both give) and its twin on the native Terraform type
// (aws_cloudtrail), which checks the same concern on the same trail.
// Terraform gives both entities of a trail the same ID.
type Twin struct {
	// Live is the rule on the normalised entity.
	Live string
	// Terraform is the rule on the native type. Where both report on one
	// entity, its finding is the one kept: it judges the code as written,
	// where the live rule may need what only a running account knows.
	Terraform string
}

// Holds reports whether the ruleset holds the rule with this ID.
func (s *Ruleset) Holds(id string) bool {
	return slices.ContainsFunc(s.Rules, func(p string) bool {
		ok, _ := path.Match(p, id)
		return ok
	})
}

//go:embed rulesets
var rulesetFS embed.FS

// DefaultRuleset is the name of the ruleset a scan runs when none is named.
const DefaultRuleset = "default"

var rulesets = sync.OnceValues(func() ([]*Ruleset, error) {
	catalog, err := Catalog()
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(rulesetFS, "rulesets")
	if err != nil {
		return nil, err
	}
	var out []*Ruleset
	var errs ErrorList
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		name := "rulesets/" + e.Name()
		data, err := fs.ReadFile(rulesetFS, name)
		if err != nil {
			return nil, err
		}
		s, err := ParseRuleset(name, data)
		if err != nil {
			errs = append(errs, asErrors(name, err)...)
			continue
		}
		errs = append(errs, s.check(catalog)...)
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
})

// Rulesets returns the rulesets embedded in vigil, ordered by name. The
// returned rulesets are shared: callers must not modify them.
func Rulesets() ([]*Ruleset, error) { return rulesets() }

// FindRuleset returns the ruleset with this name, or an error naming the
// rulesets there are.
func FindRuleset(sets []*Ruleset, name string) (*Ruleset, error) {
	names := make([]string, len(sets))
	for i, s := range sets {
		if s.Name == name {
			return s, nil
		}
		names[i] = s.Name
	}
	msg := fmt.Sprintf("no ruleset %q", name)
	if near := Suggest(name, names); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return nil, fmt.Errorf("%s; the rulesets are %s", msg, strings.Join(names, ", "))
}

var rulesetMapping = Mapping{Kind: "a ruleset", Known: []string{"name", "description", "rules", "twins"}}

var twinMapping = Mapping{Kind: "a twin", Prefix: "twins.", Known: []string{"live", "terraform"}}

// ParseRuleset reads one ruleset file; name is the file name used in errors
// and must be the ruleset's name with ".yaml".
func ParseRuleset(name string, data []byte) (*Ruleset, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	p := &parser{file: name, lines: bytes.Split(data, []byte("\n"))}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "", "a ruleset file is a mapping of name, description, rules and twins, found %s", kindName(root))
		return nil, p.errs
	}
	s := &Ruleset{File: name}
	for key, val := range rulesetMapping.Fields(root, p.report) {
		switch key.Value {
		case "name":
			s.Name = p.str(val, "name")
			if want := strings.TrimSuffix(path.Base(name), ".yaml"); s.Name != want {
				p.errorf(val, "name", "ruleset %q must be in a file named %s.yaml", s.Name, s.Name)
			}
		case "description":
			s.Description = p.str(val, "description")
		case "rules":
			s.Rules = p.strList(val, "rules")
			for i, g := range s.Rules {
				if _, err := path.Match(g, ""); err != nil {
					p.errorf(val.Content[i], "rules", "%q is not a rule ID or glob", g)
				}
			}
		case "twins":
			s.Twins = p.twins(val)
		}
	}
	if s.Name == "" || len(s.Rules) == 0 {
		p.errorf(root, "", "a ruleset needs a name and rules")
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return s, nil
}

func (p *parser) twins(n *yaml.Node) []Twin {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "twins", "field \"twins\" must be a list of {live, terraform}, found %s", kindName(n))
		return nil
	}
	var out []Twin
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			p.errorf(item, "twins", "each twin must be a mapping of live and terraform, found %s", kindName(item))
			continue
		}
		var t Twin
		for key, val := range twinMapping.Fields(item, p.report) {
			switch key.Value {
			case "live":
				t.Live = p.str(val, "twins.live")
			case "terraform":
				t.Terraform = p.str(val, "twins.terraform")
			}
		}
		if t.Live == "" || t.Terraform == "" {
			p.errorf(item, "twins", "a twin names a live and a terraform rule")
			continue
		}
		out = append(out, t)
	}
	return out
}

// check verifies the ruleset against the catalog: every entry holds some
// rule, and twins are rules of the ruleset with one concern, the live one
// on a normalised entity and the other on a Terraform type.
func (s *Ruleset) check(catalog []*Rule) ErrorList {
	var errs ErrorList
	fail := func(format string, args ...any) {
		errs = append(errs, &Error{Name: s.File, Msg: fmt.Sprintf(format, args...)})
	}
	for _, g := range s.Rules {
		if !slices.ContainsFunc(catalog, func(r *Rule) bool { ok, _ := path.Match(g, r.ID); return ok }) {
			fail("%q holds no rule of the catalog", g)
		}
	}
	for _, t := range s.Twins {
		live, tf := Find(catalog, t.Live), Find(catalog, t.Terraform)
		switch {
		case live == nil || tf == nil:
			fail("twin %s and %s: no such rule in the catalog", t.Live, t.Terraform)
		case !s.Holds(t.Live) || !s.Holds(t.Terraform):
			fail("twin %s and %s: both must be rules of the ruleset", t.Live, t.Terraform)
		case live.Concern == "" || live.Concern != tf.Concern:
			fail("twin %s and %s: the rules have different concerns (%q, %q)", t.Live, t.Terraform, live.Concern, tf.Concern)
		case !strings.HasPrefix(tf.Entity, "aws_") || strings.HasPrefix(live.Entity, "aws_"):
			fail("twin %s and %s: the live rule is on a normalised entity and the terraform one on a Terraform type, not %s and %s",
				t.Live, t.Terraform, live.Entity, tf.Entity)
		}
	}
	return errs
}
