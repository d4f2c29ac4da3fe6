package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"vigil/entity"
	awssource "vigil/source/aws"
	"vigil/source/snapshot"
)

func init() {
	register(newCollectCmd)
	registerScan(newScanAWSCmd)
}

// regionName matches AWS region names: us-east-1, us-gov-west-1,
// eu-central-2, cn-northwest-1.
var regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// awsFlags are the flags that say which AWS account and regions to read.
type awsFlags struct {
	profile, roleARN, externalID string
	regions                      []string
	allRegions                   bool
	maxAttempts                  int
	callTimeout                  time.Duration
	// flags are the command's flags, to tell a --max-attempts given from
	// its default.
	flags *pflag.FlagSet
}

func (f *awsFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.profile, "profile", "", "shared-config profile to use (default: the SDK's credential chain: environment, shared config, SSO, instance role)")
	fl.StringVar(&f.roleARN, "role-arn", "", "assume this IAM role and read the account it belongs to")
	fl.StringVar(&f.externalID, "external-id", "", "external ID to pass when assuming --role-arn")
	fl.StringArrayVar(&f.regions, "region", nil, "region to scan (repeatable; default: every region enabled for the account)")
	fl.BoolVar(&f.allRegions, "all-regions", false, "scan every region enabled for the account (ec2:DescribeRegions)")
	fl.IntVar(&f.maxAttempts, "max-attempts", 0, fmt.Sprintf("attempts per AWS call before it is reported as failed (throttling, 5xx; default: AWS_MAX_ATTEMPTS or the profile's max_attempts, else %d)", awssource.DefaultMaxAttempts))
	f.flags = fl
	fl.DurationVar(&f.callTimeout, "call-timeout", awssource.DefaultCallTimeout, "time limit of one AWS call, retries included")
}

func (f *awsFlags) options() (awssource.Options, error) {
	if f.allRegions && len(f.regions) > 0 {
		return awssource.Options{}, usageError("--all-regions and --region cannot be used together")
	}
	if f.externalID != "" && f.roleARN == "" {
		return awssource.Options{}, usageError("--external-id needs --role-arn")
	}
	if f.maxAttempts < 0 || f.flags != nil && f.flags.Changed("max-attempts") && f.maxAttempts < 1 {
		return awssource.Options{}, usageError("--max-attempts must be at least 1")
	}
	if f.callTimeout <= 0 {
		return awssource.Options{}, usageError("--call-timeout must be positive")
	}
	for _, r := range f.regions {
		if !regionName.MatchString(r) {
			return awssource.Options{}, usageError("--region %q is not an AWS region name (like us-east-1)", r)
		}
	}
	return awssource.Options{Profile: f.profile, RoleARN: f.roleARN, ExternalID: f.externalID, Regions: f.regions,
		MaxAttempts: f.maxAttempts, CallTimeout: f.callTimeout, Tool: "vigil " + Version}, nil
}

// collectAWS reads the account, with a progress line on stderr when it is
// a terminal, and reports on stderr what could not be collected; quiet
// leaves both out. types, when not empty, are the only entity types read
// (those of the rules a scan runs); empty reads every type. attrs, when
// not nil, narrow the attributes read per type (awssource.Options.Attrs).
func collectAWS(s *streams, f *awsFlags, quiet bool, types []string, attrs map[string][]string) (*entity.Inventory, error) {
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	opts.Types, opts.Attrs = types, attrs
	progress := newProgressLine(s.terminal)
	progress.on = progress.on && !quiet
	opts.Progress = progress.update
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	inv, err := awssource.Collect(ctx, opts)
	progress.clear()
	if err != nil {
		return nil, exitCode(ExitBadUsage, fmt.Errorf("collect aws: %w", err))
	}
	if n := len(inv.Failures); n > 0 && !quiet {
		fmt.Fprintf(s.err, "vigil: %d item(s) could not be collected; rules that need them report ERROR:\n", n)
		for _, fl := range inv.Failures {
			what := fl.Type
			if fl.Attr != "" {
				what += "." + fl.Attr
			}
			if fl.Entity != "" {
				what += " of " + fl.Entity
			}
			fmt.Fprintf(s.err, "  %s: %s\n", what, fl)
		}
	}
	return inv, nil
}

func newCollectCmd(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Record an inventory of a live account for offline scans",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageError("collect needs a source")
		},
	}
	cmd.AddCommand(newCollectAWSCmd(s))
	return cmd
}

func newCollectAWSCmd(s *streams) *cobra.Command {
	var f awsFlags
	var output string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "aws",
		Short: "Read CloudTrail and its monitoring chain from a live AWS account into a snapshot",
		Long: `Read the account's CloudTrail trails (shadow trails of every scanned region
included), their status and event selectors, and for each trail's own log
group its metric filters, the alarms on their metrics and the confirmed
subscribers of the alarms' SNS topics. Write it all as a snapshot that
"vigil scan SNAPSHOT" replays offline and "vigil diff" compares.

What could not be read (access denied, throttling past the retries, a region
that is not enabled) is recorded in the snapshot and listed on stderr; the
rules that need it report ERROR, never PASS. docs/iam-policy.json lists the
permissions vigil needs. AWS_ENDPOINT_URL points vigil at an emulator.`,
		Example: `  vigil collect aws -o snapshot.json
  vigil collect aws --profile audit --region us-east-1 --region eu-west-1 -o snapshot.json
  vigil collect aws --role-arn arn:aws:iam::123456789012:role/VigilAudit --external-id X -o snapshot.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := f.options(); err != nil {
				return err
			}
			inv, err := collectAWS(s, &f, quiet, nil, nil)
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
				if err := snapshot.Write(s.data, inv); err != nil {
					return exitCode(ExitBadUsage, err)
				}
				return nil
			}
			if err := snapshot.Save(output, inv); err != nil {
				return exitCode(ExitBadUsage, err)
			}
			if !quiet {
				fmt.Fprintf(s.err, "vigil: wrote %s of account %s to %s\n", countByType(inv), scopeIDs(inv), output)
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the snapshot to this file (default: standard output)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print only errors on stderr: no progress, no list of what could not be collected")
	return cmd
}

func scopeIDs(inv *entity.Inventory) string {
	s := ""
	for i, sc := range inv.Scopes {
		if i > 0 {
			s += ", "
		}
		s += sc.ID
	}
	return s
}

func newScanAWSCmd(s *streams) *cobra.Command {
	var f awsFlags
	cmd := &cobra.Command{
		Use:   "aws",
		Short: "Collect a live AWS account and scan it in one step",
		Long: `Collect the account as "vigil collect aws" does, then scan the result as
"vigil scan SNAPSHOT" does, with the same flags and exit status.`,
		Example: `  vigil scan aws --profile audit
  vigil scan aws --region us-east-1 --format sarif --output vigil.sarif`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o := scanOptionsFor(cmd)
			if err := o.check(); err != nil {
				return err
			}
			// A rule, ruleset or framework that does not exist is said
			// before the account is read, not after.
			sel, err := o.selection()
			if err != nil {
				return err
			}
			if _, err := f.options(); err != nil {
				return err
			}
			// Only what the selected rules read is collected.
			inv, err := collectAWS(s, &f, o.quiet, ruleTypes(sel.rules), ruleAttrs(sel.rules))
			if err != nil {
				return err
			}
			o.recordAs = []string{"aws"}
			return o.run(s, inv)
		},
	}
	f.register(cmd)
	return cmd
}

// progressLine shows the number of AWS calls made on one rewritten line of
// a terminal; on anything else it writes nothing.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	last  time.Time
	shown bool
}

// progressInterval is how often the progress line is redrawn at most.
const progressInterval = 100 * time.Millisecond

func newProgressLine(w io.Writer) *progressLine {
	f, ok := w.(*os.File)
	return &progressLine{w: w, on: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progressLine) update(done, inFlight int) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < progressInterval {
		return
	}
	p.last = time.Now()
	p.shown = true
	fmt.Fprintf(p.w, "\r\033[Kvigil: collecting from AWS: %d calls done, %d in flight", done, inFlight)
}

func (p *progressLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// countByType says how many entities of each type inv holds: "7 CloudTrail,
// 1 Iam", or "no entity".
func countByType(inv *entity.Inventory) string {
	n := map[string]int{}
	for _, e := range inv.Entities {
		n[e.Type]++
	}
	if len(n) == 0 {
		return "no entity"
	}
	var parts []string
	for _, typ := range slices.Sorted(maps.Keys(n)) {
		parts = append(parts, fmt.Sprintf("%d %s", n[typ], typ))
	}
	return strings.Join(parts, ", ")
}
