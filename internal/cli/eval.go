package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"vigil/diag"
	"vigil/engine"
	"vigil/entity"
	"vigil/filterpattern"
	"vigil/gsl"
	"vigil/rules"
	"vigil/source/snapshot"
)

func init() { register(newEvalCmd) }

// maxEvalInputBytes bounds one --input file of vigil eval.
const maxEvalInputBytes = 256 << 20

// evalResult is one line of vigil eval's output: the result of the rule on
// one entity, or on one scope for a List<E> rule.
type evalResult struct {
	// Entity is the entity's ID; for a List<E> rule, the scope's ID.
	Entity string `json:"entity"`
	Scope  string `json:"scope"`
	// Result is PASS, FAIL, UNKNOWN, ERROR, EXCLUDED or NOT_RELEVANT; for
	// a query, SELECTED, NOT_SELECTED, UNKNOWN or ERROR.
	Result string `json:"result"`
	// Summary is the one-line GSL explanation; Message the finding's
	// message in plain words, present when it says something else (for a
	// rule with a message, or an ERROR).
	Summary  string   `json:"summary"`
	Message  string   `json:"message,omitempty"`
	Trace    []string `json:"trace"`
	Unknowns []string `json:"unknowns"`
	// Underlying and Exclusion are set for EXCLUDED: the result the rule
	// gave, and the exclusion that matched (its reason and source).
	Underlying string `json:"underlying,omitempty"`
	Exclusion  string `json:"exclusion,omitempty"`
}

type evalOptions struct {
	inputs     []string
	format     string
	now        string
	id         string
	exclusions []string
}

// evalRuleID is the ID of the rule vigil eval runs unless --id names one.
const evalRuleID = "EVAL"

func newEvalCmd(s *streams) *cobra.Command {
	var o evalOptions
	cmd := &cobra.Command{
		Use:   "eval 'GSL' --input FILE...",
		Short: "Evaluate one GSL rule or query on the entities of a file, with explanations",
		Long: `Evaluate one GSL rule (or a query: a target with no "should") on the entities
of one or more files, and print a result per entity, or per scope for a
List<E> rule, with the explanation of every result that is not PASS.

The rule runs as "vigil scan" runs a rule, with the same results: data the
input lists as not collected makes a result ERROR, and a List<E> rule is not
applicable to a scope that has no E unless that scope is an account (a live
account with no trail has none; Terraform code is not the whole account).
Each entity a where clause filters out is listed as NOT_RELEVANT.

An input is a vigil inventory (JSON with "vigil_inventory") or a bare JSON
array of attribute objects, each of which becomes an entity of the rule's
type, named #0, #1, ... in input order. Unknown values are written
{"$unknown": "set"} or {"$unknown": "maybe-null"}. "-" reads standard input.

An entity type close to one vigil models, but not one (a typo:
"CloudTral"), is a warning that names the type it models; so is a field
that a type vigil models does not have ("isMultiRegionTrial"), with the
closest field it has ('vigil entities TYPE' lists them).

"Now" for date functions is --now, else the inventory's collected_at, else
the current time.

Exit codes: 0 every relevant result is PASS or EXCLUDED (or the query ran),
1 any FAIL, UNKNOWN or ERROR, 2 bad usage, a rule that does not compile, or
bad input.`,
		Example: `  vigil eval 'CloudTrail should have isMultiRegionTrail=true' --input trails.json
  vigil eval 'aws_cloudtrail should not have (cloud_watch_logs_role_arn isEmpty() or cloud_watch_logs_group_arn isEmpty())' --input plan-inventory.json --format json
  vigil eval "CloudTrail where region='us-east-1'" --input snapshot.json
  vigil eval --id TEAM.LOG.01 --exclusions exclusions.yaml 'CloudTrail should have logFileValidationEnabled=true' -i snapshot.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.inputs = append(o.inputs, args[1:]...)
			return runEval(s, args[0], o)
		},
	}
	cmd.Flags().StringArrayVarP(&o.inputs, "input", "i", nil, "inventory or attribute-list JSON file (repeatable; - for stdin)")
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&o.now, "now", "", "the time date functions compare with, RFC 3339 (default: the inventory's collected_at, else now)")
	cmd.Flags().StringVar(&o.id, "id", evalRuleID, "the rule's ID, which vigil:ignore comments and --exclusions entries name")
	cmd.Flags().StringArrayVar(&o.exclusions, "exclusions", nil, "exclusion file, as for vigil scan (repeatable)")
	return cmd
}

func runEval(s *streams, src string, o evalOptions) error {
	if o.format != "text" && o.format != "json" {
		return usageError("unknown --format %q: want text or json", o.format)
	}
	if len(o.inputs) == 0 {
		return usageError("no input: give the entities with --input FILE")
	}
	patterns := filterpattern.NewCache()
	prog, err := gsl.Compile(src, gsl.WithPatterns(patterns), gsl.WithEntityCheck(rules.EntityTypo), gsl.WithFieldCheck(rules.CheckField))
	if err != nil {
		if l := diag.AsList(err); l != nil {
			fmt.Fprintln(s.err, l.In("rule", diag.Pos{}).Render())
			return exitCode(ExitBadUsage, nil)
		}
		return exitCode(ExitBadUsage, err)
	}
	for _, w := range prog.Warnings() {
		fmt.Fprintln(s.err, strings.Replace(w.In("rule", diag.Pos{}).Render(), ": ", ": warning: ", 1))
	}
	target := prog.Target()
	inv, err := loadEvalInputs(s, o.inputs, target.Entity)
	if err != nil {
		return exitCode(ExitBadUsage, err)
	}
	now := time.Now().UTC()
	switch {
	case o.now != "":
		if now, err = time.Parse(time.RFC3339, o.now); err != nil {
			return usageError("--now %q is not an RFC 3339 time such as 2026-11-22T10:00:00Z", o.now)
		}
	case !inv.CollectedAt.IsZero():
		now = inv.CollectedAt
	}
	excl, err := loadExclusions(o.exclusions)
	if err != nil {
		return err
	}
	// The one rule runs through the engine, as vigil scan runs its
	// rules: the same results, missing data and List<E> on empty scopes.
	rule := &rules.Rule{ID: o.id, Title: "vigil eval", Severity: rules.Informational, Entity: target.Entity, Logic: src}
	plan, err := engine.Compile([]*rules.Rule{rule}, engine.Options{Patterns: patterns, Exclusions: excl, Queries: true, NotRelevant: true})
	if err != nil {
		return exitCode(ExitBadUsage, err)
	}
	run, err := plan.Run(context.Background(), inv, now)
	if err != nil {
		return exitCode(ExitBadUsage, err)
	}
	results := evalResults(run, inv, target, prog.IsQuery())
	if o.format == "json" {
		enc := json.NewEncoder(s.data)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return err
		}
	} else {
		writeEvalText(s.out, results, prog.IsQuery())
	}
	counts := map[string]int{}
	for _, r := range results {
		counts[r.Result]++
	}
	if len(results) == 0 {
		fmt.Fprintf(s.err, "not applicable: the input has no %s entities%s\n", target.Entity, notApplicableWhy(inv, target))
		return nil
	}
	fmt.Fprintln(s.err, countLine(counts, len(results)))
	if !prog.IsQuery() && counts["FAIL"]+counts["UNKNOWN"]+counts["ERROR"] > 0 {
		return exitCode(ExitFailed, nil)
	}
	return nil
}

// notApplicableWhy says, for a List<E> rule that had no result, why its
// scopes without E were not evaluated.
func notApplicableWhy(inv *entity.Inventory, t gsl.Target) string {
	if !t.List || len(inv.OfType(t.Entity)) > 0 {
		return ""
	}
	if rules.CheckEntity(t.Entity) == "" && !slices.Contains(rules.ModelledTypes(), t.Entity) { // a Terraform type
		return fmt.Sprintf(" (%s is a Terraform resource type, which no account scope has)", t.Entity)
	}
	return ""
}

func countLine(counts map[string]int, n int) string {
	var parts []string
	for _, k := range []string{"PASS", "FAIL", "UNKNOWN", "ERROR", "EXCLUDED", "NOT_RELEVANT", "SELECTED", "NOT_SELECTED"} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
		}
	}
	word := "results"
	if n == 1 {
		word = "result"
	}
	return fmt.Sprintf("%d %s: %s", n, word, strings.Join(parts, ", "))
}

// loadEvalInputs reads every input and merges them: inventories as they
// are, bare arrays as entities of type typ in a scope named after the file.
func loadEvalInputs(s *streams, paths []string, typ string) (*entity.Inventory, error) {
	all := &entity.Inventory{}
	for _, path := range paths {
		data, name, err := readEvalInput(s, path)
		if err != nil {
			return nil, err
		}
		var inv *entity.Inventory
		switch trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff"); {
		case len(trimmed) > 0 && trimmed[0] == '[':
			inv, err = entity.DecodeAttrList(data, typ, name)
		case len(trimmed) > 0 && trimmed[0] == '{':
			inv, err = snapshot.Parse(data)
		default:
			err = fmt.Errorf("want a vigil inventory (a JSON object) or a JSON array of attribute objects")
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all.Merge(inv)
	}
	return all, nil
}

func readEvalInput(s *streams, path string) ([]byte, string, error) {
	var r io.Reader
	name := path
	if path == "-" {
		r, name = s.in, "<stdin>"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, name, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxEvalInputBytes+1))
	if err != nil {
		return nil, name, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxEvalInputBytes {
		return nil, name, fmt.Errorf("%s: larger than %d MiB", name, maxEvalInputBytes>>20)
	}
	return data, name, nil
}

// evalResults lists the findings of the run of the one rule in input
// order: the entities' in the order of the inventory, then those about a
// whole scope (a List<E> rule's, or the ERROR of a scope whose entities
// could not all be listed) in the order of the scopes.
func evalResults(run *engine.Run, inv *entity.Inventory, target gsl.Target, query bool) []evalResult {
	entityAt := make(map[*entity.Entity]int, len(inv.Entities))
	for i, e := range inv.Entities {
		entityAt[e] = i
	}
	scopeAt := map[string]int{}
	for i, sc := range run.Scopes {
		scopeAt[sc.ID] = i
	}
	findings := slices.Clone(run.Findings)
	slices.SortStableFunc(findings, func(a, b *engine.Finding) int {
		switch {
		case a.Entity != nil && b.Entity != nil:
			return entityAt[a.Entity] - entityAt[b.Entity]
		case a.Entity != nil:
			return -1
		case b.Entity != nil:
			return 1
		}
		return scopeAt[a.Scope] - scopeAt[b.Scope]
	})
	out := make([]evalResult, 0, len(findings))
	for _, f := range findings {
		r := evalResult{Entity: f.Scope, Scope: f.Scope, Result: string(f.Result), Summary: f.Explanation,
			Trace: f.Trace, Unknowns: f.Unknowns}
		if f.Message != f.Explanation {
			r.Message = f.Message
		}
		switch {
		case f.Entity != nil:
			r.Entity = f.Entity.ID
		case !target.List:
			r.Entity = "(all " + target.Entity + " in " + f.Scope + ")"
		}
		if f.Result == engine.Excluded {
			r.Underlying = string(f.Underlying)
			r.Exclusion = f.Exclusion.Reason + " (" + f.Exclusion.Source + ")"
		}
		if query {
			switch f.Result {
			case engine.Pass:
				r.Result = "SELECTED"
			case engine.NotRelevant:
				r.Result, r.Summary, r.Message, r.Trace, r.Unknowns = "NOT_SELECTED", "", "", nil, nil
			}
		}
		if r.Trace == nil {
			r.Trace = []string{}
		}
		if r.Unknowns == nil {
			r.Unknowns = []string{}
		}
		out = append(out, r)
	}
	return out
}

// writeEvalText prints one line per result, "FAIL  <id>  <summary>", then
// for every result that is not PASS its message when it has one of its own
// and its trace, indented. A query lists the selected entities and those it
// could not decide.
func writeEvalText(w io.Writer, results []evalResult, query bool) {
	for _, r := range results {
		if query && r.Result == "NOT_SELECTED" {
			continue
		}
		line := fmt.Sprintf("%-12s  %s", r.Result, r.Entity)
		if r.Summary != "" {
			line += "  " + r.Summary
		}
		if r.Result == "EXCLUDED" {
			line += fmt.Sprintf(" (%s, excluded: %s)", r.Underlying, r.Exclusion)
		}
		fmt.Fprintln(w, line)
		if r.Result == "PASS" || r.Result == "SELECTED" || r.Result == "NOT_RELEVANT" {
			continue
		}
		if r.Message != "" {
			fmt.Fprintln(w, "    message: "+r.Message)
		}
		for _, t := range r.Trace {
			fmt.Fprintln(w, "    "+t)
		}
		for _, u := range r.Unknowns {
			fmt.Fprintln(w, "    unknown: "+u)
		}
	}
}
