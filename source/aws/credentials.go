package aws

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// ErrNoCredentials is wrapped by the error Collect returns when the SDK's
// credential chain found no credentials anywhere.
var ErrNoCredentials = errors.New("no AWS credentials found")

// checkCredentials gets the credentials the collection will use before any
// call, so that their absence is said in words rather than as the chain of
// failures the SDK's first call would return ("no EC2 IMDS role found,
// ...").
func (c *Collector) checkCredentials(ctx context.Context) error {
	if c.cfg.Credentials == nil {
		return c.noCredentials()
	}
	cctx, cancel := context.WithTimeout(ctx, c.opts.CallTimeout)
	defer cancel()
	_, err := c.cfg.Credentials.Retrieve(cctx)
	switch {
	case err == nil:
		return nil
	case lastResortFailed(err):
		return c.noCredentials()
	}
	return fmt.Errorf("get AWS credentials%s: %s (%s)", c.profileNote(), describeError(err), credentialsHelp)
}

// lastResortFailed reports whether err comes from the last source of the
// SDK's default chain, the EC2 instance role: the chain reaches it only
// when the environment, the shared files, web identity and the container
// endpoint gave nothing.
func lastResortFailed(err error) bool {
	var op *smithy.OperationError
	return errors.As(err, &op) && op.ServiceID == "ec2imds"
}

// credentialsHelp says how to give vigil credentials.
const credentialsHelp = "pass --profile NAME or set AWS_PROFILE to use a profile of ~/.aws/config; " +
	"if the profile uses IAM Identity Center (SSO), run \"aws sso login --profile NAME\" first; " +
	"or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)"

func (c *Collector) noCredentials() error {
	return fmt.Errorf("%w%s. vigil looked where the AWS CLI does: the environment (AWS_ACCESS_KEY_ID and "+
		"AWS_SECRET_ACCESS_KEY), the shared files (~/.aws/credentials and ~/.aws/config, or AWS_SHARED_CREDENTIALS_FILE "+
		"and AWS_CONFIG_FILE), web identity (AWS_WEB_IDENTITY_TOKEN_FILE), the container credentials endpoint and the "+
		"EC2 instance role. To give it credentials: %s", ErrNoCredentials, c.profileNote(), credentialsHelp)
}

// profileNote names the profile in use, for messages about credentials.
func (c *Collector) profileNote() string {
	if c.opts.Profile != "" {
		return fmt.Sprintf(" (profile %q)", strings.TrimSpace(c.opts.Profile))
	}
	return ""
}
