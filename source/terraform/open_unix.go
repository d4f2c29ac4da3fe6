//go:build unix

package terraform

import "syscall"

// openNonblock opens a file without waiting: see readFound.
const openNonblock = syscall.O_NONBLOCK
