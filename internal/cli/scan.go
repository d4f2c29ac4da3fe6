package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"vigil/engine"
	"vigil/entity"
	"vigil/report"
	"vigil/rules"
	"vigil/source/terraform"
)

func init() { register(newScanCmd) }

// scanOptions are the flags of "vigil scan", shared by its subcommands
// ("vigil scan aws"), which get them with scanOptionsFor.
type scanOptions struct {
	ruleSelection
	format     string
	output     string
	threshold  string
	exclusions []string
	framework  string
	softFail   bool
	showPass   bool
	// quiet leaves out of stderr what is not an error: progress, warnings
	// and notes. compact, noColor and explain are passed to the report.
	quiet, compact, noColor, explain bool
	// Terraform inputs.
	varFiles, vars, allowPaths []string
	// strict makes a reference to what a module does not declare an
	// error.
	strict bool
	// inputs are the paths given to scan, the only files whose code the
	// text report shows.
	inputs []string
	// store is --store: the history store's DSN, storeDefault for the
	// default file, or "" when the run is not recorded. recordAs names
	// the inputs in the store when there are no paths ("aws").
	store    string
	recordAs []string

	// chosen is the resolved rule selection, once resolved.
	chosen *selected
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

// selection resolves the rules the scan runs, once.
func (o *scanOptions) selection() (*selected, error) {
	if o.chosen == nil {
		sel, err := o.resolve(o.framework)
		if err != nil {
			return nil, err
		}
		o.chosen = sel
	}
	return o.chosen, nil
}

func newScanCmd(s *streams) *cobra.Command {
	o := &scanOptions{}
	cmd := &cobra.Command{
		Use:   "scan [flags] INPUT...",
		Short: "Run a ruleset on Terraform code, plan JSON or recorded inventories",
		Long: `Run the rules of a ruleset (--ruleset; "default" unless named: one rule per
concern, see 'vigil rules --help') and of --rules directories on each INPUT,
and report the findings. An INPUT is recognised by its content:

  a directory         Terraform code: every root module in the tree, with its
                      local modules, the modules "terraform init" installed
                      (.terraform/modules), variables (defaults,
                      terraform.tfvars, *.auto.tfvars, --var-file, --var,
                      TF_VAR_*) and the references between resources
  a .tf or .tf.json   one Terraform file, as a root module of that file alone:
  file                the other files of its directory, terraform.tfvars
                      included, are not read (its local modules and
                      installed modules are)
  a plan JSON file    the output of "terraform show -json PLANFILE"
  an inventory JSON   a recorded scan ("vigil collect aws -o FILE")

Each Terraform root module is a scope, named by its directory; a plan or a
.tf file given alone is a scope named by the file. A module from a registry
or git is read from where "terraform init" installed it; one that is not
installed is a warning ("run terraform init"), its outputs are unknown and
its resources are not checked.

Inputs that cannot be read are reported as "PATH: error" and the others are
still scanned; a Terraform file that does not parse is reported with its
file:line:col and the rest of its module is still scanned. Either is also
listed in the report, which is written in any case, and the rules on what
a broken file declares report ERROR. A reference to something a module does
not declare (a resource, variable, local value, module or data source) is a
warning, once per name, and its value is unknown, so that the rules that
read it give UNKNOWN; --strict makes it an error.

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
  vigil scan --ruleset cloudguard --severity HIGH,CRITICAL snapshot.json
  vigil scan --framework 'CIS AWS Foundations 3' --format compliance snapshot.json
  vigil scan --only 'D9.AWS.MON.*' --severity-threshold medium snapshot.json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("scan needs at least one INPUT (a Terraform directory, a plan JSON or an inventory JSON)")
			}
			if err := o.check(); err != nil {
				return err
			}
			sel, err := o.selection()
			if err != nil {
				return err
			}
			if err := checkAllowPaths(o.allowPaths); err != nil {
				return err
			}
			invs, failed, inputErrs := loadInputs(args, &inputOptions{
				terraform: terraform.Options{VarFiles: o.varFiles, Vars: o.vars, Environ: os.Environ(), Types: ruleTypes(sel.rules),
					AllowPaths: o.allowPaths, RuleIDs: sel.known, Strict: o.strict},
				diags:         s.err,
				quiet:         o.quiet,
				qualifyScopes: true,
			})
			for _, err := range inputErrs {
				fmt.Fprintln(s.err, "vigil:", err)
			}
			// The report is written even when no input could be read:
			// it says which could not.
			o.inputs = args
			err = o.runEach(s, invs, failed)
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
	o.ruleSelection.addFlags(f)
	f.StringArrayVar(&o.exclusions, "exclusions", nil, "exclusion file (YAML list of {rules, entity, where, accounts, reason, expires}; see examples/exclusions.yaml; repeatable)")
	f.StringVar(&o.framework, "framework", "", `report only rules mapped to this framework version, judged as that version asks ("CIS AWS Foundations 3.0.0"; a prefix that names one version is enough)`)
	f.BoolVar(&o.softFail, "soft-fail", false, "exit 0 even when findings fail or inputs could not be read")
	f.BoolVar(&o.showPass, "show-pass", false, "list PASS findings in the text report")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only errors on stderr: no progress, warnings or notes (the report is unchanged)")
	f.BoolVar(&o.compact, "compact", false, "a compact text report, in 80 columns")
	f.BoolVar(&o.noColor, "no-color", false, "no colour in the text report, even on a terminal (NO_COLOR is read too)")
	f.BoolVar(&o.explain, "explain", false, "the GSL trace each finding's message was written from: under each finding of the text report, in each finding of the json, sarif and html reports (json and sarif leave traces out without it)")
	f.StringVar(&o.store, "store", "", "after writing the report, record the run in the history store: --store alone for the default SQLite file "+
		"(~/.local/share/vigil/history.db, or under $XDG_DATA_HOME), --store=`DSN` for another SQLite file or postgres://USER@HOST/DB "+
		"(write the = sign: a word after a bare --store is an INPUT); see 'vigil history --help'")
	f.Lookup("store").NoOptDefVal = storeDefault
	cmd.Flags().StringArrayVar(&o.varFiles, "var-file", nil, "Terraform variables file (.tfvars or .tfvars.json) for every Terraform input (repeatable)")
	cmd.Flags().StringArrayVar(&o.vars, "var", nil, "Terraform variable NAME=VALUE for every Terraform input (repeatable; TF_VAR_NAME is read too)")
	cmd.Flags().BoolVar(&o.strict, "strict", false, "make a reference to a resource, variable, local value, module or data source that a Terraform module does not declare an error (exit 2), rather than a warning whose value is unknown")
	addAllowPathFlag(cmd, &o.allowPaths)
	for _, sub := range scanSubcommands {
		cmd.AddCommand(sub(s))
	}
	addFlagAliases(cmd)
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
	return o.ruleSelection.check()
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
	sel, err := o.selection()
	if err != nil {
		return err
	}
	excl, err := loadExclusions(o.exclusions)
	if err != nil {
		return err
	}
	plan, err := engine.Compile(sel.rules, engine.Options{Exclusions: excl,
		NoTraces: !report.ShowsTraces(o.format) && !o.explain, Twins: sel.twins})
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
	if !o.quiet {
		for _, x := range run.ExpiredExclusions {
			fmt.Fprintf(s.err, "vigil: exclusion %s expired on %s and no longer applies (%s)\n",
				x.Source, x.Expires.Format(time.DateOnly), x.Reason)
		}
	}
	if err := o.write(s, run, sel.framework, codeReader(o.inputs, invs)); err != nil {
		return exitCode(ExitBadUsage, err)
	}
	if o.store != "" {
		if err := o.record(s, run, sel.rules); err != nil {
			return err
		}
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

// loadExclusions reads the exclusion files (--exclusions); an error is a
// usage error.
func loadExclusions(files []string) ([]*engine.ExclusionRule, error) {
	var excl []*engine.ExclusionRule
	for _, file := range files {
		data, err := readLimited(file)
		if err != nil {
			return nil, exitCode(ExitBadUsage, fmt.Errorf("%s: %w", file, unwrapPathError(err)))
		}
		more, err := engine.ParseExclusions(file, data)
		if err != nil {
			return nil, exitCode(ExitBadUsage, err)
		}
		excl = append(excl, more...)
	}
	return excl, nil
}

// defaultTextWidth is the width of text reports written to a file or
// pipe when COLUMNS does not give one.
const defaultTextWidth = 120

func (o *scanOptions) write(s *streams, run *engine.Run, fw *rules.FrameworkVersion, code report.CodeReader) error {
	w, _ := report.Lookup(o.format)
	if o.output != "" {
		f, err := os.Create(o.output)
		if err != nil {
			return err
		}
		opts := o.reportOptions(fw, false, 0)
		opts.Code = code
		if err := w.Write(f, run, opts); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	terminal, width := false, 0
	if f, ok := s.data.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		terminal = true
		if tw, _, err := term.GetSize(int(f.Fd())); err == nil {
			width = tw
		}
	}
	opts := o.reportOptions(fw, terminal, width)
	opts.Code = code
	return w.Write(s.data, run, opts)
}

// reportOptions are the options of the report: terminal says whether it
// goes to a terminal, width is the terminal's width (0 when not known).
func (o *scanOptions) reportOptions(fw *rules.FrameworkVersion, terminal bool, width int) report.Options {
	opts := report.Options{Tool: "vigil " + Version, ShowPass: o.showPass, Width: textWidth(width, os.Getenv("COLUMNS")),
		Compact: o.compact, Explain: o.explain}
	if dir, err := os.Getwd(); err == nil {
		opts.SourceRoot = dir
	}
	if fw != nil {
		opts.Framework = fw.String()
	}
	if terminal {
		opts.Color = os.Getenv("NO_COLOR") == "" && !o.noColor
	}
	return opts
}

// textWidth is the width text reports keep to: the terminal's, else the
// COLUMNS environment variable's, else defaultTextWidth.
func textWidth(terminal int, columns string) int {
	if terminal > 0 {
		return terminal
	}
	if n, err := strconv.Atoi(strings.TrimSpace(columns)); err == nil && n > 0 {
		return n
	}
	return defaultTextWidth
}

// codeReader reads the code the text report shows from the inputs, with
// the sensitive values of every inventory redacted.
func codeReader(inputs []string, invs []*entity.Inventory) report.CodeReader {
	if len(inputs) == 0 {
		return nil
	}
	secrets := &entity.Secrets{}
	for _, inv := range invs {
		secrets.AddAll(inv.Secrets)
	}
	return report.NewCodeReader(inputs, secrets)
}

// ruleTypes returns the entity types of the rules a scan runs, so that the
// Terraform loader builds entities of those types alone, and the AWS
// collector calls only the services that read them. A rule's entity is
// required, and engine.Compile checks that it is the type the rule's logic
// is about.
func ruleTypes(rs []*rules.Rule) []string {
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

// ruleAttrs returns, per entity type, the top-level attributes the rules
// read ("publicAccessBlock" for publicAccessBlock.blockPublicAcls), so
// that a live scan makes only the calls that fill them. A type with a rule
// whose fields cannot be told (logic that does not parse, or that reads
// no field) has no entry: every attribute of it is read.
func ruleAttrs(rs []*rules.Rule) map[string][]string {
	out := map[string][]string{}
	whole := map[string]bool{}
	for _, r := range rs {
		fields := r.FieldsRead()
		if len(fields) == 0 {
			whole[r.Entity] = true
			continue
		}
		for _, f := range fields {
			top, _, _ := strings.Cut(f, ".")
			top, _, _ = strings.Cut(top, "[")
			if !slices.Contains(out[r.Entity], top) {
				out[r.Entity] = append(out[r.Entity], top)
			}
		}
	}
	for typ := range whole {
		delete(out, typ)
	}
	return out
}
