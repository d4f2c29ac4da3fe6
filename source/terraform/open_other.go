//go:build !unix

package terraform

// openNonblock is 0 where pipes and devices are not files that block on
// open: see readFound.
const openNonblock = 0
