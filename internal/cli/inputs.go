package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"vigil/entity"
)

// maxInputBytes is the largest input file vigil reads.
const maxInputBytes = 512 << 20

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
// to load it into an inventory.
type inputKind struct {
	name   string
	detect func(in input) bool
	load   func(in input) (*entity.Inventory, error)
}

// inputKinds are tried in order; the first whose detect is true loads the
// input. Terraform directories and plan JSON are added here when their
// sources are wired in.
var inputKinds = []inputKind{
	{name: "inventory JSON", detect: isInventoryJSON, load: loadInventoryFile},
}

// isInventoryJSON recognises vigil's inventory format by its version field.
func isInventoryJSON(in input) bool {
	return in.head != nil && bytes.HasPrefix(bytes.TrimSpace(in.head), []byte("{")) &&
		bytes.Contains(in.head, []byte(`"vigil_inventory"`))
}

func loadInventoryFile(in input) (*entity.Inventory, error) {
	data, err := readLimited(in.path)
	if err != nil {
		return nil, err
	}
	return entity.Decode(data)
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxInputBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxInputBytes {
		return nil, fmt.Errorf("file is larger than %d MiB", maxInputBytes>>20)
	}
	return data, nil
}

// loadInput recognises and loads one input.
func loadInput(path string) (*entity.Inventory, error) {
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
			inv, err := k.load(in)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k.name, err)
			}
			return inv, nil
		}
	}
	if info.IsDir() {
		return nil, errors.New("directory input (Terraform) is not supported by this build")
	}
	return nil, errors.New("not an input vigil can read: expected an inventory JSON (with \"vigil_inventory\")")
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
// cannot be loaded is reported as "PATH: error" in errs; the others are
// still returned.
func loadInputs(paths []string) (invs []*entity.Inventory, errs []error) {
	for _, p := range paths {
		one, err := loadInput(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
			continue
		}
		invs = append(invs, one)
	}
	return invs, errs
}
