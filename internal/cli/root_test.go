package cli

import (
	"bytes"
	"strings"
	"testing"
)

// run runs vigil with args and returns its exit code, stdout and stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	code, _, stderr := run(t, "", "frobnicate")
	if code != ExitBadUsage || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, "", "--version")
	if code != 0 || !strings.Contains(out, Version) {
		t.Errorf("code %d, out %q", code, out)
	}
}
