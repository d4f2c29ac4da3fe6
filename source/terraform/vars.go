package terraform

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// variableValue is one value given for a root module variable: an HCL
// expression (tfvars files) or a raw string (--var, TF_VAR_*), which is
// parsed as HCL only when the variable's type is not a primitive.
type variableValue struct {
	expr  hcl.Expression
	raw   string
	isRaw bool
	rng   hcl.Range
	from  string // "TF_VAR_x", "--var", a file name
}

// variableSources are the values from outside the module directories, in
// increasing precedence: the environment, then the command line.
type variableSources struct {
	env map[string]variableValue
	cli map[string]variableValue
}

// rootVariableSources reads TF_VAR_* from the environment and the --var-file
// and --var options. Terraform applies --var-file and --var in the order
// given; vigil receives them in two lists and applies the files first.
func (l *Loader) rootVariableSources() (*variableSources, hcl.Diagnostics) {
	s := &variableSources{env: map[string]variableValue{}, cli: map[string]variableValue{}}
	var diags hcl.Diagnostics
	for _, kv := range l.opts.Environ {
		name, val, ok := strings.Cut(kv, "=")
		if v, isVar := strings.CutPrefix(name, "TF_VAR_"); ok && isVar && v != "" {
			s.env[v] = variableValue{raw: val, isRaw: true, from: name}
		}
	}
	for _, f := range l.opts.VarFiles {
		file, d := readVarFile(f, s.cli, readNamed)
		if file != nil {
			l.addFile(f, file)
		}
		diags = append(diags, d...)
	}
	for _, kv := range l.opts.Vars {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || name == "" || !hclsyntax.ValidIdentifier(name) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid --var option",
				Detail:   fmt.Sprintf("%q is not NAME=VALUE with a valid variable name.", kv),
			})
			continue
		}
		s.cli[name] = variableValue{raw: val, isRaw: true, from: "--var " + name}
	}
	return s, diags
}

// readVarFile reads a .tfvars or .tfvars.json file into into with read
// (readNamed for a --var-file, readFound for one found in a module's
// directory), and returns the parsed file (nil if it could not be parsed)
// for the caller to add to the loader's files.
func readVarFile(path string, into map[string]variableValue, read func(string) ([]byte, hcl.Diagnostics)) (*hcl.File, hcl.Diagnostics) {
	src, diags := read(path)
	if diags.HasErrors() {
		return nil, diags
	}
	var file *hcl.File
	if strings.HasSuffix(path, ".json") {
		if d := checkJSONNesting(src, path); d != nil {
			return nil, hcl.Diagnostics{d}
		}
		file, diags = hcljson.Parse(src, path)
	} else {
		if d := checkNesting(src, path, hcl.InitialPos, false); d != nil {
			return nil, hcl.Diagnostics{d}
		}
		file, diags = hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	}
	if diags.HasErrors() || file == nil {
		return file, diags
	}
	attrs, d := file.Body.JustAttributes()
	diags = append(diags, d...)
	for name, a := range attrs {
		into[name] = variableValue{expr: a.Expr, rng: a.Range, from: path}
	}
	return file, diags
}

// moduleVarFiles lists the variable files Terraform reads from a root
// module's directory, whose entries are given, in the order it applies
// them.
func moduleVarFiles(dir string, entries []fs.DirEntry) []string {
	var files, auto []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		for _, e := range entries {
			if e.Name() == n && isFile(dir, e) {
				files = append(files, filepath.Join(dir, n))
			}
		}
	}
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
			auto = append(auto, filepath.Join(dir, n))
		}
	}
	sort.Strings(auto)
	return append(files, auto...)
}

// isFile reports whether a directory entry is, or links to, something
// other than a directory.
func isFile(dir string, e fs.DirEntry) bool {
	if e.Type()&fs.ModeSymlink == 0 {
		return !e.IsDir()
	}
	st, err := os.Stat(filepath.Join(dir, e.Name()))
	return err == nil && !st.IsDir()
}

// varType is a variable's declared type constraint and optional-attribute
// defaults.
type varType struct {
	ty       cty.Type
	defaults *typeexpr.Defaults
}

// varType returns d's type, worked out once for every root module that
// uses d's module; its diagnostics are reported in each.
func (ev *evaluation) varType(d *variableDecl) *varType {
	d.typeOnce.Do(func() {
		d.vt = varType{ty: cty.DynamicPseudoType}
		if d.typeExpr != nil {
			ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(d.typeExpr)
			d.typeDiags = diags
			if !diags.HasErrors() {
				d.vt.ty, d.vt.defaults = ty, defaults
			}
		}
	})
	for _, diag := range d.typeDiags {
		c := *diag // report writes to it, and other roots share d
		ev.report(hcl.Diagnostics{&c})
	}
	return &d.vt
}

// typed converts v to the variable's type, as Terraform does on assignment.
func (ev *evaluation) typed(d *variableDecl, vt *varType, v cty.Value, rng hcl.Range) cty.Value {
	if vt.defaults != nil {
		v = vt.defaults.Apply(v)
	}
	out, err := convert.Convert(v, vt.ty)
	if err != nil {
		ev.report(hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail:   fmt.Sprintf("The value for variable %q is not %s: %s.", d.name, typeexpr.TypeString(vt.ty), err),
			Subject:  rng.Ptr(),
		}})
		return unknownMaybeNull(fmt.Sprintf("variable %s has a value of the wrong type", d.name))
	}
	return out
}

func (ev *evaluation) defaultValue(d *variableDecl, vt *varType) cty.Value {
	v, diags := d.def.Value(nil)
	ev.report(diags)
	if diags.HasErrors() {
		return unknownMaybeNull(fmt.Sprintf("the default of variable %s could not be evaluated", d.name))
	}
	if v.IsNull() {
		return cty.NullVal(vt.ty)
	}
	return ev.typed(d, vt, v, d.def.Range())
}

// rootVariables computes the value of every variable of a root module from,
// in increasing precedence: its default, TF_VAR_*, terraform.tfvars(.json),
// *.auto.tfvars(.json) (read into inDir), then --var-file and --var. A variable with none of
// these is an Unknown that may be null.
func (ev *evaluation) rootVariables(m *moduleConfig, s *variableSources, inDir map[string]variableValue) map[string]cty.Value {
	for _, name := range sortedKeys(inDir) {
		if _, ok := m.variables[name]; !ok {
			v := inDir[name]
			ev.report(hcl.Diagnostics{{
				Severity: hcl.DiagWarning,
				Summary:  "Value for undeclared variable",
				Detail:   fmt.Sprintf("%s sets %q, but the module in %s declares no such variable.", v.from, name, m.dir),
				Subject:  v.rng.Ptr(),
			}})
		}
	}
	vals := make(map[string]cty.Value, len(m.variables))
	for name, d := range m.variables {
		vt := ev.varType(d)
		given, ok := s.cli[name]
		if !ok {
			given, ok = inDir[name]
		}
		if !ok {
			given, ok = s.env[name]
		}
		switch {
		case ok:
			vals[name] = ev.typed(d, vt, ev.givenValue(name, vt, given), given.rng)
		case d.def != nil:
			vals[name] = ev.defaultValue(d, vt)
		default:
			vals[name] = cty.UnknownVal(vt.ty).Mark(reasonMark(fmt.Sprintf(
				"variable %s has no value (no default, tfvars, --var or TF_VAR_%s)", name, name)))
		}
		if d.sensitive {
			vals[name] = markSensitive(vals[name], ev.t.secrets)
		}
	}
	return vals
}

func (ev *evaluation) givenValue(name string, vt *varType, g variableValue) cty.Value {
	if !g.isRaw {
		v, diags := g.expr.Value(nil)
		ev.report(diags)
		if diags.HasErrors() {
			return unknownMaybeNull(fmt.Sprintf("the value of variable %s in %s could not be evaluated", name, g.from))
		}
		return v
	}
	if vt.ty == cty.DynamicPseudoType || vt.ty.IsPrimitiveType() {
		return cty.StringVal(g.raw)
	}
	diags := hcl.Diagnostics{}
	if d := checkNesting([]byte(g.raw), g.from, hcl.InitialPos, false); d != nil {
		diags = append(diags, d)
	}
	var expr hclsyntax.Expression
	if !diags.HasErrors() {
		expr, diags = hclsyntax.ParseExpression([]byte(g.raw), g.from, hcl.InitialPos)
	}
	if diags.HasErrors() {
		ev.report(diags)
		return unknownMaybeNull(fmt.Sprintf("the value of variable %s in %s does not parse", name, g.from))
	}
	v, diags := expr.Value(nil)
	ev.report(diags)
	if diags.HasErrors() {
		return unknownMaybeNull(fmt.Sprintf("the value of variable %s in %s could not be evaluated", name, g.from))
	}
	return v
}
