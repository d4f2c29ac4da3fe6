package gsl

import (
	"slices"
	"strings"
	"testing"
)

// okPattern is the exact filter pattern of D9.AWS.MON.05 (seed 004).
const okPattern = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) ||($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName =StopLogging) }"

// Seed rules (DESIGN.md's table) on hand-built entities.
const (
	seedTFLog03 = "aws_cloudtrail should not have (cloud_watch_logs_role_arn isEmpty() or cloud_watch_logs_group_arn isEmpty())"
	seedLog03   = "CloudTrail should have cloudWatchLogsRoleArn and status.latestCloudWatchLogsDeliveryTime after (-1, 'days')"
	seedLog01   = "CloudTrail should have isMultiRegionTrail=true"
	seed002     = "List<CloudTrail> should have items contain [isMultiRegionTrail=true and status.isLogging=true and hasManagementEventsReadWrite=true]"
)

// seedCase is one seed rule on one entity, with the explanation expected.
type seedCase struct {
	name, rule string
	// attrs is the entity (or scope object) as JSON.
	attrs string
	want  Outcome
	// summary is the whole expected Explanation.Summary ("" for PASS,
	// which is not explained).
	summary string
	// lines are lines the trace must contain (trimmed of indentation).
	lines []string
	// unknowns is the expected Explanation.Unknowns.
	unknowns []string
}

var seedCases = []seedCase{
	{name: "LOG.01 pass", rule: seedLog01, attrs: `{"isMultiRegionTrail": true}`, want: Pass},
	{name: "LOG.01 fail", rule: seedLog01, attrs: `{"isMultiRegionTrail": false}`, want: Fail,
		summary: "isMultiRegionTrail is false, expected true"},
	{name: "LOG.01 fail when missing", rule: seedLog01, attrs: `{}`, want: Fail,
		summary: "isMultiRegionTrail is missing, expected true"},

	{name: "TF.LOG.03 pass", rule: seedTFLog03, want: Pass,
		attrs: `{"cloud_watch_logs_role_arn": "arn:aws:iam::123456789012:role/ct", "cloud_watch_logs_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:ct:*"}`},
	{name: "TF.LOG.03 pass with a set unknown (D1)", rule: seedTFLog03, want: Pass,
		attrs: `{"cloud_watch_logs_role_arn": {"$unknown": "set", "reason": "known after apply: aws_iam_role.ct.arn"}, "cloud_watch_logs_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:ct:*"}`},
	{name: "TF.LOG.03 unknown with a maybe-null unknown (D1)", rule: seedTFLog03, want: Unknown,
		attrs:    `{"cloud_watch_logs_role_arn": {"$unknown": "maybe-null", "reason": "var.role_arn has no value"}, "cloud_watch_logs_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:ct:*"}`,
		summary:  "cloud_watch_logs_role_arn is unknown (maybe null: var.role_arn has no value)",
		lines:    []string{"cloud_watch_logs_group_arn isEmpty() is false (cloud_watch_logs_group_arn is 'arn:aws:logs:us-east-1:123456789012:log-group:ct:*')"},
		unknowns: []string{"cloud_watch_logs_role_arn: unknown (maybe null: var.role_arn has no value)"}},
	{name: "TF.LOG.03 fail", rule: seedTFLog03, want: Fail,
		attrs:   `{"cloud_watch_logs_role_arn": "arn:aws:iam::123456789012:role/ct", "cloud_watch_logs_group_arn": ""}`,
		summary: "cloud_watch_logs_group_arn isEmpty() is true (cloud_watch_logs_group_arn is '')"},
	{name: "TF.LOG.03 fail beats unknown (D2)", rule: seedTFLog03, want: Fail,
		attrs:   `{"cloud_watch_logs_role_arn": {"$unknown": "maybe-null"}}`,
		summary: "cloud_watch_logs_group_arn isEmpty() is true (cloud_watch_logs_group_arn is missing)"},

	{name: "LOG.03 pass", rule: seedLog03, want: Pass,
		attrs: `{"cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/ct", "status": {"latestCloudWatchLogsDeliveryTime": "2026-11-22T09:55:00Z"}}`},
	{name: "LOG.03 pass with epoch delivery time", rule: seedLog03, want: Pass,
		attrs: `{"cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/ct", "status": {"latestCloudWatchLogsDeliveryTime": 1795340000}}`},
	{name: "LOG.03 fail: stale delivery", rule: seedLog03, want: Fail,
		attrs:   `{"cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/ct", "status": {"latestCloudWatchLogsDeliveryTime": "2026-11-19T08:00:00Z"}}`,
		summary: "status.latestCloudWatchLogsDeliveryTime after(-1, 'days') is false (status.latestCloudWatchLogsDeliveryTime is '2026-11-19T08:00:00Z'; limit 2026-11-21T10:00:00Z)",
		lines:   []string{"cloudWatchLogsRoleArn is 'arn:aws:iam::123456789012:role/ct'"}},
	{name: "LOG.03 fail: never delivered (D11)", rule: seedLog03, want: Fail,
		attrs:   `{"status": {"isLogging": true}}`,
		summary: "cloudWatchLogsRoleArn is missing, expected a value that is not empty or false; status.latestCloudWatchLogsDeliveryTime after(-1, 'days') is false (status.latestCloudWatchLogsDeliveryTime is missing; limit 2026-11-21T10:00:00Z)"},

	{name: "MON.05 pass", rule: mon05, want: Pass,
		attrs: `{"items": [{"name": "other", "hasSNSSubscriber": "false"}, {"name": "main", "hasSNSSubscriber": "true", "metricFilters": [{"filterName": "x", "filterPattern": "{ $.eventName = CreateTrail }"}, {"filterName": "ct", "filterPattern": "` + okPattern + `"}]}]}`},
	{name: "MON.05 pass with a boolean flag ('true' = true)", rule: mon05, want: Pass,
		attrs: `{"items": [{"hasSNSSubscriber": true, "metricFilters": [{"filterPattern": "` + okPattern + `"}]}]}`},
	{name: "MON.05 fail: no subscriber, or no matching filter", rule: mon05, want: Fail,
		attrs: `{"items": [{"name": "main", "hasSNSSubscriber": "false", "metricFilters": [{"filterName": "ct", "filterPattern": "` + okPattern + `"}]},
			{"name": "other", "hasSNSSubscriber": "true", "metricFilters": [{"filterName": "x", "filterPattern": "{ $.eventName = CreateTrail }"}, {"filterName": "y", "filterPattern": "!broken"}]}]}`,
		summary: "items with [...]: 0 of 2 elements match (items[0] (name 'main'): hasSNSSubscriber is 'false', expected 'true' | items[1] (name 'other'): metricFilters with [...] length() > 0: 0 of 2 elements match)",
		lines: []string{
			"items with [...]: 0 of 2 elements match",
			"metricFilters with [...] length() > 0: 0 of 2 elements match",
			"filterPattern isFilterPatternEqual('{ ($.eventName = CreateTrail) || ($.even'...) is false (filterPattern is '!broken'; the pattern '!broken' could not be parsed: 1:1: unexpected '!')",
		}},
	{name: "MON.05 fail: an account with no trail (D29)", rule: mon05, want: Fail, attrs: `{"items": []}`,
		summary: "items with [...]: 0 of 0 elements match"},
	{name: "MON.05 error: metric filters of the wrong shape", rule: mon05, want: Error,
		attrs:   `{"items": [{"hasSNSSubscriber": "true", "metricFilters": {"filterPattern": "x"}}]}`,
		summary: "'with' needs a list, found map {filterPattern: 'x'}"},

	{name: "002 pass", rule: seed002, want: Pass,
		attrs: `{"items": [{"name": "a", "isMultiRegionTrail": false, "status": {"isLogging": true}, "hasManagementEventsReadWrite": true},
			{"name": "b", "isMultiRegionTrail": true, "status": {"isLogging": true}, "hasManagementEventsReadWrite": true}]}`},
	{name: "002 fail", rule: seed002, want: Fail,
		attrs: `{"items": [{"name": "a", "isMultiRegionTrail": true, "status": {"isLogging": false}, "hasManagementEventsReadWrite": true},
			{"name": "b", "isMultiRegionTrail": false, "status": {"isLogging": true}, "hasManagementEventsReadWrite": false}]}`,
		summary: "items contain [...]: 0 of 2 elements match (items[0] (name 'a'): status.isLogging is false, expected true | items[1] (name 'b'): isMultiRegionTrail is false, expected true; hasManagementEventsReadWrite is false, expected true)"},
	{name: "002 unknown from Terraform", rule: seed002, want: Unknown,
		attrs:    `{"items": [{"name": "a", "isMultiRegionTrail": true, "status": {"isLogging": {"$unknown": "set", "reason": "known after apply"}}, "hasManagementEventsReadWrite": true}]}`,
		summary:  "items contain [...]: 0 of 1 element matches, 1 unknown (items[0] (name 'a'): status.isLogging is unknown (known after apply))",
		unknowns: []string{"status.isLogging: unknown (known after apply)"}},
}

func TestSeeds(t *testing.T) {
	for _, tt := range seedCases {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(tt.rule, WithPatterns(stubPatterns{}))
			if err != nil {
				t.Fatal(err)
			}
			attrs := attrsOf(t, tt.attrs)
			r := p.Eval(attrs, testNow)
			if r.Outcome != tt.want {
				t.Fatalf("Eval = %v (%v), want %v", r.Outcome, r.Err, tt.want)
			}
			ex := p.Explain(attrs, testNow)
			sameOnFrozen(t, p, attrs, r, ex)
			sameSummary(t, p, attrs, ex)
			if tt.want == Pass {
				return
			}
			if ex.Outcome != tt.want {
				t.Errorf("Explain outcome %v", ex.Outcome)
			}
			if ex.Summary != tt.summary {
				t.Errorf("summary\n got %q\nwant %q", ex.Summary, tt.summary)
			}
			trimmed := make([]string, len(ex.Lines))
			for i, l := range ex.Lines {
				trimmed[i] = strings.TrimSpace(l)
			}
			for _, l := range tt.lines {
				if !slices.Contains(trimmed, l) {
					t.Errorf("trace lacks %q:\n%s", l, strings.Join(ex.Lines, "\n"))
				}
			}
			if !slices.Equal(ex.Unknowns, tt.unknowns) {
				t.Errorf("unknowns %q, want %q", ex.Unknowns, tt.unknowns)
			}
		})
	}
}

// TestExplainLongList: a trace shows the first elements of a long list and
// counts the rest; an error past them is still reported.
func TestExplainLongList(t *testing.T) {
	scope := trailMaps(50)
	items := scope["items"].([]any)
	items[42].(map[string]any)["metricFilters"] = "oops"
	p := MustCompile(mon05, WithPatterns(stubPatterns{}))
	if r := p.Eval(scope, testNow); r.Outcome != Error || !strings.Contains(r.Err.Error(), "'with' needs a list, found string 'oops'") {
		t.Fatalf("Eval = %v %v", r.Outcome, r.Err)
	}
	ex := p.Explain(scope, testNow)
	joined := strings.Join(ex.Lines, "\n")
	if !strings.Contains(joined, "items with [...]: 0 of 50 elements match, 1 with errors") ||
		!strings.Contains(joined, "... 40 more elements not shown (the 10 closest are)") ||
		!strings.Contains(joined, "items[42] (name 'trail-42'): error") || strings.Contains(joined, "items[9]") {
		t.Errorf("trace:\n%s", joined)
	}
}

// TestExplainClosest: a failing List<E> rule shows the elements that came
// closest (DESIGN.md: "it lists the entities that came closest").
func TestExplainClosest(t *testing.T) {
	scope := trailMaps(30)
	items := scope["items"].([]any)
	for _, it := range items {
		it.(map[string]any)["hasSNSSubscriber"] = "false" // two reasons each
	}
	items[25].(map[string]any)["hasSNSSubscriber"] = "true" // one reason: the closest
	p := MustCompile(mon05, WithPatterns(stubPatterns{}))
	ex := p.Explain(scope, testNow)
	if !strings.HasPrefix(ex.Summary, "items with [...]: 0 of 30 elements match (items[25] (name 'trail-25'): metricFilters with [...] length() > 0: 0 of 5 elements match | items[0] (name 'trail-0'): hasSNSSubscriber is 'false', expected 'true'; metricFilters with [...] length() > 0: 0 of 5 elements match | ") {
		t.Errorf("summary %q", ex.Summary)
	}
	joined := strings.Join(ex.Lines, "\n")
	if !strings.Contains(joined, "items[25] (name 'trail-25'): does not match") || strings.Contains(joined, "items[9] ") {
		t.Errorf("trace:\n%s", joined)
	}
}
