package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kdecole-club/clubwiki/wiki"
)

// star returns the watch form of a page: its action, the "on" it sends and
// its button's text.
func star(t *testing.T, doc *goquery.Document) (action, on, label string) {
	t.Helper()
	f := doc.Find("form.watch")
	if f.Length() != 1 {
		t.Fatalf("%d watch forms", f.Length())
	}
	action, _ = f.Attr("action")
	on, _ = f.Find(`input[name="on"]`).Attr("value")
	return action, on, strings.TrimSpace(f.Find("button").Text())
}

func TestUI_Watch(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.saveAs("edith", "usages/cahier", "# Cahier\n\nUn.", 0)
	e.saveAs("edith", "club/reunion", "# Réunion\n\nUn.", 0)
	remi := e.signIn("remi")
	t.Run("a star on a page", func(t *testing.T) {
		action, on, label := star(t, page(t, remi.get("/wiki/usages/cahier"), http.StatusOK))
		if action != "/watch/usages/cahier" || on != "1" || label != "☆ Suivre" {
			t.Fatalf("star = %s %s %q", action, on, label)
		}
		wantRedirect(t, remi.post(action, url.Values{"on": {on}}), http.StatusSeeOther, "/wiki/usages/cahier")
		if _, on, label := star(t, page(t, remi.get("/wiki/usages/cahier"), http.StatusOK)); on != "0" || label != "★ Ne plus suivre" {
			t.Fatalf("after watching: %s %q", on, label)
		}
	})
	t.Run("a star on a namespace index", func(t *testing.T) {
		action, on, _ := star(t, page(t, remi.get("/ns/club"), http.StatusOK))
		if action != "/watch/club" || on != "1" {
			t.Fatalf("star = %s %s", action, on)
		}
		wantRedirect(t, remi.post(action, url.Values{"on": {"1"}}), http.StatusSeeOther, "/ns/club")
		if _, on, _ := star(t, page(t, remi.get("/ns/club"), http.StatusOK)); on != "0" {
			t.Fatal("the namespace is not watched")
		}
	})
	e.saveAs("edith", "usages/cahier", "# Cahier\n\nDeux.", 1)
	e.saveAs("edith", "usages/cahier", "# Cahier\n\nTrois.", 2)
	e.saveAs("edith", "club/reunion", "# Réunion\n\nDeux.", 1)
	e.saveAs("edith", "usages/autre", "# Autre\n\nUn.", 0)
	page(t, remi.get("/wiki/club/reunion"), http.StatusOK)
	groups := func(t *testing.T) (map[string]string, *goquery.Document) {
		t.Helper()
		doc := page(t, remi.get("/watchlist"), http.StatusOK)
		out := map[string]string{}
		doc.Find("li.watch-group").Each(func(_ int, g *goquery.Selection) {
			p, _ := g.Attr("data-path")
			since, _ := g.Find("a.since").Attr("href")
			out[p] = strings.TrimSpace(g.Find(".unseen-mark").First().Text()) + " " + since + " " + strconv.Itoa(g.Find("ul.changes li").Length())
		})
		return out, doc
	}
	t.Run("the watchlist, grouped by page, unseen marked", func(t *testing.T) {
		got, doc := groups(t)
		if len(got) != 2 || got["usages/cahier"] != "non vue /diff/usages/cahier?from=1&to=3 3" || got["club/reunion"] != "  2" {
			t.Fatalf("groups = %q", got)
		}
		first, _ := doc.Find("li.watch-group").First().Attr("data-path")
		if first != "club/reunion" {
			t.Fatalf("first group %s, want the page changed last", first)
		}
		if doc.Find(".watch-items li").Length() != 2 {
			t.Fatal("the watched things are not listed")
		}
	})
	t.Run("authors by display name", func(t *testing.T) {
		ctx := context.Background()
		if _, err := e.svc.CreateUser(ctx, wiki.NewUser{Login: "anne", Name: "Anne Durand", Role: wiki.RoleEditor, Password: "mot-de-passe-solide"}); err != nil {
			t.Fatal(err)
		}
		e.saveAs("anne", "usages/cahier", "# Cahier\n\nQuatre.", 3)
		doc := page(t, remi.get("/watchlist"), http.StatusOK)
		a := doc.Find(`li.watch-group[data-path="usages/cahier"] ul.changes li .author`)
		if got, _ := a.First().Attr("title"); a.First().Text() != "Anne Durand" || got != "anne" {
			t.Fatalf("author %q (%s), want Anne Durand (anne)", a.First().Text(), got)
		}
		if a.Last().Text() != "edith" {
			t.Fatalf("author without a display name %q, want the login", a.Last().Text())
		}
	})
	t.Run("mark all as seen", func(t *testing.T) {
		wantRedirect(t, remi.post("/watchlist/seen", nil), http.StatusSeeOther, "/watchlist")
		got, doc := groups(t)
		if got["usages/cahier"] != "  4" || doc.Find(".unseen").Length() != 0 {
			t.Fatalf("after marking all as seen: %q", got)
		}
	})
	t.Run("own edits: the setting", func(t *testing.T) {
		edith := e.signIn("edith")
		doc := page(t, edith.get("/watchlist"), http.StatusOK)
		if _, ok := doc.Find("#auto").Attr("checked"); !ok {
			t.Fatal("own edits are not watched by default")
		}
		if doc.Find("li.watch-group").Length() != 3 {
			t.Fatalf("edith's own pages are not in her watchlist")
		}
		wantRedirect(t, edith.post("/watchlist/settings", url.Values{}), http.StatusSeeOther, "/watchlist")
		doc = page(t, edith.get("/watchlist"), http.StatusOK)
		if _, ok := doc.Find("#auto").Attr("checked"); ok {
			t.Fatal("the setting did not change")
		}
	})
	t.Run("nothing yet", func(t *testing.T) {
		doc := page(t, e.signIn("edith").get("/watchlist?before=1"), http.StatusOK)
		if !strings.Contains(doc.Find("main").Text(), "Aucune modification") {
			t.Fatal("no empty message")
		}
	})
}
