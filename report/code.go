package report

// This file reads the Terraform lines the text report shows beside a
// finding. The files are a stranger's, named by the scanned inventory: only
// the inputs the user gave are read, never a file outside them, and what is
// read is bounded.

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"vigil/entity"
)

// CodeReader gives the text report the lines of code a finding is about.
type CodeReader interface {
	// Lines returns lines first to last (counted from 1, last included) of
	// file, as it was named in an entity's Origin, without their line
	// endings; fewer when the file is shorter, and none when the file may
	// not or cannot be read.
	Lines(file string, first, last int) []string
}

// Limits of what a CodeReader made by NewCodeReader reads and keeps.
const (
	// maxCodeFileBytes is the size of the largest file it reads, as the
	// Terraform loader's limit (terraform.MaxFileBytes).
	maxCodeFileBytes = 16 << 20
	// maxCodeLineBytes is how much of a line it returns: more than any
	// terminal shows.
	maxCodeLineBytes = 1024
	// maxCodeCacheBytes bounds the files it keeps in memory; past it, it
	// forgets them and reads again.
	maxCodeCacheBytes = 32 << 20
	// codeIndexStep is how many lines apart the offsets it remembers in
	// a file are, so that finding a line reads at most this many.
	codeIndexStep = 256
)

// NewCodeReader returns a CodeReader that reads only the Terraform files
// (.tf) in the given inputs: a directory's files at any depth, or a file
// given itself. A path is checked once resolved, so that neither a link
// that leads out of an input nor ".." reads anything else; only regular
// files of at most 16 MiB are read. The values of secrets are redacted in
// every line it returns, as everywhere in a report. Inputs that cannot be
// resolved are left out.
func NewCodeReader(inputs []string, secrets *entity.Secrets) CodeReader {
	r := &codeReader{secrets: secrets, files: map[string]*codeFile{}}
	for _, in := range inputs {
		real, err := resolvePath(in)
		if err != nil {
			continue
		}
		st, err := os.Stat(real)
		switch {
		case err != nil:
		case st.IsDir():
			r.dirs = append(r.dirs, real)
		case st.Mode().IsRegular():
			r.single = append(r.single, real)
		}
	}
	return r
}

// codeReader is NewCodeReader's CodeReader. It keeps the files it read, as
// a report shows several resources of one file, and is safe for
// concurrent use.
type codeReader struct {
	dirs, single []string
	secrets      *entity.Secrets

	mu sync.Mutex
	// files holds the files read, by name as given; nil for a file that
	// may not or cannot be read. cached counts their bytes.
	files  map[string]*codeFile
	cached int
}

// codeFile is a file's text and where every codeIndexStep-th line starts:
// index[i] is the offset of line i*codeIndexStep+1.
type codeFile struct {
	text  []byte
	index []int
}

func (r *codeReader) Lines(file string, first, last int) []string {
	if first < 1 || last < first || !strings.HasSuffix(file, ".tf") {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.files[file]
	if !ok {
		f = r.read(file)
		if f != nil {
			if r.cached += len(f.text) + 8*len(f.index); r.cached > maxCodeCacheBytes {
				clear(r.files)
				r.cached = len(f.text) + 8*len(f.index)
			}
		}
		r.files[file] = f
	}
	if f == nil || (first-1)/codeIndexStep >= len(f.index) {
		return nil
	}
	// From the remembered offset before the first line, to it.
	text := f.text[f.index[(first-1)/codeIndexStep]:]
	for range (first - 1) % codeIndexStep {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			return nil
		}
		text = text[i+1:]
	}
	var lines []string
	for n := first; n <= last && len(text) > 0; n++ {
		line, rest, _ := bytes.Cut(text, []byte("\n"))
		text = rest
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > maxCodeLineBytes {
			n := maxCodeLineBytes
			for n > 0 && !utf8.RuneStart(line[n]) {
				n--
			}
			line = line[:n]
		}
		lines = append(lines, r.secrets.Redact(string(line)))
	}
	return lines
}

// read returns the text of file when it lies in an input and can be read,
// nil otherwise.
func (r *codeReader) read(file string) *codeFile {
	real, err := resolvePath(file)
	if err != nil || !r.allows(real) {
		return nil
	}
	// Opened without blocking, so that a named pipe returns at once and is
	// then refused as not a regular file.
	fd, err := os.OpenFile(real, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil
	}
	defer fd.Close()
	if st, err := fd.Stat(); err != nil || !st.Mode().IsRegular() || st.Size() > maxCodeFileBytes {
		return nil
	}
	text, err := io.ReadAll(io.LimitReader(fd, maxCodeFileBytes+1))
	if err != nil || len(text) > maxCodeFileBytes {
		return nil
	}
	f := &codeFile{text: text, index: []int{0}}
	for line, off := 1, 0; ; line++ {
		i := bytes.IndexByte(text[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		if line%codeIndexStep == 0 {
			if off == len(text) {
				break
			}
			f.index = append(f.index, off)
		}
	}
	return f
}

// allows reports whether the resolved path lies in one of the inputs.
func (r *codeReader) allows(real string) bool {
	for _, d := range r.dirs {
		if rel, err := filepath.Rel(d, real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && rel != "." {
			return true
		}
	}
	for _, s := range r.single {
		if s == real {
			return true
		}
	}
	return false
}

// resolvePath makes path absolute and resolves its symbolic links.
func resolvePath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}
