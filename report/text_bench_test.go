package report

import (
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// largeRun is a scan the size of a whole organisation's Terraform: n
// findings of 36 rules over 500 scopes (envs/team0000 ... envs/team0499),
// about nine in ten of them not passing, with messages of 100 to 300
// characters as the evaluator writes them and one finding in forty
// excluded (whose message gains an "excluded:" line). It is deterministic.
func largeRun(n int) *engine.Run {
	const numRules, numScopes = 36, 500
	rng := rand.New(rand.NewPCG(42, 7))
	resources := []struct{ module, typ, attr string }{
		{"logging", "aws_cloudtrail", "is_multi_region_trail"},
		{"logging", "aws_cloudtrail", "enable_log_file_validation"},
		{"logging", "aws_cloudtrail", "kms_key_id"},
		{"monitoring", "aws_cloudwatch_log_metric_filter", "pattern"},
		{"monitoring", "aws_cloudwatch_metric_alarm", "alarm_actions"},
		{"alerts", "aws_sns_topic_subscription", "endpoint"},
	}
	var rs []*rules.Rule
	for i := range numRules {
		res := resources[i%len(resources)]
		rs = append(rs, &rules.Rule{
			ID:       fmt.Sprintf("D9.TF.AWS.%s.%02d", []string{"LOG", "MON", "IAM"}[i%3], i+1),
			Title:    fmt.Sprintf("Ensure %s sets %s", res.typ, res.attr),
			Severity: rules.Severity(1 + i%5),
			Entity:   res.typ,
			Frameworks: []rules.FrameworkRef{
				{Framework: "CIS AWS Foundations", Version: "3.0.0", Control: fmt.Sprintf("%d.%d", 3+i%2, 1+i%12)},
			},
		})
	}
	filler := "the value comes from var.trail_settings of the calling module and every workspace of this team inherits it " +
		"unless it overrides the default in its terraform.tfvars; see the module's README for the supported settings " +
		"and the platform team's upgrade notes for the versions of the trail module that each workspace pins in its lock file"
	run := &engine.Run{Started: started}
	for s := range numScopes {
		run.Scopes = append(run.Scopes, entity.Scope{Kind: entity.ScopeTerraformModule, ID: fmt.Sprintf("envs/team%04d", s)})
	}
	for i := range n {
		r := rs[i%numRules]
		res := resources[i%numRules%len(resources)]
		scope := fmt.Sprintf("envs/team%04d", (i/numRules)%numScopes)
		id := fmt.Sprintf("module.%s.%s.this", res.module, res.typ)
		if k := i / (numRules * numScopes); k > 0 {
			id = fmt.Sprintf("module.%s.%s.this[%d]", res.module, res.typ, k)
		}
		e := &entity.Entity{Type: res.typ, ID: id, Name: "this", Scope: scope,
			Origin: entity.Origin{File: scope + "/main.tf", Start: entity.Pos{Line: 1 + rng.IntN(400), Col: 1}}}
		f := &engine.Finding{Rule: r, Entity: e, Scope: scope}
		switch p := rng.IntN(100); {
		case p < 55:
			f.Result = engine.Fail
			f.Message = fmt.Sprintf("%s is %q, want true: ", res.attr, "false")
		case p < 80:
			f.Result = engine.Unknown
			f.Message = fmt.Sprintf("%s is not known until apply (module.%s.var.%s): ", res.attr, res.module, res.attr)
		case p < 88:
			f.Result = engine.Error
			f.Message = fmt.Sprintf("%s could not be evaluated: call to function %q failed: ", res.attr, "lookup")
		default:
			f.Result = engine.Pass
		}
		f.Underlying = f.Result
		if f.Result != engine.Pass {
			want := 100 + rng.IntN(201) // 100 to 300 characters
			f.Message += filler[:max(0, want-len(f.Message))]
		}
		if i%40 == 0 && f.Result != engine.Pass {
			f.Exclusion = &engine.Exclusion{Reason: "accepted by the platform team until the module is upgraded",
				Expires: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), Source: scope + "/main.tf:3 (vigil:ignore comment)"}
			f.Result = engine.Excluded
		}
		run.Findings = append(run.Findings, f)
	}
	// The engine hands the findings over in this order.
	slices.SortStableFunc(run.Findings, func(a, b *engine.Finding) int {
		return cmp.Or(strings.Compare(a.Rule.ID, b.Rule.ID), strings.Compare(a.Scope, b.Scope),
			strings.Compare(a.Entity.ID, b.Entity.ID))
	})
	return run
}

// BenchmarkTextLarge writes the text report of an 18,000-finding scan, as
// vigil scan does on a 10,000-resource corpus: without a width, at the
// width vigil scan uses for a file or pipe, and on a terminal, without and
// with colour.
func BenchmarkTextLarge(b *testing.B) {
	run := largeRun(18_000)
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"no-width", Options{Tool: tool}},
		{"width-200", Options{Tool: tool, Width: 200}}, // vigil scan to a file or pipe
		{"width-120", Options{Tool: tool, Width: 120}},
		{"width-120-color", Options{Tool: tool, Width: 120, Color: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var out countingWriter
			b.ReportAllocs()
			for b.Loop() {
				out = 0
				if err := (textFormat{}).Write(&out, run, bc.opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out), "bytes")
		})
	}
}

// countingWriter discards what it is given and counts the bytes, so that
// the benchmark measures the writer and not a growing buffer.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

// TestLargeRunIsRealistic keeps the benchmark's run what it claims to be.
func TestLargeRunIsRealistic(t *testing.T) {
	run := largeRun(18_000)
	var c Counts
	scopes := map[string]bool{}
	ruleIDs := map[string]bool{}
	for _, f := range run.Findings {
		c.add(f.Result)
		scopes[f.Entity.Scope] = true
		ruleIDs[f.Rule.ID] = true
		if f.Result != engine.Pass {
			if n := len(f.Message); n < 100 || n > 300 {
				t.Errorf("message of %d characters: %q", n, f.Message)
			}
		}
	}
	if c.Pass > 2_500 || c.Total()-c.Pass < 15_500 {
		t.Errorf("counts %+v: want about 16,000 findings that need attention", c)
	}
	if c.Excluded == 0 || len(scopes) != 500 || len(ruleIDs) != 36 {
		t.Errorf("%d excluded, %d scopes, %d rules", c.Excluded, len(scopes), len(ruleIDs))
	}
	if !strings.HasPrefix(run.Findings[0].Entity.ID, "module.") {
		t.Errorf("entity ID %q", run.Findings[0].Entity.ID)
	}
}
