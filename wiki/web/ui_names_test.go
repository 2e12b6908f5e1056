package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/mmcdole/gofeed"
)

// TestUI_DisplayNames checks that every page showing people shows the
// display name of each, linking to their profile, the login in the
// tooltip; and that a new name shows at once, cached articles included.
func TestUI_DisplayNames(t *testing.T) {
	t.Parallel()
	e, sync := searchUIEnv(t)
	ctx := context.Background()
	chef := e.user(ctx, "chef", wiki.RoleAdmin)
	wantStatusCode(t, e.do("PUT", "/api/me", e.editor, `{"name":"Édith Piaf"}`), http.StatusOK)
	wantStatusCode(t, e.do("PUT", "/api/me", chef, `{"name":"Chef <Club>"}`), http.StatusOK)
	remi := e.signIn("remi")
	wantStatusCode(t, remi.post("/watch/usages/cahier", url.Values{"on": {"1"}}), http.StatusSeeOther)
	e.save("usages/cahier", "# Cahier de textes\n\nSaisi le jour même.\n", 0, http.StatusCreated)
	e.save("usages/cahier", "# Cahier de textes\n\nSaisi le soir même.\n", 1, http.StatusOK)
	wantStatusCode(t, e.do("POST", "/api/review/usages/cahier", chef, `{"rev":2}`), http.StatusOK)
	sync()
	for _, c := range []struct{ name, target, sel string }{
		{"page (last edited by)", "/wiki/usages/cahier", ".page-head .meta"},
		{"old revision", "/wiki/usages/cahier?rev=1", ".page-head .meta"},
		{"history", "/history/usages/cahier", "table"},
		{"diff", "/diff/usages/cahier?from=1&to=2", ".diff-rev-to"},
		{"recent changes", "/changes", "ol.changes"},
		{"watchlist", "/watchlist", "ol.watchlist"},
		{"search hits", "/search?q=cahier", "main"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantWho(t, page(t, remi.get(c.target), http.StatusOK), c.sel, "edith", "Édith Piaf")
		})
	}
	t.Run("history: the reviewer", func(t *testing.T) {
		doc := page(t, remi.get("/history/usages/cahier"), http.StatusOK)
		wantWho(t, doc, ".reviewed", "chef", "Chef <Club>")
	})
	t.Run("diff: the reviewer", func(t *testing.T) {
		doc := page(t, remi.get("/diff/usages/cahier?from=1&to=2"), http.StatusOK)
		wantWho(t, doc, ".reviewed", "chef", "Chef <Club>")
	})
	t.Run("conflict screen: who changed the page meanwhile", func(t *testing.T) {
		edith := e.signIn("edith")
		e.user(ctx, "karim", wiki.RoleEditor)
		doc := marieKarim(t, e, edith, e.signIn("karim"), "usages/connexion")
		wantWho(t, doc, ".conflict-who", "edith", "Édith Piaf")
	})
	t.Run("feed: the author's name and profile", func(t *testing.T) {
		rec := e.do("GET", "/feeds/changes.atom", e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		checkAtom(t, rec.Body.String())
		f, err := gofeed.NewParser().ParseString(rec.Body.String())
		if err != nil || len(f.Items) == 0 {
			t.Fatalf("feed: %v", err)
		}
		if a := f.Items[0].Author; a == nil || a.Name != "Édith Piaf" {
			t.Errorf("author %+v", a)
		}
		if !strings.Contains(rec.Body.String(), "<uri>http://example.com/membres/edith</uri>") {
			t.Errorf("no profile address: %s", rec.Body.String())
		}
	})
	t.Run("presence: the name", func(t *testing.T) {
		wantStatusCode(t, e.do("POST", "/api/presence/usages/cahier", e.editor, nil), http.StatusOK)
		got := decode[presenceT](t, e.do("POST", "/api/presence/usages/cahier", chef, nil))
		if len(got.Editors) != 1 || got.Editors[0].Name != "Édith Piaf" {
			t.Errorf("editors %+v", got.Editors)
		}
	})
	t.Run("a new name shows at once, in a cached article too", func(t *testing.T) {
		page(t, remi.get("/wiki/usages/cahier"), http.StatusOK)
		wantStatusCode(t, e.do("PUT", "/api/me", e.editor, `{"name":"Édith G."}`), http.StatusOK)
		wantWho(t, page(t, remi.get("/wiki/usages/cahier"), http.StatusOK), ".page-head .meta", "edith", "Édith G.")
		wantWho(t, page(t, remi.get("/changes"), http.StatusOK), "ol.changes", "edith", "Édith G.")
	})
	t.Run("a member without a name shows as their login", func(t *testing.T) {
		wantStatusCode(t, e.do("PUT", "/api/me", e.editor, `{"name":""}`), http.StatusOK)
		wantWho(t, page(t, remi.get("/wiki/usages/cahier"), http.StatusOK), ".page-head .meta", "edith", "edith")
	})
}
