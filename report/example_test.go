package report_test

import (
	"fmt"
	"os"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/report"
	"vigil/rules"
)

func ExampleLookup() {
	rule := &rules.Rule{
		ID: "D9.AWS.LOG.01", Title: "Ensure multi-regions trail exists for each AWS CloudTrail", Severity: rules.Low,
		Frameworks: []rules.FrameworkRef{{Framework: "CIS AWS Foundations", Version: "3.0.0", Control: "3.1"}},
	}
	run := &engine.Run{
		Started: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
		Findings: []*engine.Finding{{
			Rule: rule, Result: engine.Fail, Underlying: engine.Fail,
			Entity: &entity.Entity{Type: "CloudTrail", ID: "arn:aws:cloudtrail:eu-west-1:123456789012:trail/eu-audit",
				Scope: "123456789012", Region: "eu-west-1"},
			Message: "isMultiRegionTrail is false, want true",
		}},
	}
	w, err := report.Lookup("compliance")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := w.Write(os.Stdout, run, report.Options{Tool: "vigil 0.1.0", Framework: "CIS AWS Foundations v3.0.0"}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// vigil 0.1.0 scan at 2026-11-22T10:00:00Z
	// Framework: CIS AWS Foundations v3.0.0 (only rules mapped to it are reported)
	//
	// Compliance: CIS AWS Foundations v3.0.0
	// CONTROL  STATUS  RULES          PASS  FAIL  UNKNOWN  ERROR  EXCLUDED
	// 3.1      FAIL    D9.AWS.LOG.01     0     1        0      0         0
	// Score: 0/1 controls (0%) passing; 1 failing, 0 with ERROR or UNKNOWN results (never counted as passing), 0 not evaluated (excluded or not applicable)
}
