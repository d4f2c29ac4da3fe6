package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"vigil/entity"
)

// MaxSize bounds the snapshot files Read accepts (256 MiB): an account
// with tens of thousands of entities stays far below it.
const MaxSize = 256 << 20

// Write encodes inv as indented inventory JSON.
func Write(w io.Writer, inv *entity.Inventory) error {
	if err := check(inv); err != nil {
		return err
	}
	return inv.Encode(w)
}

// Save writes inv to path, atomically: to a temporary file in the same
// directory, then renamed over path.
func Save(path string, inv *entity.Inventory) error {
	var buf bytes.Buffer
	if err := Write(&buf, inv); err != nil {
		return fmt.Errorf("snapshot %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, a no-op
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("snapshot %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("snapshot %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("snapshot %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("snapshot %s: %w", path, err)
	}
	return nil
}

// Read decodes a snapshot of at most MaxSize bytes.
func Read(r io.Reader) (*entity.Inventory, error) { return readLimited(r, MaxSize) }

func readLimited(r io.Reader, limit int64) (*entity.Inventory, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes: not a snapshot vigil reads", limit)
	}
	return Parse(data)
}

// Parse decodes a snapshot held in memory. Errors name the line and column
// of bad JSON, or the entity or failure that is inconsistent.
func Parse(data []byte) (*entity.Inventory, error) {
	inv, err := entity.Decode(data)
	if err != nil {
		return nil, err
	}
	if err := check(inv); err != nil {
		return nil, err
	}
	return inv, nil
}

// Load reads the snapshot at path; errors begin with the path.
func Load(path string) (*entity.Inventory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	inv, err := Read(f)
	if err != nil {
		if msg := err.Error(); msg != "" && msg[0] >= '0' && msg[0] <= '9' {
			return nil, fmt.Errorf("%s:%w", path, err) // "path:line:col: ..."
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return inv, nil
}

// IsSnapshot reports whether data looks like an inventory document (a JSON
// object with a "vigil_inventory" field), so a command given a path can
// tell a snapshot from Terraform plan JSON without parsing it all.
func IsSnapshot(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return false
		}
		if key == "vigil_inventory" {
			return true
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// check verifies what entity.Decode does not: entities and failures belong
// to a listed scope, and no two entities of one type share an ID in a scope.
func check(inv *entity.Inventory) error {
	scopes := map[string]bool{}
	for i, s := range inv.Scopes {
		if s.ID == "" || s.Kind == "" {
			return fmt.Errorf("scopes[%d]: kind and id are required", i)
		}
		scopes[s.ID] = true
	}
	type key struct{ scope, typ, id string }
	seen := map[key]bool{}
	for i, e := range inv.Entities {
		if e.ID == "" {
			return fmt.Errorf("entities[%d] (%s): no id", i, e.Type)
		}
		if !scopes[e.Scope] {
			return fmt.Errorf("entities[%d] (id %q): scope %q is not among the snapshot's scopes", i, e.ID, e.Scope)
		}
		k := key{e.Scope, e.Type, e.ID}
		if seen[k] {
			return fmt.Errorf("entities[%d]: %s %q appears twice in scope %s", i, e.Type, e.ID, e.Scope)
		}
		seen[k] = true
	}
	for i, f := range inv.Failures {
		if f.Scope != "" && !scopes[f.Scope] {
			return fmt.Errorf("failures[%d]: scope %q is not among the snapshot's scopes", i, f.Scope)
		}
		if f.Type == "" || f.Error == "" {
			return fmt.Errorf("failures[%d]: type and error are required", i)
		}
	}
	return nil
}
