// Package e2e holds the tests that cross vigil's layers: they build the
// vigil binary, or wire sources, engine and reports together, and check
// what a user sees. It has no code of its own.
package e2e
