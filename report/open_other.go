//go:build !unix

package report

// openNonblock is not needed where there are no named pipes to block on.
const openNonblock = 0
