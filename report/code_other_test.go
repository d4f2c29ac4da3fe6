//go:build !unix

package report

import "testing"

// makeFifo does nothing where there are no named pipes.
func makeFifo(t *testing.T, path string) {}
