package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"vigil/engine"
)

// The helper process of TestRecordKilledMidWrite: with these variables set,
// TestHelperRecord records a small run and then a large one into the store
// the DSN names, saying on stdout when each starts and ends.
const (
	helperEnvVar    = "VIGIL_STORE_KILL_HELPER"
	helperDSNEnvVar = "VIGIL_STORE_KILL_DSN"
)

// bigRunFindings is the size of the run the helper is killed writing.
const bigRunFindings = 40000

// bigRun is a run of n findings on trails of account, one in three
// failing.
func bigRun(day, n int) *engine.Run {
	run := newRun(day)
	for i := range n {
		r := engine.Pass
		if i%3 == 0 {
			r = engine.Fail
		}
		run.Findings = append(run.Findings, finding(trail(fmt.Sprintf("trail-%06d", i), "us-east-1"), r))
	}
	return run
}

func TestHelperRecord(t *testing.T) {
	if os.Getenv(helperEnvVar) != "1" {
		t.Skip("the helper process of TestRecordKilledMidWrite")
	}
	s, err := Open(context.Background(), os.Getenv(helperDSNEnvVar))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	record(t, s, bigRun(0, 10))
	run := bigRun(1, bigRunFindings)
	fmt.Println("recording")
	record(t, s, run)
	fmt.Println("recorded")
	os.Exit(0)
}

// TestRecordKilledMidWrite kills a process with SIGKILL while it records
// a large run, at several moments, and checks that the store opens, that
// the run before is whole, and that the large run is whole or absent.
func TestRecordKilledMidWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("records large runs")
	}
	storeKinds(t, func(t *testing.T, dsn string) {
		absent, whole := 0, 0
		for _, delay := range []time.Duration{0, 50 * time.Millisecond, 300 * time.Millisecond, time.Second, afterCommit} {
			name := "kill after " + delay.String()
			if delay == afterCommit {
				name = "kill after commit"
			}
			t.Run(name, func(t *testing.T) {
				fresh := filepath.Join(t.TempDir(), "history.db")
				if strings.HasPrefix(dsn, "postgres") {
					fresh = postgresDSN(t)
				}
				killWhileRecording(t, fresh, delay)
				if checkWholeOrAbsent(t, fresh) {
					absent++
				} else {
					whole++
				}
			})
		}
		if absent == 0 || whole == 0 {
			t.Errorf("the large run was absent after %d kills and whole after %d: want both cases checked", absent, whole)
		}
	})
}

// afterCommit is the delay of the kill that waits for the large run to be
// committed.
const afterCommit = -1

// killWhileRecording starts the helper on dsn and kills it delay after it
// starts recording the large run.
func killWhileRecording(t *testing.T, dsn string, delay time.Duration) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRecord$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnvVar+"=1", helperDSNEnvVar+"="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	until := "recording"
	if delay == afterCommit {
		until = "recorded"
	}
	for lines.Scan() && lines.Text() != until {
	}
	time.Sleep(max(delay, 0))
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

// checkWholeOrAbsent opens the store after a kill and checks it; it
// reports whether the large run was absent.
func checkWholeOrAbsent(t *testing.T, dsn string) (wasAbsent bool) {
	t.Helper()
	s := openStore(t, dsn)
	ctx := context.Background()
	if s.Dialect() == "sqlite" {
		var ok string
		if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("integrity_check: %q, %v", ok, err)
		}
	}
	runs, err := s.Runs(ctx, RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) == 0 || len(runs) > 2 {
		t.Fatalf("%d runs after the kill, want the first run and maybe the large one", len(runs))
	}
	for _, r := range runs {
		var rows int
		if err := s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM findings WHERE run_id = ?`, r.ID).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows != r.Counts.Total {
			t.Errorf("run %d has %d finding rows, want its %d findings", r.ID, rows, r.Counts.Total)
		}
	}
	t.Logf("%d runs after the kill", len(runs))
	// The store still takes runs.
	record(t, s, bigRun(2, 10))
	return len(runs) == 1
}
