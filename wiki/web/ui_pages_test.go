package web

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/wiki"
)

func TestServer_Home(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.save("club/accueil", "# Bienvenue au club\n\nLes sept axes.\n", 0, http.StatusCreated)
	b := e.signIn("edith")
	doc := page(t, b.get("/"), http.StatusOK)
	if got := doc.Find("html").AttrOr("lang", ""); got != "fr" {
		t.Errorf("lang = %q, want fr", got)
	}
	if n := doc.Find(".cards li").Length(); n != 8 {
		t.Errorf("%d namespaces on the home page, want 8", n)
	}
	if !strings.Contains(text(doc, ".content"), "Les sept axes.") {
		t.Errorf("home page content missing: %q", text(doc, ".content"))
	}
	// One h1, the page's title, before the axes' h2: headings in order.
	if h1 := doc.Find("h1"); h1.Length() != 1 || strings.TrimSpace(h1.Text()) != "Bienvenue au club" || doc.Find("main > h1 + section.axes").Length() != 1 {
		t.Errorf("home headings: %d h1 (%q), want the title alone before the axes", h1.Length(), h1.Text())
	}
	if doc.Find("a.skip[href='#main']").Length() != 1 || doc.Find("main#main").Length() != 1 {
		t.Error("no skip link to main")
	}
}

// TestServer_HomeSeed follows the links of the seeded home page: none may
// lead back to the home page itself.
func TestServer_HomeSeed(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	seed, err := fs.ReadFile(assets.Seed(), "club/accueil.md")
	if err != nil {
		t.Fatal(err)
	}
	e.save("club/accueil", string(seed), 0, http.StatusCreated)
	b := e.signIn("edith")
	doc := page(t, b.get("/"), http.StatusOK)
	club := doc.Find(".content a").FilterFunction(func(_ int, a *goquery.Selection) bool { return strings.TrimSpace(a.Text()) == "Le club" })
	if club.Length() != 1 {
		t.Fatalf("%d « Le club » links on the home page", club.Length())
	}
	href := club.AttrOr("href", "")
	if href == "/" || href == "/wiki/"+homePath {
		t.Fatalf("« Le club » points to the home page itself (%s)", href)
	}
	if got := text(page(t, b.get(href), http.StatusOK), "main h1"); !strings.HasPrefix(got, "Le club") {
		t.Errorf("« Le club » leads to %q", got)
	}
}

func TestServer_ViewOldRevision(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.save("club/ancienne", "# Ancienne\n\nPremier jet.\n", 0, http.StatusCreated)
	marie := e.user(context.Background(), "marie", wiki.RoleEditor)
	wantStatusCode(t, e.do("PUT", "/api/pages/club/ancienne", marie, map[string]any{"markdown": "# Ancienne\n\nSecond jet.\n", "base_rev": 1}), http.StatusOK)
	b := e.signIn("edith")
	meta := text(page(t, b.get("/wiki/club/ancienne?rev=1"), http.StatusOK), ".page-head .meta")
	if strings.Contains(meta, "Dernière modification") || !strings.Contains(meta, "Révision 1") || !strings.Contains(meta, "edith") {
		t.Errorf("old revision labelled %q", meta)
	}
	meta = text(page(t, b.get("/wiki/club/ancienne"), http.StatusOK), ".page-head .meta")
	if !strings.HasPrefix(meta, "Dernière modification par marie") || !strings.Contains(meta, "révision 2") {
		t.Errorf("head labelled %q", meta)
	}
}

func TestServer_ViewPage(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.save("assistance/connexion", "# Connexion\n\n## Symptôme\n\n## Cause\n\n## Solution\n\nVoir [[assistance/absente]] et [[club/accueil]].\n", 0, http.StatusCreated)
	b := e.signIn("edith")
	t.Run("rendered", func(t *testing.T) {
		doc := page(t, b.get("/wiki/assistance/connexion"), http.StatusOK)
		if got := text(doc, "main h1"); got != "Connexion" {
			t.Errorf("title = %q", got)
		}
		if n := doc.Find("main h1").Length(); n != 1 {
			t.Errorf("%d level-1 headings: the page's own \"# Connexion\" repeats the title", n)
		}
		if doc.Find(".toc a[href='#h-cause']").Length() != 1 {
			t.Error("no table of contents entry for #h-cause")
		}
		if doc.Find("a.wikilink.missing[href='/wiki/assistance/absente']").Length() != 1 {
			t.Error("missing link not marked")
		}
		for _, href := range []string{"/edit/assistance/connexion", "/history/assistance/connexion", "/backlinks/assistance/connexion"} {
			if doc.Find("a[href='"+href+"']").Length() == 0 {
				t.Errorf("no link to %s", href)
			}
		}
		if !strings.Contains(text(doc, ".meta"), "edith") {
			t.Errorf("last editor not shown: %q", text(doc, ".meta"))
		}
	})
	t.Run("non-canonical redirects", func(t *testing.T) {
		wantRedirect(t, b.get("/wiki/Assistance/Connexion"), http.StatusMovedPermanently, "/wiki/assistance/connexion")
		wantRedirect(t, b.get("/wiki/Assistance/Connexion?rev=1"), http.StatusMovedPermanently, "/wiki/assistance/connexion?rev=1")
	})
	t.Run("missing page is a 404 with a create link", func(t *testing.T) {
		doc := page(t, b.get("/wiki/assistance/absente"), http.StatusNotFound)
		if doc.Find("a[href='/edit/assistance/absente']").Length() != 1 {
			t.Error("no create link")
		}
	})
	t.Run("unknown namespace", func(t *testing.T) {
		page(t, b.get("/wiki/nulle-part/page"), http.StatusBadRequest)
	})
	t.Run("old revision", func(t *testing.T) {
		e.save("assistance/connexion", "# Connexion\n\nNouveau texte.\n", 1, http.StatusOK)
		doc := page(t, b.get("/wiki/assistance/connexion?rev=1"), http.StatusOK)
		if doc.Find(".banner.old").Length() != 1 {
			t.Error("old revision without its banner")
		}
		if doc.Find("a[href='/revert/assistance/connexion?rev=1']").Length() != 1 {
			t.Error("no revert link on an old revision")
		}
		page(t, b.get("/wiki/assistance/connexion?rev=9"), http.StatusNotFound)
		page(t, b.get("/wiki/assistance/connexion?rev=un"), http.StatusBadRequest)
		if got := text(page(t, b.get("/wiki/assistance/connexion?rev=0"), http.StatusOK), ".content"); !strings.Contains(got, "Nouveau texte.") {
			t.Errorf("?rev=0 is not the head: %q", got)
		}
	})
	t.Run("reader sees no edit link", func(t *testing.T) {
		doc := page(t, e.signIn("remi").get("/wiki/assistance/connexion"), http.StatusOK)
		if doc.Find("a[href^='/edit/']").Length() != 0 {
			t.Error("a reader sees an edit link")
		}
	})
}

func TestServer_NamespaceIndex(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	for _, p := range []struct{ path, title string }{
		{"usages/f", "Fiches"}, {"usages/e", "École numérique"}, {"usages/d", "Devoirs"}, {"usages/z", "Zèbre"},
	} {
		e.save(p.path, "# "+p.title+"\n", 0, http.StatusCreated)
	}
	b := e.signIn("remi")
	doc := page(t, b.get("/ns/usages"), http.StatusOK)
	var titles []string
	for _, s := range doc.Find(".axis-tree li a").EachIter() {
		titles = append(titles, s.Text())
	}
	want := "Bienvenue dans l'espace Usages|Devoirs|École numérique|Fiches|Zèbre"
	if got := strings.Join(titles, "|"); !strings.Contains(got, "Devoirs|École numérique|Fiches|Zèbre") {
		t.Errorf("order = %s, want like %s", got, want)
	}
	page(t, b.get("/ns/inconnu"), http.StatusNotFound)
}

func TestServer_UIAccess(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	t.Run("anonymous goes to login with next", func(t *testing.T) {
		wantRedirect(t, e.browser().get("/wiki/club/accueil?rev=1"), http.StatusSeeOther, "/login?next=%2Fwiki%2Fclub%2Faccueil%3Frev%3D1")
	})
	t.Run("expired or unknown session", func(t *testing.T) {
		b := e.browser()
		b.cookies[sessionCookie] = "inconnu"
		wantRedirect(t, b.get("/changes"), http.StatusSeeOther, "/login?next=%2Fchanges")
		// A form post cannot be replayed after signing in: no next.
		wantRedirect(t, b.post("/delete/club/accueil", nil), http.StatusSeeOther, "/login")
	})
	t.Run("reader is forbidden to edit", func(t *testing.T) {
		b := e.signIn("remi")
		page(t, b.get("/edit/club/accueil"), http.StatusForbidden)
		page(t, b.get("/new"), http.StatusForbidden)
	})
	t.Run("security headers", func(t *testing.T) {
		rec := e.signIn("remi").get("/")
		h := rec.Header()
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP = %q", csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") == "" {
			t.Errorf("headers = %v", h)
		}
	})
	t.Run("unknown URL", func(t *testing.T) {
		doc := page(t, e.signIn("remi").get("/nulle-part"), http.StatusNotFound)
		for _, href := range []string{"/", "/search", "/changes"} {
			if doc.Find(".error-help a[href='"+href+"']").Length() != 1 {
				t.Errorf("the 404 page has no link to %s", href)
			}
		}
		doc = page(t, e.signIn("remi").get("/edit/usages/accueil"), http.StatusForbidden)
		if doc.Find(".error-help a[href='/search']").Length() != 0 || doc.Find(".error-help a[href='/']").Length() != 1 {
			t.Error("the 403 page's links")
		}
	})
}

// TestServer_RenderFailed checks that a page that cannot be rendered is a
// 500 in the reader's language, not an English Go message.
func TestServer_RenderFailed(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	fr := e.srv.ui.cats["fr"]
	rec := httptest.NewRecorder()
	e.srv.ui.render(rec, httptest.NewRequest("GET", "/", nil), http.StatusOK, "no-such-page", errorView{base: base{L: fr}})
	wantStatusCode(t, rec, http.StatusInternalServerError)
	if got := strings.TrimSpace(rec.Body.String()); got != fr.T("error.internal") {
		t.Errorf("body = %q", got)
	}
}

// TestServer_ViewPageCache checks what the cache of executed articles is
// keyed on: a second view must not serve the first one's article when the
// language or the set of existing pages differs.
func TestServer_ViewPageCache(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.save("assistance/connexion", "# Connexion\n\nVoir [[assistance/absente]].\n", 0, http.StatusCreated)
	b := e.signIn("edith")
	const view = "/wiki/assistance/connexion"
	missing := "a.wikilink.missing[href='/wiki/assistance/absente']"
	if doc := page(t, b.get(view), http.StatusOK); doc.Find(missing).Length() != 1 {
		t.Fatal("missing link not marked")
	}
	t.Run("language", func(t *testing.T) {
		b.cookies[langCookie] = "en"
		defer delete(b.cookies, langCookie)
		if got := text(page(t, b.get(view), http.StatusOK), ".page-head .meta"); !strings.HasPrefix(got, "Last changed by") {
			t.Errorf("article in English = %q", got)
		}
	})
	t.Run("linked page created", func(t *testing.T) {
		e.save("assistance/absente", "# Absente\n", 0, http.StatusCreated)
		doc := page(t, b.get(view), http.StatusOK)
		if doc.Find(missing).Length() != 0 || doc.Find("a.wikilink[href='/wiki/assistance/absente']").Length() != 1 {
			t.Error("the link is still marked missing after the page was created")
		}
	})
}

func TestServer_MissingPageTitle(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.save("assistance/accueil", "# Assistance\n\nVoir [[Problème de connexion à l'ENT]], [[assistance/imprimantes|Imprimantes en panne]] et [[club/absente]].\n", 0, http.StatusCreated)
	b := e.signIn("edith")
	create := func(t *testing.T, path string) (heading, editor string) {
		t.Helper()
		doc := page(t, b.get("/wiki/"+path), http.StatusNotFound)
		href, ok := doc.Find("a.button.primary").Attr("href")
		if !ok {
			t.Fatal("no link to create the page")
		}
		ed := page(t, b.get(href), http.StatusOK)
		return text(doc, "main h1"), ed.Find("textarea#markdown").Text()
	}
	t.Run("a missing link's own words", func(t *testing.T) {
		doc := page(t, b.get("/wiki/assistance/accueil"), http.StatusOK)
		href := doc.Find(".content a.wikilink.missing").First().AttrOr("href", "")
		heading, md := create(t, strings.TrimPrefix(href, "/wiki/"))
		if heading != "Problème de connexion à l'ENT" || md != "# Problème de connexion à l'ENT\n\n" {
			t.Errorf("heading %q, editor %q; want the link's words", heading, md)
		}
	})
	t.Run("a label when the target is a slug", func(t *testing.T) {
		if heading, _ := create(t, "assistance/imprimantes"); heading != "Imprimantes en panne" {
			t.Errorf("heading = %q", heading)
		}
	})
	t.Run("the path when no link says more", func(t *testing.T) {
		if heading, _ := create(t, "club/absente"); heading != "absente" {
			t.Errorf("heading = %q", heading)
		}
	})
	t.Run("a deleted page keeps its last title", func(t *testing.T) {
		e.save("club/compte-rendu-2025", "# Compte rendu de la réunion de 2025\n", 0, http.StatusCreated)
		wantStatusCode(t, e.do("DELETE", "/api/pages/club/compte-rendu-2025", e.editor, nil), http.StatusOK)
		heading, md := create(t, "club/compte-rendu-2025")
		if heading != "Compte rendu de la réunion de 2025" || md != "# Compte rendu de la réunion de 2025\n\n" {
			t.Errorf("heading %q, editor %q; want the last title", heading, md)
		}
	})
}

// TestServer_ViewPage_title checks that a page view shows the page's title
// once: the level-1 heading the page starts with, when it is the title, is
// not repeated in the content; any other heading stays where it is.
func TestServer_ViewPage_title(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("edith")
	tests := []struct {
		name, md  string
		title     string
		contentH1 int // level-1 headings left in the content
	}{
		{"title heading first", "# Réunion du club\n\nDu texte.\n", "Réunion du club", 0},
		{"setext heading", "Réunion du club\n===============\n\nDu texte.\n", "Réunion du club", 0},
		{"front matter title, same heading", "---\ntitle: Réunion du club\n---\n# Réunion du club\n\nDu texte.\n", "Réunion du club", 0},
		{"front matter title, other heading", "---\ntitle: Compte rendu\n---\n# Réunion du club\n\nDu texte.\n", "Compte rendu", 1},
		{"no heading", "Du texte.\n\n## Présents\n", "no heading", 0},
		{"heading not at the start", "Du texte.\n\n# Réunion du club\n", "Réunion du club", 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := "club/titre-" + strconv.Itoa(i)
			if tt.name == "no heading" {
				p = "club/no-heading"
			}
			e.save(p, tt.md, 0, http.StatusCreated)
			doc := page(t, b.get("/wiki/"+p), http.StatusOK)
			if got := text(doc, ".page-head h1"); got != tt.title {
				t.Errorf("title = %q, want %q", got, tt.title)
			}
			if n := doc.Find(".content h1").Length(); n != tt.contentH1 {
				t.Errorf("%d level-1 headings in the content, want %d: %s", n, tt.contentH1, text(doc, ".content"))
			}
			if !strings.Contains(text(doc, ".content"), "Du texte.") {
				t.Errorf("content lost its text: %q", text(doc, ".content"))
			}
		})
	}
	t.Run("old revision", func(t *testing.T) {
		e.save("club/titre-0", "# Réunion du club\n\nDu texte, revu.\n", 1, http.StatusOK)
		doc := page(t, b.get("/wiki/club/titre-0?rev=1"), http.StatusOK)
		if n := doc.Find("main h1").Length(); n != 1 {
			t.Errorf("%d level-1 headings on an old revision, want the title alone", n)
		}
	})
}
