package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// FuzzSplitFrontMatter feeds the front matter parser any text: it never
// panics; without an error the body is the tail of the text and the meta
// encodes as JSON (the API's "meta"); a refusal is a bad_request naming a
// line within the text, never an internal error.
func FuzzSplitFrontMatter(f *testing.F) {
	for _, s := range []string{
		"", "---\n", "---\n---\n", "---\ntitle: Un\n---\n# Corps\n", "---\ntitle: Un\n...\nx",
		"\uFEFF---\r\ntags: [a, b]\r\n---\r\n", "---\n: :\n---\n", "---\n- a\n- b\n---\n",
		"---\na: &x [*x]\n---\n", "---\na: &a [1,1]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n---\n",
		"---\n{a: {b: {c: 1}}}\n---\n", "---\n!!binary x: 1\n---\n", "---  \ntitle: x\n---\t\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		meta, body, err := splitFrontMatter(src)
		if err != nil {
			var we *wiki.Error
			if !errors.As(err, &we) || we.Code != wiki.EInvalid {
				t.Fatalf("refusal %v is not a bad_request", err)
			}
			if we.Line < 0 || we.Line > bytes.Count(src, []byte("\n"))+1 {
				t.Fatalf("refusal names line %d of a text of %d lines", we.Line, bytes.Count(src, []byte("\n"))+1)
			}
			return
		}
		if meta == nil {
			t.Fatal("nil meta")
		}
		if !bytes.HasSuffix(src, body) {
			t.Fatalf("body %q is not the tail of the text", body)
		}
		if _, err := json.Marshal(meta); err != nil {
			t.Fatalf("meta does not encode as JSON: %v", err)
		}
		if len(body) == len(bytes.TrimPrefix(src, []byte("\uFEFF"))) && len(meta) != 0 {
			t.Fatalf("meta %v from a text kept whole as body", meta)
		}
	})
}
