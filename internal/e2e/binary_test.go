package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	// The tests run the binary that cmd/vigil builds from this package.
	// Importing it makes the go command see that they depend on vigil's
	// code, so that a change to it reruns them rather than reusing a
	// cached result.
	_ "vigil/internal/cli"
)

// The binary these tests run, built once per test process.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// vigilBinary builds cmd/vigil into a temporary directory and returns its
// path. The directory is removed by TestMain.
func vigilBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vigil-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binDir = dir
		binPath = filepath.Join(dir, "vigil")
		cmd := exec.Command("go", "build", "-o", binPath, "vigil/cmd/vigil")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

var binDir string

// TestMain removes the binary built for the tests and the corpora the
// benchmarks generated.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	for _, c := range corpora {
		os.RemoveAll(c.dir)
	}
	os.Exit(code)
}

// run is one run of the binary: what it printed, how it ended and what it
// cost.
type run struct {
	stdout, stderr []byte
	exit           int
	wall           time.Duration
	// peakRSS is the largest resident set the process had, in bytes.
	peakRSS int64
	// killed says why the run was stopped early, if it was.
	killed string
}

// limits stop a run that goes past them; the test then fails with the
// reason, instead of the machine running out of memory.
type limits struct {
	wall time.Duration
	rss  int64
}

var defaultLimits = limits{wall: 10 * time.Second, rss: 1 << 30}

// runVigil runs the binary with args in dir, with env added to a minimal
// environment, stopping it at lim.
func runVigil(t testing.TB, dir string, env []string, lim limits, args ...string) run {
	t.Helper()
	bin := vigilBinary(t) // before the clock starts: building is not the run
	ctx, cancel := context.WithTimeout(context.Background(), lim.wall)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "NO_COLOR=1"}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var r run
	var mu sync.Mutex
	done := make(chan struct{})
	go func() { // watch the resident set, which rusage reports only at the end
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if rss := residentBytes(cmd.Process.Pid); rss > lim.rss {
					mu.Lock()
					r.killed = fmt.Sprintf("resident memory %d MiB passed the limit of %d MiB", rss>>20, lim.rss>>20)
					mu.Unlock()
					cmd.Process.Kill()
					return
				}
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	r.wall = time.Since(start)
	r.stdout, r.stderr = stdout.Bytes(), stderr.Bytes()
	if ctx.Err() != nil {
		r.killed = fmt.Sprintf("still running after %v", lim.wall)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakRSS = int64(ru.Maxrss) << 10 // kilobytes on Linux
	}
	r.exit = cmd.ProcessState.ExitCode()
	if err != nil && r.exit < 0 && r.killed == "" {
		r.killed = err.Error()
	}
	mu.Lock()
	defer mu.Unlock()
	return r
}

// residentBytes returns a process's resident set from /proc, or 0 where
// there is none.
func residentBytes(pid int) int64 {
	if runtime.GOOS != "linux" {
		return 0
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
