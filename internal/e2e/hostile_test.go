package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestHostileCorpus runs vigil on every case of testdata/hostile: inputs a
// stranger's pull request could hold, each with the exit status and the
// diagnostics vigil must give, within bounded time and memory.
//
// A case is a directory holding the inputs and a case.txt of "key: value"
// lines ('#' starts a comment):
//
//	args: scan --soft-fail input   the command line, run in the case's directory; "a b" is one argument
//	exit: 2                        the exit status
//	stderr: text                   stderr contains text (repeatable)
//	stdout: text                   stdout contains text (repeatable)
//	absent: text                   neither stream, nor any file the run wrote, contains text (repeatable)
//	output: x.sarif: text          the run wrote $OUT/x.sarif, and it contains text (repeatable)
//	env: NAME=value                added to the environment (repeatable)
//	max-seconds: 10                wall-time limit (default 10)
//	max-rss-mb: 1024               resident-memory limit (default 1024)
//	max-output-mb: 8               size limit of stdout and of each file the run wrote (default none)
//
// Files the run writes (--output) go to a temporary directory named by
// $OUT in args.
func TestHostileCorpus(t *testing.T) {
	dirs, err := filepath.Glob("testdata/hostile/*/case.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no cases in testdata/hostile")
	}
	for _, file := range dirs {
		dir := filepath.Dir(file)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			c := readCase(t, file)
			out := t.TempDir()
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.ReplaceAll(a, "$OUT", out)
			}
			r := runVigil(t, dir, c.env, c.limits, args...)
			if r.killed != "" {
				t.Fatalf("vigil %s: %s", strings.Join(c.args, " "), r.killed)
			}
			t.Logf("vigil %s: exit %d in %v, peak %d MiB", strings.Join(c.args, " "), r.exit, r.wall.Round(time.Millisecond), r.peakRSS>>20)
			if r.peakRSS > c.limits.rss {
				t.Errorf("peak resident memory %d MiB, limit %d MiB", r.peakRSS>>20, c.limits.rss>>20)
			}
			if r.exit != c.exit {
				t.Errorf("exit status %d, want %d\nstderr:\n%s", r.exit, c.exit, clip(r.stderr))
			}
			for _, s := range c.stderr {
				if !bytes.Contains(r.stderr, []byte(s)) {
					t.Errorf("stderr lacks %q:\n%s", s, clip(r.stderr))
				}
			}
			for _, s := range c.stdout {
				if !bytes.Contains(r.stdout, []byte(s)) {
					t.Errorf("stdout lacks %q:\n%s", s, clip(r.stdout))
				}
			}
			written := map[string][]byte{"stdout": r.stdout, "stderr": r.stderr}
			entries, _ := os.ReadDir(out)
			for _, e := range entries {
				data, err := os.ReadFile(filepath.Join(out, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				written[e.Name()] = data
			}
			for name, data := range written {
				if c.maxOutput > 0 && int64(len(data)) > c.maxOutput {
					t.Errorf("%s has %d bytes, limit %d MiB", name, len(data), c.maxOutput>>20)
				}
			}
			for _, o := range c.outputs {
				data, ok := written[o.name]
				if !ok {
					t.Errorf("the run wrote no %s", o.name)
				} else if !bytes.Contains(data, []byte(o.text)) {
					t.Errorf("%s lacks %q:\n%s", o.name, o.text, clip(data))
				}
			}
			for _, s := range c.absent {
				for name, data := range written {
					if bytes.Contains(data, []byte(s)) {
						t.Errorf("%s contains %q", name, s)
					}
				}
			}
		})
	}
}

// hostileCase is a parsed case.txt.
type hostileCase struct {
	args                   []string
	exit                   int
	stderr, stdout, absent []string
	outputs                []caseOutput
	maxOutput              int64
	env                    []string
	limits                 limits
}

// caseOutput is an "output:" line: a file the run writes under $OUT, and
// text it contains.
type caseOutput struct{ name, text string }

func readCase(t *testing.T, file string) hostileCase {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := hostileCase{exit: -1, limits: defaultLimits}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		if !ok {
			t.Fatalf("%s:%d: want key: value", file, n)
		}
		switch key {
		case "args":
			c.args, err = splitArgs(value)
		case "exit":
			c.exit, err = strconv.Atoi(value)
		case "stderr":
			c.stderr = append(c.stderr, value)
		case "stdout":
			c.stdout = append(c.stdout, value)
		case "absent":
			c.absent = append(c.absent, value)
		case "output":
			name, text, ok := strings.Cut(value, ":")
			if !ok {
				t.Fatalf("%s:%d: want output: NAME: text", file, n)
			}
			c.outputs = append(c.outputs, caseOutput{name, strings.TrimSpace(text)})
		case "env":
			c.env = append(c.env, value)
		case "max-seconds":
			var s int
			s, err = strconv.Atoi(value)
			c.limits.wall = time.Duration(s) * time.Second
		case "max-output-mb":
			var mb int64
			mb, err = strconv.ParseInt(value, 10, 64)
			c.maxOutput = mb << 20
		case "max-rss-mb":
			var mb int64
			mb, err = strconv.ParseInt(value, 10, 64)
			c.limits.rss = mb << 20
		default:
			t.Fatalf("%s:%d: unknown key %q", file, n, key)
		}
		if err != nil {
			t.Fatalf("%s:%d: %v", file, n, err)
		}
	}
	if len(c.args) == 0 || c.exit < 0 {
		t.Fatalf("%s: args and exit are required", file)
	}
	return c
}

// splitArgs splits a command line at spaces, but for those within double
// quotes: `eval "CloudTrail should have x" -i f` is four arguments.
func splitArgs(line string) ([]string, error) {
	var out []string
	for rest := strings.TrimSpace(line); rest != ""; rest = strings.TrimSpace(rest) {
		if quoted, ok := strings.CutPrefix(rest, `"`); ok {
			arg, after, closed := strings.Cut(quoted, `"`)
			if !closed {
				return nil, fmt.Errorf("unclosed quote in %q", line)
			}
			out, rest = append(out, arg), after
			continue
		}
		arg, after, _ := strings.Cut(rest, " ")
		out, rest = append(out, arg), after
	}
	return out, nil
}

// clip returns the start of a long output, for failure messages.
func clip(b []byte) string {
	const n = 4000
	if len(b) > n {
		return string(b[:n]) + "\n[...]"
	}
	return string(b)
}
