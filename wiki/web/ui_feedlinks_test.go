package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestUI_FeedLinks: the head links the feeds of what is shown to a
// signed-in member, and nothing to a visitor.
func TestUI_FeedLinks(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.saveAs("edith", "usages/cahier-d-appel", "# Cahier d'appel\n\nUn.", 0)
	remi := e.signIn("remi")
	links := func(doc *goquery.Document) string {
		var out []string
		doc.Find(`head link[rel="alternate"]`).Each(func(_ int, l *goquery.Selection) {
			typ, _ := l.Attr("type")
			title, _ := l.Attr("title")
			href, _ := l.Attr("href")
			out = append(out, typ+" "+title+" "+href)
		})
		return strings.Join(out, "\n")
	}
	for _, c := range []struct{ name, target, want string }{
		{"a page: recent changes and its history", "/wiki/usages/cahier-d-appel",
			"application/atom+xml Modifications récentes (Atom) /feeds/changes.atom\n" +
				"application/atom+xml Historique de la page (Atom) /feeds/history/usages/cahier-d-appel"},
		{"the watchlist: recent changes and the watchlist", "/watchlist",
			"application/atom+xml Modifications récentes (Atom) /feeds/changes.atom\n" +
				"application/atom+xml Ma liste de suivi (Atom) /feeds/watchlist.atom"},
		{"elsewhere: recent changes", "/changes", "application/atom+xml Modifications récentes (Atom) /feeds/changes.atom"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := links(page(t, remi.get(c.target), http.StatusOK)); got != c.want {
				t.Errorf("links:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
	t.Run("a visitor: none", func(t *testing.T) {
		rec := e.do("GET", "/login", "", nil)
		if got := links(page(t, rec, http.StatusOK)); got != "" {
			t.Errorf("links: %s", got)
		}
	})
}
