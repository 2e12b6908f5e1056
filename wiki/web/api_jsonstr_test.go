package web

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// encodingJSON is what encodeJSON writes for v.
func encodingJSON(t testing.TB, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var jsonStringCases = []string{
	"", "a", "l'école « Élise » — d’accord", `guillemets "doubles" et \ barre`,
	"<p class=\"x\">a &amp; b</p>\n", "\x00\x01\b\f\n\r\t\x1f\x7f", "fin\u2028ligne\u2029para",
	"\xe2\x80", "\xe2\x80\xa8", "x\xe2", "invalide \xff\xfe ici", "\xc3", "\xed\xa0\x80 (surrogate)",
	strings.Repeat("été ", 300) + "\"", strings.Repeat("a", 7) + "\u2028", strings.Repeat("b", 15) + "\x01",
}

// TestAppendJSONString checks the fast string writer against
// encoding/json on the cases that differ: escapes, U+2028 at every
// position of an 8-byte word, invalid and cut UTF-8.
func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	cases := append([]string{}, jsonStringCases...)
	for pad := range 10 {
		for _, special := range []string{"\u2028", "\"", "\\", "\n", "\x1f", "é", "\xe2\x82\xac", "\xe2\x80\x99"} {
			cases = append(cases, strings.Repeat("x", pad)+special+strings.Repeat("y", 9-pad))
		}
	}
	for _, s := range cases {
		sameAsEncodingJSON(t, s)
	}
}

// sameAsEncodingJSON checks that both string writers, the scanning one
// and the planned one, write s as encoding/json does.
func sameAsEncodingJSON(t *testing.T, s string) {
	t.Helper()
	want := bytes.TrimSuffix(encodingJSON(t, s), []byte("\n"))
	if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
		t.Errorf("%q:\n got %s\nwant %s", s, got, want)
	}
	if got := planText(s).append(nil, s); !bytes.Equal(got, want) {
		t.Errorf("%q by its plan:\n got %s\nwant %s", s, got, want)
	}
}

// TestJSONPlan checks when a text gets a plan: a page does, a page of
// quotes (a plan four times its escapes) does not, and a plan met with
// another text than its own writes that text right.
func TestJSONPlan(t *testing.T) {
	t.Parallel()
	page := frenchPage()
	if p := planText(page); !p.ok || len(p.at) == 0 {
		t.Fatalf("a French page has no plan (%d escapes)", len(p.at))
	}
	quotes := strings.Repeat(`"`, 1<<20)
	if p := planText(quotes); p.ok || p.at != nil {
		t.Errorf("a megabyte of quotes has a plan of %d escapes", len(p.at))
	}
	sameAsEncodingJSON(t, quotes)
	other := strings.Replace(page, "Un parent", `Un "parent"`, 1)
	want := bytes.TrimSuffix(encodingJSON(t, other), []byte("\n"))
	if got := planText(page).append(nil, other); !bytes.Equal(got, want) {
		t.Errorf("a plan written over another text: %.200s", got)
	}
}

// TestAppendPage checks the page answer against encoding/json's
// encoding of the same pageJSON.
func TestAppendPage(t *testing.T) {
	t.Parallel()
	p := pageJSON{
		SeenRev: 3, Path: wiki.MustPath("usages/l-ecole"), Namespace: "usages", Title: `L'école « "pilote" »`, Rev: 12,
		Markdown: "# L'école\n\nLigne\u2028 et <b>gras</b> & \\", HTML: "<h1 id=\"l-ecole\">L’école</h1>\n",
		Meta:    map[string]any{"type": "résolution", "projets": []any{"E-lyco", "<ENT>"}, "n": 4.5},
		Updated: time.Date(2026, 11, 30, 8, 15, 0, 123456789, time.UTC), Author: "camille",
	}
	meta, err := marshalNoEscape(p.Meta)
	if err != nil {
		t.Fatal(err)
	}
	plans := &pagePlans{markdown: planText(p.Markdown), html: planText(p.HTML), meta: meta}
	for _, pl := range []*pagePlans{nil, plans} {
		got, err := appendPage(nil, p, pl)
		if err != nil {
			t.Fatal(err)
		}
		if want := encodingJSON(t, p); !bytes.Equal(got, want) {
			t.Errorf("plans %v:\n got %s\nwant %s", pl != nil, got, want)
		}
	}
	p.Updated = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := appendPage(nil, p, nil); err == nil {
		t.Error("a date past year 9999 was written")
	}
}

// FuzzAppendJSONString compares the fast writer with encoding/json on
// any text.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStringCases {
		f.Add(s)
	}
	f.Fuzz(sameAsEncodingJSON)
}

// BenchmarkAppendJSONString writes a 20 KB French page as a JSON string,
// here and with encoding/json.
func BenchmarkAppendJSONString(b *testing.B) {
	page := frenchPage()
	b.Run("appendJSONString", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		var buf []byte
		for b.Loop() {
			buf = appendJSONString(buf[:0], page)
		}
	})
	b.Run("planned", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		plan := planText(page)
		var buf []byte
		for b.Loop() {
			buf = plan.append(buf[:0], page)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		for b.Loop() {
			buf.Reset()
			_ = enc.Encode(page)
		}
	})
}
