package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"vigil/entity"
	"vigil/source/snapshot"
	"vigil/source/terraform"
)

// headBytes is how much of a file the detectors look at.
const headBytes = 4096

// input is one path given to "vigil scan", as the detectors see it.
type input struct {
	path string
	info fs.FileInfo
	// head is the start of a file's content (nil for a directory).
	head []byte
}

// inputKind is one kind of input vigil can scan: how to recognise it and how
// to load it into an inventory. load may return an inventory and an error
// together: the input was partly read (a Terraform file that does not parse
// among others that do), and what was read is still scanned.
type inputKind struct {
	name   string
	detect func(in input) bool
	load   func(in input, opts *inputOptions) (*entity.Inventory, error)
}

// inputOptions are what loading needs beyond the path: Terraform variables,
// and where diagnostics go.
type inputOptions struct {
	terraform terraform.Options
	// diags receives Terraform diagnostics (errors and warnings) rendered
	// with their source snippet.
	diags io.Writer
	// quiet leaves warnings out of diags: only errors are written.
	quiet bool
	// qualifyScopes names Terraform root modules by their path ("infra/prod")
	// rather than relative to the input ("."), so that several inputs in
	// one scan do not share a scope. "vigil diff" leaves it off, so the
	// same module compares equal in two checkouts.
	qualifyScopes bool
}

// inputKinds are tried in order; the first whose detect is true loads the
// input.
var inputKinds = []inputKind{
	{name: "inventory JSON", detect: isInventoryJSON, load: loadInventoryFile},
	{name: "Terraform file", detect: isTerraformFile, load: loadTerraform},
	{name: "Terraform plan JSON", detect: isPlanJSON, load: loadTerraform},
	{name: "Terraform", detect: isTerraformDir, load: loadTerraform},
}

// isTerraformFile recognises a .tf or .tf.json file by its name: the
// Terraform loader reads it as a root module of one file.
func isTerraformFile(in input) bool { return !in.info.IsDir() && terraform.IsTerraformFile(in.path) }

// isPlanJSON recognises "terraform show -json" output by its first bytes;
// the Terraform loader checks the rest.
func isPlanJSON(in input) bool { return in.head != nil && terraform.LooksLikePlanJSON(in.head) }

// isTerraformDir accepts any directory: the loader finds the root modules
// in it and says so when there are none.
func isTerraformDir(in input) bool { return in.info.IsDir() }

// loadTerraform loads a Terraform directory tree or plan JSON. Diagnostics
// are printed with their snippets; any error among them makes the input count
// as failed while the entities that could be built are still scanned.
func loadTerraform(in input, opts *inputOptions) (*entity.Inventory, error) {
	loader := terraform.NewLoader(opts.terraform)
	inv, diags := loader.Load(in.path)
	shown := diags
	if opts.quiet {
		shown = slices.DeleteFunc(slices.Clone(diags), func(d *hcl.Diagnostic) bool { return d.Severity != hcl.DiagError })
	}
	if len(shown) > 0 && opts.diags != nil {
		// Rendered whole first, so that the input's sensitive values can be
		// taken out of the snippets and messages.
		var text bytes.Buffer
		w := hcl.NewDiagnosticTextWriter(&text, loader.Files(), 100, false)
		_ = w.WriteDiagnostics(shown)
		var secrets *entity.Secrets
		if inv != nil {
			secrets = inv.Secrets
		}
		_, _ = io.WriteString(opts.diags, secrets.Redact(text.String()))
	}
	if inv != nil && opts.qualifyScopes {
		terraform.QualifyScopes(inv, in.path)
	}
	if diags.HasErrors() {
		n := 0
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				n++
			}
		}
		return inv, fmt.Errorf("%d Terraform error(s), shown above; the rest of the input was scanned", n)
	}
	return inv, nil
}

// isInventoryJSON recognises vigil's inventory format by its version field.
func isInventoryJSON(in input) bool { return in.head != nil && snapshot.IsSnapshot(in.head) }

// loadInventoryFile reads an inventory with the snapshot reader, which
// also checks that its entities and failures belong to its scopes.
func loadInventoryFile(in input, _ *inputOptions) (*entity.Inventory, error) {
	f, err := os.Open(in.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	inv, err := snapshot.Read(f)
	if err != nil {
		return nil, &parseError{err}
	}
	return inv, nil
}

// loadInput recognises and loads one input. It may return an inventory
// together with an error when the input was only partly read.
func loadInput(path string, opts *inputOptions) (*entity.Inventory, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	in := input{path: path, info: info}
	if !info.IsDir() {
		f, err := os.Open(path)
		if err != nil {
			return nil, unwrapPathError(err)
		}
		head := make([]byte, headBytes)
		n, err := io.ReadFull(f, head)
		f.Close()
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return nil, err
		}
		in.head = head[:n]
	}
	for _, k := range inputKinds {
		if k.detect(in) {
			inv, err := k.load(in, opts)
			if err != nil {
				return inv, fmt.Errorf("%s: %w", k.name, err)
			}
			return inv, nil
		}
	}
	return nil, errors.New("not an input vigil can read: expected a Terraform directory, a .tf or .tf.json file, a Terraform plan JSON (terraform show -json) or a vigil inventory JSON")
}

// unwrapPathError drops the path from an *fs.PathError, since messages
// already start with it.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loadInputs loads every path, one inventory per input. Each input that
// cannot be loaded, or only in part, is reported as "PATH: error" in errs;
// every inventory read, whole or in part, is returned. An input that gave
// no inventory at all is also one of failed, for the reports to list (the
// inventory of an input read in part carries its own failures).
func loadInputs(paths []string, opts *inputOptions) (invs []*entity.Inventory, failed []entity.Failure, errs []error) {
	for _, p := range paths {
		one, err := loadInput(p, opts)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
		}
		if one != nil {
			invs = append(invs, one)
		} else if err != nil {
			kind := entity.FailureRead
			if errors.As(err, new(*parseError)) {
				kind = entity.FailureParse
			}
			failed = append(failed, entity.Failure{Kind: kind, File: p, Error: err.Error()})
		}
	}
	return invs, failed, errs
}

// parseError is an input that was read but whose content is not valid.
type parseError struct{ err error }

func (e *parseError) Error() string { return e.err.Error() }
func (e *parseError) Unwrap() error { return e.err }

// maxFileBytes is the largest file the commands read whole: a pattern
// file, an exclusions file, a CloudGuard ruleset export.
const maxFileBytes = 512 << 20

// readLimited reads a whole file of at most maxFileBytes.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("file is larger than %d MiB", maxFileBytes>>20)
	}
	return data, nil
}
