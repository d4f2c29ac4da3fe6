package rules

import (
	"embed"
	"sync"
)

//go:embed catalog
var catalogFS embed.FS

var catalog = sync.OnceValues(func() ([]*Rule, error) {
	return LoadFS(catalogFS, "catalog", "catalog")
})

// Catalog returns the rules embedded in vigil, ordered by file name. The
// returned rules are shared: callers must not modify them.
func Catalog() ([]*Rule, error) { return catalog() }

// Find returns the rule with the given ID, or nil.
func Find(rs []*Rule, id string) *Rule {
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	return nil
}
