package store

import "vigil/engine"

// Key identifies a finding across runs: the rule, the scope (account or
// Terraform root module) and the entity. A List<E> rule's finding is about
// its scope, and has no entity. It is the key "vigil diff" matches
// findings by.
type Key struct {
	Rule   string `json:"rule_id"`
	Scope  string `json:"scope"`
	Entity string `json:"entity,omitempty"`
}

// KeyOf is the key of a finding. A finding with no scope of its own takes
// its entity's.
func KeyOf(f *engine.Finding) Key {
	k := Key{Rule: f.Rule.ID, Scope: f.Scope}
	if f.Entity != nil {
		k.Entity = f.Entity.ID
		if k.Scope == "" {
			k.Scope = f.Entity.Scope
		}
	}
	return k
}
