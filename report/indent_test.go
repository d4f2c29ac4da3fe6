package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// randomJSON builds a random value of the kinds encoding/json encodes, with
// strings that hold what makes indenting hard: quotes, backslashes before
// quotes, brackets, commas and colons, HTML characters, non-ASCII text and
// control characters.
func randomJSON(r *rand.Rand, depth int) any {
	pieces := []string{`"`, `\`, `\"`, `\\"`, "{", "}", "[", "]", ",", ":", " ", "<a href='x'>&", "é", "漢字", "\n", "\t", "\x01", "\u2028", "plain text"}
	str := func() string {
		var b bytes.Buffer
		for range r.IntN(6) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	switch k := r.IntN(8); {
	case depth > 4 || k < 3:
		switch r.IntN(5) {
		case 0:
			return nil
		case 1:
			return r.IntN(2) == 0
		case 2:
			return r.NormFloat64() * 1e6
		}
		return str()
	case k < 5:
		list := []any{}
		for range r.IntN(5) {
			list = append(list, randomJSON(r, depth+1))
		}
		return list
	default:
		obj := map[string]any{}
		for range r.IntN(5) {
			obj[str()] = randomJSON(r, depth+1)
		}
		return obj
	}
}

func TestAppendIndentedMatchesJSONIndent(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		src, err := json.Marshal(randomJSON(r, 0))
		if err != nil {
			t.Fatal(err)
		}
		for _, style := range [][2]string{{"", "  "}, {"        ", "  "}, {"> ", "\t"}} {
			var want bytes.Buffer
			if err := json.Indent(&want, src, style[0], style[1]); err != nil {
				t.Fatal(err)
			}
			if got := appendIndented([]byte("x"), src, style[0], style[1]); string(got) != "x"+want.String() {
				t.Fatalf("value %d %q:\n got %s\nwant %s", i, style, got[1:], want.Bytes())
			}
		}
	}
}

func FuzzAppendIndented(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,{"b":"c\"d\\"}],"e":{}}`, `"\\\\\""`, `[[],[[]],{"":""}]`, `{"a b":"[{,:}]"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if !json.Valid(src) {
			return
		}
		// appendIndented takes compact JSON, as encoding/json writes it.
		var compact bytes.Buffer
		if err := json.Compact(&compact, src); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "  ", "\t"); err != nil {
			t.Fatal(err)
		}
		if got := appendIndented(nil, compact.Bytes(), "  ", "\t"); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s:\n got %s\nwant %s", compact.Bytes(), got, want.Bytes())
		}
	})
}

func BenchmarkAppendIndented(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	var docs [][]byte
	for range 100 {
		src, _ := json.Marshal(randomJSON(r, 0))
		docs = append(docs, src)
	}
	var dst []byte
	var buf bytes.Buffer
	b.Run("appendIndented", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			dst = appendIndented(dst[:0], docs[i%len(docs)], "        ", "  ")
		}
	})
	b.Run("json.Indent", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			buf.Reset()
			json.Indent(&buf, docs[i%len(docs)], "        ", "  ")
		}
	})
}
