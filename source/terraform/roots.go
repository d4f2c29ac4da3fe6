package terraform

// The scanned tree is the boundary of what a load reads. A configuration
// is a stranger's: without a boundary, file("~/.aws/credentials"),
// file("/proc/self/environ") or a link env.tf -> /proc/self/environ in
// the tree put the files of the machine that runs the scan into every
// report and onto stderr.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// allowedRoots (the roots, for short) are the directories whose files a
// load may read, absolute and with their symbolic links resolved: the
// scanned tree, the directories of the local modules it calls from outside
// it (a root in envs/prod calling ../../modules/x), and those the caller
// allows (Options.AllowPaths). What terraform init installed under a root
// module's .terraform/modules lies in the tree. A path is checked once
// resolved, so that neither a link in the tree that leads out nor a ".."
// escapes.
//
// The roots are built before root modules are evaluated, and only read
// while they are, on several goroutines.
type allowedRoots struct {
	dirs []string
	// repo is the root of the version-control checkout that holds the
	// scanned tree, resolved; "" when there is none. A local module
	// outside the tree is loaded only from within it.
	repo string
}

// newAllowedRoots returns the roots of a load of the directory tree, with
// the allowed paths; a path that cannot be resolved is reported.
func newAllowedRoots(tree string, allow []string) (*allowedRoots, hcl.Diagnostics) {
	r := &allowedRoots{}
	var diags hcl.Diagnostics
	for i, dir := range append([]string{tree}, allow...) {
		real, err := resolve(dir)
		if err == nil {
			_, err = os.Stat(real)
		}
		if err != nil {
			what := "the scanned directory"
			if i > 0 {
				what = "an allowed path (--allow-path)"
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cannot resolve directory",
				Detail:   fmt.Sprintf("%s, %s, cannot be resolved: %v.", shownPath(dir), what, unwrapPath(err)),
			})
			continue
		}
		if i == 0 {
			r.repo = checkoutRoot(real)
		}
		r.add(real)
	}
	return r, diags
}

// checkoutRoot returns the nearest directory that holds dir and a .git
// entry (a directory, or the file of a worktree or submodule), or "".
func checkoutRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// add makes real, a resolved directory, a root, unless a root holds it.
func (r *allowedRoots) add(real string) {
	if !r.holds(real) {
		r.dirs = append(r.dirs, real)
	}
}

// holds reports whether real, a resolved path, is a root or lies in one.
func (r *allowedRoots) holds(real string) bool {
	for _, d := range r.dirs {
		if within(d, real) {
			return true
		}
	}
	return false
}

// within reports whether the path p is dir or lies under it; both are
// absolute and clean.
func within(dir, p string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// check returns where the file at p leads, resolved, when that lies in
// the roots, or else an *outsideError; subject is what the configuration
// did (`file("/proc/self/environ") reads`).
func (r *allowedRoots) check(subject, p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	real, err := resolve(abs)
	if err == nil && r.holds(real) {
		return real, nil
	}
	e := &outsideError{subject: subject + " " + shownPath(abs), real: real, moved: real != abs}
	if err != nil {
		e.real = ""
	}
	return "", e
}

// maxLinkHops is how many links resolve follows to find where a link
// that leads nowhere would lead, as Linux does.
const maxLinkHops = 40

// resolve returns the absolute path p names, with its symbolic links and
// ".." followed as opening it would. The last elements of a path that
// does not exist, which cannot be links, are kept as they are after the
// part that exists, and a link to such a path leads there; a link that
// cannot be followed (a loop) is an error.
func resolve(p string) (string, error) { return resolveHops(p, 0) }

func resolveHops(p string, hops int) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err == nil {
		return real, nil
	}
	st, lerr := os.Lstat(abs)
	switch {
	case errors.Is(lerr, fs.ErrNotExist):
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", err
		}
		realParent, err := resolveHops(parent, hops)
		if err != nil {
			return "", err
		}
		return filepath.Join(realParent, filepath.Base(abs)), nil
	case lerr == nil && st.Mode()&fs.ModeSymlink != 0 && hops < maxLinkHops:
		// A link that leads nowhere: where it would lead, from the
		// directory that holds it.
		target, rerr := os.Readlink(abs)
		if rerr != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			realParent, err := resolveHops(filepath.Dir(abs), hops)
			if err != nil {
				return "", err
			}
			target = filepath.Join(realParent, target)
		}
		return resolveHops(target, hops+1)
	}
	return "", err
}

// outsideError is a file a configuration names, or a file found in a
// directory is a link to, outside the roots. Its message says where the
// path leads, never what the file holds.
type outsideError struct {
	// subject is what leads out: `file("~/x") reads /home/ci/x`,
	// `fileset(".", "**") finds sub/x.json`, or a found file's name.
	subject string
	// real is where it leads, with links resolved; "" when that cannot be
	// told (a link loop).
	real string
	// moved is set when real is not the path the subject names: a link
	// or a ~ lies on the way.
	moved bool
	// link is set when the subject is a link found in a directory.
	link bool
}

func (e *outsideError) Error() string {
	var tail string
	switch {
	case e.real == "":
		tail = ", which leads where vigil cannot tell (a loop of links)"
	case e.link:
		tail = " links to " + shownPath(e.real) + ", outside the scanned tree and the modules it calls"
	case e.moved:
		tail = ", which leads to " + shownPath(e.real) + ", outside the scanned tree and the modules it calls"
	default:
		tail = ", which is outside the scanned tree and the modules it calls"
	}
	return e.subject + tail + "; vigil does not read it (use --allow-path DIR to allow a directory)"
}

// outsideSummary is the summary of the diagnostic of an outsideError.
const outsideSummary = "File outside the scanned tree"

// foundOutside returns the diagnostic of name, a file found in the
// directory dir (a .tf, .tf.json or variable file), when it is a link that
// leads outside the roots and dir itself: such a file is not read, so
// that its content cannot reach a parse error's snippet.
func (r *allowedRoots) foundOutside(dir, name string) *hcl.Diagnostic {
	if err := r.checkLink(dir, name, name); err != nil {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  outsideSummary,
			Detail:   err.Error() + ".",
			Subject:  &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos},
		}
	}
	return nil
}

// checkLink returns nil when the link at p, in the directory dir, leads
// within the roots or dir, or else an *outsideError whose subject is
// subject.
func (r *allowedRoots) checkLink(dir, subject, p string) error {
	real, err := resolve(p)
	if err != nil {
		return &outsideError{subject: subject}
	}
	if r.holds(real) {
		return nil
	}
	if realDir, err := resolve(dir); err == nil && within(realDir, real) {
		return nil
	}
	return &outsideError{subject: subject, real: real, link: true}
}

// moduleDirOutside returns why the directory dir of a local module call
// from the module in parentDir, with the given source, is not loaded, or
// "" when it may be. A source may lead out of the tree by its own ".."
// (../../modules/x), but not through a link: a link in the tree to a
// directory outside it is not followed.
func (r *allowedRoots) moduleDirOutside(parentDir, source, dir string) string {
	real, err := resolve(dir)
	if err != nil {
		return fmt.Sprintf("%s cannot be resolved: %v", dir, unwrapPath(err))
	}
	if r.holds(real) {
		return ""
	}
	if realParent, err := resolve(parentDir); err == nil && filepath.Join(realParent, filepath.FromSlash(source)) == real {
		// No link on the way. A checkout's modules may be called from a
		// root scanned on its own (envs/prod calling ../../modules/x), but
		// a source that climbs out of the checkout would open the rest of
		// the machine (another repository's terraform.tfvars) to the
		// configuration's file functions.
		if r.repo == "" || within(r.repo, real) {
			return ""
		}
		return fmt.Sprintf("%s is outside the scanned tree and the repository that holds it (%s); vigil does not load it (use --allow-path DIR to allow a directory)", dir, shownPath(r.repo))
	}
	return fmt.Sprintf("%s leads through a symbolic link to %s, which is outside the scanned tree; vigil does not follow it (use --allow-path DIR to allow a directory)", dir, shownPath(real))
}

// outsideRoots returns the outsideError that made a function call among
// diags fail, or nil.
func outsideRoots(diags hcl.Diagnostics) error {
	_, err := outsideIn(diags)
	return err
}

// outsideIn returns the first diagnostic among diags of a function call
// that failed with an outsideError, and its error (which may wrap the
// outsideError); nil, nil when there is none. HCL gives every such
// diagnostic a subject, the call.
func outsideIn(diags hcl.Diagnostics) (*hcl.Diagnostic, error) {
	for _, d := range diags {
		var err *outsideError
		if extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d); ok && d.Subject != nil && errors.As(extra.FunctionCallError(), &err) {
			return d, extra.FunctionCallError()
		}
	}
	return nil, nil
}

// outsideDiags gives the diagnostic of each function call that failed
// with an outsideError its own summary, and the error as its detail, in
// place of HCL's "Error in function call".
func outsideDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		var err *outsideError
		if extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d); ok && errors.As(extra.FunctionCallError(), &err) {
			d.Summary = outsideSummary
			d.Detail = extra.FunctionCallError().Error() + "."
		}
	}
	return diags
}

// fileCall is how a file function's message shows the call: its name and
// the values of its arguments, file("~/.aws/credentials").
func fileCall(name string, args ...string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = strconv.Quote(a)
	}
	return name + "(" + strings.Join(q, ", ") + ")"
}

// shownPath is p as a message shows it: quoted when it holds anything but
// printable characters, so that a path cannot write to the terminal.
func shownPath(p string) string {
	if strconv.CanBackquote(p) && !strings.ContainsAny(p, "`") {
		return p
	}
	return strconv.Quote(p)
}

// unwrapPath drops the path an *fs.PathError repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// tryChecked and canChecked are try and can, but an argument that fails
// because it reads a file outside the roots, or goes past a limit on what
// evaluation builds (see diagsLimit), fails the call, with that error:
// falling back to the next argument would give a value that Terraform,
// which reads the file or builds the value, may not give. The call's
// value is then unknown.
var (
	tryChecked = function.New(&function.Spec{
		VarParam: tryfunc.TryFunc.VarParam(),
		Type: func(args []cty.Value) (cty.Type, error) {
			v, err := tryValue(args)
			if err != nil {
				return cty.NilType, err
			}
			return v.Type(), nil
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return tryValue(args) },
	})
	canChecked = function.New(&function.Spec{
		Params: tryfunc.CanFunc.Params(),
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, diags := customdecode.ExpressionClosureFromVal(args[0]).Value()
			switch {
			case outsideRoots(diags) != nil:
				return cty.UnknownVal(cty.Bool), outsideRoots(diags)
			case diagsLimit(diags) != nil:
				return cty.UnknownVal(cty.Bool), diagsLimit(diags)
			case diags.HasErrors():
				return cty.False, nil
			case !v.IsWhollyKnown():
				return cty.UnknownVal(cty.Bool), nil
			}
			return cty.True, nil
		},
	})
)

// tryValue is what try gives, as hcl's tryfunc computes it, or the
// outsideError of an argument that read outside the roots, or the limit
// an argument went past.
func tryValue(args []cty.Value) (cty.Value, error) {
	for _, arg := range args {
		v, diags := customdecode.ExpressionClosureFromVal(arg).Value()
		if err := outsideRoots(diags); err != nil {
			return cty.NilVal, err
		}
		if err := diagsLimit(diags); err != nil {
			return cty.NilVal, err
		}
		if diags.HasErrors() {
			continue
		}
		if !v.IsWhollyKnown() {
			return cty.DynamicVal, nil
		}
		return v, nil
	}
	return tryfunc.TryFunc.Call(args) // none succeeded: try's own error lists why
}
