package terraform

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar"
	"github.com/hashicorp/go-cty-funcs/cidr"
	"github.com/hashicorp/go-cty-funcs/collection"
	"github.com/hashicorp/go-cty-funcs/crypto"
	"github.com/hashicorp/go-cty-funcs/encoding"
	"github.com/hashicorp/go-cty-funcs/filesystem"
	"github.com/hashicorp/go-cty-funcs/uuid"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	ctyyaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"vigil/entity"
)

// baseFunctions are the Terraform functions that do not depend on a
// module's directory.
var baseFunctions = map[string]function.Function{
	"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc, "log": stdlib.LogFunc,
	"max": stdlib.MaxFunc, "min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc,
	"signum": stdlib.SignumFunc,

	"chomp": stdlib.ChompFunc, "format": boundPadding(stdlib.FormatFunc, formatPadding), "formatlist": boundPadding(stdlib.FormatListFunc, formatPadding),
	"indent": boundPadding(stdlib.IndentFunc, indentPadding), "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc,
	"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "split": stdlib.SplitFunc,
	"strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "title": stdlib.TitleFunc, "trim": stdlib.TrimFunc,
	"trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc, "trimspace": stdlib.TrimSpaceFunc,
	"replace": replaceFunc, "startswith": startsWithFunc, "endswith": endsWithFunc, "strcontains": strContainsFunc,

	"chunklist": stdlib.ChunklistFunc, "coalesce": collection.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
	"compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
	"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc,
	"keys": stdlib.KeysFunc, "length": lengthFunc, "lookup": stdlib.LookupFunc, "merge": stdlib.MergeFunc,
	"range": stdlib.RangeFunc, "reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
	"setproduct": stdlib.SetProductFunc, "setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
	"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
	"one": oneFunc, "sum": sumFunc, "alltrue": allTrueFunc, "anytrue": anyTrueFunc,

	"csvdecode": stdlib.CSVDecodeFunc, "jsondecode": boundedDecode("jsondecode", stdlib.JSONDecodeFunc, jsonTooDeep), "jsonencode": stdlib.JSONEncodeFunc,
	"yamldecode": boundedDecode("yamldecode", ctyyaml.YAMLDecodeFunc, yamlTooDeep), "yamlencode": ctyyaml.YAMLEncodeFunc,
	"base64decode": encoding.Base64DecodeFunc, "base64encode": encoding.Base64EncodeFunc,
	"urlencode": encoding.URLEncodeFunc,

	"formatdate": stdlib.FormatDateFunc, "timeadd": stdlib.TimeAddFunc,

	"md5": crypto.Md5Func, "sha1": crypto.Sha1Func, "sha256": crypto.Sha256Func, "sha512": crypto.Sha512Func,
	"uuidv5": uuid.V5Func, "rsadecrypt": crypto.RsaDecryptFunc,
	"base64sha256": base64HashFunc(sha256.New), "base64sha512": base64HashFunc(sha512.New),
	"index":       indexFunc,
	"issensitive": isSensitiveFunc, "nonsensitive": nonSensitiveFunc,

	"cidrhost": cidr.HostFunc, "cidrnetmask": cidr.NetmaskFunc, "cidrsubnet": cidr.SubnetFunc,
	"cidrsubnets": cidr.SubnetsFunc,

	"basename": filesystem.BasenameFunc, "dirname": filesystem.DirnameFunc, "pathexpand": filesystem.PathExpandFunc,
	"abspath": filesystem.AbsPathFunc,

	"tobool": stdlib.MakeToFunc(cty.Bool), "tonumber": stdlib.MakeToFunc(cty.Number),
	"tostring": stdlib.MakeToFunc(cty.String), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),

	"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,

	// Known only after apply, or different on every run.
	"timestamp":     unknownResultFunc("timestamp() is known only when Terraform applies"),
	"plantimestamp": unknownResultFunc("plantimestamp() is known only when Terraform plans"),
	"uuid":          unknownResultFunc("uuid() is random, known only after apply"),
	"bcrypt":        unknownResultFunc("bcrypt() is salted at random, known only after apply"),
}

// anyMarkedValue is the parameter of the functions that look at marks.
var anyMarkedValue = function.Parameter{
	Name: "value", Type: cty.DynamicPseudoType,
	AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true,
}

// sensitiveFunc is sensitive(): its argument, marked sensitive, with its
// strings recorded in secrets. It is made for each input, so it is not a
// base function.
func sensitiveFunc(secrets *entity.Secrets) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{anyMarkedValue},
		Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return markSensitive(args[0], secrets), nil
		},
	})
}

// nonSensitiveFunc is nonsensitive(): its argument without the sensitive
// mark, as the author asks. Other marks stay.
var nonSensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{anyMarkedValue},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		delete(marks, sensitiveMark{})
		return v.WithMarks(marks), nil
	},
})

// isSensitiveFunc is issensitive().
var isSensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{anyMarkedValue},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.BoolVal(isSensitive(args[0])), nil
	},
})

// baseContext holds baseFunctions; each root module's context is a child
// of it, so the table is shared rather than copied.
var baseContext = &hcl.EvalContext{Functions: baseFunctions}

// functions returns the functions that read files relative to dir, the root
// module's directory, and only within r, for a child context of
// baseContext; with try and can, which must not fall back when a file
// function reads outside r (see tryChecked).
func functions(dir string, r *allowedRoots) map[string]function.Function {
	fs := map[string]function.Function{
		"file":       makeFileFunc(dir, r, false),
		"filebase64": makeFileFunc(dir, r, true),
		"fileexists": makeFileExistsFunc(dir, r),
		"fileset":    makeFileSetFunc(dir, r),
		"try":        tryChecked,
		"can":        canChecked,
	}
	fs["templatefile"] = makeTemplateFileFunc(dir, r, fs)
	return fs
}

// boundedDecode is the decoding function f (jsondecode, yamldecode) that
// first refuses a text nesting deeper than MaxNesting: decoding recurses
// once per level, and a 6 MB string of brackets ended the program.
func boundedDecode(name string, f function.Function, tooDeep func(string) bool) function.Function {
	check := func(args []cty.Value) error {
		v, _ := args[0].Unmark()
		if v.IsKnown() && !v.IsNull() && v.Type() == cty.String && tooDeep(v.AsString()) {
			return fmt.Errorf("%s: the text nests more than %d levels deep", name, MaxNesting)
		}
		return nil
	}
	return function.New(&function.Spec{
		Params: f.Params(),
		Type: func(args []cty.Value) (cty.Type, error) {
			if err := check(args); err != nil {
				return cty.NilType, err
			}
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return f.Call(args) },
	})
}

// makeFileFunc is file, or filebase64 when encBase64 is set, as Terraform
// has them, but reading only within r, and as readFound does: a pipe, a
// device or a huge file named in a configuration is an error, not a scan
// that never ends.
func makeFileFunc(dir string, r *allowedRoots, encBase64 bool) function.Function {
	fname := "file"
	if encBase64 {
		fname = "filebase64"
	}
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := args[0].AsString()
			src, err := readFileArg(r, fileCall(fname, name), fileArg(dir, name))
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			if encBase64 {
				return cty.StringVal(base64.StdEncoding.EncodeToString(src)), nil
			}
			if !utf8.Valid(src) {
				return cty.UnknownVal(cty.String), fmt.Errorf("contents of %s are not valid UTF-8; use filebase64 for binary files", name)
			}
			return cty.StringVal(string(src)), nil
		},
	})
}

// makeFileSetFunc is fileset as Terraform has it: the regular files under
// path whose path matches pattern (doublestar syntax), relative to path with
// forward slashes. It looks at MaxFilesetEntries files and directories at
// most, and does not descend deeper than a pattern without ** can reach.
// path must lie within r, and so must the target of a link that matches.
func makeFileSetFunc(dir string, r *allowedRoots) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "pattern", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			matches, err := fileset(dir, r, args[0].AsString(), args[1].AsString())
			if err != nil {
				return cty.UnknownVal(cty.Set(cty.String)), err
			}
			if len(matches) == 0 {
				return cty.SetValEmpty(cty.String), nil
			}
			vals := make([]cty.Value, len(matches))
			for i, m := range matches {
				vals[i] = cty.StringVal(m)
			}
			return cty.SetVal(vals), nil
		},
	})
}

// errFilesetLimit stops a fileset walk at MaxFilesetEntries.
var errFilesetLimit = errors.New("fileset limit")

func fileset(dir string, r *allowedRoots, path, pattern string) ([]string, error) {
	call := fileCall("fileset", path, pattern)
	base := path
	if !filepath.IsAbs(base) {
		base = filepath.Join(dir, base)
	}
	// Walk where base leads, which lies within r: a link on the way is
	// followed once, here, and no link below it is.
	base, err := r.check(call+" lists", base)
	if err != nil {
		return nil, err
	}
	full := filepath.Join(base, pattern)
	// Without **, a match has as many path elements as the pattern.
	depth := -1
	if !strings.Contains(pattern, "**") {
		depth = strings.Count(filepath.Clean(pattern), string(filepath.Separator)) + 1
	}
	var matches []string
	seen := 0
	err = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == base {
				return err
			}
			return nil // an unreadable directory below: nothing in it matches
		}
		if seen++; seen > MaxFilesetEntries {
			return errFilesetLimit
		}
		if p == base {
			return nil
		}
		rel, _ := filepath.Rel(base, p)
		if d.IsDir() {
			if depth >= 0 && strings.Count(rel, string(filepath.Separator))+1 >= depth {
				return fs.SkipDir
			}
			return nil
		}
		if ok, _ := doublestar.PathMatch(full, p); !ok {
			return nil
		}
		if !d.Type().IsRegular() {
			// A link counts when it leads to a regular file, within r.
			if d.Type()&fs.ModeSymlink != 0 {
				if err := r.checkLink(base, call+" finds "+filepath.ToSlash(rel)+", which", p); err != nil {
					return err
				}
			}
			st, err := os.Stat(p)
			if err != nil || !st.Mode().IsRegular() {
				return nil
			}
		}
		matches = append(matches, filepath.ToSlash(rel))
		return nil
	})
	var outside *outsideError
	switch {
	case errors.As(err, &outside):
		return nil, err
	case errors.Is(err, errFilesetLimit):
		return nil, fmt.Errorf("%s would look at more than %d files and directories", call, MaxFilesetEntries)
	case err != nil:
		return nil, fmt.Errorf("fileset: %v", err)
	}
	return matches, nil
}

// makeFileExistsFunc is fileexists as Terraform has it: whether a regular
// file exists at the path, relative to dir; a path outside r is an error,
// not an answer, which would tell what the machine that runs the scan
// holds.
func makeFileExistsFunc(dir string, r *allowedRoots) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := args[0].AsString()
			p := fileArg(dir, name)
			if _, err := r.check(fileCall("fileexists", name)+" looks at", p); err != nil {
				return cty.UnknownVal(cty.Bool), err
			}
			st, err := os.Stat(p)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				return cty.False, nil
			case err != nil:
				return cty.UnknownVal(cty.Bool), fmt.Errorf("cannot look at %s: %v", p, unwrapPath(err))
			case !st.Mode().IsRegular():
				return cty.False, fmt.Errorf("%s is not a regular file, but %q", p, st.Mode().String())
			}
			return cty.True, nil
		},
	})
}

// fileArg is the file a file function's path argument names: relative to
// dir, with a leading ~ for the home directory, as Terraform reads it.
func fileArg(dir, p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, p[1:])
		}
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}

// readFileArg reads the file at p as readFound does, with its first
// problem as the error; call is the function call that names it
// (file("x.json")). A file outside r is not read: the error is an
// *outsideError.
func readFileArg(r *allowedRoots, call, p string) ([]byte, error) {
	if _, err := r.check(call+" reads", p); err != nil {
		return nil, err
	}
	src, diags := readFound(p)
	if diags.HasErrors() {
		return nil, errors.New(strings.TrimSuffix(diags[0].Detail, "."))
	}
	return src, nil
}

// unsupportedFunc stands for a function vigil does not implement: its result
// is unknown, so that no rule passes on a value vigil could not compute.
func unsupportedFunc(name string) function.Function {
	return unknownResultFunc(fmt.Sprintf("function %s is not supported by vigil", name))
}

func unknownResultFunc(reason string) function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{
			Name: "args", Type: cty.DynamicPseudoType,
			AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true,
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return unknownMaybeNull(reason), nil
		},
	})
}

// lengthFunc is Terraform's length: of a collection or of a string.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true, AllowMarked: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		if v.Type() == cty.String {
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number).WithMarks(marks), nil
			}
			r, err := stdlib.Strlen(v)
			return r.WithMarks(marks), err
		}
		r, err := stdlib.Length(v)
		return r.WithMarks(marks), err
	},
})

// replaceFunc is Terraform's replace: a substring, or a regular expression
// when the search string is written /like this/.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		search := args[1].AsString()
		if len(search) > 1 && search[0] == '/' && search[len(search)-1] == '/' {
			return stdlib.RegexReplace(args[0], cty.StringVal(search[1:len(search)-1]), args[2])
		}
		return cty.StringVal(strings.ReplaceAll(args[0].AsString(), search, args[2].AsString())), nil
	},
})

func stringPredicate(name string, pred func(s, sub string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: name, Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(pred(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var (
	startsWithFunc  = stringPredicate("prefix", strings.HasPrefix)
	endsWithFunc    = stringPredicate("suffix", strings.HasSuffix)
	strContainsFunc = stringPredicate("substr", strings.Contains)
)

// oneFunc returns the only element of a list or set, null for an empty one.
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch len(ty.TupleElementTypes()) {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return ty.TupleElementTypes()[0], nil
			}
			return cty.NilType, fmt.Errorf("one() needs a list of at most one element, not %d", len(ty.TupleElementTypes()))
		}
		return cty.NilType, fmt.Errorf("one() needs a list or a set")
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		switch n := args[0].LengthInt(); n {
		case 0:
			return cty.NullVal(ret), nil
		case 1:
			it := args[0].ElementIterator()
			it.Next()
			_, v := it.Element()
			return v, nil
		default:
			return cty.NilVal, fmt.Errorf("one() needs a list of at most one element, not %d", n)
		}
	},
})

func reduceNumbers(name string, list cty.Value) ([]cty.Value, error) {
	if !list.CanIterateElements() {
		return nil, fmt.Errorf("%s() needs a list", name)
	}
	var out []cty.Value
	for it := list.ElementIterator(); it.Next(); {
		_, v := it.Element()
		out = append(out, v)
	}
	return out, nil
}

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		elems, err := reduceNumbers("sum", args[0])
		if err != nil {
			return cty.NilVal, err
		}
		total := cty.Zero
		for _, e := range elems {
			n, err := convertTo(e, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, fmt.Errorf("sum() needs numbers")
			}
			if !n.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

func boolReduce(name string, want bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			elems, err := reduceNumbers(name, args[0])
			if err != nil {
				return cty.NilVal, err
			}
			unknown := false
			for _, e := range elems {
				b, err := convertTo(e, cty.Bool)
				if err != nil {
					return cty.NilVal, fmt.Errorf("%s() needs booleans", name)
				}
				switch {
				case !b.IsKnown():
					unknown = true
				case b.IsNull():
					if want {
						return cty.False, nil
					}
				case b.True() != want:
					return cty.BoolVal(!want), nil
				}
			}
			if unknown {
				return cty.UnknownVal(cty.Bool), nil
			}
			return cty.BoolVal(want), nil
		},
	})
}

var (
	allTrueFunc = boolReduce("alltrue", true)
	anyTrueFunc = boolReduce("anytrue", false)
)

// makeTemplateFileFunc renders a template file from dir, within r, with
// the given variables, using baseFunctions and funcs (except templatefile
// itself), which read only within r too.
func makeTemplateFileFunc(dir string, r *allowedRoots, funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := fileArg(dir, args[0].AsString())
			src, err := readFileArg(r, fileCall("templatefile", args[0].AsString()), p)
			if err != nil {
				return cty.NilVal, fmt.Errorf("templatefile: %w", err)
			}
			if d := checkNesting(src, p, hcl.InitialPos, true); d != nil {
				return cty.NilVal, fmt.Errorf("templatefile: %s", d.Detail)
			}
			expr, diags := hclsyntax.ParseTemplate(src, p, hcl.InitialPos)
			if diags.HasErrors() {
				return cty.NilVal, fmt.Errorf("templatefile: %s", diags.Error())
			}
			boundForExprs(expr)
			vars := map[string]cty.Value{}
			if v := args[1]; v.CanIterateElements() {
				for it := v.ElementIterator(); it.Next(); {
					k, e := it.Element()
					if k.Type() == cty.String {
						vars[k.AsString()] = e
					}
				}
			}
			inner := make(map[string]function.Function, len(baseFunctions)+len(funcs))
			maps.Copy(inner, baseFunctions)
			for n, f := range funcs {
				if n != "templatefile" {
					inner[n] = f
				}
			}
			out, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: inner})
			if d, err := outsideIn(diags); err != nil {
				return cty.NilVal, fmt.Errorf("templatefile: at %s, %w", rangeString(*d.Subject), err)
			}
			if diags.HasErrors() {
				return cty.NilVal, fmt.Errorf("templatefile: %s", diags.Error())
			}
			return out, nil
		},
	})
}

func base64HashFunc(h func() hash.Hash) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			sum := h()
			sum.Write([]byte(args[0].AsString()))
			return cty.StringVal(base64.StdEncoding.EncodeToString(sum.Sum(nil))), nil
		},
	})
}

// indexFunc is Terraform's index: the position of the first element of a
// list equal to a value.
var indexFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}, {Name: "value", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list := args[0]
		if !(list.Type().IsListType() || list.Type().IsTupleType()) {
			return cty.NilVal, fmt.Errorf("index() needs a list")
		}
		if !list.IsWhollyKnown() || !args[1].IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		for it := list.ElementIterator(); it.Next(); {
			i, e := it.Element()
			if eq := e.Equals(args[1]); eq.IsKnown() && eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, fmt.Errorf("item not found")
	},
})
