package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestServer_LinksByTitle walks links by title through the HTML
// interface, with marches read by e-lyco only (ext is kept out).
func TestServer_LinksByTitle(t *testing.T) {
	t.Parallel()
	r := newRulesWalk(t)
	e := r.e
	e.save("usages/acces", "# Accès à l'ENT\n", 0, http.StatusCreated)
	e.save("club/acces", "# Accès à l'ENT\n", 0, http.StatusCreated)
	e.save("usages/guide", "# Guide\n\nVoir [[accès à l'ENT]], [[usages/plan-ouvert]], [[facturation zorglub]] et [["+walkSecretPath+"]].\n", 0, http.StatusCreated)
	edith := e.signIn("edith")
	t.Run("a title links to the page of its namespace, a path shows its title", func(t *testing.T) {
		doc := page(t, edith.get("/wiki/usages/guide"), http.StatusOK)
		link := doc.Find(`a.wikilink[href="/wiki/usages/acces"]`)
		if link.Length() != 1 || link.Text() != "Accès à l'ENT" || link.HasClass("missing") {
			t.Errorf("link by title: %d, %q", link.Length(), link.Text())
		}
		if got := doc.Find(`a.wikilink[href="/wiki/usages/plan-ouvert"]`).Text(); got != "Facturation ouverte" {
			t.Errorf("a link by path shows %q", got)
		}
		if got := doc.Find(`a.wikilink[href="/wiki/` + walkSecretPath + `"]`).Length(); got != 2 {
			t.Errorf("a member of e-lyco sees %d links into marches, want 2", got)
		}
	})
	t.Run("a page the reader may not read stays missing, without its title", func(t *testing.T) {
		rec := r.extBrowser.get("/wiki/usages/guide")
		doc := page(t, rec, http.StatusOK)
		if strings.Contains(rec.Body.String(), "Facturation Zorglub") || doc.Find("a.wikilink.missing").Length() != 2 {
			t.Errorf("ext sees %s", rec.Body.String())
		}
	})
	t.Run("backlinks by title", func(t *testing.T) {
		doc := page(t, edith.get("/backlinks/usages/acces"), http.StatusOK)
		if doc.Find(`a[href="/wiki/usages/guide"]`).Length() != 1 {
			t.Error("the page linking by title is not a backlink")
		}
	})
	t.Run("a title change is followed", func(t *testing.T) {
		e.save("usages/acces", "# Accès à l'ENT du collège\n", 1, http.StatusOK)
		doc := page(t, edith.get("/wiki/usages/guide"), http.StatusOK)
		if got := doc.Find(`a.wikilink[href="/wiki/club/acces"]`).Text(); got != "Accès à l'ENT" {
			t.Errorf("after the title change the link goes to club/acces showing %q", got)
		}
	})
}

func TestServer_NewPageTitleExists(t *testing.T) {
	t.Parallel()
	r := newRulesWalk(t)
	e := r.e
	e.save("usages/acces", "# Accès à l'ENT\n", 0, http.StatusCreated)
	b := e.signIn("edith")
	form := url.Values{"ns": {"assistance"}, "title": {"accès à l'ENT"}}
	t.Run("warns and links to the page", func(t *testing.T) {
		doc := page(t, b.post("/new", form), http.StatusOK)
		if doc.Find(`#new-exists:not([hidden]) a[href="/wiki/usages/acces"]`).Length() != 1 || doc.Find(`input[name=confirm]`).Length() != 1 {
			t.Errorf("no warning: %s", doc.Find("form").Text())
		}
		if got := text(doc, "#new-exists-text"); got != e.srv.ui.cats["fr"].T("new.exists") {
			t.Errorf("warning = %q", got)
		}
	})
	t.Run("going on anyway", func(t *testing.T) {
		form := url.Values{"ns": {"assistance"}, "title": {"accès à l'ENT"}, "confirm": {"1"}}
		wantRedirect(t, b.post("/new", form), http.StatusSeeOther, "/edit/assistance/acces-a-l-ent?title=acc%C3%A8s+%C3%A0+l%27ENT")
	})
	t.Run("canonical lists the pages", func(t *testing.T) {
		ans := decode[canonicalJSON](t, b.get("/canonical?ns=assistance&title="+url.QueryEscape("Accès à l'ENT")))
		if len(ans.Existing) != 1 || ans.Existing[0].Path != "usages/acces" || ans.Existing[0].Title != "Accès à l'ENT" || ans.Warning == "" {
			t.Errorf("canonical = %+v", ans)
		}
	})
	t.Run("a page the member may not read is not named", func(t *testing.T) {
		rec := r.extBrowser.post("/new", url.Values{"ns": {"assistance"}, "title": {"Facturation Zorglub"}})
		wantStatusCode(t, rec, http.StatusSeeOther)
		ans := decode[canonicalJSON](t, r.extBrowser.get("/canonical?ns=assistance&title=Facturation+Zorglub"))
		if len(ans.Existing) != 0 || ans.Warning != "" {
			t.Errorf("canonical for ext = %+v", ans)
		}
	})
}
