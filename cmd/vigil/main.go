// Command vigil evaluates cloud posture rules written in GSL against live AWS
// accounts, Terraform code and recorded inventories. Run "vigil --help".
package main

import (
	"os"

	"vigil/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
