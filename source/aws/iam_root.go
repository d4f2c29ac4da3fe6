package aws

import (
	"vigil/entity"
)

// The root user as an IamUser. CloudGuard's rules read the credential
// report's root row as an IamUser named "<root_account>" ("IamUser where
// name regexMatch /^<root_account>$/i should not have passwordLastUsed
// after(-90, 'days')"), so vigil builds one from that row, beside the
// account's Iam.rootUser, which stays as it is.
//
// The report says not_supported for the root user's password_enabled,
// password_last_changed and password_next_rotation. Whether the root user
// has a password comes from the account summary instead
// (AccountPasswordPresent); the two dates are Unknown. The root user is in
// no group and has no policy attached or embedded, which is known once the
// report shows the root user, whatever the authorisation details say.

// rootPasswordPresent is the key of the account summary that says whether the
// root user has a console password, as accountSummary writes its keys.
const rootPasswordPresent = "accountPasswordPresent"

// rootUserARN is the ARN of the root user of account, as the report
// writes it.
func rootUserARN(account string) string { return "arn:aws:iam::" + account + ":root" }

// rootRowOf returns the root user's row of the report, or nil.
func rootRowOf(rep *credentialReport) map[string]string {
	for _, row := range rep.rows {
		if row["user"] == rootRow {
			return row
		}
	}
	return nil
}

// iamRootUser builds the IamUser of the root user from the credential
// report, or records why it cannot: the report could not be read, or has
// no root row (moto). The failure names the root user's entity and any
// attribute: a List<IamUser> rule, which would judge the account's users
// without the root user, gives ERROR, while the rules on each IAM user
// (most exclude the root user by name) keep their results, and a rule
// whose where selects only the root user is not applicable, never PASS.
func (c *Collector) iamRootUser(r iamReads, region string) *entity.Entity {
	if r.report.err != nil {
		f := r.report.err.failure(TypeIamUser, entity.AnyAttr, c.account, rootUserARN(c.account))
		f.Error = "the root user's IamUser could not be built: " + f.Error
		c.fail(f)
		return nil
	}
	row := rootRowOf(r.report.v)
	if row == nil {
		c.fail(entity.Failure{Type: TypeIamUser, Attr: entity.AnyAttr, Scope: c.account, Region: region,
			Entity: rootUserARN(c.account), Call: "iam:GetCredentialReport",
			Error: "the credential report generated at " + timeOrEmpty(r.report.v) + " has no row for the root user (" +
				rootRow + "), so the root user's IamUser is missing"})
		return nil
	}
	arn := row["arn"]
	e := &entity.Entity{Type: TypeIamUser, ID: arn, Name: rootRow, Scope: c.account,
		Attrs: map[string]any{"id": arn, "arn": arn, "name": rootRow, "createDate": reportDate(row["user_creation_time"]),
			// The root user is not an IAM user: it has no user ID or
			// path, and is in no group and has no policy.
			"userId": nil, "path": nil, "groups": []any{}, "managedPolicies": []any{}, "inlinePolicies": []any{},
			"groupManagedPolicies": []any{}, "groupInlinePolicies": []any{}}}
	setReportUserAttrs(e, row, r)
	c.setRootPassword(e, r, region)
	switch {
	case r.virtual.err != nil:
		e.Attrs["virtualMfaEnabled"] = r.virtual.err.unknown()
	default:
		e.Attrs["virtualMfaEnabled"] = r.virtual.v["root"]
		e.Origin.API = appendAction(e.Origin.API, "iam:ListVirtualMFADevices")
	}
	return e
}

// setRootPassword sets whether the root user has a console password from
// the account summary, or Unknown with a failure when the summary could
// not be read or does not say.
func (c *Collector) setRootPassword(e *entity.Entity, r iamReads, region string) {
	present, ok := r.summary.v[rootPasswordPresent].(float64)
	var v any = present == 1
	switch {
	case r.summary.err != nil:
		v = r.summary.err.unknown()
		for _, attr := range []string{"passwordEnabled", "consoleAccess"} {
			c.fail(r.summary.err.failure(TypeIamUser, attr, c.account, e.ID))
		}
		e.Origin.API = appendAction(e.Origin.API, r.summary.err.Call)
	case !ok:
		why := "the account summary does not say whether the root user has a password (AccountPasswordPresent)"
		v = entity.NewUnknown(entity.UnknownMaybeNull, why)
		for _, attr := range []string{"passwordEnabled", "consoleAccess"} {
			c.fail(entity.Failure{Type: TypeIamUser, Attr: attr, Scope: c.account, Region: region, Entity: e.ID,
				Call: "iam:GetAccountSummary", Error: why})
		}
	default:
		e.Origin.API = appendAction(e.Origin.API, "iam:GetAccountSummary")
	}
	e.Attrs["passwordEnabled"] = v
	e.Attrs["consoleAccess"] = v
}
