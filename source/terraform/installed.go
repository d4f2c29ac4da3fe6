package terraform

// Modules that terraform init installed. A module call whose source is
// not a local directory (a registry, git or HTTP source) names a module
// that "terraform init" downloads into the root module's
// .terraform/modules directory and records in .terraform/modules/modules.json:
//
//	{"Modules": [{"Key": "trail", "Source": "registry.terraform.io/acme/cloudtrail/aws",
//	              "Version": "2.1.0", "Dir": ".terraform/modules/trail"}, ...]}
//
// Key is the call's path from the root module, the names of the calls
// joined by dots ("audit.alarms": the call "alarms" of the module the root
// calls "audit"), without count or for_each keys; Dir is where the module
// lies, relative to the root module. A call is loaded from its Dir as a
// local module would be. Since the key depends on the root module, the
// same module file may call a registry module that each root installed in
// its own directory: installed modules are resolved per root module.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// manifestPath is where terraform init records the modules it installed,
// relative to the root module.
const manifestPath = ".terraform/modules/modules.json"

// maxModuleKeys is how many module calls the walk from one root module
// through its modules follows to find what terraform init installed: a
// module that calls itself twice would otherwise give 2^MaxModuleDepth
// keys.
const maxModuleKeys = 10_000

// installedCall is what terraform init installed for one module call of
// one root module: its module, or why there is none.
type installedCall struct {
	cfg *moduleConfig
	why string // when cfg is nil: why the module is not loaded
}

// manifestEntry is one module of modules.json.
type manifestEntry struct {
	Key     string
	Source  string
	Version string
	Dir     string
}

// joinKey is the key of the call name in the module whose key is parent
// ("" for the root module).
func joinKey(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// installModules finds, for the root module root, the module of every
// call that is not local, from the calls of root and of the modules it
// calls, and loads it; t.installed[root] holds the result by key. A call
// whose module is not installed is reported once, with what to do.
//
// The walk follows the keys the manifest lists: below a key under which
// it lists nothing, each call that is not local is reported once and the
// paths to it are not gone through (a module that calls itself twice has
// 2^MaxModuleDepth of them).
func (t *tree) installModules(root *moduleConfig) {
	calls := map[string]*installedCall{}
	put(&t.installed, root, calls)
	if !t.callsRemote(root) {
		return
	}
	manifest, noManifest := t.readManifest(root)
	// listed holds each key the manifest lists a module under: its keys
	// and their prefixes.
	listed := map[string]bool{"": true}
	for k := range manifest {
		for p := k; !listed[p]; {
			listed[p] = true
			i := strings.LastIndexByte(p, '.')
			if i < 0 {
				break
			}
			p = p[:i]
		}
	}
	reported := map[*callDecl]bool{}
	missing := func(c *callDecl, key string) {
		if !reported[c] {
			reported[c] = true
			t.notInstalled(root, c, key, noManifest)
		}
	}
	visited := 0
	var visit func(cfg *moduleConfig, key string, depth int)
	visit = func(cfg *moduleConfig, key string, depth int) {
		if depth > MaxModuleDepth || !t.callsRemote(cfg) {
			return // evaluation reports the depth
		}
		if !listed[key] {
			t.eachRemoteCall(cfg, key, map[*moduleConfig]bool{}, missing)
			return
		}
		// The calls that are not local first, so that a call is reported
		// under its shortest key, not under that of a way back to it.
		for _, c := range remoteFirst(cfg.calls) {
			if visited++; visited > maxModuleKeys {
				if visited == maxModuleKeys+1 {
					t.diags = append(t.diags, &hcl.Diagnostic{
						Severity: hcl.DiagError,
						Summary:  "Too many module calls",
						Detail:   fmt.Sprintf("The modules of the root module in %s make more than %d module calls; vigil looks no further for the modules terraform init installed, and treats the others as not installed.", root.dir, maxModuleKeys),
						Subject:  c.rng.Ptr(),
					})
				}
				return
			}
			k := joinKey(key, c.name)
			switch {
			case c.isLocal():
				if c.child != nil {
					visit(c.child, k, depth+1)
				}
			case c.source == "":
			case manifest[k].Key == "":
				missing(c, k)
			default:
				in := t.installedModule(root, c, k, manifest[k])
				calls[k] = in
				if in.cfg != nil {
					visit(in.cfg, k, depth+1)
				}
			}
		}
	}
	visit(root, "", 0)
}

// eachRemoteCall calls fn with each call that is not local of cfg, whose
// key is key, and of the local modules it calls, once per module (seen
// holds those done), with the key it is first found under.
func (t *tree) eachRemoteCall(cfg *moduleConfig, key string, seen map[*moduleConfig]bool, fn func(c *callDecl, key string)) {
	if seen[cfg] {
		return
	}
	seen[cfg] = true
	for _, c := range remoteFirst(cfg.calls) {
		switch {
		case c.isLocal():
			if c.child != nil {
				t.eachRemoteCall(c.child, joinKey(key, c.name), seen, fn)
			}
		case c.source != "":
			fn(c, joinKey(key, c.name))
		}
	}
}

// remoteFirst returns calls, those that are not local first.
func remoteFirst(calls []*callDecl) []*callDecl {
	out := make([]*callDecl, 0, len(calls))
	for _, local := range []bool{false, true} {
		for _, c := range calls {
			if c.isLocal() == local {
				out = append(out, c)
			}
		}
	}
	return out
}

// callsRemote reports whether cfg, or a local module it calls, has a call
// that is not local.
func (t *tree) callsRemote(cfg *moduleConfig) bool {
	r, _ := t.remoteIn(cfg, map[*moduleConfig]bool{})
	return r
}

// remoteIn is callsRemote; seen holds the modules on the way, which call
// each other. cut is set when the answer is false only because the way
// came back to one of them: such an answer is not remembered, since from
// elsewhere it may be true.
func (t *tree) remoteIn(cfg *moduleConfig, seen map[*moduleConfig]bool) (r, cut bool) {
	if r, ok := t.remote[cfg]; ok {
		return r, false
	}
	if seen[cfg] {
		return false, true
	}
	seen[cfg] = true
	defer delete(seen, cfg)
	for _, c := range cfg.calls {
		if !c.isLocal() && c.source != "" {
			r = true
			break
		}
		if c.child != nil {
			childR, childCut := t.remoteIn(c.child, seen)
			cut = cut || childCut
			if childR {
				r = true
				break
			}
		}
	}
	if r || !cut {
		put(&t.remote, cfg, r)
	}
	return r, cut && !r
}

// initHint says how to install the modules of the root module root.
func (t *tree) initHint(root *moduleConfig) string {
	if root.rel == "." && t.root == root.dir {
		return "run terraform init to install it"
	}
	return fmt.Sprintf("run terraform init in %s to install it", shownPath(root.dir))
}

// notInstalled reports that the module of the call c, whose key is key, of
// the root module root is not installed: its manifest does not list it,
// or there is none (noManifest says why).
func (t *tree) notInstalled(root *moduleConfig, c *callDecl, key, noManifest string) {
	where := noManifest
	if where == "" {
		where = fmt.Sprintf("%s lists no module %q", filepath.Join(root.dir, manifestPath), key)
	}
	t.diags = append(t.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  "Module not installed",
		Detail: fmt.Sprintf("Module %q (source %q) is not installed: %s. vigil does not download modules: %s. Until then its outputs are unknown and the resources it creates are not checked.",
			key, c.source, where, t.initHint(root)),
		Subject: c.srcRng.Ptr(),
	})
}

// installedModule returns the module the manifest entry e says is
// installed for the call c, whose key is key, of the root module root,
// loading it. A module that cannot be loaded is reported.
func (t *tree) installedModule(root *moduleConfig, c *callDecl, key string, e manifestEntry) *installedCall {
	init := t.initHint(root)
	notLoaded := func(summary, detail, why string, sev hcl.DiagnosticSeverity) *installedCall {
		t.diags = append(t.diags, &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Subject: c.srcRng.Ptr()})
		return &installedCall{why: why}
	}
	if filepath.IsAbs(e.Dir) || e.Dir == "" {
		return notLoaded("Invalid module manifest",
			fmt.Sprintf("%s gives module %q the directory %s; terraform init writes a directory relative to the root module. vigil does not load it: %s.", filepath.Join(root.dir, manifestPath), key, shownPath(e.Dir), init),
			fmt.Sprintf("module %s is not installed (%s)", key, init), hcl.DiagError)
	}
	dir := filepath.Join(root.dir, filepath.FromSlash(e.Dir))
	if why := t.installedDirOutside(root.dir, filepath.FromSlash(e.Dir)); why != "" {
		return notLoaded("Module directory outside the scanned tree",
			fmt.Sprintf("Module %q is installed in %s; vigil does not load it.", key, why),
			fmt.Sprintf("the directory of module %s is outside the scanned tree", key), hcl.DiagError)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return notLoaded("Module not installed",
			fmt.Sprintf("Module %q (source %q) is listed in %s, but its directory %s is missing: %s. Until then its outputs are unknown and the resources it creates are not checked.", key, c.source, filepath.Join(root.dir, manifestPath), shownPath(dir), init),
			fmt.Sprintf("module %s is not installed (%s)", key, init), hcl.DiagWarning)
	}
	if normalSource(e.Source) != normalSource(c.source) {
		t.diags = append(t.diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Installed module has another source",
			Detail:   fmt.Sprintf("Module %q asks for %q, but terraform init installed it from %q; vigil checks the module installed in %s. Run terraform init to install the one the configuration asks for.", key, c.source, e.Source, shownPath(dir)),
			Subject:  c.srcRng.Ptr(),
		})
	}
	child := t.loadDir(dir)
	if child == nil {
		return notLoaded("Module directory is empty",
			fmt.Sprintf("Module %q is installed in %s, which has no .tf or .tf.json files.", key, shownPath(dir)),
			fmt.Sprintf("the directory of module %s has no Terraform files", key), hcl.DiagError)
	}
	// Its own local calls ("./modules/x") resolve as any module's.
	t.resolveCalls()
	return &installedCall{cfg: child}
}

// installedDirOutside returns why rel, the directory relative to the root
// module in rootDir where its manifest says a module is installed, is not
// loaded, or "" when it lies within rootDir once its links and ".." are
// resolved: a manifest is a file of the tree, written by whoever wrote the
// tree, and a link in the tree that leads out is not followed.
func (t *tree) installedDirOutside(rootDir, rel string) string {
	dir := filepath.Join(rootDir, rel)
	realRoot, err := resolve(rootDir)
	if err != nil {
		return fmt.Sprintf("%s, which cannot be resolved: %v", shownPath(dir), unwrapPath(err))
	}
	real, err := resolve(dir)
	if err != nil {
		return fmt.Sprintf("%s, which cannot be resolved: %v", shownPath(dir), unwrapPath(err))
	}
	if within(realRoot, real) && t.allowed.holds(real) {
		return ""
	}
	if real != filepath.Join(realRoot, rel) {
		return fmt.Sprintf("%s, which leads through a symbolic link to %s, outside the root module's directory", shownPath(dir), shownPath(real))
	}
	return fmt.Sprintf("%s, outside the root module's directory", shownPath(dir))
}

// readManifest reads the modules.json of the root module root, by key;
// when there is none, or it cannot be read, the map is nil and the string
// says why (an unreadable manifest is also reported).
func (t *tree) readManifest(root *moduleConfig) (map[string]manifestEntry, string) {
	path := filepath.Join(root.dir, filepath.FromSlash(manifestPath))
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Sprintf("there is no %s", path)
	}
	if _, err := t.allowed.check("the module manifest", path); err != nil {
		t.diags = append(t.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  outsideSummary,
			Detail:   err.Error() + ".",
			Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
		})
		return nil, fmt.Sprintf("%s leads outside the scanned tree", path)
	}
	data, diags := readFound(path)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Subject == nil {
				d.Subject = &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos}
			}
		}
		t.diags = append(t.diags, diags...)
		return nil, fmt.Sprintf("%s cannot be read", path)
	}
	var m struct{ Modules []manifestEntry }
	if err := json.Unmarshal(data, &m); err != nil {
		pos := hcl.InitialPos
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			pos = positionAt(data, max(syn.Offset-1, 0))
		case errors.As(err, &typ):
			pos = positionAt(data, typ.Offset)
		}
		t.diags = append(t.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid module manifest",
			Detail:   fmt.Sprintf("%s is not the module manifest terraform init writes: %v. Run terraform init again.", path, err),
			Subject:  &hcl.Range{Filename: path, Start: pos, End: pos},
		})
		return nil, fmt.Sprintf("%s cannot be read", path)
	}
	out := make(map[string]manifestEntry, len(m.Modules))
	for _, e := range m.Modules {
		if e.Key != "" {
			out[e.Key] = e
		}
	}
	return out, ""
}

// positionAt is the line and column of the byte at offset in data.
func positionAt(data []byte, offset int64) hcl.Pos {
	offset = min(offset, int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return hcl.Pos{Line: line, Column: col, Byte: int(offset)}
}

// normalSource is a module source as terraform init records it, for
// comparing a call's source with the manifest's: the public registry's
// host is implied, and a GitHub shorthand is a git source over HTTPS.
func normalSource(s string) string {
	s = strings.TrimPrefix(s, "registry.terraform.io/")
	if rest, ok := strings.CutPrefix(s, "github.com/"); ok {
		repo, tail, _ := strings.Cut(rest, "//")
		query := ""
		if i := strings.IndexByte(repo, '?'); i >= 0 {
			repo, query = repo[:i], repo[i:]
		}
		s = "git::https://github.com/" + strings.TrimSuffix(repo, ".git") + ".git"
		if tail != "" {
			s += "//" + tail
		}
		s += query
	}
	return s
}
