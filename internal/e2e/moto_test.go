package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// motoEnvVar names the endpoint of the moto server that .ci/run starts.
const motoEnvVar = "VIGIL_MOTO_ENDPOINT"

// motoEndpoint returns the moto server's URL and points the AWS SDK's
// default chain at it, with dummy credentials and none of the developer's
// AWS configuration. Without VIGIL_MOTO_ENDPOINT the test is skipped,
// except under CI=true, where it fails: CI must run the tests that need
// moto.
func motoEndpoint(t *testing.T) string {
	t.Helper()
	endpoint := os.Getenv(motoEnvVar)
	if endpoint == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set under CI=true: .ci/run starts moto_server and sets it", motoEnvVar)
		}
		t.Skipf("%s is not set: run .ci/run, or start moto_server and set %s=http://127.0.0.1:PORT", motoEnvVar, motoEnvVar)
	}
	resp, err := http.Get(endpoint + "/moto-api/")
	if err != nil {
		t.Fatalf("%s=%s does not answer: %v", motoEnvVar, endpoint, err)
	}
	resp.Body.Close()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "AKIDMOTOTEST", "AWS_SECRET_ACCESS_KEY": "moto-secret",
		"AWS_SESSION_TOKEN": "", "AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_RETRY_MODE": "", "AWS_MAX_ATTEMPTS": "",
		"AWS_EC2_METADATA_DISABLED": "true",
	} {
		t.Setenv(k, v)
	}
	return endpoint
}

// motoAccount returns a new account ID. moto keeps each account's resources
// apart, so tests that share one server, and runs that reuse it, never see
// each other's.
func motoAccount() string {
	return fmt.Sprintf("%012d", rand.Int64N(1e12))
}

// auditRole is the role vigil assumes in a moto account; moto lets anyone
// assume any role, and the credentials it returns belong to the role's
// account.
func auditRole(account string) string {
	return "arn:aws:iam::" + account + ":role/VigilAudit"
}

// motoConfig returns an SDK configuration whose credentials belong to
// account, for seeding it through the real AWS APIs.
func motoConfig(t *testing.T, account string) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg),
		"arn:aws:iam::"+account+":role/Seeder"))
	return cfg
}

// recentTime checks that v is an RFC 3339 time within the last hour, for
// the times moto sets to when a call was made.
func recentTime(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("%v is not a time", v)
	}
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return err
	}
	if d := time.Since(tm); d < -time.Minute || d > time.Hour {
		return fmt.Errorf("%s is not within the last hour", s)
	}
	return nil
}

// check fails the test when err is not nil, naming what was being done.
func check(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
