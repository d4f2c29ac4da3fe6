// Command vigil evaluates cloud posture rules written in GSL against live AWS
// accounts, Terraform code and recorded inventories. Run "vigil --help".
//
// For profiling vigil itself, VIGIL_CPUPROFILE=file writes a CPU profile of
// the whole run (read it with "go tool pprof").
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"vigil/internal/cli"
)

func main() {
	if path := os.Getenv("VIGIL_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "vigil: VIGIL_CPUPROFILE:", err)
			os.Exit(cli.ExitBadUsage)
		}
		code := cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		pprof.StopCPUProfile()
		f.Close()
		os.Exit(code)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
