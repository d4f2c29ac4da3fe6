package aws

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

// TestEndlessPagination stops a paginated call after maxPages pages and
// records it as failed, instead of hanging.
func TestEndlessPagination(t *testing.T) {
	if testing.Short() {
		t.Skip("makes maxPages calls")
	}
	w := scenarioWorld()
	w.Faults = nil
	w.EndlessPages = true
	inv, srv := collect(t, w, Options{Regions: []string{"eu-west-1"}})
	calls := srv.Calls()
	if n := calls["logs:DescribeMetricFilters@eu-west-1"]; n != 2*maxPages {
		t.Errorf("%d DescribeMetricFilters calls, want %d (two log groups)", n, 2*maxPages)
	}
	var found bool
	for _, f := range inv.Failures {
		if f.Call == "logs:DescribeMetricFilters" && strings.Contains(f.Error, "more than 1000 pages") {
			found = true
		}
	}
	if !found {
		t.Errorf("no failure for the endless pages: %v", inv.Failures)
	}
	if !entity.IsUnknown(byName(inv)["regional"].Attrs["metricFilters"]) {
		t.Errorf("metricFilters not Unknown")
	}
}

// TestListTagsBatches asks for at most maxTagBatch trails per call.
func TestListTagsBatches(t *testing.T) {
	w := awsfake.World{Account: acct, Regions: []awsfake.Region{{Name: "us-east-1"}}, PageSize: 50}
	for i := range 45 {
		w.Trails = append(w.Trails, awsfake.Trail{Name: fmt.Sprintf("t%02d", i), Account: acct, HomeRegion: "us-east-1",
			Tags: map[string]string{"n": fmt.Sprint(i)}})
	}
	inv, srv := collect(t, w, Options{Regions: []string{"us-east-1"}})
	if n := srv.Calls()["cloudtrail:ListTags@us-east-1"]; n != 3 {
		t.Errorf("%d ListTags calls for 45 trails, want 3", n)
	}
	for _, e := range ofType(inv, TypeCloudTrail) {
		n, _ := strconv.Atoi(e.Name[1:])
		tags, _ := e.Attrs["tags"].([]any)
		if len(tags) != 1 || tags[0].(map[string]any)["value"] != strconv.Itoa(n) {
			t.Errorf("%s tags = %v", e.Name, e.Attrs["tags"])
		}
	}
}

func TestParseLogGroupARN(t *testing.T) {
	tests := []struct {
		arn     string
		want    logGroup
		wantErr string
	}{
		{arn: "arn:aws:logs:eu-west-1:111111111111:log-group:CloudTrail/Default:*",
			want: logGroup{account: "111111111111", region: "eu-west-1", name: "CloudTrail/Default"}},
		{arn: "arn:aws:logs:us-gov-west-1:111111111111:log-group:a:b:*",
			want: logGroup{account: "111111111111", region: "us-gov-west-1", name: "a:b"}},
		{arn: "arn:aws-cn:logs:cn-north-1:111111111111:log-group:x",
			want: logGroup{account: "111111111111", region: "cn-north-1", name: "x"}},
		{arn: "arn:aws:s3:::bucket", wantErr: "not a CloudWatch Logs log group"},
		{arn: "arn:aws:logs:eu-west-1:111111111111:destination:x", wantErr: "not a CloudWatch Logs log group"},
		{arn: "arn:aws:logs::111111111111:log-group:x:*", wantErr: "missing region, account or name"},
		{arn: "arn:aws:logs:eu-west-1:111111111111:log-group::*", wantErr: "missing region, account or name"},
		{arn: "CloudTrail/Default", wantErr: "arn: invalid prefix"},
	}
	for _, tt := range tests {
		got, err := parseLogGroupARN(tt.arn)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err = %v, want %q", tt.arn, err, tt.wantErr)
			}
			continue
		}
		tt.want.arn = tt.arn
		if err != nil || got != tt.want {
			t.Errorf("%s: got %+v, %v", tt.arn, got, err)
		}
	}
}

func FuzzParseLogGroupARN(f *testing.F) {
	for _, s := range []string{"arn:aws:logs:eu-west-1:111111111111:log-group:CloudTrail/Default:*", "arn:aws:logs:::log-group:",
		"arn:aws:logs:a:b:log-group::*:*", "arn:::::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lg, err := parseLogGroupARN(s)
		if err != nil {
			return
		}
		if lg.name == "" || lg.region == "" || lg.account == "" || strings.HasSuffix(lg.name, ":*") && !strings.HasSuffix(s, ":*:*") {
			t.Fatalf("%q parsed to %+v", s, lg)
		}
	})
}
