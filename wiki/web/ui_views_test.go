package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestServer_PageViews(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	sync := withSearch(t, e)
	res := func(title, statut string) string {
		return "---\ntype: resolution\nstatut: " + statut + "\nprojets: [e-lyco]\n---\n# " + title + "\n"
	}
	e.save("assistance/b", res("Bêta", "ouvert"), 0, http.StatusCreated)
	e.save("assistance/a", res("Alpha", "ouvert"), 0, http.StatusCreated)
	e.save("assistance/vues", "# Vues\n\n## Difficultés ouvertes\n\n```vue\ntype:resolution -statut:resolu\n```\n", 0, http.StatusCreated)
	sync()
	b := e.signIn("remi")
	rows := func(target string) []string {
		t.Helper()
		doc := page(t, b.get(target), http.StatusOK)
		var out []string
		for _, s := range doc.Find("#vue-0 tbody tr td:first-child a").EachIter() {
			out = append(out, s.Text())
		}
		return out
	}
	t.Run("a table of the pages found, newest first", func(t *testing.T) {
		if got := strings.Join(rows("/wiki/assistance/vues"), "|"); got != "Alpha|Bêta" {
			t.Errorf("rows %s", got)
		}
	})
	t.Run("sorted by a header's link", func(t *testing.T) {
		doc := page(t, b.get("/wiki/assistance/vues"), http.StatusOK)
		href := doc.Find("#vue-0 th a").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == "Titre" }).AttrOr("href", "")
		if href != "?tri=0.titre#vue-0" {
			t.Fatalf("title header links to %q", href)
		}
		if got := strings.Join(rows("/wiki/assistance/vues?tri=0.-titre"), "|"); got != "Bêta|Alpha" {
			t.Errorf("by title, reversed: %s", got)
		}
	})
	t.Run("current after a save, in the page and the API", func(t *testing.T) {
		before := e.do("GET", "/api/pages/assistance/vues", e.reader, nil)
		e.save("assistance/a", res("Alpha", "résolu"), 1, http.StatusOK)
		sync()
		if got := strings.Join(rows("/wiki/assistance/vues"), "|"); got != "Bêta" {
			t.Errorf("rows after the save: %s", got)
		}
		after := e.do("GET", "/api/pages/assistance/vues", e.reader, nil)
		if before.Header().Get("ETag") == after.Header().Get("ETag") || strings.Contains(after.Body.String(), "Alpha") {
			t.Errorf("the API's page did not follow: %s", after.Body.String())
		}
	})
}
