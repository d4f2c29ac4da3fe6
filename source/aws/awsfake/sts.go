package awsfake

import (
	"fmt"
	"strings"
	"time"
)

func init() {
	registerService(fakeService{name: "sts", protocol: awsQuery, tokenInvalidWhenDisabled: true,
		handlers: map[string]handler{
			"GetCallerIdentity": answer((*Server).getCallerIdentity),
			"AssumeRole":        (*Server).assumeRole,
		}})
}

// getCallerIdentity answers with the account of the caller's access key.
func (s *Server) getCallerIdentity(req *request) string {
	return fmt.Sprintf("<Arn>arn:aws:iam::%s:user/vigil</Arn><UserId>AIDAFAKE</UserId><Account>%s</Account>", req.account, req.account)
}

// assumeRole hands out credentials of a role that World.Roles lists, when
// the external ID matches; the new access key names the role's account.
func (s *Server) assumeRole(req *request) (any, *apiError) {
	role := req.form.Get("RoleArn")
	ext, ok := s.world.Roles[role]
	if !ok || ext != req.form.Get("ExternalId") {
		return nil, errorf(403, "AccessDenied", "not authorized to perform sts:AssumeRole on %s", role)
	}
	account := strings.Split(role, ":")[4]
	key := "ASIA" + account
	s.keys[key] = account
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	return fmt.Sprintf("<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>fake-secret-%s</SecretAccessKey>"+
		"<SessionToken>fake-session</SessionToken><Expiration>%s</Expiration></Credentials>"+
		"<AssumedRoleUser><Arn>%s/vigil</Arn><AssumedRoleId>AROAFAKE:vigil</AssumedRoleId></AssumedRoleUser>",
		key, account, exp, esc(role)), nil
}
