// Package cli wires vigil's commands (cobra) to the packages that do the work.
// It holds no logic of its own beyond parsing flags, choosing readers and
// writers, and mapping outcomes to exit codes:
//
//	0  nothing failed (at or above the severity threshold)
//	1  failing findings, or a "no" answer (vigil pattern equal/covers)
//	2  bad usage or bad input
//
// Each command lives in its own file and adds itself to the root command
// from an init function through register.
package cli
