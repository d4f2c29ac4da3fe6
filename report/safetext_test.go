package report

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// streamSafeText writes src to a safeTextWriter in pieces cut at cuts
// (positions in src, ascending) and returns what reached the writer below.
func streamSafeText(t *testing.T, src []byte, cuts []int) string {
	t.Helper()
	var out bytes.Buffer
	w := &safeTextWriter{w: &out}
	last := 0
	for _, c := range append(cuts, len(src)) {
		if n, err := w.Write(src[last:c]); err != nil || n != c-last {
			t.Fatalf("Write(%q) = %d, %v", src[last:c], n, err)
		}
		last = c
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestSafeTextWriter(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		cuts []int
		want string
	}{
		{"plain", "<td>acme-0</td>\n", nil, "<td>acme-0</td>\n"},
		{"tab, newline and carriage return stay", "a\tb\r\nc", []int{1, 2}, "a\tb\r\nc"},
		{"C0 controls are replaced", "a\x00b\x1bc\x7f", nil, "a\uFFFDb\uFFFDc\x7f"},
		{"non-characters U+FFFE and U+FFFF are replaced", "x\uFFFEy\uFFFFz", nil, "x\uFFFDy\uFFFDz"},
		{"a sequence cut between writes is joined", "é漢字😀", []int{1, 3, 4, 7, 9}, "é漢字😀"},
		{"an invalid byte is one replacement", "a\xffb", nil, "a\uFFFDb"},
		{"a cut sequence left at the end is replaced byte by byte", "ok\xe6\xbc", []int{3}, "ok\uFFFD\uFFFD"},
		{"a cut sequence that a write does not complete", "\xe6\xbcA", []int{1, 2}, "\uFFFD\uFFFDA"},
		{"surrogate halves encoded in UTF-8 are invalid", "\xed\xa0\x80", []int{2}, "\uFFFD\uFFFD\uFFFD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := streamSafeText(t, []byte(tc.in), tc.cuts); got != tc.want {
				t.Errorf("streamed %q cut at %v = %q, want %q", tc.in, tc.cuts, got, tc.want)
			}
			if got := safeText(tc.in); got != tc.want {
				t.Errorf("safeText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestSafeTextWriterMatchesSafeText streams random text, cut at random
// places, and requires what safeText makes of the whole.
func TestSafeTextWriterMatchesSafeText(t *testing.T) {
	pieces := []string{"a", "<", "&amp;", "\n", "\t", "\x00", "\x1f", "é", "漢", "😀", "\uFFFE", "\uFFFF", "\u2028", "\xff", "\xe6", "\xe6\xbc", "\xf0\x9f", "\xed\xa0\x80"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		src := b.String()
		var cuts []int
		for i := 1; i < len(src); i++ {
			if r.IntN(3) == 0 {
				cuts = append(cuts, i)
			}
		}
		if got, want := streamSafeText(t, []byte(src), cuts), safeText(src); got != want {
			t.Fatalf("streamed %q cut at %v = %q, want %q", src, cuts, got, want)
		}
	}
}

func FuzzSafeTextWriter(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x00b", "é漢字😀", "\xe6\xbc", "\xed\xa0\x80\uFFFE"} {
		f.Add([]byte(s), uint64(0x5555))
	}
	f.Fuzz(func(t *testing.T, src []byte, cutBits uint64) {
		var cuts []int
		for i := 1; i < len(src) && i < 64; i++ {
			if cutBits&(1<<i) != 0 {
				cuts = append(cuts, i)
			}
		}
		if got, want := streamSafeText(t, src, cuts), safeText(string(src)); got != want {
			t.Fatalf("streamed %q cut at %v = %q, want %q", src, cuts, got, want)
		}
	})
}
