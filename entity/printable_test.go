package entity

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	cases := []struct{ in, keep, want string }{
		{"plain arn:aws:cloudtrail:us-east-1:1:trail/x", "", "plain arn:aws:cloudtrail:us-east-1:1:trail/x"},
		{"clear\x1b[2Jscreen", "\n\t", `clear\x1b[2Jscreen`},
		{"\x1b[32mALL CHECKS PASSED\x1b[0m", "\n\t", `\x1b[32mALL CHECKS PASSED\x1b[0m`},
		{"nul\x00bell\a del\x7f", "", `nul\x00bell\a del\x7f`},
		{"two\nlines\tand a tab", "\n\t", "two\nlines\tand a tab"},
		{"two\nlines\tand a tab", "\n", "two\nlines\\tand a tab"},
		{"two\nlines\tand a tab", "", `two\nlines\tand a tab`},
		{"over\rwrite", "\n\t", `over\rwrite`},
		{"c1\u009bcsi", "", `c1\u009bcsi`},
		{"bidi\u202eevil\u2066", "", `bidi\u202eevil\u2066`},
		{"line\u2028sep", "", `line\u2028sep`},
		{"bad\xffutf8", "", `bad\xffutf8`},
		{"cut\xe2\x80", "", `cut\xe2\x80`},
		{"real \ufffd", "", `real \ufffd`},
		{"ünïcödé 名前 😀", "", "ünïcödé 名前 😀"},
		{"", "", ""},
	}
	for _, tc := range cases {
		if got := Printable(tc.in, tc.keep); got != tc.want {
			t.Errorf("Printable(%q, %q) = %q, want %q", tc.in, tc.keep, got, tc.want)
		}
	}
}

// TestPrintableOutputIsPrintable checks every byte value and a sample of
// runes: what Printable returns holds no unprintable character, no invalid
// UTF-8, and only the kept controls.
func TestPrintableOutputIsPrintable(t *testing.T) {
	var in []byte
	for c := range 256 {
		in = append(in, 'a', byte(c))
	}
	for r := rune(0x80); r < 0x3000; r += 7 {
		in = utf8.AppendRune(in, r)
	}
	in = append(in, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"...)
	out := Printable(string(in), "\n\t")
	if !utf8.ValidString(out) {
		t.Fatalf("output is not UTF-8: %q", out)
	}
	for _, r := range out {
		if Unprintable(r) && r != '\n' && r != '\t' {
			t.Fatalf("output carries %U: %q", r, out)
		}
	}
}

// streamPrintable writes src to a PrintableWriter in pieces cut at cuts.
func streamPrintable(t *testing.T, src []byte, cuts []int) string {
	t.Helper()
	var out bytes.Buffer
	w := NewPrintableWriter(&out, "\n\t")
	last := 0
	for _, c := range cuts {
		if c < last || c > len(src) {
			continue
		}
		if n, err := w.Write(src[last:c]); err != nil || n != c-last {
			t.Fatalf("Write = %d, %v", n, err)
		}
		last = c
	}
	if _, err := w.Write(src[last:]); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestPrintableWriterMatchesPrintable(t *testing.T) {
	pieces := []string{"a", "\n", "\t", "\x1b[31m", "\x00", "é", "名", "😀", "\u202e", "\xff", "\xe2\x80", "\xf0\x9f", "\r"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var src []byte
		for range rng.IntN(12) {
			src = append(src, pieces[rng.IntN(len(pieces))]...)
		}
		var cuts []int
		for range rng.IntN(5) {
			cuts = append(cuts, rng.IntN(len(src)+1))
		}
		if got, want := streamPrintable(t, src, cuts), Printable(string(src), "\n\t"); got != want {
			t.Fatalf("%q cut at %v: stream %q, whole %q", src, cuts, got, want)
		}
	}
}

func FuzzPrintableWriter(f *testing.F) {
	f.Add([]byte("plain\x1b[0m\xe2\x80\xae\xff名"), 3, 7)
	f.Fuzz(func(t *testing.T, src []byte, a, b int) {
		if got, want := streamPrintable(t, src, []int{a, b}), Printable(string(src), "\n\t"); got != want {
			t.Fatalf("%q cut at %d, %d: stream %q, whole %q", src, a, b, got, want)
		}
	})
}
