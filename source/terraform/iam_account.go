package terraform

import "vigil/entity"

// The Iam mapping: an aws_iam_account_password_policy (one per account,
// so one per root module) gives the Iam entity of the account that
// applies the code, identified by the resource's address. Its password
// policy comes from the resource's arguments; the account summary, the
// root user and the credential report are facts of a live account.
func init() {
	register(&mapping{
		typ:  "Iam",
		from: []string{"aws_iam_account_password_policy"},
		defaults: map[string]map[string]any{
			// The provider's own defaults; it sends nothing for the
			// other arguments, and IAM then applies its defaults (see
			// passwordPolicy).
			"aws_iam_account_password_policy": {"minimum_password_length": 6.0, "allow_users_to_change_password": true},
		},
		build: func(_ *graph, in *instance) map[string]any {
			out := map[string]any{
				"id":             appliedUnknown,
				"accountId":      appliedUnknown,
				"passwordPolicy": passwordPolicy(in),
			}
			fillLiveOnly("Iam", out)
			return out
		},
	})
}

// passwordPolicy is the password policy an aws_iam_account_password_policy
// sets. UpdateAccountPasswordPolicy gives every parameter left out its
// default: no character class required, no hard expiry, and 0 for the
// maximum age and reuse prevention, which mean passwords do not expire
// and may be reused, and which IAM then reports as absent (null here, as
// in a live account). The provider leaves out a 0 too.
func passwordPolicy(in *instance) map[string]any {
	maxAge := positiveOrNil(in.attr("max_password_age"))
	expire := any(false)
	switch maxAge.(type) {
	case float64:
		expire = true
	case *entity.Unknown:
		expire = maxAge
	}
	return map[string]any{
		"minPasswordLength":          orDefault(in.attr("minimum_password_length"), 6.0),
		"requireLowercaseCharacter":  boolAttr(in.attr("require_lowercase_characters"), false),
		"requireUppercaseCharacter":  boolAttr(in.attr("require_uppercase_characters"), false),
		"requireNumbers":             boolAttr(in.attr("require_numbers"), false),
		"requireSymbols":             boolAttr(in.attr("require_symbols"), false),
		"maxPasswordAge":             maxAge,
		"passwordReusePrevention":    positiveOrNil(in.attr("password_reuse_prevention")),
		"allowUsersToChangePassword": boolAttr(in.attr("allow_users_to_change_password"), true),
		"expirePasswords":            expire,
		"hardExpiry":                 boolAttr(in.attr("hard_expiry"), false),
	}
}

// positiveOrNil returns a number argument, or nil when it is left out or
// not above 0, which IAM reports as absent.
func positiveOrNil(v any) any {
	if n, ok := v.(float64); ok && n <= 0 {
		return nil
	}
	return v
}
