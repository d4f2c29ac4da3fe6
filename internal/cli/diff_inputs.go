package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/source/terraform"
	"vigil/store"
)

// diffSide is one side of a diff: its findings, and how the text output
// names it ("old.json (2026-11-02T09:00:00Z)", "run:LATEST (run 12,
// 2026-11-03T09:00:00Z)").
type diffSide struct {
	findings []*engine.Finding
	label    string
}

// diffInputs loads the two sides of "vigil diff": inputs are scanned with
// the chosen rules; run:REF inputs are read from the history store.
type diffInputs struct {
	s          *streams
	chosen     *selected
	dsn        string
	allowPaths []string
	// selected says whether rules were selected by flag, so that stored
	// runs are filtered to them.
	selected bool
	st       *store.Store
}

// load reads both sides. Inputs are read first, so that one that cannot
// be read is said before the store is opened.
func (in *diffInputs) load(args []string) ([2]diffSide, error) {
	var sides [2]diffSide
	scanned := false
	var invs [2]*entity.Inventory
	for i, p := range args {
		if strings.HasPrefix(p, storedRunPrefix) {
			continue
		}
		scanned = true
		inv, err := loadInput(p, &inputOptions{
			terraform: terraform.Options{Environ: os.Environ(), AllowPaths: in.allowPaths},
			diags:     in.s.err,
		})
		if err != nil {
			return sides, exitCode(ExitBadUsage, fmt.Errorf("%s: %w", p, err))
		}
		invs[i] = inv
	}
	if scanned {
		plan, err := engine.Compile(in.chosen.rules, engine.Options{Twins: in.chosen.twins})
		if err != nil {
			return sides, exitCode(ExitBadUsage, err)
		}
		for i, inv := range invs {
			if inv == nil {
				continue
			}
			run, err := plan.Run(context.Background(), inv, time.Time{})
			if err != nil {
				return sides, exitCode(ExitBadUsage, fmt.Errorf("%s: %w", args[i], err))
			}
			sides[i] = diffSide{findings: run.Findings, label: args[i] + when(inv.CollectedAt)}
		}
	}
	if in.st != nil {
		defer in.st.Close()
	}
	for i, p := range args {
		if ref, ok := strings.CutPrefix(p, storedRunPrefix); ok {
			side, err := in.stored(p, ref, scanned || in.selected)
			if err != nil {
				return sides, exitCode(ExitBadUsage, err)
			}
			sides[i] = side
		}
	}
	return sides, nil
}

// stored reads the findings of the stored run ref names; filter keeps only
// those of the chosen rules.
func (in *diffInputs) stored(arg, ref string, filter bool) (diffSide, error) {
	if in.st == nil {
		st, err := openStore(in.dsn)
		if err != nil {
			return diffSide{}, err
		}
		in.st = st
	}
	ctx := context.Background()
	id, err := in.st.ResolveRun(ctx, ref)
	if err != nil {
		return diffSide{}, fmt.Errorf("%w: see 'vigil history runs'", err)
	}
	run, err := in.st.Run(ctx, id)
	if err != nil {
		return diffSide{}, fmt.Errorf("%s: %w", arg, err)
	}
	findings, err := in.st.EngineFindings(ctx, id)
	if err != nil {
		return diffSide{}, fmt.Errorf("%s: %w", arg, err)
	}
	if filter {
		chosen := map[string]bool{}
		for _, r := range in.chosen.rules {
			chosen[r.ID] = true
		}
		kept := findings[:0]
		for _, f := range findings {
			if chosen[f.Rule.ID] {
				kept = append(kept, f)
			}
		}
		findings = kept
	}
	label := fmt.Sprintf("%s (run %d, %s)", arg, id, run.Started.Format(time.RFC3339))
	return diffSide{findings: findings, label: label}, nil
}

// when is " (TIME)" for a known collection time, "" otherwise.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " (" + t.UTC().Format(time.RFC3339) + ")"
}
