package report

// This file places SARIF results: a file region for whatever has a file,
// relative to %SRCROOT% (the directory vigil ran in) so that code-scanning
// services can annotate it, and logical locations (the account, region and
// ARN of a live resource; the root module and address of code).

import (
	"cmp"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"vigil/engine"
	"vigil/entity"
)

// srcRoot is the uriBaseId of relative artifact URIs.
const srcRoot = "%SRCROOT%"

// sarifLocator places the results of one report.
type sarifLocator struct {
	// root is Options.SourceRoot, absolute and clean; "" when not given.
	root string
	// scopeKinds maps each scope ID to its kind.
	scopeKinds map[string]string
	// inScope lists the entities with a file of each scope, in file and
	// line order, for the findings of List<E> rules on a root module.
	inScope map[string][]*entity.Entity
}

func newSarifLocator(v *view, root string) *sarifLocator {
	l := &sarifLocator{scopeKinds: scopeKinds(v.run), inScope: map[string][]*entity.Entity{}}
	if root != "" {
		if abs, err := filepath.Abs(root); err == nil {
			l.root = abs
		}
	}
	seen := map[*entity.Entity]bool{}
	for _, f := range v.run.Findings {
		if e := f.Entity; e != nil && e.Origin.File != "" && !seen[e] {
			seen[e] = true
			l.inScope[e.Scope] = append(l.inScope[e.Scope], e)
		}
	}
	for _, es := range l.inScope {
		slices.SortStableFunc(es, func(a, b *entity.Entity) int {
			return cmp.Or(strings.Compare(a.Origin.File, b.Origin.File), cmp.Compare(a.Origin.Start.Line, b.Origin.Start.Line),
				strings.Compare(a.ID, b.ID), strings.Compare(a.Type, b.Type))
		})
	}
	return l
}

// base is what %SRCROOT% stands for: the directory vigil ran in, as a
// file URI, or only a description when it is not known.
func (l *sarifLocator) base() sarifArtifactLocation {
	if l.root == "" {
		return sarifArtifactLocation{Description: &sarifText{Text: "The directory vigil ran in; relative paths of the scan are relative to it."}}
	}
	return sarifArtifactLocation{URI: fileURI(l.root + string(filepath.Separator))}
}

// artifact locates a file named as the run names it (relative to where
// vigil ran, or absolute): relative to %SRCROOT% when it lies under it,
// else by its absolute file URI.
func (l *sarifLocator) artifact(file string) sarifArtifactLocation {
	rel := file
	if filepath.IsAbs(file) || strings.HasPrefix(filepath.ToSlash(file), "/") {
		if l.root == "" {
			return sarifArtifactLocation{URI: fileURI(file)}
		}
		r, err := filepath.Rel(l.root, file)
		if err != nil {
			return sarifArtifactLocation{URI: fileURI(file)}
		}
		rel = r
	}
	rel = filepath.Clean(rel)
	if rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		if l.root == "" {
			return sarifArtifactLocation{URI: fileURI(rel)}
		}
		return sarifArtifactLocation{URI: fileURI(filepath.Join(l.root, rel))}
	}
	return sarifArtifactLocation{URI: fileURI(rel), URIBaseID: srcRoot}
}

// of places a finding: at its entity's file region and logical locations,
// or for a List<E> finding at its scope. A finding whose entity has no
// file (a List<E> finding has no entity) is placed in the file of the
// first entity its message names (Finding.Related) that has one, else, on
// a root module, as moduleFile says. ok is false when there is nothing to
// say.
func (l *sarifLocator) of(f *engine.Finding) (loc sarifLocation, ok bool) {
	e := f.Entity
	switch named := firstInFile(f.Related); {
	case e != nil && e.Origin.File != "":
		loc.PhysicalLocation = l.physical(e)
	case named != nil:
		loc.PhysicalLocation = l.physical(named)
	case e == nil && f.Scope != "" && l.scopeKinds[f.Scope] == entity.ScopeTerraformModule:
		loc.PhysicalLocation = l.moduleFile(f)
	}
	if e == nil {
		if f.Scope != "" {
			loc.LogicalLocations = l.scope(f.Scope)
		}
		return loc, loc.PhysicalLocation != nil || loc.LogicalLocations != nil
	}
	if e.ID != "" {
		loc.LogicalLocations = []sarifLogicalLocation{{Name: entity.Shown(e.Name), FullyQualifiedName: entity.Shown(e.ID), Kind: "resource"}}
	}
	if e.Origin.File == "" && e.Region != "" {
		loc.LogicalLocations = append(loc.LogicalLocations, sarifLogicalLocation{Name: entity.Shown(e.Region),
			FullyQualifiedName: entity.Shown(cmp.Or(e.Scope, f.Scope) + "/" + e.Region), Kind: "namespace"})
	}
	if scope := cmp.Or(e.Scope, f.Scope); scope != "" {
		loc.LogicalLocations = append(loc.LogicalLocations, l.scope(scope)...)
	}
	return loc, loc.PhysicalLocation != nil || loc.LogicalLocations != nil
}

// scope is the logical location of a scope: an account is a namespace, a
// root module a module.
func (l *sarifLocator) scope(id string) []sarifLogicalLocation {
	kind := "namespace"
	if l.scopeKinds[id] == entity.ScopeTerraformModule {
		kind = "module"
	}
	return []sarifLogicalLocation{{Name: entity.Shown(id), FullyQualifiedName: entity.Shown(id), Kind: kind}}
}

// physical is the file region of an entity.
func (l *sarifLocator) physical(e *entity.Entity) *sarifPhysicalLocation {
	pl := &sarifPhysicalLocation{ArtifactLocation: l.artifact(e.Origin.File)}
	if s := e.Origin.Start; s.Line > 0 {
		pl.Region = &sarifRegion{StartLine: s.Line}
		if s.Col > 0 {
			pl.Region.StartColumn = s.Col
		}
		if end := e.Origin.End.Line; end >= s.Line {
			pl.Region.EndLine = end
		}
	}
	return pl
}

// moduleFile places the finding of a List<E> rule on a root module, which
// is about no one resource and names none with a file, where code
// scanning can show it: at the first entity of the rule's type in the
// module (the first of any type when it has none of the rule's), or at the
// module's directory when it declares nothing the run saw.
func (l *sarifLocator) moduleFile(f *engine.Finding) *sarifPhysicalLocation {
	es := l.inScope[f.Scope]
	for _, e := range es {
		if e.Type == f.Rule.Entity {
			return l.physical(e)
		}
	}
	if len(es) > 0 {
		return l.physical(es[0])
	}
	dir := l.artifact(f.Scope)
	if !strings.HasSuffix(dir.URI, "/") {
		dir.URI += "/"
	}
	return &sarifPhysicalLocation{ArtifactLocation: dir}
}

// related are the result's related locations: each entity the finding's
// message names, numbered from 1, with its file region when it has one
// (else its logical location) and its ID as message.
func (l *sarifLocator) related(f *engine.Finding) []sarifLocation {
	var out []sarifLocation
	for _, e := range f.Related {
		loc := sarifLocation{ID: len(out) + 1, Message: &sarifText{Text: cmp.Or(entity.Shown(e.ID), entity.Shown(e.Name), e.Type)}}
		if e.Origin.File != "" {
			loc.PhysicalLocation = l.physical(e)
		} else {
			loc.LogicalLocations = []sarifLogicalLocation{{Name: entity.Shown(e.Name), FullyQualifiedName: entity.Shown(e.ID), Kind: "resource"}}
		}
		out = append(out, loc)
	}
	return out
}

// firstInFile is the first of the entities that has a file, or nil.
func firstInFile(es []*entity.Entity) *entity.Entity {
	for _, e := range es {
		if e.Origin.File != "" {
			return e
		}
	}
	return nil
}

// fileURI turns a file path into a URI reference: relative paths stay
// relative with forward slashes, absolute paths become file:// URIs, and
// characters a URI cannot hold are escaped.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) || strings.HasPrefix(p, "/") {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // Windows drive letter
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}
