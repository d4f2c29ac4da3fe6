package cli

import (
	"fmt"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"vigil/rules"
)

// ruleSelection holds the flags that choose the rules a command runs:
// rulesets, --only and --skip, --severity, and the user's rule directories.
type ruleSelection struct {
	ruleDirs   []string
	rulesets   []string
	only, skip []string
	severities []string
}

// addFlags adds the selection flags to a flag set.
func (sel *ruleSelection) addFlags(f *pflag.FlagSet) {
	f.StringArrayVar(&sel.ruleDirs, "rules", nil, "directory of rule files to add to the rules that run, whatever the ruleset (repeatable)")
	f.StringSliceVar(&sel.rulesets, "ruleset", nil, "run the rules of these rulesets (comma-separated or repeated; default \"default\"; 'vigil rules --help' lists them)")
	f.StringSliceVar(&sel.only, "only", nil, "run only these rule IDs or globs, whichever ruleset holds them (alias --check)")
	f.StringSliceVar(&sel.skip, "skip", nil, "do not run these rule IDs or globs (alias --skip-check)")
	f.StringSliceVar(&sel.severities, "severity", nil, "run and report only rules of these severities (comma-separated: HIGH,CRITICAL)")
}

// flagAliases are the other names flags answer to, as users of other
// scanners type them (Checkov's --check and --skip-check).
var flagAliases = map[string]string{"check": "only", "skip-check": "skip"}

// addFlagAliases makes cmd and its subcommands accept flagAliases.
func addFlagAliases(cmd *cobra.Command) {
	cmd.SetGlobalNormalizationFunc(func(f *pflag.FlagSet, name string) pflag.NormalizedName {
		if to, ok := flagAliases[name]; ok {
			name = to
		}
		return pflag.NormalizedName(name)
	})
}

// selected is what a selection resolves to.
type selected struct {
	// rules are the rules to run, each as judged for the framework
	// version (rules.Rule.ForFramework).
	rules []*rules.Rule
	// twins maps a live rule to its Terraform twin, for the pairs of the
	// chosen rulesets that both run (engine.Options.Twins).
	twins map[string]string
	// framework is the framework version --framework named, if any.
	framework *rules.FrameworkVersion
	// known are the IDs of every rule vigil has, run or not (the catalog
	// and the --rules directories): what a vigil:ignore comment may name.
	known []string
}

// check validates the flags that need no rule files.
func (sel *ruleSelection) check() error {
	for _, g := range append(slices.Clone(sel.only), sel.skip...) {
		if _, err := path.Match(g, ""); err != nil {
			return usageError("bad rule glob %q", g)
		}
	}
	if len(sel.only) > 0 && len(sel.rulesets) > 0 {
		return usageError("--only and --ruleset cannot be used together: --only runs the rules it names, whichever ruleset holds them")
	}
	_, err := sel.severitySet()
	return err
}

// severitySet returns the severities --severity names, or nil for all.
func (sel *ruleSelection) severitySet() (map[rules.Severity]bool, error) {
	if len(sel.severities) == 0 {
		return nil, nil
	}
	set := map[rules.Severity]bool{}
	for _, s := range sel.severities {
		sev, err := rules.ParseSeverity(strings.TrimSpace(s))
		if err != nil {
			return nil, usageError("--severity: %v", err)
		}
		set[sev] = true
	}
	return set, nil
}

// resolve loads the rules and chooses those to run: the rules of the
// rulesets (the default ruleset when none is named) and of the --rules
// directories, or the rules --only names; less --skip and the severities
// --severity leaves out. framework, when not empty, names a framework
// version (a prefix is enough when it names one: see
// rules.ResolveFramework); each rule is then judged as that version asks.
// An --only or --skip pattern that matches no rule at all is an error, so
// that a typo does not silently run everything or nothing.
func (sel *ruleSelection) resolve(framework string) (*selected, error) {
	if err := sel.check(); err != nil {
		return nil, err
	}
	catalog, err := rules.Catalog()
	if err != nil {
		return nil, exitCode(ExitBadUsage, fmt.Errorf("the embedded catalog is broken: %w", err))
	}
	user, err := loadRuleDirs(sel.ruleDirs)
	if err != nil {
		return nil, exitCode(ExitBadUsage, err)
	}
	all, err := rules.Merge(catalog, user)
	if err != nil {
		return nil, exitCode(ExitBadUsage, err)
	}
	ids := make([]string, len(all))
	for i, r := range all {
		ids[i] = r.ID
	}
	for _, given := range []struct {
		flag     string
		patterns []string
	}{{"--only", sel.only}, {"--skip", sel.skip}} {
		for _, p := range given.patterns {
			if !slices.ContainsFunc(ids, func(id string) bool { return globMatch(p, id) }) {
				msg := fmt.Sprintf("%s %s: no rule has this ID", given.flag, p)
				if near := rules.Suggest(p, ids); near != "" {
					msg += fmt.Sprintf(" (did you mean %s?)", near)
				}
				return nil, usageError("%s; 'vigil rules' lists them", msg)
			}
		}
	}

	out := &selected{twins: map[string]string{}, known: ids}
	var chosen []*rules.Rule
	if len(sel.only) > 0 {
		for _, r := range all {
			if slices.ContainsFunc(sel.only, func(p string) bool { return globMatch(p, r.ID) }) {
				chosen = append(chosen, r)
			}
		}
	} else {
		sets, err := sel.chosenRulesets()
		if err != nil {
			return nil, err
		}
		for _, r := range catalog {
			if slices.ContainsFunc(sets, func(s *rules.Ruleset) bool { return s.Holds(r.ID) }) {
				chosen = append(chosen, r)
			}
		}
		chosen = append(chosen, user...)
		for _, s := range sets {
			for _, t := range s.Twins {
				out.twins[t.Live] = t.Terraform
			}
		}
	}
	sevs, _ := sel.severitySet()
	chosen = slices.DeleteFunc(chosen, func(r *rules.Rule) bool {
		return slices.ContainsFunc(sel.skip, func(p string) bool { return globMatch(p, r.ID) }) ||
			sevs != nil && !sevs[r.Severity]
	})
	if len(chosen) == 0 {
		return nil, usageError("no rule left to run after --ruleset, --only, --skip and --severity")
	}
	for live, tf := range out.twins {
		if rules.Find(chosen, live) == nil || rules.Find(chosen, tf) == nil {
			delete(out.twins, live)
		}
	}

	var name, version string
	if framework != "" {
		fw, err := rules.ResolveFramework(framework, rules.FrameworkVersions(chosen))
		if err != nil {
			return nil, usageError("--framework: %v", err)
		}
		out.framework = &fw
		name, version = fw.Name, fw.Version
	}
	for _, r := range chosen {
		out.rules = append(out.rules, r.ForFramework(name, version))
	}
	return out, nil
}

// chosenRulesets returns the rulesets --ruleset names, or the default one.
func (sel *ruleSelection) chosenRulesets() ([]*rules.Ruleset, error) {
	all, err := rules.Rulesets()
	if err != nil {
		return nil, exitCode(ExitBadUsage, fmt.Errorf("the embedded rulesets are broken: %w", err))
	}
	names := sel.rulesets
	if len(names) == 0 {
		names = []string{rules.DefaultRuleset}
	}
	var out []*rules.Ruleset
	for _, name := range names {
		s, err := rules.FindRuleset(all, strings.TrimSpace(name))
		if err != nil {
			return nil, usageError("--ruleset: %v", err)
		}
		out = append(out, s)
	}
	return out, nil
}

// globMatch reports whether a rule ID or glob matches an ID.
func globMatch(pattern, id string) bool {
	ok, _ := path.Match(pattern, id)
	return ok
}

// loadRuleDirs loads the rules of each --rules directory.
func loadRuleDirs(dirs []string) ([]*rules.Rule, error) {
	var sets [][]*rules.Rule
	for _, dir := range dirs {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("--rules %s: %w", dir, unwrapPathError(err))
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("--rules %s: not a directory", dir)
		}
		rs, err := rules.LoadFS(os.DirFS(dir), ".", dir)
		if err != nil {
			return nil, err
		}
		sets = append(sets, rs)
	}
	if len(sets) == 0 {
		return nil, nil
	}
	return rules.Merge(sets...)
}

// given reports whether any selection flag was given.
func (sel *ruleSelection) given() bool {
	return len(sel.ruleDirs)+len(sel.rulesets)+len(sel.only)+len(sel.skip)+len(sel.severities) > 0
}
