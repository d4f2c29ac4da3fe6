package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"vigil/entity"
	"vigil/filterpattern"
	"vigil/gsl"
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
	// Result is PASS, FAIL, UNKNOWN, ERROR or NOT_RELEVANT; for a query,
	// SELECTED, NOT_SELECTED, UNKNOWN or ERROR.
	Result   string   `json:"result"`
	Summary  string   `json:"summary"`
	Trace    []string `json:"trace"`
	Unknowns []string `json:"unknowns"`
}

type evalOptions struct {
	inputs []string
	format string
	now    string
}

func newEvalCmd(s *streams) *cobra.Command {
	var o evalOptions
	cmd := &cobra.Command{
		Use:   "eval 'GSL' --input FILE...",
		Short: "Evaluate one GSL rule or query on the entities of a file, with explanations",
		Long: `Evaluate one GSL rule (or a query: a target with no "should") on the entities
of one or more files, and print a result per entity, or per scope for a
List<E> rule, with the explanation of every result that is not PASS.

An input is a vigil inventory (JSON with "vigil_inventory") or a bare JSON
array of attribute objects, each of which becomes an entity of the rule's
type, named #0, #1, ... in input order. Unknown values are written
{"$unknown": "set"} or {"$unknown": "maybe-null"}. "-" reads standard input.

"Now" for date functions is --now, else the inventory's collected_at, else
the current time.

Exit codes: 0 every relevant result is PASS (or the query ran), 1 any FAIL,
UNKNOWN or ERROR, 2 bad usage, a rule that does not compile, or bad input.`,
		Example: `  vigil eval 'CloudTrail should have isMultiRegionTrail=true' --input trails.json
  vigil eval 'aws_cloudtrail should not have (cloud_watch_logs_role_arn isEmpty() or cloud_watch_logs_group_arn isEmpty())' --input plan-inventory.json --format json
  vigil eval "CloudTrail where region='us-east-1'" --input snapshot.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.inputs = append(o.inputs, args[1:]...)
			return runEval(s, args[0], o)
		},
	}
	cmd.Flags().StringArrayVarP(&o.inputs, "input", "i", nil, "inventory or attribute-list JSON file (repeatable; - for stdin)")
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&o.now, "now", "", "the time date functions compare with, RFC 3339 (default: the inventory's collected_at, else now)")
	return cmd
}

func runEval(s *streams, src string, o evalOptions) error {
	if o.format != "text" && o.format != "json" {
		return usageError("unknown --format %q: want text or json", o.format)
	}
	if len(o.inputs) == 0 {
		return usageError("no input: give the entities with --input FILE")
	}
	prog, err := gsl.Compile(src, gsl.WithPatterns(filterpattern.NewCache()))
	if err != nil {
		if l := gsl.AsList(err); l != nil {
			fmt.Fprintln(s.err, l.Render("rule"))
			return exitCode(ExitBadUsage, nil)
		}
		return exitCode(ExitBadUsage, err)
	}
	inv, err := loadEvalInputs(s, o.inputs, prog.Target().Entity)
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
	results := evaluate(prog, inv, now)
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
		fmt.Fprintf(s.err, "not applicable: the input has no %s entities\n", prog.Target().Entity)
		return nil
	}
	fmt.Fprintln(s.err, countLine(counts, len(results)))
	if !prog.IsQuery() && counts["FAIL"]+counts["UNKNOWN"]+counts["ERROR"] > 0 {
		return exitCode(ExitFailed, nil)
	}
	return nil
}

func countLine(counts map[string]int, n int) string {
	var parts []string
	for _, k := range []string{"PASS", "FAIL", "UNKNOWN", "ERROR", "NOT_RELEVANT", "SELECTED", "NOT_SELECTED"} {
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
			inv, err = entity.Decode(data)
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

// evaluate runs the program on every entity of its type (or every scope,
// for List<E>), in input order.
func evaluate(p *gsl.Program, inv *entity.Inventory, now time.Time) []evalResult {
	t := p.Target()
	var out []evalResult
	if !t.List {
		for _, e := range inv.OfType(t.Entity) {
			r := evalResult{Entity: e.ID, Scope: e.Scope}
			if f := missingData(inv, p, t.Entity, e.Scope, e.Region, e.ID); f != nil {
				r.fromMissing(f)
			} else {
				r.fromProgram(p, e.Attrs, now)
			}
			out = append(out, r)
		}
		// Entities that could not even be listed are results too: never
		// let missing data read as nothing to report.
		for i := range inv.Failures {
			f := &inv.Failures[i]
			if f.Type == t.Entity && f.Attr == "" && f.Entity == "" {
				r := evalResult{Entity: "(all " + f.Type + " in " + strings.TrimSpace(f.Scope+" "+f.Region) + ")", Scope: f.Scope}
				r.fromMissing(f)
				out = append(out, r)
			}
		}
		return out
	}
	for _, sc := range scopesOf(inv) {
		var items []any
		for _, e := range inv.OfType(t.Entity) {
			if e.Scope == sc.ID {
				items = append(items, e.Attrs)
			}
		}
		r := evalResult{Entity: sc.ID, Scope: sc.ID}
		switch {
		case missingData(inv, p, t.Entity, sc.ID, "", "") != nil:
			r.fromMissing(missingData(inv, p, t.Entity, sc.ID, "", ""))
		case len(items) == 0 && sc.Kind == entity.ScopeTerraformModule:
			// gsl-spec.md §7.29: code is not the whole account.
			r.Result = gsl.NotRelevant.String()
			r.Summary = fmt.Sprintf("not applicable: this Terraform root module declares no %s", t.Entity)
		default:
			if items == nil {
				items = []any{}
			}
			r.fromProgram(p, map[string]any{"items": items}, now)
		}
		out = append(out, r)
	}
	return out
}

// scopesOf lists the inventory's scopes, then those only its entities name.
func scopesOf(inv *entity.Inventory) []entity.Scope {
	out := append([]entity.Scope(nil), inv.Scopes...)
	seen := map[string]bool{}
	for _, s := range out {
		seen[s.ID] = true
	}
	for _, e := range inv.Entities {
		if !seen[e.Scope] {
			seen[e.Scope] = true
			out = append(out, entity.Scope{ID: e.Scope})
		}
	}
	return out
}

// missingData returns a collection failure that the rule's result would
// depend on: one for the entity type in this scope and region (or for this
// entity) whose attribute the rule reads, or that lost whole entities.
func missingData(inv *entity.Inventory, p *gsl.Program, typ, scope, region, id string) *entity.Failure {
	for i := range inv.Failures {
		f := &inv.Failures[i]
		if f.Type != typ || (f.Scope != "" && f.Scope != scope) || (f.Region != "" && region != "" && f.Region != region) ||
			(f.Entity != "" && id != "" && f.Entity != id) {
			continue
		}
		if f.Attr == "" {
			return f
		}
		for _, path := range p.Paths() {
			if top, _, _ := strings.Cut(path, "."); top == f.Attr {
				return f
			}
		}
	}
	return nil
}

func (r *evalResult) fromMissing(f *entity.Failure) {
	r.Result = gsl.Error.String()
	what := f.Type
	if f.Attr != "" {
		what += "." + f.Attr
	}
	r.Summary = "data not collected: " + what + ": " + f.String()
	r.Trace, r.Unknowns = []string{}, []string{}
}

func (r *evalResult) fromProgram(p *gsl.Program, root any, now time.Time) {
	res := p.Eval(root, now)
	r.Result = res.Outcome.String()
	r.Trace, r.Unknowns = []string{}, []string{}
	if p.IsQuery() {
		switch res.Outcome {
		case gsl.Pass:
			r.Result = "SELECTED"
			return
		case gsl.NotRelevant:
			r.Result = "NOT_SELECTED"
			return
		}
	}
	if res.Outcome == gsl.Pass {
		return
	}
	ex := p.Explain(root, now)
	r.Summary = ex.Summary
	r.Trace = ex.Lines
	if ex.Unknowns != nil {
		r.Unknowns = ex.Unknowns
	}
}

// writeEvalText prints one line per result, "FAIL  <id>  <summary>", and
// the trace of every result that is not PASS, indented. A query lists the
// selected entities and those it could not decide.
func writeEvalText(w io.Writer, results []evalResult, query bool) {
	for _, r := range results {
		if query && r.Result == "NOT_SELECTED" {
			continue
		}
		line := fmt.Sprintf("%-12s  %s", r.Result, r.Entity)
		if r.Summary != "" {
			line += "  " + r.Summary
		}
		fmt.Fprintln(w, line)
		if r.Result == "PASS" || r.Result == "SELECTED" || r.Result == "NOT_RELEVANT" {
			continue
		}
		for _, t := range r.Trace {
			fmt.Fprintln(w, "    "+t)
		}
		for _, u := range r.Unknowns {
			fmt.Fprintln(w, "    unknown: "+u)
		}
	}
}
