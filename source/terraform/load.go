package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"
	tfjson "github.com/hashicorp/terraform-json"

	"vigil/entity"
)

// Options are the inputs that come from the command line rather than the
// files.
type Options struct {
	VarFiles []string // --var-file, in order
	Vars     []string // --var NAME=VALUE, in order (HCL or string values as terraform does)
	Environ  []string // os.Environ(), for TF_VAR_*; nil in tests unless set
	// Types, when not empty, are the only entity types the caller reads
	// ("CloudTrail", "aws_s3_bucket"): the inventory holds entities of
	// these types alone, and the attributes of other resources are not
	// converted to entity values unless the CloudTrail normalisation reads
	// them. Every resource is still evaluated, so diagnostics and
	// references are the same as with every type. Empty means every type.
	Types []string
	// AllowPaths (--allow-path) are directories whose files a
	// configuration may read besides those of the scanned tree and the
	// local modules it calls: file(), templatefile(), fileset() and the
	// links among the tree's files read nothing outside them.
	AllowPaths []string
	// RuleIDs, when not empty, are the rule IDs a vigil:ignore comment may
	// name: a comment naming another is a warning and suppresses nothing.
	RuleIDs []string
	// Strict makes a reference to what a module does not declare (a
	// resource, a variable, a local value, a module call, a data source)
	// an error; without it, it is a warning, once per name, and its value
	// is Unknown.
	Strict bool
}

// Loader reads Terraform inputs and keeps the files it parsed, so that
// diagnostics can be printed with their source:
//
//	l := terraform.NewLoader(opts)
//	inv, diags := l.Load(path)
//	hcl.NewDiagnosticTextWriter(os.Stderr, l.Files(), 80, false).WriteDiagnostics(diags)
type Loader struct {
	opts  Options
	mu    sync.Mutex // guards files while root modules are evaluated
	files map[string]*hcl.File
}

// NewLoader returns a Loader with the given options.
func NewLoader(opts Options) *Loader {
	return &Loader{opts: opts, files: map[string]*hcl.File{}}
}

// Files returns every file the loader read, by the name diagnostics use,
// for printing diagnostics with their source. A file of a root module that
// no diagnostic names keeps its bytes but not its syntax tree (its Body is
// empty): a root module's tree is let go once the module is evaluated, so
// that a large tree is not held in memory whole.
func (l *Loader) Files() map[string]*hcl.File { return l.files }

func (l *Loader) addFile(name string, f *hcl.File) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.files[name] = f
}

// releaseFiles keeps only the bytes of the named files, but for those
// diagnostics name (keep), whose syntax trees their rendering reads.
func (l *Loader) releaseFiles(names []string, keep func(name string) bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, n := range names {
		if f := l.files[n]; f != nil && !keep(n) {
			l.files[n] = &hcl.File{Bytes: f.Bytes, Body: hcl.EmptyBody()}
		}
	}
}

// Load reads a Terraform input: a directory tree (every root module in it; a
// directory is a root module unless another module in the tree calls it as a
// local source), one .tf or .tf.json file (a root module of that one file:
// the other files of its directory, variable files included, are not read)
// or a plan JSON file. It returns every entity it could build,
// even when some files had errors, plus diagnostics (errors and warnings, with
// file:line:col). Each root module is one entity.Scope{Kind:
// entity.ScopeTerraformModule, ID: <dir relative to path, "." for path>}.
func Load(path string, opts Options) (*entity.Inventory, hcl.Diagnostics) {
	return NewLoader(opts).Load(path)
}

// Load is the package-level Load, keeping the parsed files in l.
func (l *Loader) Load(path string) (*entity.Inventory, hcl.Diagnostics) {
	inv := &entity.Inventory{CollectedAt: time.Now().UTC(), Tool: "vigil terraform"}
	st, err := os.Stat(path)
	if err != nil {
		return unreadInput(inv, path, entity.FailureRead, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read Terraform input",
			Detail:   fmt.Sprintf("%s. Give a directory of .tf files or a plan JSON file.", err),
		}})
	}
	if !st.IsDir() && IsTerraformFile(path) {
		return l.loadTree(filepath.Dir(path), path, inv)
	}
	if !st.IsDir() {
		pf, diags := readPlan(path)
		if pf == nil {
			kind := entity.FailureParse
			if isReadError(diags) {
				kind = entity.FailureRead
			}
			return unreadInput(inv, path, kind, diags)
		}
		return loadPlan(path, pf, inv, newTypeFilter(l.opts.Types))
	}
	return l.loadTree(path, "", inv)
}

// IsTerraformFile reports whether path names a Terraform file by its
// name: a .tf or .tf.json file, which Load reads as a module of one file.
func IsTerraformFile(path string) bool {
	return strings.HasSuffix(path, ".tf") || strings.HasSuffix(path, ".tf.json")
}

// LooksLikePlanJSON reports whether head, the first bytes of a file, is
// the start of a Terraform plan's JSON: an object that names its
// format_version early, as "terraform show -json" writes it. It is how an
// input is told apart from a directory or a vigil inventory before it is
// read; Load checks the rest.
func LooksLikePlanJSON(head []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(head), []byte("{")) && bytes.Contains(head, []byte(`"format_version"`))
}

// QualifyScopes names the root-module scopes of an inventory Load read
// from path, which Load names relative to path ("."), by joining them to
// path ("infra/prod"), so that several inputs of one scan do not share a
// scope. The scope of a single file (a plan, a .tf file) is named by the
// file: two plans in one directory are two scopes.
func QualifyScopes(inv *entity.Inventory, path string) {
	base, file := path, false
	if info, err := os.Stat(path); err == nil && !info.IsDir() {
		base, file = filepath.Dir(path), true
	}
	renamed := map[string]string{}
	for i, sc := range inv.Scopes {
		if sc.Kind != entity.ScopeTerraformModule {
			continue
		}
		id := filepath.ToSlash(filepath.Join(base, sc.ID))
		if file && sc.ID == "." {
			id = filepath.ToSlash(filepath.Clean(path))
		}
		renamed[sc.ID] = id
		inv.Scopes[i].ID = id
	}
	for _, e := range inv.Entities {
		if id, ok := renamed[e.Scope]; ok {
			e.Scope = id
		}
	}
	for i, f := range inv.Failures {
		if id, ok := renamed[f.Scope]; ok {
			inv.Failures[i].Scope = id
		}
	}
}

// IsPlanJSON reports whether data is the JSON of a Terraform plan, as
// "terraform show -json PLANFILE" writes it: a whole JSON object with a
// format_version and planned_values, resource_changes or configuration.
func IsPlanJSON(data []byte) bool {
	w := &planWalker{dec: json.NewDecoder(bytes.NewReader(data)), plan: &tfjson.Plan{}}
	err := w.document()
	var pe *planDecodeError
	return err == nil || errors.As(err, &pe) && pe.version
}

// readNamed reads a file the user named (the plan given to Load, a
// --var-file), of at most MaxFileBytes. It may be a pipe: vigil scan
// --var-file <(...).
func readNamed(path string) ([]byte, hcl.Diagnostics) { return readFile(path, false) }

// readFound reads a file the loader found by listing a directory, or that
// file(), filebase64() or templatefile() names, of at most MaxFileBytes. It
// must be a regular file or link to one: a named pipe or a device among the
// .tf files could block the scan forever or never end, so it is reported
// instead.
func readFound(path string) ([]byte, hcl.Diagnostics) { return readFile(path, true) }

// readFile is readNamed, or readFound when found is set. A found file is
// opened without blocking, so that opening a pipe returns at once and it
// can be told apart. (Linux ignores O_NONBLOCK for regular files, and Go
// then skips switching the descriptor to non-blocking mode and back: four
// system calls a file.)
func readFile(path string, found bool) ([]byte, hcl.Diagnostics) {
	flag := os.O_RDONLY
	if found {
		flag |= openNonblock
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, cannotRead(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, cannotRead(err)
	}
	if found && !st.Mode().IsRegular() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read file",
			Detail:   fmt.Sprintf("%s is not a regular file (%s); vigil reads regular files only, since a pipe or a device could block the scan or never end.", path, st.Mode().Type()),
			Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
		}}
	}
	return readLimited(f, path, st)
}

// readLimited reads f, whose name is path and whose Stat is st, if it has
// at most MaxFileBytes.
func readLimited(f *os.File, path string, st os.FileInfo) ([]byte, hcl.Diagnostics) {
	if st.Size() > MaxFileBytes {
		return nil, hcl.Diagnostics{tooLarge(path, st.Size())}
	}
	// Room for the whole file and the read that finds its end: one
	// allocation instead of doubling from 512 bytes. (A pipe's size is
	// 0, and its buffer grows as it is read.)
	var buf bytes.Buffer
	buf.Grow(int(st.Size()) + bytes.MinRead)
	n, err := buf.ReadFrom(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, cannotRead(err)
	}
	if n > MaxFileBytes {
		return nil, hcl.Diagnostics{tooLarge(path, n)}
	}
	return buf.Bytes(), nil
}

func cannotRead(err error) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read file", Detail: err.Error() + "."}}
}

func tooLarge(path string, size int64) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "File too large",
		Detail:   fmt.Sprintf("%s has %d bytes; vigil reads files of at most %d bytes.", path, size, MaxFileBytes),
		Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
	}
}
