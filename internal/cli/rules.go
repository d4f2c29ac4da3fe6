package cli

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

func init() { register(newRulesCmd) }

func newRulesCmd(s *streams) *cobra.Command {
	var framework string
	var sel ruleSelection
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rules vigil runs, show one, or import CloudGuard rulesets",
		// Long is set when the help is shown (rulesHelp): listing the
		// rulesets loads the catalog, which no other command should wait
		// for.
		Example: `  vigil rules --ruleset default
  vigil rules --framework "CIS AWS Foundations 5.0.0" --severity medium,high
  vigil rules show D9.AWS.MON.05
  vigil rules import ruleset.json -o my-rules/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := sel.check(); err != nil {
				return err
			}
			sevs, _ := sel.severitySet()
			catalog, err := rules.Catalog()
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			user, err := loadRuleDirs(sel.ruleDirs)
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			all, err := rules.Merge(catalog, user)
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			sets, err := rules.Rulesets()
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			var only []*rules.Ruleset
			if len(sel.rulesets) > 0 {
				if only, err = sel.chosenRulesets(); err != nil {
					return err
				}
			}
			var versions []rules.FrameworkVersion
			if framework != "" {
				known := rules.FrameworkVersions(all)
				if versions = rules.MatchFrameworks(framework, known); len(versions) == 0 {
					_, err := rules.ResolveFramework(framework, known)
					return exitCode(ExitFailed, err)
				}
			}
			tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
			if framework != "" {
				fmt.Fprintln(tw, "ID\tSEVERITY\tENTITY\tRULESETS\tCONTROLS\tTITLE")
			} else {
				fmt.Fprintln(tw, "ID\tSEVERITY\tENTITY\tRULESETS\tTITLE")
			}
			n := 0
			for _, r := range all {
				isUser := rules.Find(catalog, r.ID) == nil
				if sevs != nil && !sevs[r.Severity] ||
					only != nil && !isUser && !slices.ContainsFunc(only, func(rs *rules.Ruleset) bool { return rs.Holds(r.ID) }) {
					continue
				}
				held := rulesetsOf(sets, r.ID, isUser)
				if framework == "" {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Entity, held, r.Title)
					n++
					continue
				}
				if controls := controlsOf(r, versions); controls != "" {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Entity, held, controls, r.Title)
					n++
				}
			}
			if n == 0 {
				return exitCode(ExitFailed, errNoRules)
			}
			return tw.Flush()
		},
	}
	f := cmd.PersistentFlags()
	f.StringArrayVar(&sel.ruleDirs, "rules", nil, "directory of rule files to add to the catalog (repeatable)")
	cmd.Flags().StringSliceVar(&sel.rulesets, "ruleset", nil, "list only the rules of these rulesets (comma-separated or repeated)")
	cmd.Flags().StringVar(&framework, "framework", "", "list only rules mapped to this framework (a prefix of \"framework version\")")
	cmd.Flags().StringSliceVar(&sel.severities, "severity", nil, "list only rules of these severities (comma-separated: MEDIUM,HIGH)")
	cmd.AddCommand(newRulesShowCmd(s, &sel.ruleDirs), newRulesImportCmd(s))
	help := cmd.HelpFunc()
	cmd.SetHelpFunc(func(c *cobra.Command, args []string) {
		if c == cmd {
			c.Long = fmt.Sprintf(rulesLong, rulesetHelp())
		}
		help(c, args)
	})
	return cmd
}

// rulesLong is the long help of "vigil rules", with the list of rulesets
// for %s.
const rulesLong = `List the rules of the embedded catalog and of --rules directories, with the
rulesets that hold them. A scan runs the "default" ruleset unless --ruleset
names others:

%s
--ruleset lists the rules of those rulesets (and of --rules directories,
which every ruleset runs). --framework keeps the rules mapped to a framework:
a case-insensitive prefix of "framework version", e.g. "cis" (every version
of every CIS framework), "CIS AWS Foundations 3.0.0", "hipaa". --severity
keeps the rules of the severities it lists.`

// errNoRules is what a listing that matches nothing reports.
var errNoRules = errors.New("no rule matches")

// rulesetHelp lists the embedded rulesets for the help text.
func rulesetHelp() string {
	sets, err := rules.Rulesets()
	if err != nil {
		return "  (the embedded rulesets are broken: " + err.Error() + ")\n"
	}
	var b strings.Builder
	for _, s := range sets {
		first, _, _ := strings.Cut(s.Description, "\n")
		fmt.Fprintf(&b, "  %-11s %s\n", s.Name, strings.TrimSpace(first))
	}
	return b.String()
}

// rulesetsOf names the rulesets that hold a rule, "+" for a user's rule,
// which every ruleset runs.
func rulesetsOf(sets []*rules.Ruleset, id string, isUser bool) string {
	if isUser {
		return "+ (--rules)"
	}
	var names []string
	for _, s := range sets {
		if s.Holds(id) {
			names = append(names, s.Name)
		}
	}
	return strings.Join(names, ",")
}

// controlsOf lists the rule's controls in the framework versions given, as
// "1.2.0:3.5,1.4.0:4.5" ("-" for a framework without control ids), or ""
// when the rule maps to none of them.
func controlsOf(r *rules.Rule, versions []rules.FrameworkVersion) string {
	var out []string
	for _, f := range r.Frameworks {
		if !slices.Contains(versions, f.Of()) {
			continue
		}
		switch {
		case f.Control != "" && f.Version != "":
			out = append(out, f.Version+":"+f.Control)
		case f.Control != "":
			out = append(out, f.Control)
		default:
			out = append(out, "-")
		}
	}
	return strings.Join(slices.Compact(out), ",")
}

func newRulesShowCmd(s *streams, ruleDirs *[]string) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show a rule: its logic, description, remediation and frameworks",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			catalog, err := rules.Catalog()
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			user, err := loadRuleDirs(*ruleDirs)
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			rs, err := rules.Merge(catalog, user)
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			r := rules.Find(rs, args[0])
			if r == nil {
				ids := make([]string, len(rs))
				for i, r := range rs {
					ids[i] = r.ID
				}
				msg := fmt.Sprintf("no rule %q", args[0])
				if near := rules.Suggest(args[0], ids); near != "" {
					msg += fmt.Sprintf(" (did you mean %s?)", near)
				}
				return usageError("%s; 'vigil rules' lists them", msg)
			}
			showRule(s.out, r)
			return nil
		},
	}
}

// showRule renders a rule for reading in a terminal. Remediation templates
// are filled with placeholders ("<region>") since no finding is at hand.
func showRule(w io.Writer, r *rules.Rule) {
	fmt.Fprintf(w, "%s  %s\n\n", r.ID, r.Title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Severity:\t%s\n", r.Severity)
	fmt.Fprintf(tw, "Entity:\t%s\n", r.Entity)
	if r.Concern != "" {
		fmt.Fprintf(tw, "Concern:\t%s\n", r.Concern)
	}
	if sets, err := rules.Rulesets(); err == nil {
		if held := rulesetsOf(sets, r.ID, false); held != "" {
			fmt.Fprintf(tw, "Rulesets:\t%s\n", held)
		}
	}
	if r.Category != "" {
		fmt.Fprintf(tw, "Category:\t%s\n", r.Category)
	}
	fmt.Fprintf(tw, "Source:\t%s\n", r.File)
	tw.Flush()
	if len(r.Variants) == 0 {
		section(w, "Logic", r.Logic)
	} else {
		section(w, "Logic (without --framework, and for the versions not named below)", r.Logic)
	}
	for _, name := range slices.Sorted(maps.Keys(r.Variants)) {
		var versions []string
		for _, f := range r.Frameworks {
			if f.Variant == name {
				versions = append(versions, strings.TrimSpace(f.Framework+" "+f.Version))
			}
		}
		section(w, "Logic for "+strings.Join(versions, ", "), r.Variants[name].Logic)
	}
	showFieldsRead(w, r)
	section(w, "Description", r.Description)
	section(w, "Rationale", r.Rationale)
	section(w, "Impact", r.Impact)
	rem := r.Render(rules.Target{})
	section(w, "Remediation: console", rem.Console)
	section(w, "Remediation: command line", rem.CLI)
	section(w, "Remediation: Terraform", rem.Terraform)
	section(w, "About "+r.Entity, rules.AboutEntity(r.Entity))
	if len(r.References) > 0 {
		section(w, "References", "- "+strings.Join(r.References, "\n- "))
	}
	if len(r.Frameworks) > 0 {
		var b strings.Builder
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, f := range r.Frameworks {
			judged := ""
			if f.Variant != "" {
				judged = "(judged with logic " + f.Variant + ")"
			}
			fmt.Fprintf(tw, "- %s\t%s\t%s\t%s\n", f.Framework, f.Version, f.Control, judged)
		}
		tw.Flush()
		section(w, "Frameworks", strings.TrimRight(b.String(), "\n"))
	}
}

// showFieldsRead lists the fields the rule reads with their meanings, and
// the IAM actions that a live collection needs to read them; for a rule on
// a Terraform resource type, the arguments it reads.
func showFieldsRead(w io.Writer, r *rules.Rule) {
	paths := r.FieldsRead()
	sc := entity.SchemaOf(r.Entity)
	if sc == nil {
		if len(paths) > 0 && rules.CheckEntity(r.Entity) == "" {
			section(w, "Fields read (arguments and attributes of the Terraform resource "+r.Entity+")", strings.Join(paths, "\n"))
		}
		return
	}
	var b strings.Builder
	for _, p := range paths {
		meaning := "not a field " + r.Entity + " declares"
		if f := sc.Field(p); f != nil {
			meaning = f.Meaning
		} else {
			for a := range entity.Ancestors(p) {
				if f := sc.Field(a); f != nil && f.Type.Open() {
					meaning = "a name of " + a + ": " + f.Meaning
					break
				}
			}
		}
		fmt.Fprintf(&b, "%s: %s\n", p, meaning)
	}
	section(w, "Fields read ('vigil entities "+r.Entity+"' describes them)", b.String())
	section(w, "IAM actions a live scan needs to read them", strings.Join(sc.Actions(paths...), "\n"))
}

func section(w io.Writer, title, body string) {
	body = strings.TrimSpace(body)
	if body == "" {
		return
	}
	fmt.Fprintf(w, "\n%s\n", title)
	for line := range strings.SplitSeq(body, "\n") {
		if line == "" {
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, "  %s\n", line)
	}
}

func newRulesImportCmd(s *streams) *cobra.Command {
	var outDir string
	var force bool
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Convert a CloudGuard ruleset JSON export into rule files",
		Long: `Convert a CloudGuard ruleset JSON export into one rule file per rule, written
to --output-dir as <ID>.yaml. Each rule's GSL is compiled first; rules that do
not compile are reported and not written. Existing files are not overwritten
unless --force is given.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := readLimited(args[0])
			if err != nil {
				return exitCode(ExitBadUsage, fmt.Errorf("%s: %w", args[0], unwrapPathError(err)))
			}
			rs, err := rules.ImportCloudGuard(args[0], data)
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return exitCode(ExitBadUsage, err)
			}
			bad := 0
			for _, r := range rs {
				r.File = filepath.Join(outDir, r.ID+".yaml")
				if _, err := engine.Compile([]*rules.Rule{r}, engine.Options{}); err != nil {
					fmt.Fprintf(s.err, "vigil: %s: rule %s not written: %v\n", args[0], r.ID, err)
					bad++
					continue
				}
				data, err := rules.Marshal(r)
				if err != nil {
					return exitCode(ExitBadUsage, err)
				}
				flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
				if force {
					flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
				}
				f, err := os.OpenFile(r.File, flags, 0o644)
				if err != nil {
					return exitCode(ExitBadUsage, fmt.Errorf("%s: %w (use --force to overwrite)", r.File, unwrapPathError(err)))
				}
				if _, err := f.Write(data); err != nil {
					f.Close()
					return exitCode(ExitBadUsage, err)
				}
				if err := f.Close(); err != nil {
					return exitCode(ExitBadUsage, err)
				}
				fmt.Fprintln(s.out, r.File)
			}
			if bad > 0 {
				return exitCode(ExitBadUsage, fmt.Errorf("%d of %d rules could not be imported", bad, len(rs)))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&outDir, "output-dir", "o", ".", "directory to write the rule files to")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite existing rule files")
	return cmd
}
