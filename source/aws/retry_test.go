package aws

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"vigil/source/aws/awsfake"
)

// TestRetrySettingsFromTheEnvironment: AWS_MAX_ATTEMPTS and AWS_RETRY_MODE
// decide how often a failing call is tried, as for the AWS CLI, unless
// Options.MaxAttempts (--max-attempts) is given.
func TestRetrySettingsFromTheEnvironment(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		maxAttempts int
		want        int
	}{
		{"default", nil, 0, DefaultMaxAttempts},
		{"AWS_MAX_ATTEMPTS", map[string]string{"AWS_MAX_ATTEMPTS": "2"}, 0, 2},
		{"AWS_MAX_ATTEMPTS, adaptive mode", map[string]string{"AWS_MAX_ATTEMPTS": "3", "AWS_RETRY_MODE": "adaptive"}, 0, 3},
		{"the flag wins", map[string]string{"AWS_MAX_ATTEMPTS": "2"}, 4, 4},
		{"the flag alone", nil, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := awsfake.Scenario()
			// Every answer is a 503: the call is retried until its
			// attempts run out.
			w.Faults = []awsfake.Fault{{Action: "sts:GetCallerIdentity", Code: "ServiceUnavailable", Status: 503, Message: "down"}}
			srv := awsfake.NewServer(w)
			t.Cleanup(srv.Close)
			isolateFromHost(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := Collect(context.Background(), Options{Endpoint: srv.URL, MaxAttempts: tt.maxAttempts, MaxBackoff: time.Millisecond,
				Credentials: credentials.NewStaticCredentialsProvider("AKIDSCANNED", "scanned-secret-key", "")})
			if err == nil {
				t.Fatal("no error")
			}
			if got := srv.CallsByAction()["sts:GetCallerIdentity"]; got != tt.want {
				t.Errorf("%d attempts, want %d (%v)", got, tt.want, err)
			}
		})
	}
}

// TestNoCredentials: without credentials anywhere, the error says what was
// tried and what to do, not the SDK's chain of failures.
func TestNoCredentials(t *testing.T) {
	srv := awsfake.NewServer(awsfake.Scenario())
	t.Cleanup(srv.Close)
	isolateFromHost(t)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		t.Setenv(k, "")
	}
	// Instance metadata is not asked: it would wait for a timeout off EC2.
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	start := time.Now()
	_, err := Collect(context.Background(), Options{Endpoint: srv.URL, MaxBackoff: time.Millisecond})
	if err == nil {
		t.Fatal("no error")
	}
	if !errors.Is(err, ErrNoCredentials) {
		t.Errorf("not ErrNoCredentials: %v", err)
	}
	for _, want := range []string{"no AWS credentials found", "AWS_ACCESS_KEY_ID", "~/.aws/credentials", "--profile", "AWS_PROFILE", "aws sso login"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "IMDS") {
		t.Errorf("the SDK's chain shows through:\n%v", err)
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d calls made without credentials", n)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}
