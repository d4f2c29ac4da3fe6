package terraform

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"vigil/entity"
)

// tree is one load of a directory tree.
type tree struct {
	l       *Loader
	root    string
	configs map[string]*moduleConfig // by cleaned directory path
	order   []*moduleConfig          // directories in the tree, sorted
	diags   hcl.Diagnostics
	files   int
}

func (l *Loader) loadTree(path string, inv *entity.Inventory) (*entity.Inventory, hcl.Diagnostics) {
	t := &tree{l: l, root: path, configs: map[string]*moduleConfig{}}
	t.walk()
	called := map[*moduleConfig]bool{}
	for i := 0; i < len(t.order); i++ { // t.order grows as calls leave the tree
		m := t.order[i]
		for _, c := range m.calls {
			t.resolveCall(m, c)
			if c.child != nil {
				called[c.child] = true
			}
		}
	}
	var roots []*moduleConfig
	for _, m := range t.order {
		if !called[m] && t.inTree(m) {
			roots = append(roots, m)
		}
	}
	if len(roots) == 0 && len(t.order) > 0 {
		roots = append(roots, t.order[0]) // every module calls another: start at the top
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].rel < roots[j].rel })
	vars, d := l.rootVariableSources()
	t.diags = append(t.diags, d...)
	for _, m := range roots {
		inv.Scopes = append(inv.Scopes, entity.Scope{Kind: entity.ScopeTerraformModule, ID: m.rel, Name: m.dir})
		ev := newEvaluation(t, m, vars)
		instances := ev.run()
		t.diags = append(t.diags, ev.diags...)
		inv.Entities = append(inv.Entities, entities(instances, m.rel)...)
	}
	if len(t.order) == 0 && !t.diags.HasErrors() {
		t.diags = append(t.diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "No Terraform files",
			Detail:   fmt.Sprintf("%s contains no .tf or .tf.json files.", path),
		})
	}
	return inv, t.diags
}

func (t *tree) inTree(m *moduleConfig) bool { return !strings.HasPrefix(m.rel, "..") }

// walk finds every directory under the root that holds Terraform files and
// parses them. Hidden directories (.terraform, .git) are skipped.
func (t *tree) walk() {
	err := filepath.WalkDir(t.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.diags = append(t.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read directory", Detail: err.Error() + "."})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != t.root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			t.loadDir(p)
		}
		return nil
	})
	if err != nil {
		t.diags = append(t.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read directory", Detail: err.Error() + "."})
	}
}

// loadDir parses the Terraform files of one directory, and returns its module
// (nil when it has no Terraform files).
func (t *tree) loadDir(dir string) *moduleConfig {
	key := filepath.Clean(dir)
	if m, ok := t.configs[key]; ok {
		return m
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil
	}
	rel, err := filepath.Rel(t.root, dir)
	if err != nil {
		rel = dir
	}
	m := newModuleConfig(dir, filepath.ToSlash(rel))
	t.configs[key] = m
	t.order = append(t.order, m)
	for _, n := range names {
		t.files++
		t.diags = append(t.diags, t.parseInto(m, filepath.Join(dir, n))...)
	}
	return m
}

// parseInto parses one file and adds its blocks to m. A file with syntax
// errors contributes nothing but its diagnostics: a half-read resource could
// pass a rule the whole one fails.
func (t *tree) parseInto(m *moduleConfig, name string) hcl.Diagnostics {
	src, diags := readLimited(name, nil)
	if diags.HasErrors() {
		return diags
	}
	var file *hcl.File
	if strings.HasSuffix(name, ".json") {
		file, diags = t.l.parser.ParseJSON(src, name)
	} else {
		file, diags = t.l.parser.ParseHCL(src, name)
		if !diags.HasErrors() {
			m.comments[name] = suppressionComments(src, name)
		}
	}
	if diags.HasErrors() || file == nil {
		return diags
	}
	return append(diags, m.addFile(file)...)
}

// resolveCall finds the module a call refers to.
func (t *tree) resolveCall(parent *moduleConfig, c *callDecl) {
	if c.source == "" {
		c.unloaded = "it has no valid source"
		return
	}
	if !c.isLocal() {
		c.unloaded = fmt.Sprintf("its source %q is not a local directory and vigil does not download modules", c.source)
		t.diags = append(t.diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Module not loaded",
			Detail:   fmt.Sprintf("Module %q comes from %q, which vigil does not download; its outputs are unknown and the resources it creates are not checked.", c.name, c.source),
			Subject:  c.srcRng.Ptr(),
		})
		return
	}
	dir := filepath.Join(parent.dir, filepath.FromSlash(c.source))
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		c.unloaded = fmt.Sprintf("its directory %s does not exist", dir)
		t.diags = append(t.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Module directory not found",
			Detail:   fmt.Sprintf("Module %q has source %q, but %s is not a directory.", c.name, c.source, dir),
			Subject:  c.srcRng.Ptr(),
		})
		return
	}
	c.child = t.loadDir(dir)
	if c.child == nil {
		c.unloaded = fmt.Sprintf("its directory %s has no Terraform files", dir)
		t.diags = append(t.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Module directory is empty",
			Detail:   fmt.Sprintf("Module %q has source %q, but %s has no .tf or .tf.json files.", c.name, c.source, dir),
			Subject:  c.srcRng.Ptr(),
		})
	}
}
