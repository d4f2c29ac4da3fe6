package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"vigil/engine"
	"vigil/rules"
	"vigil/store"
)

func init() { register(newHistoryCmd) }

// storeDefault is the value of a bare --store: the default SQLite file.
const storeDefault = "default"

// storeFlagHelp is the help of the --store flag of the commands that read
// the history store.
const storeFlagHelp = "the history store: a SQLite file, or postgres://USER@HOST/DB (default: the SQLite file 'vigil scan --store' writes, " +
	"~/.local/share/vigil/history.db or under $XDG_DATA_HOME)"

// openStore opens the history store dsn names (storeDefault or "" for the
// default file).
func openStore(dsn string) (*store.Store, error) {
	if dsn == storeDefault {
		dsn = ""
	}
	return store.Open(context.Background(), dsn)
}

// record stores the run in the history store --store names. An error is
// said plainly and makes vigil exit 2, even with --soft-fail: the user
// asked for the run to be kept.
func (o *scanOptions) record(s *streams, run *engine.Run, rs []*rules.Rule) error {
	st, err := openStore(o.store)
	if err != nil {
		return exitCode(ExitBadUsage, fmt.Errorf("the report was written, but the run was not recorded: %w", err))
	}
	defer st.Close()
	inputs := o.inputs
	if len(inputs) == 0 {
		inputs = o.recordAs
	}
	id, err := st.Record(context.Background(), store.RunInfo{Tool: "vigil " + Version, Inputs: inputs, Rules: rs}, run)
	if err != nil {
		return exitCode(ExitBadUsage, fmt.Errorf("the report was written, but the run was not recorded: %w", err))
	}
	if !o.quiet {
		fmt.Fprintf(s.err, "vigil: recorded as run %d in %s\n", id, st)
	}
	return nil
}

func newHistoryCmd(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List and prune the runs recorded with 'vigil scan --store'",
		Long: `"vigil scan --store" records each run in a history store: the inputs, the
scopes, the version of each rule, every finding with its message, explanation
and fix, and the failures. The store is a SQLite file by default
(~/.local/share/vigil/history.db, or $XDG_DATA_HOME/vigil/history.db), another
file with --store=FILE, or a PostgreSQL database with
--store=postgres://USER@HOST/DB.

Each finding is tracked across runs by its rule, scope and entity, and is
new, open, fixed, reopened, excluded or expired (its exclusion expired); see
the README's History section. "vigil diff run:LATEST~1 run:LATEST" compares
stored runs.`,
		Example: `  vigil scan --store examples/aws-inventory.json
  vigil history runs
  vigil history prune --keep 100
  vigil diff run:LATEST~1 run:LATEST`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newHistoryRunsCmd(s), newHistoryPruneCmd(s))
	return cmd
}

func newHistoryRunsCmd(s *streams) *cobra.Command {
	var dsn, format string
	var limit int
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List the recorded runs, the last recorded first",
		Long: `List the runs in the history store, the last recorded first: each run's id
(what "vigil diff run:ID" takes), when it started (when its data was
collected: a replayed snapshot keeps its date), its inputs, its findings by
result, and how many inputs or API calls failed.`,
		Example: `  vigil history runs
  vigil history runs --limit 5 --format json
  vigil history runs --store postgres://vigil@db.internal/vigil`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("--format: want text or json, not %q", format)
			}
			st, err := openStore(dsn)
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			defer st.Close()
			runs, err := st.Runs(context.Background(), store.RunFilter{Limit: limit})
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			if format == "json" {
				if runs == nil {
					runs = []store.Run{}
				}
				enc := json.NewEncoder(s.data)
				enc.SetIndent("", "  ")
				return enc.Encode(runs)
			}
			return writeRunsText(s, runs, st.String())
		},
	}
	cmd.Flags().StringVar(&dsn, "store", "", storeFlagHelp)
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	cmd.Flags().IntVar(&limit, "limit", 0, "list only the N runs recorded last (0: all)")
	return cmd
}

// writeRunsText lists runs as a table.
func writeRunsText(s *streams, runs []store.Run, where string) error {
	if len(runs) == 0 {
		_, err := fmt.Fprintf(s.out, "no runs recorded in %s (record one with 'vigil scan --store INPUT')\n", where)
		return err
	}
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSTARTED\tINPUTS\tFAIL\tERROR\tUNKNOWN\tEXCLUDED\tPASS\tFAILURES")
	for _, r := range runs {
		c := r.Counts
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", r.ID, r.Started.Format(time.RFC3339), strings.Join(r.Inputs, " "),
			c.Fail, c.Error, c.Unknown, c.Excluded, c.Pass, r.Failures)
	}
	return tw.Flush()
}

func newHistoryPruneCmd(s *streams) *cobra.Command {
	var dsn, olderThan string
	var keep int
	cmd := &cobra.Command{
		Use:   "prune (--keep N | --older-than AGE)",
		Short: "Delete old runs from the history store",
		Long: `Delete runs with their findings and failures: all but the --keep N recorded last,
or those that started more than --older-than ago (90d, 12h, 30m), or, with
both, those either selects. Findings no run refers to any more are forgotten:
should one fail again, it is new.`,
		Example: `  vigil history prune --keep 100
  vigil history prune --older-than 90d`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o := store.PruneOptions{Keep: keep}
			if keep < 0 {
				return usageError("--keep: want a number of runs, 1 or more")
			}
			if olderThan != "" {
				age, err := parseAge(olderThan)
				if err != nil {
					return usageError("--older-than: %v", err)
				}
				o.OlderThan = time.Now().Add(-age)
			}
			if keep == 0 && olderThan == "" {
				return usageError("say which runs to delete: --keep N or --older-than AGE")
			}
			st, err := openStore(dsn)
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			defer st.Close()
			res, err := st.Prune(context.Background(), o)
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			_, err = fmt.Fprintf(s.out, "deleted %d runs (%d findings) from %s\n", res.Runs, res.Findings, st)
			return err
		},
	}
	cmd.Flags().StringVar(&dsn, "store", "", storeFlagHelp)
	cmd.Flags().IntVar(&keep, "keep", 0, "keep the N runs recorded last and delete the others")
	cmd.Flags().StringVar(&olderThan, "older-than", "", "delete the runs that started more than this long ago: a number of days (90d) or a Go duration (12h, 30m)")
	return cmd
}

// parseAge reads an age: a whole number of days ("90d") or a Go duration
// ("12h").
func parseAge(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%q: want a number of days, such as 90d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q: want a number of days (90d) or a duration (12h, 30m)", s)
	}
	return d, nil
}
