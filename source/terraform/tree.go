package terraform

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

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
	// failures are those of directories that could not be read.
	failures []entity.Failure
	// listings holds the entries of each directory walk read, by cleaned
	// path, so that parsing does not list them again; a directory outside
	// the tree (a module called from "../") is listed when loaded.
	listings map[string][]fs.DirEntry
	// traversals caches what each expression of a called module references
	// (expression → []hcl.Traversal): modules called from many roots
	// evaluate the same expressions many times, from several goroutines.
	traversals sync.Map
	// constants holds the values of the expressions of called modules
	// that reference nothing (expression → constantValue): a module
	// called from every root would evaluate them again for each.
	constants sync.Map
	// jsonTemplates caches jsonForExpr (JSON expression →
	// hcl.Expression or nil).
	jsonTemplates sync.Map
	// secrets records the sensitive values of every root module.
	secrets *entity.Secrets
	// allowed are the directories whose files the load may read: the
	// tree and the allowed paths, then the local modules outside the
	// tree it calls.
	allowed *allowedRoots
	// called holds the modules a local call of another module calls;
	// resolved counts the modules of order whose calls are resolved.
	called   map[*moduleConfig]bool
	resolved int
	// installed holds, for each root module, the modules terraform init
	// installed for its calls that are not local, by key (see
	// installed.go); remote remembers which modules make such calls.
	installed map[*moduleConfig]map[string]*installedCall
	remote    map[*moduleConfig]bool
	// budget counts the bytes the evaluation of every root module
	// builds, against MaxBuiltBytes; sized holds the base functions that
	// build values, charging it (see sizedContext).
	budget    valueBudget
	sizedOnce sync.Once
	sized     *hcl.EvalContext
	// boundedCopies caches boundedCopy (template → bounded copy).
	boundedCopies sync.Map
}

// loadTree loads the directory tree path; or, when file is not "", the
// one Terraform file of path named file, as a module of one file.
func (l *Loader) loadTree(path, file string, inv *entity.Inventory) (*entity.Inventory, hcl.Diagnostics) {
	t := &tree{l: l, root: path, configs: map[string]*moduleConfig{}, secrets: &entity.Secrets{}, called: map[*moduleConfig]bool{}}
	t.allowed, t.diags = newAllowedRoots(path, l.opts.AllowPaths)
	if file != "" {
		t.walkFile(file)
	} else {
		t.walk()
	}
	called := t.called
	t.resolveCalls()
	roots := t.roots()
	for _, m := range roots {
		t.installModules(m)
	}
	for _, m := range t.order {
		if !t.inTree(m) { // resolveCall checked where it leads
			if real, err := resolve(m.dir); err == nil {
				t.allowed.add(real)
			}
		}
	}
	vars, d := l.rootVariableSources()
	t.diags = append(t.diags, d...)
	inv.Failures = append(inv.Failures, t.failures...)
	t.checkCLIVariables(vars, roots)
	// Root modules are independent: evaluate them on all cores. What they
	// share (parsed modules) is only read from here on; the variable files
	// each reads join the parser afterwards, which is not safe for
	// concurrent use.
	results := make([]rootResult, len(roots))
	for i, m := range roots {
		inv.Scopes = append(inv.Scopes, entity.Scope{Kind: entity.ScopeTerraformModule, ID: m.rel, Name: m.dir})
		results[i].failures = rootFailures(m, vars)
	}
	types := newTypeFilter(l.opts.Types)
	diagnosed := diagnosedFiles(t.diags)
	parallel(len(roots), func(i int) {
		t.evaluateRoot(roots[i], &results[i], vars, types, !called[roots[i]], diagnosed)
	})
	for _, r := range results {
		for _, f := range r.varFiles {
			l.addFile(f.name, f.file)
		}
		t.diags = append(t.diags, r.diags...)
		inv.Entities = append(inv.Entities, r.entities...)
		inv.Failures = append(inv.Failures, r.failures...)
		inv.Failures = append(inv.Failures, expansionFailures(r.entities)...)
	}
	redactEntities(inv, t.secrets)
	if len(t.order) == 0 && !t.diags.HasErrors() {
		t.diags = append(t.diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "No Terraform files",
			Detail:   fmt.Sprintf("%s contains no .tf or .tf.json files.", path),
		})
	}
	return inv, t.diags
}

// roots returns the root modules of the tree, by path: the modules of the
// tree no other module calls, or when every module calls another, the
// first one found.
func (t *tree) roots() []*moduleConfig {
	var roots []*moduleConfig
	for _, m := range t.order {
		if !t.called[m] && t.inTree(m) {
			roots = append(roots, m)
		}
	}
	if len(roots) == 0 && len(t.order) > 0 {
		roots = append(roots, t.order[0]) // every module calls another: start at the top
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].rel < roots[j].rel })
	return roots
}

// rootResult is what evaluating one root module gives.
type rootResult struct {
	diags    hcl.Diagnostics
	entities []*entity.Entity
	varFiles []namedFile
	failures []entity.Failure
}

// evaluateRoot reads the variable files of root module m and evaluates it
// into out. When no other module calls m (release), its syntax trees are
// released afterwards, except the files diagnostics name.
func (t *tree) evaluateRoot(m *moduleConfig, out *rootResult, vars *variableSources, types typeFilter, release bool, diagnosed map[string]bool) {
	dirVars := map[string]variableValue{}
	for _, f := range m.varFiles {
		file, diags := readVarFile(f, dirVars, t.readVarFile)
		out.diags = append(out.diags, diags...)
		if diags.HasErrors() {
			out.failures = append(out.failures, varFileFailures(newBrokenFile(f, nil, diags), m.rel)...)
		}
		if file != nil {
			out.varFiles = append(out.varFiles, namedFile{f, file})
		}
	}
	ev := newEvaluation(t, m, vars, dirVars, types)
	instances := ev.run()
	sortByPosition(ev.diags)
	out.diags = append(out.diags, ev.diags...)
	out.entities = entities(instances, m.rel, types)
	out.failures = append(out.failures, ev.unexpandedFailures(m.rel)...)
	if release {
		// Nothing reads this module's syntax trees any more but the
		// rendering of diagnostics that name its files.
		own := diagnosedFiles(out.diags)
		m.release()
		t.l.releaseFiles(m.files, func(name string) bool { return diagnosed[name] || own[name] })
	}
}

// redactEntities gives inv the secrets an input recorded, and redacts them
// from the entities' IDs and names, which are shown as they are: a trail
// named after a sensitive variable is "(sensitive)", and so is the key of
// a for_each over sensitive values in its address.
func redactEntities(inv *entity.Inventory, secrets *entity.Secrets) {
	if secrets.Len() == 0 {
		return
	}
	if inv.Secrets == nil {
		inv.Secrets = &entity.Secrets{}
	}
	inv.Secrets.AddAll(secrets)
	for _, e := range inv.Entities {
		e.ID = secrets.Redact(e.ID)
		e.Name = secrets.Redact(e.Name)
	}
}

// sortByPosition orders the diagnostics of an evaluation by where they
// point, so that a scan reports them in the same order every time: the
// attributes of a block are evaluated in no fixed order.
func sortByPosition(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Line != b.Start.Line:
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
}

// diagnosedFiles returns the names of the files diags point into.
func diagnosedFiles(diags hcl.Diagnostics) map[string]bool {
	out := map[string]bool{}
	for _, d := range diags {
		if d.Subject != nil {
			out[d.Subject.Filename] = true
		}
		if d.Context != nil {
			out[d.Context.Filename] = true
		}
	}
	return out
}

// namedFile is a parsed file with the name diagnostics give it.
type namedFile struct {
	name string
	file *hcl.File
}

// parallel calls fn(0) … fn(n-1) on GOMAXPROCS goroutines and waits for
// them. A few long-lived workers, rather than one goroutine per call, keep
// the stacks that deep parsing and evaluation grow: a fresh goroutine per
// file spent a tenth of the load copying stacks.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

func (t *tree) inTree(m *moduleConfig) bool { return !strings.HasPrefix(m.rel, "..") }

// walk finds every directory under the root that holds Terraform files and
// parses them. Hidden directories (.terraform, .git) are skipped.
func (t *tree) walk() {
	var dirs []string
	t.listings = map[string][]fs.DirEntry{}
	err := filepath.WalkDir(t.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.diags = append(t.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read directory", Detail: err.Error() + "."})
			t.failures = append(t.failures, entity.Failure{Kind: entity.FailureRead, File: p, Error: err.Error()})
			if d != nil && d.IsDir() {
				delete(t.listings, filepath.Clean(p))
				return fs.SkipDir
			}
			return nil
		}
		if p != t.root {
			parent := filepath.Dir(p)
			t.listings[parent] = append(t.listings[parent], d)
		}
		if d.IsDir() {
			if p != t.root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			dirs = append(dirs, p)
			clean := filepath.Clean(p)
			if _, ok := t.listings[clean]; !ok {
				t.listings[clean] = nil // listed, so far empty
			}
		}
		return nil
	})
	if err != nil {
		t.diags = append(t.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read directory", Detail: err.Error() + "."})
		t.failures = append(t.failures, entity.Failure{Kind: entity.FailureRead, File: t.root, Error: err.Error()})
	}
	t.loadDirs(dirs)
}

// walkFile reads the one Terraform file file, in the directory t.root, as
// a module of one file: the other files of its directory are not read.
func (t *tree) walkFile(file string) {
	t.listings = map[string][]fs.DirEntry{}
	info, err := os.Lstat(file)
	if err != nil {
		t.diags = append(t.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read file", Detail: err.Error() + "."})
		t.failures = append(t.failures, entity.Failure{Kind: entity.FailureRead, File: file, Error: err.Error()})
		return
	}
	t.listings[filepath.Clean(t.root)] = []fs.DirEntry{fs.FileInfoToDirEntry(info)}
	t.loadDirs([]string{t.root})
}

// loadDir parses the Terraform files of one directory, and returns its module
// (nil when it has no Terraform files).
func (t *tree) loadDir(dir string) *moduleConfig {
	if m, ok := t.configs[filepath.Clean(dir)]; ok {
		return m
	}
	t.loadDirs([]string{dir})
	return t.configs[filepath.Clean(dir)]
}

// parsedFile is one file parsed off the loader's goroutine.
type parsedFile struct {
	name     string
	file     *hcl.File
	diags    hcl.Diagnostics
	comments []suppressionComment
	// broken describes the file when it has errors.
	broken *brokenFile
}

// parsedDir is one directory listed, parsed and decoded off the loader's
// goroutine: m is nil when it has no Terraform files.
type parsedDir struct {
	m     *moduleConfig
	files []*parsedFile
	diags hcl.Diagnostics // of each file in order: parsing, then decoding
}

// loadDirs lists, parses and decodes the Terraform files of dirs, a
// directory per task on all cores, and adds a module for each directory
// that has any, in the order given. Only the parser and t are shared, and
// they are updated afterwards, in order.
func (t *tree) loadDirs(dirs []string) {
	var todo []string
	for _, dir := range dirs {
		if _, ok := t.configs[filepath.Clean(dir)]; !ok {
			todo = append(todo, dir)
		}
	}
	done := make([]parsedDir, len(todo))
	parallel(len(todo), func(i int) { done[i] = t.loadDirFiles(todo[i]) })
	for _, pd := range done {
		if pd.m == nil {
			continue
		}
		t.configs[filepath.Clean(pd.m.dir)] = pd.m
		t.order = append(t.order, pd.m)
		t.files += len(pd.files)
		t.diags = append(t.diags, pd.diags...)
		for _, pf := range pd.files {
			// Keep the file for diagnostics' snippets even when it has
			// errors.
			if pf.file != nil {
				t.l.addFile(pf.name, pf.file)
			}
		}
	}
}

// loadDirFiles parses the Terraform files of one directory and decodes
// them into its module; it touches nothing shared.
func (t *tree) loadDirFiles(dir string) parsedDir {
	var pd parsedDir
	entries, listed := t.listings[filepath.Clean(dir)]
	if !listed {
		var err error
		if entries, err = os.ReadDir(dir); err != nil {
			return pd
		}
	}
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) {
			pf := &parsedFile{name: filepath.Join(dir, n)}
			if d := t.linkOutside(dir, pf.name, e); d != nil {
				pf.diags = hcl.Diagnostics{d}
				pf.broken = newBrokenFile(pf.name, nil, pf.diags)
			} else {
				parseFile(pf)
			}
			pd.files = append(pd.files, pf)
		}
	}
	if len(pd.files) == 0 {
		return pd
	}
	rel, err := filepath.Rel(t.root, dir)
	if err != nil {
		rel = dir
	}
	pd.m = newModuleConfig(dir, filepath.ToSlash(rel))
	pd.m.varFiles = moduleVarFiles(dir, entries)
	for _, pf := range pd.files {
		pd.m.files = append(pd.m.files, pf.name)
	}
	for _, pf := range pd.files {
		pd.diags = append(pd.diags, pf.diags...)
		// A file with errors contributes nothing: a half-read resource
		// could pass a rule the whole one fails (see broken.go).
		if pf.broken != nil {
			pd.m.broken = append(pd.m.broken, pf.broken)
		}
		if pf.file == nil || pf.diags.HasErrors() {
			continue
		}
		pd.m.comments[pf.name] = pf.comments
		pd.diags = append(pd.diags, pd.m.addFile(pf.file)...)
	}
	return pd
}

// parseFile reads and parses one file; it touches nothing shared.
func parseFile(pf *parsedFile) {
	var src []byte
	defer func() {
		if pf.diags.HasErrors() {
			pf.broken = newBrokenFile(pf.name, src, pf.diags)
		}
	}()
	src, diags := readFound(pf.name)
	if diags.HasErrors() {
		pf.diags = diags
		return
	}
	if strings.HasSuffix(pf.name, ".json") {
		if d := checkJSONNesting(src, pf.name); d != nil {
			pf.diags = hcl.Diagnostics{d}
			return
		}
		pf.file, pf.diags = hcljson.Parse(src, pf.name)
		return
	}
	if d := checkNesting(src, pf.name, hcl.InitialPos, false); d != nil {
		pf.diags = hcl.Diagnostics{d}
		return
	}
	pf.file, pf.diags = hclsyntax.ParseConfig(src, pf.name, hcl.InitialPos)
	if !pf.diags.HasErrors() {
		boundFileForExprs(pf.file, src)
		pf.comments = suppressionComments(src, pf.name)
	}
}

// linkOutside returns the diagnostic of the file name, the entry e of the
// directory dir, when it is a link that leads outside the allowed roots
// and dir; nil otherwise. A file that is not a link lies in dir, and dir
// in the allowed roots: the walk follows no link, and resolveCall checks
// the directories of modules.
func (t *tree) linkOutside(dir, name string, e fs.DirEntry) *hcl.Diagnostic {
	if e.Type()&fs.ModeSymlink == 0 {
		return nil
	}
	return t.allowed.foundOutside(dir, name)
}

// readVarFile reads a variable file found in a root module's directory
// (terraform.tfvars, *.auto.tfvars), as readFound does, unless it is a
// link that leads outside the allowed roots and that directory.
func (t *tree) readVarFile(path string) ([]byte, hcl.Diagnostics) {
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		if d := t.allowed.foundOutside(filepath.Dir(path), path); d != nil {
			return nil, hcl.Diagnostics{d}
		}
	}
	return readFound(path)
}

// resolveCalls resolves the calls of the modules of t.order not resolved
// yet; t.order grows as calls leave the tree.
func (t *tree) resolveCalls() {
	for ; t.resolved < len(t.order); t.resolved++ {
		m := t.order[t.resolved]
		for _, c := range m.calls {
			t.resolveCall(m, c)
			if c.child != nil {
				t.called[c.child] = true
			}
		}
	}
}

// resolveCall finds the module a local call refers to. A call that is
// not local is resolved for each root module, from what terraform init
// installed for it (see installModules).
func (t *tree) resolveCall(parent *moduleConfig, c *callDecl) {
	if c.source == "" {
		c.unloaded = "it has no valid source"
		return
	}
	if !c.isLocal() {
		c.unloaded = "it is not installed (run terraform init to install it)"
		return
	}
	dir := filepath.Join(parent.dir, filepath.FromSlash(c.source))
	if m, ok := t.configs[dir]; ok {
		c.child = m // a directory already loaded: no need to look at it again
		return
	}
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
	if why := t.allowed.moduleDirOutside(parent.dir, c.source, dir); why != "" {
		c.unloaded = fmt.Sprintf("its directory %s is outside the scanned tree", dir)
		t.diags = append(t.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Module directory outside the scanned tree",
			Detail:   fmt.Sprintf("Module %q has source %q, but %s.", c.name, c.source, why),
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

// checkCLIVariables warns about --var and --var-file values that no root
// module declares: most likely a typo, which would leave the intended
// variable without its value.
func (t *tree) checkCLIVariables(vars *variableSources, roots []*moduleConfig) {
	for _, name := range sortedKeys(vars.cli) {
		declared := false
		for _, m := range roots {
			if _, ok := m.variables[name]; ok {
				declared = true
				break
			}
		}
		if !declared {
			v := vars.cli[name]
			d := &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Value for undeclared variable",
				Detail:   fmt.Sprintf("%s sets %q, but no root module declares a variable of that name.", v.from, name),
			}
			if v.rng.Filename != "" {
				d.Subject = v.rng.Ptr()
			}
			t.diags = append(t.diags, d)
		}
	}
}

// expansionFailures records, for each normalised entity (a trail) whose
// resource's count or for_each (or its module's) is known only after
// apply, that whether it exists is unknown. A List<CloudTrail> rule must
// not pass on a trail that may not be created.
func expansionFailures(entities []*entity.Entity) []entity.Failure {
	var out []entity.Failure
	for _, e := range entities {
		if strings.Contains(e.ID, "[*]") && mappingOf(e.Type) != nil {
			out = append(out, entity.Failure{
				Type: e.Type, Scope: e.Scope, Entity: e.ID,
				File: e.Origin.File, Line: e.Origin.Start.Line, Col: e.Origin.Start.Col,
				Error: "how many instances of " + e.ID + " exist is known only after apply",
			})
		}
	}
	return out
}
