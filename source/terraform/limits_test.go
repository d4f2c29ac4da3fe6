package terraform

import "testing"

func TestHasForKeyword(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"", false},
		{"for", true},
		{"x = [for s in var.l : s]", true},
		{"x = [\n# comment\nfor s in var.l : s]", true},
		{"x = {for k, v in var.m : k => v}", true},
		{"for_each = var.m", false},
		{"x = format(\"%s\", y)", false},
		{"x = var.platform", false},
		{"x = var.forward-for", false},
		{"x = [ /* c */ for s in l : s]", true},
		{"x = <<EOT\n%{ for s in l }${s}%{ endfor }\nEOT", true},
		{"x = \"%{~for s in l}${s}%{endfor}\"", true},
		{"description = \"data key for ${local.name}\"", false},
		{"x = before", false},
		{"x = \"${[for s in l : s]}\"", true},
	}
	for _, tt := range tests {
		if got := hasForKeyword([]byte(tt.src)); got != tt.want {
			t.Errorf("hasForKeyword(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}
