package terraform

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	tfjson "github.com/hashicorp/terraform-json"
)

// MaxPlanBytes is the largest plan JSON read: the plan of a monorepo runs
// to hundreds of megabytes. A plan is a file the user names, and it is
// decoded as it is read, keeping only the parts vigil uses (see readPlan),
// so that memory grows with the resources, not with the file.
const MaxPlanBytes = 1 << 30

// A plan is read in one pass with a json.Decoder, part by part, rather than
// unmarshalled whole: terraform-json's Plan holds every resource's before
// and after values, and unmarshalling a plan copies the document twice
// before decoding it. readPlan keeps
//
//	format_version, variables          as terraform-json decodes them
//	planned_values.root_module          every module and resource
//	resource_changes                    each change's address, after_unknown and after_sensitive
//	prior_state.values.root_module      its data sources
//	configuration                       as terraform-json decodes it
//
// and skips the rest (resource_drift, output_changes, checks, ...). The
// positions of resources and of errors are found afterwards, in a second
// pass over the file.

// planFile is what readPlan keeps of a plan.
type planFile struct {
	plan *tfjson.Plan
	// origins holds where each resource's address is written, in
	// planned_values (and each data source's, in prior_state).
	origins map[string]hcl.Pos
}

// readPlan reads the plan JSON of the file path. It returns nil and a
// diagnostic at the offending byte when the file cannot be read, is not a
// plan, or does not decode.
func readPlan(path string) (*planFile, hcl.Diagnostics) {
	f, err := os.Open(path)
	if err != nil {
		return nil, cannotRead(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, cannotRead(err)
	}
	if st.Size() > MaxPlanBytes {
		return nil, hcl.Diagnostics{planTooLarge(path, st.Size())}
	}
	in := &countingReader{r: io.LimitReader(f, MaxPlanBytes+1)}
	w := &planWalker{dec: json.NewDecoder(in), plan: &tfjson.Plan{}}
	werr := w.document()
	if in.n > MaxPlanBytes {
		return nil, hcl.Diagnostics{planTooLarge(path, in.n)}
	}
	if werr != nil {
		return nil, w.diagnostic(f, path, werr)
	}
	// A plan read from a pipe cannot be read again: its resources have
	// no line.
	origins, _ := findOrigins(f, w.spans)
	return &planFile{plan: w.plan, origins: origins}, nil
}

func planTooLarge(path string, size int64) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "File too large",
		Detail:   fmt.Sprintf("%s has %d bytes; vigil reads plans of at most %d bytes.", path, size, int64(MaxPlanBytes)),
		Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// planWalker walks a plan document with a json.Decoder.
type planWalker struct {
	dec  *json.Decoder
	plan *tfjson.Plan
	// spans are where each resource of planned_values and prior_state is
	// written, in the order read.
	spans []addressSpan
	// seen records which of the parts that make a plan were present.
	seen map[string]bool
	// versionAt is where format_version's value is.
	versionAt int64
}

// addressSpan is the bytes [start, end) of the file that hold the resource
// whose address is address.
type addressSpan struct {
	address    string
	start, end int64
}

// planDecodeError is an error of the document at a place: at (a position
// the decoder reported after the previous token) and what its offset is
// relative to.
type planDecodeError struct {
	err error
	at  int64
	// rel says how the error's own offset counts: relAbsolute for an
	// offset into the file; relBuffer for one into the value being
	// decoded, from the end of the token before it (after a ':' or ','
	// that follows); relValue from the value's first byte; relRescan for
	// a syntax error of a value, which is found again by scanning that
	// value alone (json.Decoder counts the bytes of its values, not of
	// its tokens); relNone for an error without an offset, which is
	// placed at the value.
	rel    int
	offset int64
	// version is set when the document is a plan of a format version
	// vigil does not read.
	version bool
}

const (
	relAbsolute = iota
	relBuffer
	relValue
	relRescan
	relNone
)

func (e *planDecodeError) Error() string { return e.err.Error() }

// decodeErr wraps err, an error of decoding the value that starts after
// at, the decoder's offset before it; path is where the value is
// ("planned_values.root_module.resources"), which encoding/json's messages
// name from the value down.
func decodeErr(err error, at int64, path string) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &planDecodeError{err: err, at: at, rel: relRescan}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return &planDecodeError{err: io.ErrUnexpectedEOF, rel: relAbsolute, offset: -1}
	case errors.As(err, &typ):
		inner := typ.Field
		if path != "" {
			typ.Field = strings.TrimSuffix(path+"."+typ.Field, ".")
		}
		if strings.Contains(inner, "expression") {
			// Decoded by terraform-json's Expression from its own
			// bytes: the offset counts from a place not known here.
			return &planDecodeError{err: typ, at: at, rel: relNone}
		}
		return &planDecodeError{err: typ, at: at, rel: relBuffer, offset: typ.Offset}
	}
	return &planDecodeError{err: err, at: at, rel: relNone}
}

// decode decodes the next value into v.
func (w *planWalker) decode(v any, path string) error {
	at := w.dec.InputOffset()
	if err := w.dec.Decode(v); err != nil {
		return decodeErr(err, at, path)
	}
	return nil
}

// token reads the next token. Its syntax errors are at the offending byte.
func (w *planWalker) token() (json.Token, error) {
	tok, err := w.dec.Token()
	if err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, &planDecodeError{err: err, rel: relAbsolute, offset: syn.Offset}
		}
		return nil, decodeErr(err, w.dec.InputOffset(), "")
	}
	return tok, nil
}

// open reads the delimiter that opens an object ('{') or array ('[') at
// path.
func (w *planWalker) open(delim json.Delim, path string) error {
	at := w.dec.InputOffset()
	tok, err := w.token()
	if err != nil {
		return err
	}
	if tok != delim {
		want := "an object"
		if delim == '[' {
			want = "an array"
		}
		return &planDecodeError{err: fmt.Errorf("%s is %s, want %s", path, describeToken(tok), want), at: at, rel: relNone}
	}
	return nil
}

func describeToken(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		if tok == json.Delim('[') {
			return "an array"
		}
		return "an object"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

// object reads an object at path, calling field for each key; field must
// read the key's value.
func (w *planWalker) object(path string, field func(key string) error) error {
	if err := w.open('{', path); err != nil {
		return err
	}
	return w.fields(field)
}

// fields reads the rest of an object whose '{' was read.
func (w *planWalker) fields(field func(key string) error) error {
	for w.dec.More() {
		tok, err := w.token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if err := field(key); err != nil {
			return err
		}
	}
	_, err := w.token() // '}'
	return err
}

// array reads an array at path, calling elem for each element; elem must
// read the element.
func (w *planWalker) array(path string, elem func() error) error {
	if err := w.open('[', path); err != nil {
		return err
	}
	for w.dec.More() {
		if err := elem(); err != nil {
			return err
		}
	}
	_, err := w.token() // ']'
	return err
}

// skip reads the next value and drops it, token by token: a skipped part
// of a plan (resource_drift, output_changes) can be as large as the parts
// kept, and decoding it whole would buffer it.
func (w *planWalker) skip() error {
	depth := 0
	for {
		tok, err := w.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// document reads a whole plan. A document that is not a JSON object is not
// a plan.
func (w *planWalker) document() error {
	w.seen = map[string]bool{}
	p := w.plan
	if tok, err := w.dec.Token(); err != nil || tok != json.Delim('{') {
		return errNotPlan
	}
	err := w.fields(func(key string) error {
		w.seen[key] = true
		switch key {
		case "format_version":
			w.versionAt = w.dec.InputOffset()
			return w.decode(&p.FormatVersion, key)
		case "terraform_version":
			return w.decode(&p.TerraformVersion, key)
		case "variables":
			return w.decode(&p.Variables, key)
		case "planned_values":
			p.PlannedValues = &tfjson.StateValues{}
			return w.object(key, func(k string) error {
				if k != "root_module" {
					return w.skip()
				}
				m, err := w.module(key+".root_module", false, 0)
				p.PlannedValues.RootModule = m
				return err
			})
		case "resource_changes":
			return w.array(key, func() error {
				var rc resourceChange
				if err := w.decode(&rc, key); err != nil {
					return err
				}
				p.ResourceChanges = append(p.ResourceChanges, rc.tfjson())
				return nil
			})
		case "prior_state":
			return w.priorState()
		case "configuration":
			// terraform-json's Config decodes itself from the value's
			// bytes: its errors count from the value's first byte.
			err := w.decode(&p.Config, key)
			if pe, ok := err.(*planDecodeError); ok && pe.rel == relBuffer {
				pe.rel = relValue
			}
			return err
		}
		return w.skip()
	})
	if err != nil {
		return err
	}
	at := w.dec.InputOffset()
	if _, err := w.dec.Token(); err != io.EOF {
		return &planDecodeError{err: errors.New("the plan is followed by more data"), at: at, rel: relNone}
	}
	if p.FormatVersion == "" || !w.seen["planned_values"] && !w.seen["resource_changes"] && !w.seen["configuration"] {
		return errNotPlan
	}
	if err := p.Validate(); err != nil {
		return &planDecodeError{err: err, at: w.versionAt, rel: relNone, version: true}
	}
	return nil
}

// errNotPlan is a JSON document that is not a plan.
var errNotPlan = errors.New("not a plan")

// module reads a module of planned_values or prior_state at path: with
// onlyData, only its data sources are kept. depth counts the modules it is
// nested in.
func (w *planWalker) module(path string, onlyData bool, depth int) (*tfjson.StateModule, error) {
	if depth > MaxNesting {
		return nil, &planDecodeError{err: fmt.Errorf("%s: modules nest more than %d deep", path, MaxNesting), at: w.dec.InputOffset(), rel: relNone}
	}
	m := &tfjson.StateModule{}
	err := w.object(path, func(key string) error {
		switch key {
		case "address":
			return w.decode(&m.Address, path+".address")
		case "resources":
			return w.array(path+".resources", func() error {
				start := w.dec.InputOffset()
				var res tfjson.StateResource
				if err := w.decode(&res, path+".resources"); err != nil {
					return err
				}
				if onlyData && res.Mode != tfjson.DataResourceMode {
					return nil
				}
				w.spans = append(w.spans, addressSpan{res.Address, start, w.dec.InputOffset()})
				m.Resources = append(m.Resources, &res)
				return nil
			})
		case "child_modules":
			return w.array(path+".child_modules", func() error {
				c, err := w.module(path+".child_modules", onlyData, depth+1)
				if c != nil {
					m.ChildModules = append(m.ChildModules, c)
				}
				return err
			})
		}
		return w.skip()
	})
	return m, err
}

// priorState reads prior_state: its format version, checked as
// terraform-json checks it, and the data sources of its modules.
func (w *planWalker) priorState() error {
	s := &tfjson.State{}
	w.plan.PriorState = s
	versionAt := int64(-1)
	err := w.object("prior_state", func(key string) error {
		switch key {
		case "format_version":
			versionAt = w.dec.InputOffset()
			return w.decode(&s.FormatVersion, "prior_state.format_version")
		case "values":
			s.Values = &tfjson.StateValues{}
			return w.object("prior_state.values", func(k string) error {
				if k != "root_module" {
					return w.skip()
				}
				m, err := w.module("prior_state.values.root_module", true, 0)
				s.Values.RootModule = m
				return err
			})
		}
		return w.skip()
	})
	if err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return &planDecodeError{err: fmt.Errorf("prior_state: %w", err), at: versionAt, rel: relNone}
	}
	return nil
}

// resourceChange is the part of a resource change vigil reads: not its
// before and after values, which make up most of a plan.
type resourceChange struct {
	Address       string              `json:"address"`
	ModuleAddress string              `json:"module_address"`
	Mode          tfjson.ResourceMode `json:"mode"`
	Type          string              `json:"type"`
	Name          string              `json:"name"`
	Index         any                 `json:"index"`
	Change        *struct {
		Actions        tfjson.Actions `json:"actions"`
		AfterUnknown   any            `json:"after_unknown"`
		AfterSensitive any            `json:"after_sensitive"`
	} `json:"change"`
}

func (rc *resourceChange) tfjson() *tfjson.ResourceChange {
	out := &tfjson.ResourceChange{Address: rc.Address, ModuleAddress: rc.ModuleAddress, Mode: rc.Mode,
		Type: rc.Type, Name: rc.Name, Index: rc.Index}
	if c := rc.Change; c != nil {
		out.Change = &tfjson.Change{Actions: c.Actions, AfterUnknown: c.AfterUnknown, AfterSensitive: c.AfterSensitive}
	}
	return out
}

// diagnostic is the diagnostic of err, an error of walking the plan in f,
// at the line and column of the offending byte, which its detail names
// too: a diagnostic's rendering shows only the line of a file it has no
// source of, and a plan's source is not kept (it may be large, and
// holds sensitive values in the clear).
func (w *planWalker) diagnostic(f *os.File, path string, err error) hcl.Diagnostics {
	if errors.Is(err, errNotPlan) {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Not a Terraform plan",
			Detail:   fmt.Sprintf("%s is neither a directory of Terraform files nor the JSON of a plan (terraform show -json PLANFILE).", path),
			Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
		}}
	}
	msg := err.Error()
	var pos hcl.Pos
	if pe, ok := err.(*planDecodeError); ok {
		if errors.Is(pe.err, io.ErrUnexpectedEOF) {
			msg = "the JSON ends before the document does"
		}
		pos = pe.position(f)
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid plan JSON",
		Detail:   fmt.Sprintf("%s:%d:%d: %s; the file could not be read as a Terraform plan.", path, pos.Line, pos.Column, msg),
		Subject:  &hcl.Range{Filename: path, Start: pos, End: pos},
	}}
}

// position finds where in f the error is: its offset, resolved as rel
// says, as a line and column.
func (e *planDecodeError) position(f *os.File) hcl.Pos {
	off := e.offset
	switch e.rel {
	case relAbsolute:
		if off < 0 { // the end of the file
			if st, err := f.Stat(); err == nil {
				off = st.Size()
			}
		}
	case relBuffer:
		off = afterSeparator(f, e.at) + e.offset
	case relValue, relNone:
		off = valueStart(f, afterSeparator(f, e.at))
		if e.rel == relValue {
			off += e.offset
		}
	case relRescan:
		start := afterSeparator(f, e.at)
		off = start
		dec := json.NewDecoder(io.NewSectionReader(f, start, 1<<62))
		var syn *json.SyntaxError
		if err := dec.Decode(new(skipValue)); errors.As(err, &syn) {
			// The offset counts the bad byte: point at it.
			off += max(syn.Offset-1, 0)
		}
	}
	pos, err := positionsOf(f, []int64{off})
	if err != nil || len(pos) == 0 {
		return hcl.InitialPos
	}
	return pos[0]
}

// skipValue decodes any JSON value into nothing.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

// afterSeparator returns where the decoder starts reading a value that
// follows the token ending at at: past the ':' or ',' between them, when
// there is one, as json.Decoder does.
func afterSeparator(f *os.File, at int64) int64 {
	buf := make([]byte, 256)
	for off := at; ; off += int64(len(buf)) {
		n, _ := f.ReadAt(buf, off)
		if n == 0 {
			return at
		}
		for i, c := range buf[:n] {
			switch c {
			case ' ', '\t', '\r', '\n':
				continue
			case ':', ',':
				return off + int64(i) + 1
			}
			return at
		}
	}
}

// valueStart returns where the value that starts at or after at does, past
// white space.
func valueStart(f *os.File, at int64) int64 {
	buf := make([]byte, 256)
	for off := at; ; off += int64(len(buf)) {
		n, _ := f.ReadAt(buf, off)
		if n == 0 {
			return at
		}
		if i := bytes.IndexFunc(buf[:n], func(r rune) bool { return r != ' ' && r != '\t' && r != '\r' && r != '\n' }); i >= 0 {
			return off + int64(i)
		}
	}
}

// positionsOf returns the line and column of each offset of f, in
// increasing order, reading f from its start once. Columns count bytes
// from 1, as offsetPos did.
func positionsOf(f *os.File, offsets []int64) ([]hcl.Pos, error) {
	out := make([]hcl.Pos, 0, len(offsets))
	r := bufio.NewReaderSize(io.NewSectionReader(f, 0, 1<<62), 64<<10)
	var at int64
	line, lineStart := 1, int64(0)
	for _, off := range offsets {
		for at < off {
			chunk, err := r.Peek(int(min(off-at, 64<<10)))
			if len(chunk) == 0 {
				if err == io.EOF {
					break // an offset past the end: the end
				}
				return out, err
			}
			for rest := chunk; ; {
				i := bytes.IndexByte(rest, '\n')
				if i < 0 {
					break
				}
				line++
				lineStart = at + int64(len(chunk)-len(rest)+i) + 1
				rest = rest[i+1:]
			}
			r.Discard(len(chunk))
			at += int64(len(chunk))
		}
		out = append(out, hcl.Pos{Line: line, Column: int(off-lineStart) + 1, Byte: int(off)})
	}
	return out, nil
}

// findOrigins returns where each span's address is written in f: the first
// place in the span that holds it as a JSON string.
func findOrigins(f *os.File, spans []addressSpan) (map[string]hcl.Pos, error) {
	var offsets []int64
	var names []string
	var buf []byte
	for _, s := range spans {
		q, _ := json.Marshal(s.address)
		if cap(buf) < int(s.end-s.start) {
			buf = make([]byte, s.end-s.start)
		}
		b := buf[:s.end-s.start]
		if _, err := f.ReadAt(b, s.start); err != nil && err != io.EOF {
			return nil, err
		}
		if i := bytes.Index(b, q); i >= 0 {
			offsets = append(offsets, s.start+int64(i))
			names = append(names, s.address)
		}
	}
	pos, err := positionsOf(f, offsets)
	if err != nil {
		return nil, err
	}
	out := make(map[string]hcl.Pos, len(pos))
	for i, p := range pos {
		if _, dup := out[names[i]]; !dup {
			out[names[i]] = p
		}
	}
	return out, nil
}
