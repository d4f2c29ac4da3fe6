package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"vigil/engine"
	"vigil/entity"
	"vigil/filterpattern"
	"vigil/report"
	"vigil/rules"
	"vigil/source/terraform"
)

func init() { register(newScanCmd) }

// scanOptions are the flags of "vigil scan", shared by its subcommands
// ("vigil scan aws"), which get them with scanOptionsFor.
type scanOptions struct {
	format     string
	output     string
	threshold  string
	ruleDirs   []string
	exclusions []string
	only, skip []string
	framework  string
	softFail   bool
	showPass   bool
	// Terraform inputs.
	varFiles, vars, allowPaths []string
}

var (
	scanOptionsMu sync.Mutex
	// scanOptionsOf maps each "vigil scan" command to its options, so that
	// subcommands can find the flags they inherit.
	scanOptionsOf = map[*cobra.Command]*scanOptions{}
)

// scanOptionsFor returns the options of the "vigil scan" command that cmd
// is, or is a subcommand of. A subcommand such as "vigil scan aws" calls it
// in its RunE and then o.run(s, inventory).
func scanOptionsFor(cmd *cobra.Command) *scanOptions {
	scanOptionsMu.Lock()
	defer scanOptionsMu.Unlock()
	for c := cmd; c != nil; c = c.Parent() {
		if o, ok := scanOptionsOf[c]; ok {
			return o
		}
	}
	return &scanOptions{format: "text", threshold: "informational"}
}

func newScanCmd(s *streams) *cobra.Command {
	o := &scanOptions{}
	cmd := &cobra.Command{
		Use:   "scan [flags] INPUT...",
		Short: "Run the rule catalog on Terraform code, plan JSON or recorded inventories",
		Long: `Run the rule catalog (and the rules of --rules directories) on each INPUT, and
report the findings. An INPUT is recognised by its content:

  a directory         Terraform code: every root module in the tree, with its
                      local modules, variables (defaults, terraform.tfvars,
                      *.auto.tfvars, --var-file, --var, TF_VAR_*) and the
                      references between resources
  a plan JSON file    the output of "terraform show -json PLANFILE"
  an inventory JSON   a recorded scan ("vigil collect aws -o FILE")

Inputs that cannot be read are reported as "PATH: error" and the others are
still scanned; a Terraform file that does not parse is reported with its
file:line:col and the rest of its module is still scanned. Either is also
listed in the report, which is written in any case, and the rules on what
a broken file declares report ERROR.

Terraform code is a stranger's: file(), filebase64(), templatefile(),
fileset() and fileexists(), and links among the .tf and .tfvars files,
read only inside the INPUT directory, the local modules it calls and the
--allow-path directories. Anything else (~/.aws/credentials,
/proc/self/environ, a link that leads out) is an error, and is not read.
--var-file files are read wherever they are.

Exit status: 0 when no finding at or above --severity-threshold is FAIL or
ERROR, 1 when one is, 2 for bad usage or an input that could not be read
(unless --soft-fail, which always exits 0 once the scan has run).`,
		Example: `  vigil scan examples/terraform examples/aws-inventory.json
  vigil scan --var-file prod.tfvars infra/
  vigil scan --format sarif --output vigil.sarif snapshot.json
  vigil scan --only 'D9.AWS.MON.*' --severity-threshold medium snapshot.json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("scan needs at least one INPUT (a Terraform directory, a plan JSON or an inventory JSON); see 'vigil scan --help'")
			}
			if err := o.check(); err != nil {
				return err
			}
			if err := checkAllowPaths(o.allowPaths); err != nil {
				return err
			}
			invs, failed, inputErrs := loadInputs(args, &inputOptions{
				terraform: terraform.Options{VarFiles: o.varFiles, Vars: o.vars, Environ: os.Environ(), Types: o.ruleTypes(),
					AllowPaths: o.allowPaths},
				diags:         s.err,
				qualifyScopes: true,
			})
			for _, err := range inputErrs {
				fmt.Fprintln(s.err, "vigil:", err)
			}
			// The report is written even when no input could be read:
			// it says which could not.
			err := o.runEach(s, invs, failed)
			if len(inputErrs) > 0 && !o.softFail {
				var ee *exitError
				if err == nil || errors.As(err, &ee) && ee.err == nil {
					return exitCode(ExitBadUsage, nil)
				}
			}
			return err
		},
	}
	f := cmd.PersistentFlags()
	f.StringVarP(&o.format, "format", "f", "text", "report format: "+strings.Join(report.Formats(), ", "))
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file instead of standard output")
	f.StringVar(&o.threshold, "severity-threshold", "informational", "lowest rule severity whose FAIL or ERROR findings make vigil exit 1")
	f.StringArrayVar(&o.ruleDirs, "rules", nil, "directory of rule files to add to the catalog (repeatable)")
	f.StringArrayVar(&o.exclusions, "exclusions", nil, "exclusion file (YAML list of {rules, entity, where, accounts, reason, expires}; see examples/exclusions.yaml; repeatable)")
	f.StringSliceVar(&o.only, "only", nil, "run only these rule IDs or globs (comma-separated or repeated)")
	f.StringSliceVar(&o.skip, "skip", nil, "do not run these rule IDs or globs")
	f.StringVar(&o.framework, "framework", "", `report only rules mapped to this framework version ("CIS AWS Foundations 3.0.0")`)
	f.BoolVar(&o.softFail, "soft-fail", false, "exit 0 even when findings fail or inputs could not be read")
	f.BoolVar(&o.showPass, "show-pass", false, "list PASS findings in the text report")
	cmd.Flags().StringArrayVar(&o.varFiles, "var-file", nil, "Terraform variables file (.tfvars or .tfvars.json) for every Terraform input (repeatable)")
	cmd.Flags().StringArrayVar(&o.vars, "var", nil, "Terraform variable NAME=VALUE for every Terraform input (repeatable; TF_VAR_NAME is read too)")
	addAllowPathFlag(cmd, &o.allowPaths)
	for _, sub := range scanSubcommands {
		cmd.AddCommand(sub(s))
	}
	scanOptionsMu.Lock()
	scanOptionsOf[cmd] = o
	scanOptionsMu.Unlock()
	return cmd
}

// addAllowPathFlag adds --allow-path to a command that loads Terraform
// inputs.
func addAllowPathFlag(cmd *cobra.Command, paths *[]string) {
	cmd.Flags().StringArrayVar(paths, "allow-path", nil, "let Terraform code read the files in `DIR` with file(), templatefile(), fileset() or a link, besides the scanned tree and the local modules it calls (repeatable; none by default)")
}

// checkAllowPaths checks that each --allow-path is a directory.
func checkAllowPaths(paths []string) error {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return usageError("--allow-path %s: %v", p, unwrapPathError(err))
		}
		if !st.IsDir() {
			return usageError("--allow-path %s: not a directory", p)
		}
	}
	return nil
}

// check validates the flags that do not need the inputs.
func (o *scanOptions) check() error {
	if _, err := report.Lookup(o.format); err != nil {
		return usageError("--format: %v", err)
	}
	if _, err := rules.ParseSeverity(o.threshold); err != nil {
		return usageError("--severity-threshold: %v", err)
	}
	for _, g := range append(slices.Clone(o.only), o.skip...) {
		if _, err := path.Match(g, ""); err != nil {
			return usageError("bad rule glob %q", g)
		}
	}
	return nil
}

// run is the scan pipeline on one inventory: load and select rules, compile,
// evaluate, apply exclusions, write the report, and choose the exit status.
// "vigil scan aws" calls it with the inventory it collected.
func (o *scanOptions) run(s *streams, inv *entity.Inventory) error {
	return o.runEach(s, []*entity.Inventory{inv}, nil)
}

// runEach is run on several inventories, each judged as of its own
// collection time, reported together with the failures of the inputs that
// gave no inventory (failed); there may be none of invs.
func (o *scanOptions) runEach(s *streams, invs []*entity.Inventory, failed []entity.Failure) error {
	if err := o.check(); err != nil {
		return err
	}
	threshold, _ := rules.ParseSeverity(o.threshold)
	rs, err := loadRules(o.ruleDirs)
	if err != nil {
		return exitCode(ExitBadUsage, err)
	}
	rs, err = selectRules(rs, o.only, o.skip)
	if err != nil {
		return exitCode(ExitBadUsage, err)
	}
	var excl []*engine.ExclusionRule
	for _, file := range o.exclusions {
		data, err := readLimited(file)
		if err != nil {
			return exitCode(ExitBadUsage, fmt.Errorf("%s: %w", file, unwrapPathError(err)))
		}
		more, err := engine.ParseExclusions(file, data)
		if err != nil {
			return exitCode(ExitBadUsage, err)
		}
		excl = append(excl, more...)
	}
	plan, err := engine.Compile(rs, engine.Options{Patterns: filterpattern.NewCache(), Exclusions: excl,
		NoTraces: !report.ShowsTraces(o.format)})
	if err != nil {
		return exitCode(ExitBadUsage, err)
	}
	run := &engine.Run{Started: time.Now().UTC(), NotRelevant: map[string]int{}}
	if len(invs) > 0 {
		if run, err = plan.RunEach(context.Background(), invs); err != nil {
			return exitCode(ExitBadUsage, err)
		}
	}
	run.Failures = append(run.Failures, failed...)
	for _, x := range run.ExpiredExclusions {
		fmt.Fprintf(s.err, "vigil: exclusion %s expired on %s and no longer applies (%s)\n",
			x.Source, x.Expires.Format(time.DateOnly), x.Reason)
	}
	if err := o.write(s, run); err != nil {
		return exitCode(ExitBadUsage, err)
	}
	if o.softFail {
		return nil
	}
	for _, f := range run.Findings {
		if (f.Result == engine.Fail || f.Result == engine.Error) && f.Rule.Severity >= threshold {
			return exitCode(ExitFailed, nil)
		}
	}
	return nil
}

// defaultTextWidth is the width of text reports written to a file or pipe.
const defaultTextWidth = 200

func (o *scanOptions) write(s *streams, run *engine.Run) error {
	w, _ := report.Lookup(o.format)
	// Text tables wrap long messages at this width when the output is not
	// a terminal (CI logs, files); on a terminal its own width is used.
	opts := report.Options{Framework: o.framework, Tool: "vigil " + Version, ShowPass: o.showPass, Width: defaultTextWidth}
	var out io.Writer = s.data
	if o.output != "" {
		f, err := os.Create(o.output)
		if err != nil {
			return err
		}
		if err := w.Write(f, run, opts); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if f, ok := s.data.(*os.File); ok && term.IsTerminal(int(f.Fd())) && os.Getenv("NO_COLOR") == "" {
		opts.Color = true
		if width, _, err := term.GetSize(int(f.Fd())); err == nil {
			opts.Width = width
		}
	}
	return w.Write(out, run, opts)
}

// ruleTypes returns the entity types of the rules the scan runs, so that
// the Terraform loader builds entities of those types alone. It returns nil
// (every type) when the rules cannot be loaded, which runEach then reports.
// A rule's entity is required, and engine.Compile checks that it is the
// type the rule's logic is about.
func (o *scanOptions) ruleTypes() []string {
	rs, err := loadRules(o.ruleDirs)
	if err != nil {
		return nil
	}
	rs, err = selectRules(rs, o.only, o.skip)
	if err != nil {
		return nil
	}
	var types []string
	for _, r := range rs {
		if r.Entity == "" {
			return nil
		}
		if !slices.Contains(types, r.Entity) {
			types = append(types, r.Entity)
		}
	}
	return types
}

// loadRules returns the catalog plus the rules of each directory.
func loadRules(dirs []string) ([]*rules.Rule, error) {
	catalog, err := rules.Catalog()
	if err != nil {
		return nil, fmt.Errorf("the embedded catalog is broken: %w", err)
	}
	sets := [][]*rules.Rule{catalog}
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
	return rules.Merge(sets...)
}

// selectRules keeps the rules that match a pattern of only (all when only
// is empty) and none of skip. A pattern of only that matches no rule is an
// error, so that a typo does not silently run nothing.
func selectRules(rs []*rules.Rule, only, skip []string) ([]*rules.Rule, error) {
	matches := func(patterns []string, id string) bool {
		return slices.ContainsFunc(patterns, func(p string) bool {
			ok, _ := path.Match(p, id)
			return ok
		})
	}
	for _, p := range only {
		if !slices.ContainsFunc(rs, func(r *rules.Rule) bool { return matches([]string{p}, r.ID) }) {
			return nil, fmt.Errorf("--only %s: no rule has this ID", p)
		}
	}
	var out []*rules.Rule
	for _, r := range rs {
		if len(only) > 0 && !matches(only, r.ID) {
			continue
		}
		if matches(skip, r.ID) {
			continue
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, errors.New("no rule left to run after --only and --skip")
	}
	return out, nil
}
