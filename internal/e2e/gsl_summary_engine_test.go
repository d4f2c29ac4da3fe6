package e2e

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
	"vigil/source/terraform"
)

// TestSummarizeMatchesExplainOnFixtures runs the bundled catalog on the
// Terraform fixtures of source/terraform, once summarizing findings (as
// the text and CSV reports do) and once explaining them in full, and checks that every
// finding says the same: its message is built from the Summary and the
// Unknowns of the explanation.
func TestSummarizeMatchesExplainOnFixtures(t *testing.T) {
	rs, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	summarized, err := engine.Compile(rs, engine.Options{NoTraces: true})
	if err != nil {
		t.Fatal(err)
	}
	explained, err := engine.Compile(rs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := filepath.Glob("../../source/terraform/testdata/variants/*")
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, "../../source/terraform/testdata/chain", "../../source/terraform/testdata/cis",
		"../../source/terraform/testdata/plans/chain.json")
	invs := map[string]*entity.Inventory{}
	for _, dir := range dirs {
		inv, diags := terraform.Load(dir, terraform.Options{})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", dir, diags)
		}
		invs[dir] = inv
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	messages := 0
	for dir, inv := range invs {
		short, err := summarized.Run(context.Background(), inv, now)
		if err != nil {
			t.Fatal(err)
		}
		full, err := explained.Run(context.Background(), inv, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(short.Findings) != len(full.Findings) {
			t.Fatalf("%s: %d findings summarized, %d explained", dir, len(short.Findings), len(full.Findings))
		}
		for i, s := range short.Findings {
			f := full.Findings[i]
			if s.Rule.ID != f.Rule.ID || s.Result != f.Result || s.Message != f.Message || s.Trace != nil {
				t.Errorf("%s: finding %d:\nsummarized %s %s %q\nexplained  %s %s %q", dir, i,
					s.Rule.ID, s.Result, s.Message, f.Rule.ID, f.Result, f.Message)
			}
			if s.Message != "" {
				messages++
			}
		}
	}
	if messages < 50 {
		t.Errorf("only %d findings with a message compared", messages)
	}
}
