//go:build unix

package report

import "syscall"

// openNonblock opens a file without waiting, so that a named pipe where a
// .tf file was named cannot block the report: see codeReader.read.
const openNonblock = syscall.O_NONBLOCK
