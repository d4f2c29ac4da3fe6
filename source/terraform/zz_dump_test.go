package terraform

import (
	"os"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestZZDump(t *testing.T) {
	p := os.Getenv("DUMP")
	if p == "" {
		t.Skip()
	}
	l := NewLoader(Options{})
	inv, diags := l.Load(p)
	w := hcl.NewDiagnosticTextWriter(os.Stderr, l.Files(), 100, false)
	w.WriteDiagnostics(diags)
	f, _ := os.Create("/tmp/dump.json")
	inv.Encode(f)
	f.Close()
}
