package cli

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"vigil/engine"
	"vigil/store"
)

func init() { register(newDiffCmd) }

// findingChange is one finding that appeared, disappeared or changed result
// between two scans.
type findingChange struct {
	Kind   string `json:"change"` // "appeared", "disappeared", "changed"
	RuleID string `json:"rule_id"`
	Scope  string `json:"scope"`
	// Entity is the entity's ID, empty for a finding about a whole scope
	// (List<E> rules).
	Entity string `json:"entity,omitempty"`
	Name   string `json:"name,omitempty"`
	Old    string `json:"old_result,omitempty"`
	New    string `json:"new_result,omitempty"`
	// Message explains the newer result (the older one for a finding that
	// disappeared).
	Message string `json:"message,omitempty"`
}

// regression reports whether the change makes things worse: a FAIL or
// ERROR that appeared or that a finding changed into.
func (c findingChange) regression() bool {
	return c.Kind != "disappeared" && (c.New == string(engine.Fail) || c.New == string(engine.Error))
}

// keyOf is the key findings are matched by: the history store's, so that
// stored runs and scans compare alike.
func keyOf(f *engine.Finding) store.Key { return store.KeyOf(f) }

// diffFindings compares two scans' findings, matched by rule, scope and
// entity, and returns the changes in a stable order, and how many findings
// did not change.
func diffFindings(old, new []*engine.Finding) (changes []findingChange, unchanged int) {
	before := map[store.Key]*engine.Finding{}
	for _, f := range old {
		before[keyOf(f)] = f
	}
	seen := map[store.Key]bool{}
	change := func(kind string, k store.Key, o, n *engine.Finding) findingChange {
		c := findingChange{Kind: kind, RuleID: k.Rule, Scope: k.Scope, Entity: k.Entity}
		for _, f := range []*engine.Finding{o, n} {
			if f != nil {
				c.Message = f.Message
				if f.Entity != nil {
					c.Name = f.Entity.Name
				}
			}
		}
		if o != nil {
			c.Old = string(o.Result)
		}
		if n != nil {
			c.New = string(n.Result)
		}
		return c
	}
	for _, f := range new {
		k := keyOf(f)
		seen[k] = true
		o, ok := before[k]
		switch {
		case !ok:
			changes = append(changes, change("appeared", k, nil, f))
		case o.Result != f.Result:
			changes = append(changes, change("changed", k, o, f))
		default:
			unchanged++
		}
	}
	for _, f := range old {
		if k := keyOf(f); !seen[k] {
			changes = append(changes, change("disappeared", k, f, nil))
		}
	}
	slices.SortStableFunc(changes, func(a, b findingChange) int {
		return cmp.Or(cmp.Compare(a.RuleID, b.RuleID), cmp.Compare(a.Scope, b.Scope), cmp.Compare(a.Entity, b.Entity))
	})
	return changes, unchanged
}

// storedRunPrefix marks a diff input that is a run of the history store
// ("run:LATEST"), not a file. A file of that name is read as ./run:NAME.
const storedRunPrefix = "run:"

func newDiffCmd(s *streams) *cobra.Command {
	var format, dsn string
	var sel ruleSelection
	var allowPaths []string
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show the findings that appeared, disappeared or changed between two scans",
		Long: `Scan OLD and NEW (snapshots written by "vigil collect aws", or any input
"vigil scan" reads) with the same rules, each at the time it was collected,
and list the findings that appeared, disappeared or changed result. Findings
are matched by rule, account (or root module) and entity.

OLD or NEW may instead be a run recorded with "vigil scan --store", named
run:LATEST (the run recorded last), run:LATEST~N (the Nth run recorded
before it) or run:ID (an id "vigil history runs" lists), read from the store
--store names. A stored run is compared as it was recorded; when it is
compared with a scan, or rules are selected (--ruleset, --only, ...), only
the findings of the selected rules count. (A file whose name starts with
"run:" is read as ./run:NAME.)

Exit status: 0 when no FAIL or ERROR appeared and no finding turned into one,
1 when one did, 2 for bad usage or an input that could not be read.`,
		Example: `  vigil diff monday.json tuesday.json
  vigil diff --format json --only 'D9.AWS.MON.*' old.json new.json
  vigil diff run:LATEST~1 run:LATEST
  vigil diff run:12 snapshot.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("--format: want text or json, not %q", format)
			}
			chosen, err := sel.resolve("")
			if err != nil {
				return err
			}
			if err := checkAllowPaths(allowPaths); err != nil {
				return err
			}
			in := diffInputs{s: s, chosen: chosen, dsn: dsn, allowPaths: allowPaths, selected: sel.given()}
			sides, err := in.load(args)
			if err != nil {
				return err
			}
			changes, unchanged := diffFindings(sides[0].findings, sides[1].findings)
			if format == "json" {
				err = writeDiffJSON(s.data, changes, unchanged)
			} else {
				err = writeDiffText(s.out, [2]string{sides[0].label, sides[1].label}, changes, unchanged)
			}
			if err != nil {
				return exitCode(ExitBadUsage, err)
			}
			if slices.ContainsFunc(changes, findingChange.regression) {
				return exitCode(ExitFailed, nil)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&format, "format", "f", "text", "output format: text or json")
	f.StringVar(&dsn, "store", "", "the history store run:REF inputs are read from: a SQLite file, or postgres://USER@HOST/DB (default: the file 'vigil scan --store' writes)")
	sel.addFlags(f)
	addAllowPathFlag(cmd, &allowPaths)
	addFlagAliases(cmd)
	return cmd
}

func writeDiffJSON(w io.Writer, changes []findingChange, unchanged int) error {
	if changes == nil {
		changes = []findingChange{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Changes   []findingChange `json:"changes"`
		Unchanged int             `json:"unchanged"`
	}{changes, unchanged})
}

// writeDiffText writes the changes as text, under a line naming the two
// sides (see diffSide.label).
func writeDiffText(w io.Writer, labels [2]string, changes []findingChange, unchanged int) error {
	fmt.Fprintf(w, "%s → %s\n", labels[0], labels[1])
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	counts := map[string]int{}
	for _, c := range changes {
		counts[c.Kind]++
		mark, result := "~", c.Old+" → "+c.New
		switch c.Kind {
		case "appeared":
			mark, result = "+", c.New
		case "disappeared":
			mark, result = "-", c.Old
		}
		what := c.Name
		if what == "" {
			what = c.Entity
		}
		if what == "" {
			what = "(whole scope)"
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\n", mark, c.RuleID, c.Scope, what, result, oneLine(c.Message))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d appeared, %d disappeared, %d changed, %d unchanged\n",
		counts["appeared"], counts["disappeared"], counts["changed"], unchanged)
	return err
}

// oneLine cuts a message to its first line and a readable length.
func oneLine(s string) string {
	const maxMessage = 120
	for i, r := range s {
		if r == '\n' {
			s = s[:i]
			break
		}
	}
	if r := []rune(s); len(r) > maxMessage {
		s = string(r[:maxMessage-1]) + "…"
	}
	return s
}
