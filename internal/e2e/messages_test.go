package e2e

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"vigil/filterpattern"
	"vigil/gsl"
	"vigil/rules"
)

// messageProblems lists what is missing from, or wrong in, a rule's
// message: a finding of a catalog rule must say in plain words what is
// wrong whichever test of its logic (or of a variant's) decided it. Every
// rule needs a fail and a pass sentence, a List<E> rule a none sentence;
// every path the logic's should clause tests (gsl.Program.ClausePaths)
// needs a phrase in lacks (its own, or its dotted prefix's), and every
// phrase must be the one of a path some logic tests, so that a misspelt
// path is not silently never used.
func messageProblems(r *rules.Rule) ([]string, error) {
	m := r.Message
	var problems []string
	if m.Fail == "" {
		problems = append(problems, "the message has no fail sentence")
	}
	if m.Pass == "" {
		problems = append(problems, "the message has no pass sentence")
	}
	logics := map[string]string{"the logic": r.Logic}
	for name, v := range r.Variants {
		logics["variant "+name] = v.Logic
	}
	patterns := filterpattern.NewCache()
	used := map[string]bool{}
	list := false
	for _, what := range slices.Sorted(maps.Keys(logics)) {
		prog, err := gsl.Compile(logics[what], gsl.WithPatterns(patterns))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		list = list || prog.Target().List
		for _, path := range prog.ClausePaths() {
			if _, ok := r.Lack(path); !ok {
				problems = append(problems, fmt.Sprintf("%s tests %s, for which message.lacks has no phrase", what, path))
			}
			if key, ok := lackKey(m.Lacks, path); ok {
				used[key] = true
			}
		}
	}
	if list && m.None == "" {
		problems = append(problems, "a List<E> rule's message has no none sentence")
	}
	for _, path := range slices.Sorted(maps.Keys(m.Lacks)) {
		if !used[path] {
			problems = append(problems, fmt.Sprintf("message.lacks has a phrase for %s, which no logic of the rule tests", path))
		}
	}
	return problems, nil
}

// lackKey is the key of lacks whose phrase rules.(*Rule).Lack gives for
// path: path itself, or its longest dotted prefix with a phrase.
func lackKey(lacks map[string]string, path string) (string, bool) {
	for p := path; ; {
		if _, ok := lacks[p]; ok {
			return p, true
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			return "", false
		}
		p = p[:i]
	}
}

// TestCatalogMessagesCoverTheLogic checks the message of every rule of
// the embedded catalog (see messageProblems).
func TestCatalogMessagesCoverTheLogic(t *testing.T) {
	rs, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Fatal("empty catalog")
	}
	for _, r := range rs {
		problems, err := messageProblems(r)
		if err != nil {
			t.Errorf("%s: %v", r.ID, err)
		}
		for _, p := range problems {
			t.Errorf("%s (%s): %s", r.ID, r.File, p)
		}
	}
}

// TestMessageProblemsFindEachGap runs the check on rules with one gap each,
// so that TestCatalogMessagesCoverTheLogic is known to fail when a phrase
// goes missing or is misspelt.
func TestMessageProblemsFindEachGap(t *testing.T) {
	const list = `id: TEST.MON.01
title: t
severity: low
entity: CloudTrail
logic: |-
  List<CloudTrail> should have items with [isMultiRegionTrail=true and status.isLogging=true and metricFilters with [hasSNSSubscriber=true] length() > 0] length() > 0
variants:
  old: |-
    List<CloudTrail> should have items with [isMultiRegionTrail=true and hasManagementEventsReadWrite=true] length() > 0
message:
  fail: No trail of {{.Where}} is watched.
  pass: A trail of {{.Where}} is watched.
  none: The account has no trail at all.
  lacks:
    isMultiRegionTrail: records only its home region
    status: is not logging
    metricFilters: has no metric filter whose alarm notifies a subscriber
    hasManagementEventsReadWrite: does not record both read and write management events
frameworks:
  - framework: CIS AWS Foundations
    version: 1.2.0
    control: "3.1"
    variant: old
`
	tests := []struct {
		name string
		// edit turns the rule above into the bad one.
		edit func(string) string
		// want is a part of each problem, in order.
		want []string
	}{
		{"complete", func(s string) string { return s }, nil},
		{"no phrase for a path", func(s string) string {
			return strings.Replace(s, "    metricFilters: has no metric filter whose alarm notifies a subscriber\n", "", 1)
		}, []string{"the logic tests metricFilters"}},
		{"no phrase for a variant's path", func(s string) string {
			return strings.Replace(s, "    hasManagementEventsReadWrite: does not record both read and write management events\n", "", 1)
		}, []string{"variant old tests hasManagementEventsReadWrite"}},
		{"misspelt path", func(s string) string {
			return strings.Replace(s, "    isMultiRegionTrail:", "    isMultiRegionTrial:", 1)
		}, []string{"the logic tests isMultiRegionTrail", "variant old tests isMultiRegionTrail", "a phrase for isMultiRegionTrial"}},
		{"no none", func(s string) string { return strings.Replace(s, "  none: The account has no trail at all.\n", "", 1) },
			[]string{"no none sentence"}},
		{"no message", func(s string) string {
			head, _, _ := strings.Cut(s, "message:\n")
			_, tail, _ := strings.Cut(s, "frameworks:\n")
			return head + "frameworks:\n" + tail
		}, []string{"no fail sentence", "no pass sentence", "the logic tests isMultiRegionTrail", "the logic tests metricFilters",
			"the logic tests status.isLogging", "variant old tests hasManagementEventsReadWrite", "variant old tests isMultiRegionTrail",
			"no none sentence"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := rules.Parse("rule.yaml", []byte(tt.edit(list)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := messageProblems(r)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q, want %d: %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d is %q, want one with %q", i, got[i], w)
				}
			}
		})
	}
}
