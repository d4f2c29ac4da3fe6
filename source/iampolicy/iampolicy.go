// Package iampolicy reads IAM policy documents the way both sources of
// vigil meet them: URL-encoded JSON from the IAM API, and JSON text in
// Terraform (a heredoc, jsonencode, or an aws_iam_policy_document). It
// decodes a document into the value rules read, and works out the facts
// about it that the entity catalogue computes, such as whether it grants
// full administrative access.
package iampolicy

import (
	"encoding/json"
	"net/url"
	"slices"

	"vigil/entity"
)

// DecodeURL decodes a policy document as the IAM API returns it,
// URL-encoded JSON (RFC 3986: a space is %20, and a + is itself), as
// Decode does. Text that is not URL-encoded (moto returns some documents
// as they were written) is decoded as it is.
func DecodeURL(encoded string) any {
	if text, err := url.PathUnescape(encoded); err == nil {
		encoded = text
	}
	return Decode(encoded)
}

// Decode decodes the JSON text of a policy document into an object whose
// Statement is always a list (IAM allows one statement as an object). A
// document that is not a JSON object is Unknown with the reason.
func Decode(text string) any {
	var doc map[string]any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return entity.NewUnknown(entity.UnknownMaybeNull, "the policy document is not a JSON object: "+err.Error())
	}
	if st, ok := doc["Statement"].(map[string]any); ok {
		doc["Statement"] = []any{st}
	}
	return doc
}

// FullAdmin reports whether doc, a decoded document, allows every action
// on every resource: a statement with Effect Allow, an Action of "*" (or
// "*:*") and a Resource of "*". A Condition does not make the statement
// less than full access for whoever meets it, as AWS Config's
// iam-policy-no-statements-with-admin-access and the CIS benchmark count
// it. An Unknown document gives that Unknown.
func FullAdmin(doc any) any {
	if u, ok := doc.(*entity.Unknown); ok {
		return u
	}
	m, _ := doc.(map[string]any)
	statements, _ := m["Statement"].([]any)
	for _, s := range statements {
		st, _ := s.(map[string]any)
		if st["Effect"] == "Allow" && hasValue(st["Action"], "*", "*:*") && hasValue(st["Resource"], "*") {
			return true
		}
	}
	return false
}

// hasValue reports whether v, a string or a list of strings, holds one of
// want.
func hasValue(v any, want ...string) bool {
	switch x := v.(type) {
	case string:
		return slices.Contains(want, x)
	case []any:
		for _, el := range x {
			if s, ok := el.(string); ok && slices.Contains(want, s) {
				return true
			}
		}
	}
	return false
}
