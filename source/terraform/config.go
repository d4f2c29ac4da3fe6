package terraform

import (
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// moduleConfig is one directory of Terraform files, decoded but not
// evaluated.
type moduleConfig struct {
	// dir is the directory as diagnostics and origins name it: the loaded
	// path joined with rel.
	dir string
	// rel is dir relative to the loaded path ("." for the path itself); it is
	// the scope ID when the module is a root.
	rel       string
	variables map[string]*variableDecl
	locals    map[string]*hcl.Attribute
	outputs   map[string]*hcl.Attribute
	// sensitiveOutputs names the outputs declared sensitive = true.
	sensitiveOutputs map[string]bool
	resources        []*resourceDecl
	byKey            map[string]*resourceDecl
	calls            []*callDecl
	callNames        map[string]*callDecl
	// comments holds the vigil:ignore comments of each file, by file name.
	comments map[string][]suppressionComment
	// varFiles are the variable files terraform would read were this the
	// root module, in the order it applies them.
	varFiles []string
	// files are the Terraform files of the directory, by the name
	// diagnostics use.
	files []string
}

// release drops what refers to m's syntax trees, once m, a root module, is
// evaluated and nothing will read them again.
func (m *moduleConfig) release() {
	m.variables, m.locals, m.outputs = nil, nil, nil
	m.resources, m.byKey, m.calls, m.callNames = nil, nil, nil, nil
}

type variableDecl struct {
	name     string
	def      hcl.Expression // nil when there is no default
	typeExpr hcl.Expression // nil when there is no type
	// sensitive is set by sensitive = true: the value is marked sensitive
	// (see sensitiveMark) wherever it goes.
	sensitive bool
	rng       hcl.Range
	// The type, worked out on first use by whichever root module's
	// evaluation needs it first: see evaluation.varType.
	typeOnce  sync.Once
	vt        varType
	typeDiags hcl.Diagnostics
}

type resourceDecl struct {
	managed  bool
	typ      string
	name     string
	key      string // "aws_x.y" or "data.aws_x.y"
	body     hcl.Body
	count    hcl.Expression
	forEach  hcl.Expression
	defRange hcl.Range
	// rng covers the whole block, from its type keyword to its closing brace.
	rng hcl.Range
}

type callDecl struct {
	name    string
	source  string
	srcRng  hcl.Range
	inputs  map[string]*hcl.Attribute
	count   hcl.Expression
	forEach hcl.Expression
	rng     hcl.Range
	// child is the called module when its source is a local directory that
	// was loaded; nil otherwise, and then unloaded says why.
	child    *moduleConfig
	unloaded string
}

func (c *callDecl) isLocal() bool {
	return strings.HasPrefix(c.source, "./") || strings.HasPrefix(c.source, "../")
}

var fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "terraform"},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "ephemeral", LabelNames: []string{"type", "name"}},
	{Type: "moved"},
	{Type: "import"},
	{Type: "removed"},
	{Type: "check", LabelNames: []string{"name"}},
}}

var variableSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "default"}, {Name: "type"}, {Name: "sensitive"}}}
var outputSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value"}, {Name: "sensitive"}}}
var metaSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}}}

// metaArguments are the arguments and blocks of resource and module blocks
// that configure Terraform, not the resource.
var metaArguments = map[string]bool{
	"count": true, "for_each": true, "provider": true, "providers": true, "depends_on": true,
	"lifecycle": true, "provisioner": true, "connection": true, "source": true, "version": true,
}

func newModuleConfig(dir, rel string) *moduleConfig {
	return &moduleConfig{
		dir: dir, rel: rel,
		variables: map[string]*variableDecl{},
		locals:    map[string]*hcl.Attribute{},
		outputs:   map[string]*hcl.Attribute{},
		byKey:     map[string]*resourceDecl{},
		callNames: map[string]*callDecl{},
		comments:  map[string][]suppressionComment{},
	}
}

// addFile decodes the top-level blocks of one parsed file into m.
func (m *moduleConfig) addFile(file *hcl.File) hcl.Diagnostics {
	content, diags := file.Body.Content(fileSchema)
	// Whole-block ranges exist only in native syntax; JSON blocks span their
	// header.
	whole := map[hcl.Range]hcl.Range{}
	if body, ok := file.Body.(*hclsyntax.Body); ok {
		for _, b := range body.Blocks {
			whole[b.DefRange()] = b.Range()
		}
	}
	for _, b := range content.Blocks {
		rng, ok := whole[b.DefRange]
		if !ok {
			rng = b.DefRange
		}
		switch b.Type {
		case "variable":
			diags = append(diags, m.addVariable(b)...)
		case "locals":
			attrs, d := b.Body.JustAttributes()
			diags = append(diags, d...)
			for name, a := range attrs {
				if prev, dup := m.locals[name]; dup {
					diags = append(diags, duplicate("local value", name, prev.Range, a.Range))
					continue
				}
				m.locals[name] = a
			}
		case "output":
			c, _, d := b.Body.PartialContent(outputSchema)
			diags = append(diags, d...)
			if a := c.Attributes["value"]; a != nil {
				m.outputs[b.Labels[0]] = a
			}
			sensitive, d := sensitiveArgument(c)
			diags = append(diags, d...)
			if sensitive {
				put(&m.sensitiveOutputs, b.Labels[0], true)
			}
		case "module":
			diags = append(diags, m.addCall(b, rng)...)
		case "resource", "data":
			diags = append(diags, m.addResource(b, rng)...)
		}
	}
	return diags
}

func (m *moduleConfig) addVariable(b *hcl.Block) hcl.Diagnostics {
	c, _, diags := b.Body.PartialContent(variableSchema)
	name := b.Labels[0]
	if prev, dup := m.variables[name]; dup {
		return append(diags, duplicate("variable", name, prev.rng, b.DefRange))
	}
	v := &variableDecl{name: name, rng: b.DefRange}
	if a := c.Attributes["default"]; a != nil {
		v.def = a.Expr
	}
	if a := c.Attributes["type"]; a != nil {
		v.typeExpr = a.Expr
	}
	var d hcl.Diagnostics
	v.sensitive, d = sensitiveArgument(c)
	m.variables[name] = v
	return append(diags, d...)
}

// sensitiveArgument reads the sensitive argument of a variable or output
// block. Terraform wants a literal bool; anything that is not true, a value
// that does not evaluate without a context included, is reported and, to be
// safe, taken as true.
func sensitiveArgument(c *hcl.BodyContent) (bool, hcl.Diagnostics) {
	a := c.Attributes["sensitive"]
	if a == nil {
		return false, nil
	}
	v, diags := a.Expr.Value(nil)
	if !diags.HasErrors() {
		if b, err := convert.Convert(v, cty.Bool); err == nil && b.IsKnown() && !b.IsNull() {
			return b.True(), nil
		}
	}
	return true, append(diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid sensitive argument",
		Detail:   "The sensitive argument must be true or false; vigil treats the value as sensitive.",
		Subject:  a.Expr.Range().Ptr(),
	})
}

func (m *moduleConfig) addCall(b *hcl.Block, rng hcl.Range) hcl.Diagnostics {
	if !hclsyntax.ValidIdentifier(b.Labels[0]) {
		return hcl.Diagnostics{invalidLabel(b, 0, "module name")}
	}
	attrs, diags := b.Body.JustAttributes()
	c := &callDecl{name: b.Labels[0], inputs: map[string]*hcl.Attribute{}, rng: rng}
	if prev, dup := m.callNames[c.name]; dup {
		return append(diags, duplicate("module call", c.name, prev.rng, b.DefRange))
	}
	for name, a := range attrs {
		switch name {
		case "source":
			v, d := a.Expr.Value(nil)
			if d.HasErrors() || v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid module source",
					Detail:   "A module source must be a literal string, such as \"./modules/trail\".",
					Subject:  a.Expr.Range().Ptr(),
				})
				continue
			}
			c.source = v.AsString()
			c.srcRng = a.Expr.Range()
		case "count":
			c.count = a.Expr
		case "for_each":
			c.forEach = a.Expr
		default:
			if !metaArguments[name] {
				c.inputs[name] = a
			}
		}
	}
	if c.source == "" && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing module source",
			Detail:   fmt.Sprintf("Module %q needs a source argument.", c.name),
			Subject:  b.DefRange.Ptr(),
		})
	}
	m.calls = append(m.calls, c)
	m.callNames[c.name] = c
	return diags
}

func (m *moduleConfig) addResource(b *hcl.Block, rng hcl.Range) hcl.Diagnostics {
	for i, what := range []string{"type", "name"} {
		if !hclsyntax.ValidIdentifier(b.Labels[i]) {
			return hcl.Diagnostics{invalidLabel(b, i, b.Type+" "+what)}
		}
	}
	r := &resourceDecl{managed: b.Type == "resource", typ: b.Labels[0], name: b.Labels[1], defRange: b.DefRange, rng: rng}
	r.key = r.typ + "." + r.name
	if !r.managed {
		r.key = "data." + r.key
	}
	var diags hcl.Diagnostics
	if sb, native := b.Body.(*hclsyntax.Body); native {
		// What PartialContent would find (with no required attributes it
		// reports nothing in native syntax), without the copy of the body
		// it makes: the body itself is kept, and hides nothing.
		if a := sb.Attributes["count"]; a != nil {
			r.count = a.Expr
		}
		if a := sb.Attributes["for_each"]; a != nil {
			r.forEach = a.Expr
		}
		r.body = sb
	} else {
		c, remain, d := b.Body.PartialContent(metaSchema)
		diags = d
		if a := c.Attributes["count"]; a != nil {
			r.count = a.Expr
		}
		if a := c.Attributes["for_each"]; a != nil {
			r.forEach = a.Expr
		}
		r.body = remain
	}
	if r.count != nil && r.forEach != nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid combination of \"count\" and \"for_each\"",
			Detail:   "A resource may have count or for_each, not both.",
			Subject:  r.forEach.Range().Ptr(),
		})
		r.forEach = nil
	}
	if prev, dup := m.byKey[r.key]; dup {
		return append(diags, duplicate("resource", r.key, prev.defRange, b.DefRange))
	}
	m.byKey[r.key] = r
	m.resources = append(m.resources, r)
	return diags
}

func duplicate(what, name string, prev, this hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Duplicate " + what,
		Detail:   fmt.Sprintf("The %s %q was already declared at %s; names must be unique within a module.", what, name, prev),
		Subject:  this.Ptr(),
	}
}

// invalidLabel reports a block label that is not a valid identifier, as
// Terraform requires of resource types and names and module names.
func invalidLabel(b *hcl.Block, i int, what string) *hcl.Diagnostic {
	subject := b.DefRange
	if i < len(b.LabelRanges) {
		subject = b.LabelRanges[i]
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid " + what,
		Detail:   fmt.Sprintf("%q is not a valid %s: it must start with a letter or underscore and contain only letters, digits, underscores and dashes.", b.Labels[i], what),
		Subject:  subject.Ptr(),
	}
}
