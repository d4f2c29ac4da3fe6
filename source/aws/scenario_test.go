package aws

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

const (
	acct  = awsfake.ScenarioAccount
	mgmt  = awsfake.ScenarioManagementAccount
	cis45 = awsfake.CIS45Pattern
)

var update = flag.Bool("update", false, "rewrite the golden files: testdata/snapshot.json, docs/iam-policy.json and the permissions table of docs/aws.md")

var (
	now           = awsfake.ScenarioNow
	topicARN      = awsfake.TopicARN
	scenarioWorld = awsfake.Scenario
)

// collect runs the collector against a fake serving w.
func collect(t testing.TB, w awsfake.World, opts Options) (*entity.Inventory, *awsfake.Server) {
	t.Helper()
	srv := awsfake.NewServer(w)
	t.Cleanup(srv.Close)
	isolateFromHost(t)
	opts.Endpoint = srv.URL
	if opts.Credentials == nil {
		opts.Credentials = credentials.NewStaticCredentialsProvider("AKIDSCANNED", "scanned-secret-key", "")
	}
	if opts.MaxBackoff == 0 {
		opts.MaxBackoff = time.Millisecond
	}
	opts.Now = func() time.Time { return now }
	inv, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return inv, srv
}

// isolateFromHost keeps the developer's AWS configuration out of tests.
func isolateFromHost(t testing.TB) {
	if tt, ok := t.(interface{ Setenv(string, string) }); ok {
		for k, v := range map[string]string{"AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent",
			"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_ENDPOINT_URL": "", "AWS_RETRY_MODE": "", "AWS_MAX_ATTEMPTS": ""} {
			tt.Setenv(k, v)
		}
	}
}

// byName returns the trails of inv by name.
func byName(inv *entity.Inventory) map[string]*entity.Entity {
	out := map[string]*entity.Entity{}
	for _, e := range ofType(inv, TypeCloudTrail) {
		out[e.Name] = e
	}
	return out
}

// ofType returns the entities of inv of type typ.
func ofType(inv *entity.Inventory, typ string) []*entity.Entity {
	var out []*entity.Entity
	for _, e := range inv.Entities {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}
