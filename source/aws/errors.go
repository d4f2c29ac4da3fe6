package aws

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"vigil/entity"
)

// callError is a failed AWS call: the IAM action, the region it was made in,
// and what went wrong.
type callError struct {
	Call   string // "logs:DescribeMetricFilters"
	Region string
	Err    error
}

func (e *callError) Error() string {
	return fmt.Sprintf("%s in %s: %s", e.Call, e.Region, describeError(e.Err))
}

func (e *callError) Unwrap() error { return e.Err }

// failure turns e into an inventory failure for one attribute of one
// entity (attr and id may be empty, see entity.Failure).
func (e *callError) failure(typ, attr, scope, id string) entity.Failure {
	return entity.Failure{Type: typ, Attr: attr, Scope: scope, Region: e.Region, Entity: id,
		Call: e.Call, Error: describeError(e.Err)}
}

// unknown returns the Unknown value that stands in for what e kept vigil
// from reading.
func (e *callError) unknown() *entity.Unknown {
	return entity.NewUnknown(entity.UnknownMaybeNull, "not collected: "+e.Error())
}

// Error codes that say the caller may not make the call.
var accessDeniedCodes = map[string]bool{
	"AccessDenied":                   true,
	"AccessDeniedException":          true,
	"AuthorizationError":             true, // SNS
	"UnauthorizedOperation":          true, // EC2
	"UnauthorizedAccess":             true,
	"Forbidden":                      true,
	"OperationNotPermitted":          true,
	"OperationNotPermittedException": true,
}

// Error codes AWS answers with when a region is not enabled for the account
// (opt-in regions that were not opted in to).
var regionDisabledCodes = map[string]bool{
	"UnrecognizedClientException": true,
	"InvalidClientTokenId":        true,
	"AuthFailure":                 true,
	"OptInRequired":               true,
}

// errorCode returns the AWS error code of err, or "".
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// isNotFound reports whether err is one of the codes that mean the thing
// asked about does not exist (so its data is absent, not unknown).
func isNotFound(err error, codes ...string) bool {
	c := errorCode(err)
	for _, want := range codes {
		if c == want {
			return true
		}
	}
	return false
}

// describeError renders err for a Failure: the AWS code and message, a hint
// for access denied and disabled regions, and how many attempts were made
// when retries ran out. It never includes request signatures or credentials
// (the SDK's errors carry neither).
func describeError(err error) string {
	if err == nil {
		return ""
	}
	var b strings.Builder
	var ae smithy.APIError
	switch {
	case errors.As(err, &ae):
		b.WriteString(ae.ErrorCode())
		if msg := ae.ErrorMessage(); msg != "" {
			b.WriteString(": ")
			b.WriteString(msg)
		}
		switch {
		case accessDeniedCodes[ae.ErrorCode()]:
			b.WriteString(" (access denied: see docs/iam-policy.json for the permissions vigil needs)")
		case regionDisabledCodes[ae.ErrorCode()]:
			b.WriteString(" (the region may not be enabled for this account)")
		}
	case errors.Is(err, context.DeadlineExceeded):
		b.WriteString("timed out: ")
		b.WriteString(err.Error())
	default:
		b.WriteString(err.Error())
	}
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) {
		fmt.Fprintf(&b, " (gave up after %d attempts)", maxErr.Attempt)
	}
	return b.String()
}
