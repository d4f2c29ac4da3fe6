package report

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestViewOrdersFindings: the view orders findings by rule, scope and
// entity, keeping the run's order among equals, whether the run hands
// them over in that order (as the engine does) or not.
func TestViewOrdersFindings(t *testing.T) {
	run := largeRun(2000)
	// Equal keys: a finding about a scope and one with the same entity ID.
	dup := *run.Findings[7]
	dup.Message = "second of two equal keys"
	run.Findings = slices.Insert(run.Findings, 8, &dup)
	sorted, err := newView(run, Options{})
	if err != nil {
		t.Fatal(err)
	}
	shuffled := *run
	shuffled.Findings = slices.Clone(run.Findings)
	rand.New(rand.NewPCG(11, 12)).Shuffle(len(shuffled.Findings), func(i, j int) {
		shuffled.Findings[i], shuffled.Findings[j] = shuffled.Findings[j], shuffled.Findings[i]
	})
	// Put the two equal findings back in their first order.
	i, j := slices.Index(shuffled.Findings, run.Findings[7]), slices.Index(shuffled.Findings, &dup)
	if i > j {
		shuffled.Findings[i], shuffled.Findings[j] = shuffled.Findings[j], shuffled.Findings[i]
	}
	resorted, err := newView(&shuffled, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sorted.findings, resorted.findings) {
		t.Errorf("the view of shuffled findings is in another order than the view of sorted ones")
	}
	if !slices.Equal(sorted.findings, run.Findings) {
		t.Errorf("the view reordered findings that were in order")
	}
	if k := slices.Index(sorted.findings, &dup); k == 0 || sorted.findings[k-1] != run.Findings[7] {
		t.Errorf("equal findings lost their order")
	}
}
