package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestServer_ReadJSONSurrogates(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, tc := range []struct{ name, body string }{
		{"lone high surrogate in the text", `{"markdown":"# Page\n\na\ud800b\n","base_rev":0}`},
		{"lone low surrogate in the text", `{"markdown":"# Page\n\n\uDC00\n","base_rev":0}`},
		{"high surrogate at the end", `{"markdown":"# Page\n\n\ud83d","base_rev":0}`},
		{"two high surrogates", `{"markdown":"\ud83d\ud83d\ude00","base_rev":0}`},
		{"lone surrogate in the summary", `{"markdown":"# Page\n","summary":"\udfff","base_rev":0}`},
		{"lone surrogate in an ignored field", `{"markdown":"# Page\n","x":"\ud800","base_rev":0}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.do("PUT", "/api/pages/club/surrogat", e.editor, tc.body), http.StatusBadRequest, "bad_request")
			wantError(t, e.do("GET", "/api/pages/club/surrogat", e.editor, nil), http.StatusNotFound, "not_found")
		})
	}
	t.Run("a pair is one character", func(t *testing.T) {
		e.save("club/emoji", "", 0, http.StatusCreated) // a page to edit
		rec := e.do("PUT", "/api/pages/club/emoji", e.editor, `{"markdown":"Bravo \ud83d\ude00\n","base_rev":1}`)
		wantStatusCode(t, rec, http.StatusOK)
		if md := e.markdown("club/emoji"); md != "Bravo 😀\n" {
			t.Errorf("stored %q", md)
		}
	})
	t.Run("an escaped backslash is no escape", func(t *testing.T) {
		rec := e.do("PUT", "/api/pages/club/barre", e.editor, `{"markdown":"C:\\ud800\\\\\ud83d\ude00\n","base_rev":0}`)
		wantStatusCode(t, rec, http.StatusCreated)
		if md := e.markdown("club/barre"); md != `C:\ud800\\`+"😀\n" {
			t.Errorf("stored %q", md)
		}
	})
}

// markdown reads a page's text as the editor.
func (e *testEnv) markdown(path string) string {
	e.t.Helper()
	rec := e.do("GET", "/api/pages/"+path, e.editor, nil)
	wantStatusCode(e.t, rec, http.StatusOK)
	return decode[struct {
		Markdown string `json:"markdown"`
	}](e.t, rec).Markdown
}

func FuzzLoneSurrogate(f *testing.F) {
	for _, s := range []string{`"\ud800"`, `"\ud83d\ude00"`, `"\\ud800"`, `"\\\ud800"`, `{"a":"\uDBFF\uDFFF"}`, `"\ufffd"`, `"x\u00e9"`, `"\ud800\u0041"`, `"\u`, `"\ud8`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		lone := loneSurrogate(b)
		if !utf8.Valid(b) || !json.Valid(b) || lone {
			return // readJSON refuses invalid UTF-8 first
		}
		// encoding/json writes U+FFFD for nothing but a lone surrogate
		// (the bytes are valid UTF-8): without one, none may appear that
		// the text did not spell.
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		enc, _ := json.Marshal(v)
		lower := bytes.ToLower(b)
		if bytes.Contains(enc, []byte("\ufffd")) && !bytes.Contains(b, []byte("\ufffd")) && !bytes.Contains(lower, []byte(`\ufffd`)) {
			t.Errorf("%q decodes with U+FFFD but was not flagged", b)
		}
	})
}

func TestServer_SummaryControlCharacters(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("club/resume", "# Résumé\n", 0, http.StatusCreated)
	for _, sum := range []string{"ligne\nsuivante", "retour\rchariot", "nul\x00", "\x1b[31mrouge", "cloche\a", "del\x7f", "c1\u0085"} {
		t.Run(strings.ToValidUTF8(url.QueryEscape(sum), ""), func(t *testing.T) {
			body := map[string]any{"markdown": "# Résumé\n\nNouveau.\n", "base_rev": 1, "summary": sum}
			wantError(t, e.do("PUT", "/api/pages/club/resume", e.editor, body), http.StatusBadRequest, "bad_request")
			wantError(t, e.do("DELETE", "/api/pages/club/resume", e.editor, map[string]any{"summary": sum}), http.StatusBadRequest, "bad_request")
			wantError(t, e.do("POST", "/api/revert/club/resume", e.editor, map[string]any{"rev": 1, "summary": sum}), http.StatusBadRequest, "bad_request")
		})
	}
	if h := e.history("club/resume"); len(h.Revisions) != 1 {
		t.Fatalf("%d revisions, want only the first", len(h.Revisions))
	}
	t.Run("a tab is a space", func(t *testing.T) {
		e.do("PUT", "/api/pages/club/resume", e.editor, map[string]any{"markdown": "# Résumé\n\nTab.\n", "base_rev": 1, "summary": "avec\ttabulation"})
		if got := e.history("club/resume").Revisions[0].Summary; got != "avec tabulation" {
			t.Errorf("summary = %q", got)
		}
	})
	t.Run("the web form keeps the text", func(t *testing.T) {
		b := e.signIn("edith")
		form := url.Values{"markdown": {"# Résumé\n\nGardé.\n"}, "base_rev": {"2"}, "summary": {"nul\x00"}}
		doc := page(t, b.post("/edit/club/resume", form), http.StatusBadRequest)
		if got := doc.Find("textarea[name=markdown]").Text(); got != "# Résumé\n\nGardé.\n" {
			t.Errorf("textarea = %q", got)
		}
	})
}
