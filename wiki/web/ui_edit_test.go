package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestServer_NewPage(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("edith")
	doc := page(t, b.get("/new?ns=assistance"), http.StatusOK)
	if doc.Find("select#ns option[selected][value=assistance]").Length() != 1 {
		t.Error("namespace not preselected")
	}
	t.Run("submit goes to the editor", func(t *testing.T) {
		rec := b.post("/new", url.Values{"ns": {"assistance"}, "title": {"Problème de connexion à l'ENT"}})
		wantRedirect(t, rec, http.StatusSeeOther, "/edit/assistance/probleme-de-connexion-a-l-ent?title=Probl%C3%A8me+de+connexion+%C3%A0+l%27ENT")
		doc := page(t, b.get(rec.Header().Get("Location")), http.StatusOK)
		if got := doc.Find("textarea#markdown").Text(); got != "# Problème de connexion à l'ENT\n\n" {
			t.Errorf("editor text = %q", got)
		}
		if got := doc.Find("input[name=base_rev]").AttrOr("value", ""); got != "0" {
			t.Errorf("base_rev = %q", got)
		}
	})
	t.Run("namespace with a slash", func(t *testing.T) {
		page(t, b.post("/new", url.Values{"ns": {"assistance/sous"}, "title": {"Page"}}), http.StatusBadRequest)
	})
	t.Run("bad title", func(t *testing.T) {
		doc := page(t, b.post("/new", url.Values{"ns": {"assistance"}, "title": {"!!!"}}), http.StatusBadRequest)
		if text(doc, ".error") == "" || doc.Find("input#title").AttrOr("value", "") != "!!!" {
			t.Error("form not shown again with its message")
		}
	})
	t.Run("canonical", func(t *testing.T) {
		rec := b.get("/canonical?ns=usages&title=" + url.QueryEscape("Œuvres d'élèves"))
		if got := decode[canonicalJSON](t, rec).Path; got != "usages/oeuvres-d-eleves" {
			t.Errorf("path = %q", got)
		}
	})
}

func TestServer_SavePage(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("edith")
	save := func(path, md string, base string) *httptest.ResponseRecorder {
		return b.post("/edit/"+path, url.Values{"markdown": {md}, "base_rev": {base}, "summary": {"essai"}})
	}
	t.Run("create then edit", func(t *testing.T) {
		wantRedirect(t, save("usages/tablettes", "# Tablettes\n\nPremier jet.\n", "0"), http.StatusSeeOther, "/wiki/usages/tablettes")
		doc := page(t, b.get("/wiki/usages/tablettes"), http.StatusOK)
		if got := text(doc, ".flash"); got != e.srv.ui.cats["fr"].T("flash.created") {
			t.Errorf("flash = %q", got)
		}
		// A notice is shown once, and never from the URL: a link cannot
		// make the wiki say anything.
		for _, u := range []string{"/wiki/usages/tablettes", "/wiki/usages/tablettes?msg=created", "/wiki/usages/tablettes?msg=Votre+compte+est+bloqu%C3%A9"} {
			if doc := page(t, b.get(u), http.StatusOK); doc.Find(".flash").Length() != 0 {
				t.Errorf("%s shows the notice %q", u, text(doc, ".flash"))
			}
		}
		doc = page(t, b.get("/edit/usages/tablettes"), http.StatusOK)
		if got := doc.Find("input[name=base_rev]").AttrOr("value", ""); got != "1" {
			t.Errorf("base_rev = %q", got)
		}
		wantRedirect(t, save("usages/tablettes", "# Tablettes\n\nDeuxième jet.\n", "1"), http.StatusSeeOther, "/wiki/usages/tablettes")
	})
	t.Run("merged", func(t *testing.T) {
		e.save("usages/fusion", "# Fusion\n\nun\n\ndeux\n\ntrois\n\nquatre\n\ncinq\n", 0, http.StatusCreated)
		e.save("usages/fusion", "# Fusion\n\nUN\n\ndeux\n\ntrois\n\nquatre\n\ncinq\n", 1, http.StatusOK)
		wantRedirect(t, save("usages/fusion", "# Fusion\n\nun\n\ndeux\n\ntrois\n\nquatre\n\nCINQ\n", "1"), http.StatusSeeOther, "/wiki/usages/fusion")
	})
	t.Run("conflict keeps the text and shows the diff", func(t *testing.T) {
		e.save("usages/conflit", "# Conflit\n\nligne commune\n", 0, http.StatusCreated)
		e.save("usages/conflit", "# Conflit\n\nligne de l'autre\n", 1, http.StatusOK)
		mine := "# Conflit\n\nma ligne à moi\n"
		doc := page(t, save("usages/conflit", mine, "1"), http.StatusConflict)
		got := doc.Find("textarea#markdown").Text()
		// Only « commune » conflicts: « ma » added before it is merged
		// into the other side too.
		if !strings.Contains(got, "<<<<<<< yours\nma ligne à moi\n=======\nma ligne de l'autre\n>>>>>>> revision 2\n") {
			t.Errorf("text = %q, want both versions", got)
		}
		if got := doc.Find("input[name=base_rev]").AttrOr("value", ""); got != "1" {
			t.Errorf("base_rev = %q, want the edit's base", got)
		}
		if !strings.Contains(doc.Find(".conflict tr.add").Text(), "ligne de l'autre") {
			t.Error("the other person's change is not in the diff")
		}
		if got := text(doc, "main h1"); !strings.Contains(got, "« Conflit »") {
			t.Errorf("heading = %q, want the page's title", got)
		}
	})
	t.Run("invalid front matter", func(t *testing.T) {
		md := "---\ntitle: [pas fermé\n---\n# Titre\n"
		doc := page(t, save("usages/yaml", md, "0"), http.StatusBadRequest)
		if doc.Find("textarea#markdown").Text() != md || text(doc, ".error") == "" {
			t.Error("form not shown again with the text and a message")
		}
		if got := text(doc, ".error p"); !strings.Contains(got, "ligne 3") { // where the API puts it too
			t.Errorf("message = %q, want the line at fault", got)
		}
		if got := text(doc, "main h1"); !strings.HasPrefix(got, "Créer") {
			t.Errorf("heading of a page not created yet = %q", got)
		}
	})
	t.Run("too large", func(t *testing.T) {
		e2 := newTestEnvWith(t, envOptions{maxPageBytes: 100, server: Options{LoginDelay: -1}})
		b2 := e2.signIn("edith")
		md := strings.Repeat("texte ", 50)
		doc := page(t, b2.post("/edit/usages/long", url.Values{"markdown": {md}, "base_rev": {"0"}}), http.StatusRequestEntityTooLarge)
		if doc.Find("textarea#markdown").Text() != md {
			t.Error("text lost")
		}
	})
	t.Run("bad base_rev", func(t *testing.T) {
		doc := page(t, save("usages/tablettes", "mon texte", "abc"), http.StatusBadRequest)
		if doc.Find("textarea#markdown").Text() != "mon texte" || text(doc, ".error") == "" {
			t.Error("form not shown again with the text and a message")
		}
	})
	t.Run("reader forbidden keeps the text", func(t *testing.T) {
		// A role taken away while someone writes must not cost them the text.
		doc := page(t, e.signIn("remi").post("/edit/usages/tablettes", url.Values{"markdown": {"mon texte"}, "base_rev": {"2"}}), http.StatusForbidden)
		if doc.Find("textarea#markdown").Text() != "mon texte" || text(doc, ".error p") != e.srv.ui.cats["fr"].T("error.forbidden") {
			t.Errorf("text or reason lost: %q", text(doc, ".error p"))
		}
		if got := len(e.history("usages/tablettes").Revisions); got != 2 {
			t.Errorf("a reader saved: %d revisions", got)
		}
	})
	t.Run("expired session keeps the text", func(t *testing.T) {
		gone := e.browser()
		gone.cookies[sessionCookie] = "expired-or-revoked"
		mine := "# Tablettes\n\nUn long texte écrit pendant une heure.\n"
		rec := gone.post("/edit/usages/tablettes", url.Values{"markdown": {mine}, "base_rev": {"2"}, "summary": {"mon résumé"}, "minor": {"1"}})
		doc := page(t, rec, http.StatusUnauthorized)
		if got := doc.Find("textarea#markdown").Text(); got != mine {
			t.Errorf("text = %q, want it intact", got)
		}
		if doc.Find("input#summary").AttrOr("value", "") != "mon résumé" || doc.Find("input#minor[checked]").Length() != 1 {
			t.Error("summary or minor flag lost")
		}
		if doc.Find("input[name=base_rev]").AttrOr("value", "") != "2" {
			t.Error("base_rev lost")
		}
		if text(doc, ".error p") == "" || doc.Find(`.error a[href="/login"][target=_blank]`).Length() != 1 {
			t.Error("no explanation or no way to sign in again")
		}
		if doc.Find("form#editor[data-unsaved]").Length() != 1 {
			t.Error("the unsaved-text warning is not armed")
		}
		if got := len(e.history("usages/tablettes").Revisions); got != 2 {
			t.Errorf("saved without a session: %d revisions", got)
		}
	})
	t.Run("non-canonical post keeps its body", func(t *testing.T) {
		wantRedirect(t, save("Usages/Tablettes", "x", "2"), http.StatusPermanentRedirect, "/edit/usages/tablettes")
	})
}

func TestServer_PreviewFragment(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("remi")
	rec := b.post("/preview", url.Values{"path": {"usages/essai"}, "markdown": {"# Titre\n\nVoir [[usages/rien]]."}})
	wantStatusCode(t, rec, http.StatusOK)
	body := rec.Body.String()
	if !strings.Contains(body, `<h1 id="h-titre">Titre</h1>`) || !strings.Contains(body, "wikilink missing") {
		t.Errorf("preview = %s", body)
	}
	t.Run("invalid front matter names its line", func(t *testing.T) {
		md := "---\ntitle: Essai\ntags: [un, deux\n---\n# Essai\n"
		api := wantError(t, e.do("PUT", "/api/pages/usages/essai", e.editor, map[string]any{"markdown": md}), http.StatusBadRequest, "bad_request")
		line := regexp.MustCompile(`line (\d+)`).FindStringSubmatch(api.Error.Message)
		if line == nil {
			t.Fatalf("the API names no line: %q", api.Error.Message)
		}
		rec := b.post("/preview", url.Values{"path": {"usages/essai"}, "markdown": {md}})
		wantStatusCode(t, rec, http.StatusBadRequest)
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		got := text(doc, "p.error")
		if !strings.Contains(got, "ligne "+line[1]) || strings.Contains(got, "n'a pas pu être enregistré") {
			t.Errorf("preview error = %q, want what is wrong at line %s", got, line[1])
		}
		if !strings.Contains(doc.Find("p.error.detail").Text(), api.Error.Message) {
			t.Errorf("no detail: %q", doc.Find("p.error.detail").Text())
		}
	})
}
