package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestServer_SearchByAuthorName checks that auteur: takes a display name
// and that hits show their last editor's display name, in the API and on
// the search page.
func TestServer_SearchByAuthorName(t *testing.T) {
	t.Parallel()
	e, sync := searchUIEnv(t)
	tok := newNamedUser(t, e, "mblanchard", "Marie Blanchard")
	rec := e.do("PUT", "/api/pages/assistance/compte-rendu", tok, map[string]any{"markdown": "# Compte rendu\n\nRéunion du club.\n", "base_rev": 0})
	wantStatusCode(t, rec, http.StatusCreated)
	sync()
	t.Run("API", func(t *testing.T) {
		rec := e.do("GET", "/api/search?q="+url.QueryEscape(`auteur:"marie blanchard"`), e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		res := decode[struct {
			Hits []struct {
				Path       string `json:"path"`
				Author     string `json:"author"`
				AuthorName string `json:"author_name"`
			} `json:"hits"`
		}](t, rec)
		if len(res.Hits) != 1 || res.Hits[0].Path != "assistance/compte-rendu" || res.Hits[0].Author != "mblanchard" || res.Hits[0].AuthorName != "Marie Blanchard" {
			t.Errorf("hits = %+v", res.Hits)
		}
	})
	t.Run("search page", func(t *testing.T) {
		doc := page(t, e.signIn("remi").get("/search?q="+url.QueryEscape("auteur:Blanchard")), http.StatusOK)
		if got := doc.Find("ol.hits li .meta").Text(); !strings.Contains(got, "par Marie Blanchard") {
			t.Errorf("hit meta = %q", got)
		}
	})
}
