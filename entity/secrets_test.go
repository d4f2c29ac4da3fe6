package entity

import (
	"strings"
	"testing"
)

func TestSecretsRedact(t *testing.T) {
	long := "AKIAIOSFODNN7EXAMPLE-wJalrXUtnFEMI/K7MDENG"
	var s Secrets
	for _, v := range []string{long, "hunter2", "it's-a-secret", "ab", "", "line1\nline2\x1b[0m"} {
		s.Add(v)
	}
	tests := []struct{ in, want string }{
		{"nothing here", "nothing here"},
		{"name 'hunter2' is set", "name '(sensitive)' is set"},
		{"hunter2hunter2", "(sensitive)(sensitive)"},
		{"key " + long + " end", "key (sensitive) end"},
		// An explanation shows the start of a long value and "...".
		{"key '" + long[:20] + "...'", "key '(sensitive)...'"},
		// GSL explanations escape quotes.
		{`name 'it\'s-a-secret'`, "name '(sensitive)'"},
		// Go's %q, in function errors.
		{`cannot convert "line1\nline2\x1b[0m" to number`, `cannot convert "(sensitive)" to number`},
		// A short value only where it stands quoted.
		{"tab 'ab' and about", "tab '(sensitive)' and about"},
		{`"ab"`, `"(sensitive)"`},
	}
	for _, tt := range tests {
		if got := s.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if s.Len() != 5 {
		t.Errorf("Len() = %d, want 5 (the empty string is not a secret)", s.Len())
	}
}

func TestSecretsLongestFirst(t *testing.T) {
	var s Secrets
	s.Add("prod-password")
	s.Add("prod-password-2024-rotated")
	if got := s.Redact("x prod-password-2024-rotated y"); got != "x (sensitive) y" {
		t.Errorf("got %q", got)
	}
}

func TestSecretsNil(t *testing.T) {
	var s *Secrets
	if s.Redact("abc") != "abc" || s.Len() != 0 || s.Has("abc") {
		t.Error("a nil Secrets must redact nothing")
	}
	texts := []string{"a"}
	s.RedactAll(texts)
}

func TestInventoryMergeKeepsSecrets(t *testing.T) {
	a, b := &Inventory{}, &Inventory{Secrets: &Secrets{}}
	b.Secrets.Add("topsecret-value")
	a.Merge(b)
	if got := a.Secrets.Redact("topsecret-value"); strings.Contains(got, "topsecret") {
		t.Errorf("merged inventory lost its secrets: %q", got)
	}
}

func TestSecretsAreNotWritten(t *testing.T) {
	inv := &Inventory{Secrets: &Secrets{}}
	inv.Secrets.Add("topsecret-value")
	data, err := inv.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "topsecret") {
		t.Errorf("inventory JSON holds a secret: %s", data)
	}
}
