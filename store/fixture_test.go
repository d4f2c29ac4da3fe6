package store

import (
	"context"
	"testing"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// Rules of the tests: a rule on trails mapped to CIS, and a List<E> rule.
var (
	trailRule = &rules.Rule{ID: "VIGIL.AWS.LOG.01", Title: "Trails are multi-region", Severity: rules.High, Entity: "CloudTrail",
		Logic: "CloudTrail should have isMultiRegionTrail=true",
		Frameworks: []rules.FrameworkRef{{Framework: "CIS AWS Foundations", Version: "3.0.0", Control: "3.1"},
			{Framework: "CIS AWS Foundations", Version: "2.0.0", Control: "3.1"}}}
	listRule = &rules.Rule{ID: "VIGIL.AWS.MON.05", Title: "A trail has an alarm", Severity: rules.Medium, Entity: "CloudTrail",
		Logic: "List<CloudTrail> should have items with [hasSNSSubscriber='true'] length() > 0"}
)

// day0 is the start of the first run of a test.
var day0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// account is the scope of the tests' runs.
const account = "123456789012"

// trail is a trail entity of account.
func trail(name, region string) *entity.Entity {
	return &entity.Entity{Type: "CloudTrail", ID: "arn:aws:cloudtrail:" + region + ":" + account + ":trail/" + name,
		Name: name, Scope: account, Region: region}
}

// finding is a finding of trailRule on e with result r (and underlying r).
func finding(e *entity.Entity, r engine.Result) *engine.Finding {
	f := &engine.Finding{Rule: trailRule, Result: r, Underlying: r, Entity: e, Scope: e.Scope}
	if r != engine.Pass {
		f.Message = "Trail " + e.Name + " records events in " + e.Region + " only."
		f.Explanation = "isMultiRegionTrail: false (want true)"
		f.Trace = []string{"isMultiRegionTrail=true: FAIL", "  isMultiRegionTrail: false"}
		f.Remediation = rules.Remediation{CLI: "aws cloudtrail update-trail --name " + e.Name + " --is-multi-region-trail"}
	}
	return f
}

// excluded turns f into an excluded finding.
func excluded(f *engine.Finding) *engine.Finding {
	f.Underlying, f.Result = f.Result, engine.Excluded
	f.Exclusion = &engine.Exclusion{Reason: "accepted until the migration", Expires: day0.AddDate(0, 1, 0), Source: "exclusions.yaml:3"}
	return f
}

// newRun is a run of day n on account with the findings given.
func newRun(day int, findings ...*engine.Finding) *engine.Run {
	return &engine.Run{Started: day0.AddDate(0, 0, day), Findings: findings,
		Scopes: []entity.Scope{{Kind: entity.ScopeAWSAccount, ID: account, Regions: []string{"us-east-1", "eu-west-1"}}}}
}

// record records run with the test rules, and returns its id.
func record(t testing.TB, s *Store, run *engine.Run) int64 {
	t.Helper()
	id, err := s.Record(context.Background(), RunInfo{Tool: "vigil test", Inputs: []string{"snapshot.json"},
		Rules: []*rules.Rule{trailRule, listRule}}, run)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
