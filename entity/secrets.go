package entity

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Redacted is what a sensitive value is shown as.
const Redacted = "(sensitive)"

// Secrets are the values a source learned are sensitive: the values of
// Terraform variables and outputs declared sensitive = true, of sensitive(),
// and of the attributes a plan marks in after_sensitive or
// sensitive_values. Rules evaluate them as any other value; what is shown
// to people (findings, reports, diagnostics) passes through Redact first.
//
// A Secrets is safe for concurrent use. The zero value is empty and ready.
type Secrets struct {
	mu     sync.Mutex
	values map[string]bool
	// forms are the texts Redact looks for; nil when a value was added
	// since they were last made.
	forms []string
}

// Redaction looks for each value as written and in the quoted forms the
// texts vigil shows use: GSL explanations escape ' as \', Go's %q (in
// function errors) escapes quotes, backslashes and control characters.
//
// A value of at least prefixBytes bytes is also found when it was cut: an
// explanation shows the start of a long value and "...". Every run of text
// that starts with its first prefixBytes bytes is redacted up to where it
// stops matching. A value shorter than minBareBytes (a port, "yes") is
// redacted only where it stands quoted, since a bare search for it would
// redact unrelated text.
const (
	prefixBytes  = 12
	minBareBytes = 4
)

// Add records v as sensitive. The empty string is ignored.
func (s *Secrets) Add(v string) {
	if v == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.values[v] {
		return
	}
	if s.values == nil {
		s.values = map[string]bool{}
	}
	s.values[v] = true
	s.forms = nil
}

// AddAll records every value of other as sensitive.
func (s *Secrets) AddAll(other *Secrets) {
	if other == nil || s == other {
		return
	}
	other.mu.Lock()
	values := make([]string, 0, len(other.values))
	for v := range other.values {
		values = append(values, v)
	}
	other.mu.Unlock()
	for _, v := range values {
		s.Add(v)
	}
}

// Len returns how many distinct values s holds; a nil Secrets holds none.
func (s *Secrets) Len() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.values)
}

// Has reports whether v is a recorded sensitive value.
func (s *Secrets) Has(v string) bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values[v]
}

// Redact returns text with every sensitive value in it replaced by
// Redacted. A nil or empty Secrets returns text as it is, without cost.
func (s *Secrets) Redact(text string) string {
	if s == nil || text == "" {
		return text
	}
	forms := s.searchForms()
	if len(forms) == 0 {
		return text
	}
	var spans []span
	for _, f := range forms {
		spans = appendMatches(spans, text, f)
	}
	if len(spans) == 0 {
		return text
	}
	// Where matches overlap (one value inside another, or the cut start
	// of one and the whole of another), their union is redacted.
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	at := 0
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && spans[i].start < end; i++ {
			end = max(end, spans[i].end)
		}
		b.WriteString(text[at:start])
		b.WriteString(Redacted)
		at = end
	}
	b.WriteString(text[at:])
	return b.String()
}

// RedactAll redacts each string of texts in place.
func (s *Secrets) RedactAll(texts []string) {
	if s.Len() == 0 {
		return
	}
	for i, t := range texts {
		texts[i] = s.Redact(t)
	}
}

// searchForms returns the texts to look for, making them when values
// were added since the last call.
func (s *Secrets) searchForms() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.forms != nil || len(s.values) == 0 {
		return s.forms
	}
	seen := map[string]bool{}
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			s.forms = append(s.forms, f)
		}
	}
	for v := range s.values {
		add(v)
		add(strings.ReplaceAll(v, "'", `\'`))
		q := strconv.Quote(v)
		add(q[1 : len(q)-1])
	}
	return s.forms
}

// span is a part of a text to redact: [start, end).
type span struct{ start, end int }

// appendMatches appends the parts of text that show f, as the constants
// above describe, to spans.
func appendMatches(spans []span, text, f string) []span {
	switch {
	case len(f) >= prefixBytes:
		// Every run that starts as f does, up to where it stops matching.
		prefix := f[:prefixBytes]
		for at := 0; ; {
			i := strings.Index(text[at:], prefix)
			if i < 0 {
				return spans
			}
			i += at
			n := prefixBytes
			for n < len(f) && i+n < len(text) && text[i+n] == f[n] {
				n++
			}
			spans = append(spans, span{i, i + n})
			at = i + n
		}
	case len(f) >= minBareBytes:
		return appendIndexes(spans, text, f, 0)
	}
	for _, q := range [...]string{"'", `"`} {
		spans = appendIndexes(spans, text, q+f+q, len(q))
	}
	return spans
}

// appendIndexes appends a span for each occurrence of sub in text, less
// trim bytes at either end.
func appendIndexes(spans []span, text, sub string, trim int) []span {
	for at := 0; ; {
		i := strings.Index(text[at:], sub)
		if i < 0 {
			return spans
		}
		i += at
		spans = append(spans, span{i + trim, i + len(sub) - trim})
		at = i + len(sub)
	}
}
