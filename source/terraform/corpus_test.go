package terraform

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// corpusRootResources is how many resources one root module of the
// generated corpus declares, with its module calls: 3 (logging) + 12
// (alarms: topic, subscription, 5 filters, 5 alarms) + 3 (bucket) + 11
// (iam: 2 users, 2 keys, a group, 2 memberships, a policy and its
// attachment, a role and its attachment) + 3 of its own.
const corpusRootResources = 32

// writeCorpus writes the generated corpus of testdata/corpus into dir: its
// shared modules, and numbered copies of its root module envs/team until
// the tree declares at least resources resources. internal/e2e's
// benchmarks time vigil on the same corpus.
func writeCorpus(tb testing.TB, dir string, resources int) {
	tb.Helper()
	const src = "testdata/corpus"
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		name = filepath.ToSlash(name)
		rest, ok := strings.CutPrefix(name, "envs/team/")
		if !ok {
			return writeCorpusFile(dir, name, data)
		}
		for i := 0; i*corpusRootResources < resources; i++ {
			root := bytes.ReplaceAll(data, []byte("{{N}}"), []byte(strconv.Itoa(i)))
			if err := writeCorpusFile(dir, fmt.Sprintf("envs/team%04d/%s", i, rest), root); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// writeCorpusFile writes data under dir as name, a slash-separated path.
func writeCorpusFile(dir, name string, data []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}
