package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// TestServer_RenderLimits saves and previews a page past a rendering bound
// from the editor and the API: each answer is a 413 saying in the user's
// language which bound and on which line, and the editor keeps the text.
func TestServer_RenderLimits(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("edith")
	// As a preview, a 5,000 × 5,000 table once made the server run out of memory.
	md := "# Tableau\n\n" + hostile.TableBomb(3000, 3000)
	wantWords := "un tableau a 3000 colonnes ; le wiki en accepte au plus 128. (ligne 4)"

	t.Run("save", func(t *testing.T) {
		doc := page(t, b.post("/edit/usages/bombe", url.Values{"markdown": {md}, "base_rev": {"0"}}), http.StatusRequestEntityTooLarge)
		if doc.Find("textarea#markdown").Text() != md {
			t.Error("text lost")
		}
		if got := text(doc, ".error"); !strings.Contains(got, wantWords) {
			t.Errorf("message = %q, want it to say %q", got, wantWords)
		}
	})
	t.Run("preview", func(t *testing.T) {
		rec := b.post("/preview", url.Values{"path": {"usages/bombe"}, "markdown": {md}})
		wantStatusCode(t, rec, http.StatusRequestEntityTooLarge)
		if !strings.Contains(rec.Body.String(), wantWords) {
			t.Errorf("preview = %.300s", rec.Body.String())
		}
	})
	t.Run("API preview", func(t *testing.T) {
		rec := e.do("POST", "/api/preview", e.editor, map[string]any{"path": "usages/bombe", "markdown": md})
		wantStatusCode(t, rec, http.StatusRequestEntityTooLarge)
		var body errorBody
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		if body.Error.Code != "too_large" || !strings.Contains(body.Error.Message, "3000 columns; at most 128") {
			t.Errorf("error = %+v", body.Error)
		}
	})
}

// Every bound's wording takes count and max, used or not, and shows no
// formatting debris.
func TestLimitWordsNoDebris(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	for lang, l := range e.srv.ui.cats {
		for lim := range limitKeys {
			got := limitWords(l, &wiki.LimitError{Limit: lim, Count: 67109888, Max: 67108864, Line: 1})
			if strings.Contains(got, "%!") {
				t.Errorf("%s %s: %q", lang, lim, got)
			}
		}
	}
}
