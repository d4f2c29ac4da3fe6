//go:build unix

package report

import (
	"syscall"
	"testing"
)

// makeFifo makes a named pipe at path, which a reader that waited for a
// writer would block on forever.
func makeFifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}
