package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"vigil/engine"
	"vigil/filterpattern"
	"vigil/rules"
)

func init() { register(newRulesCmd) }

func newRulesCmd(s *streams) *cobra.Command {
	var framework, severity string
	var ruleDirs []string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rules vigil runs, show one, or import CloudGuard rulesets",
		Long: `List the rules of the embedded catalog and of --rules directories.
--framework keeps the rules mapped to a framework (a case-insensitive prefix
of "framework version", e.g. "cis", "CIS AWS Foundations 3.0.0", "hipaa");
--severity keeps the rules at that severity or above.`,
		Example: `  vigil rules --framework "CIS AWS Foundations 5.0.0" --severity medium
  vigil rules show D9.AWS.MON.05
  vigil rules import ruleset.json -o my-rules/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var min rules.Severity
			if severity != "" {
				var err error
				if min, err = rules.ParseSeverity(severity); err != nil {
					return usageError("--severity: %v", err)
				}
			}
			rs, err := loadRules(ruleDirs)
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
			if framework != "" {
				fmt.Fprintln(tw, "ID\tSEVERITY\tENTITY\tCONTROLS\tTITLE")
			} else {
				fmt.Fprintln(tw, "ID\tSEVERITY\tENTITY\tTITLE")
			}
			n := 0
			for _, r := range rs {
				if r.Severity < min {
					continue
				}
				if framework == "" {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Entity, r.Title)
					n++
					continue
				}
				if controls := controlsOf(r, framework); controls != "" {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Entity, controls, r.Title)
					n++
				}
			}
			if n == 0 {
				return exitCode(ExitFailed, errors.New("no rule matches"))
			}
			return tw.Flush()
		},
	}
	cmd.PersistentFlags().StringArrayVar(&ruleDirs, "rules", nil, "directory of rule files to add to the catalog (repeatable)")
	cmd.Flags().StringVar(&framework, "framework", "", "list only rules mapped to this framework")
	cmd.Flags().StringVar(&severity, "severity", "", "list only rules at this severity or above")
	cmd.AddCommand(newRulesShowCmd(s, &ruleDirs), newRulesImportCmd(s))
	return cmd
}

// controlsOf lists the rule's controls in the frameworks that match, as
// "1.2.0:3.5,1.4.0:4.5" ("-" for a framework without control ids), or ""
// when the rule maps to none.
func controlsOf(r *rules.Rule, framework string) string {
	var out []string
	for _, f := range r.Frameworks {
		if !f.Matches(framework) {
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
			rs, err := loadRules(*ruleDirs)
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
	if r.Category != "" {
		fmt.Fprintf(tw, "Category:\t%s\n", r.Category)
	}
	fmt.Fprintf(tw, "Source:\t%s\n", r.File)
	tw.Flush()
	section(w, "Logic", r.Logic)
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
			fmt.Fprintf(tw, "- %s\t%s\t%s\n", f.Framework, f.Version, f.Control)
		}
		tw.Flush()
		section(w, "Frameworks", strings.TrimRight(b.String(), "\n"))
	}
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
			cache := filterpattern.NewCache()
			for _, r := range rs {
				r.File = filepath.Join(outDir, r.ID+".yaml")
				if _, err := engine.Compile([]*rules.Rule{r}, engine.Options{Patterns: cache}); err != nil {
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
