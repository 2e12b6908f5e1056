package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/kdecole-club/clubwiki/wiki"
)

// wantWho checks that doc shows login as a link to their profile, worded
// by their display name, within sel.
func wantWho(t *testing.T, doc *goquery.Document, sel, login, name string) {
	t.Helper()
	a := doc.Find(sel + ` a.author[href="/membres/` + login + `"]`)
	if a.Length() == 0 {
		h, _ := doc.Find(sel).First().Html()
		t.Fatalf("no link to %s's profile in %s: %s", login, sel, h)
	}
	if got := strings.TrimSpace(a.First().Text()); got != name {
		t.Errorf("%s: link says %q, want %q", sel, got, name)
	}
	if got, _ := a.First().Attr("title"); got != login {
		t.Errorf("%s: title %q, want the login %q", sel, got, login)
	}
}

func TestUI_Profile(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.user(context.Background(), "chef", wiki.RoleAdmin)
	e.save("club/presentation", "# Présentation\n\nBonjour.\n", 0, http.StatusCreated)
	edith := e.signIn("edith")
	t.Run("the settings page edits the member's profile", func(t *testing.T) {
		doc := page(t, edith.get("/settings"), http.StatusOK)
		if doc.Find(`#profile-form select[name=project] option[value="e-lyco"]`).Length() != 1 {
			t.Fatal("no choice of the club's projects")
		}
		if doc.Find(`#profile-form option[value="admins"]`).Length() != 0 {
			t.Error("the admins' group offered as a project")
		}
		f := url.Values{"name": {"Édith Piaf"}, "project": {"other"}, "project_other": {"Région Pays de la Loire"}, "bio": {"Chargée de mission <ENT>."}}
		wantRedirect(t, edith.post("/settings/profile", f), http.StatusSeeOther, "/settings")
		doc = page(t, edith.get("/settings"), http.StatusOK)
		if got := doc.Find("#profile-name").AttrOr("value", ""); got != "Édith Piaf" {
			t.Errorf("name %q", got)
		}
		if got := doc.Find("#profile-project-other").AttrOr("value", ""); got != "Région Pays de la Loire" {
			t.Errorf("free project %q", got)
		}
	})
	t.Run("a bad presentation comes back with the reason and the text", func(t *testing.T) {
		long := strings.Repeat("a", wiki.MaxBioRunes+1)
		f := url.Values{"name": {"Édith P."}, "project": {"e-lyco"}, "bio": {long}}
		doc := page(t, edith.post("/settings/profile", f), http.StatusBadRequest)
		if got, want := text(doc, "#profile-title ~ .error, section .error"), e.srv.ui.cats["fr"].T("reason.bio_too_long", wiki.MaxBioRunes); got != want {
			t.Errorf("message %q, want %q", got, want)
		}
		if doc.Find("#profile-bio").Text() != long || doc.Find("#profile-name").AttrOr("value", "") != "Édith P." {
			t.Error("the member's input is lost")
		}
		if u, _ := e.svc.User(context.Background(), "edith"); u.Name != "Édith Piaf" {
			t.Errorf("saved anyway: %q", u.Name)
		}
	})
	t.Run("another member sees the profile, login and contributions", func(t *testing.T) {
		doc := page(t, e.signIn("remi").get("/membres/edith"), http.StatusOK)
		if got := text(doc, "h1"); got != "Édith Piaf" {
			t.Errorf("heading %q", got)
		}
		if got := text(doc, "#profile-login"); got != "edith" {
			t.Errorf("login %q", got)
		}
		if got := text(doc, "#profile-project"); got != "Région Pays de la Loire" {
			t.Errorf("project %q", got)
		}
		if got := text(doc, "#profile-bio-text"); got != "Chargée de mission <ENT>." {
			t.Errorf("bio %q", got)
		}
		if doc.Find(`#contributions a[href="/wiki/club/presentation"]`).Length() != 1 {
			t.Error("contribution missing")
		}
		if doc.Find("#profile-form").Length() != 0 {
			t.Error("a member may edit another's profile")
		}
	})
	t.Run("the directory lists members by name with their project", func(t *testing.T) {
		doc := page(t, e.signIn("remi").get("/membres"), http.StatusOK)
		wantWho(t, doc, "#members", "edith", "Édith Piaf")
		if !strings.Contains(text(doc, "#members"), "Région Pays de la Loire") {
			t.Error("project missing")
		}
	})
	t.Run("an admin edits another member's profile", func(t *testing.T) {
		b := e.signIn("chef")
		doc := page(t, b.get("/membres/remi"), http.StatusOK)
		if doc.Find("#profile-form").AttrOr("action", "") != "/membres/remi" {
			t.Fatal("no form for the admin")
		}
		f := url.Values{"name": {"Rémi"}, "email": {"remi@club.example"}, "project": {"academie-lyon"}, "bio": {""}}
		wantRedirect(t, b.post("/membres/remi", f), http.StatusSeeOther, "/membres/remi")
		if got := text(page(t, b.get("/membres/remi"), http.StatusOK), "#profile-project"); got != "Académie de Lyon" {
			t.Errorf("project %q", got)
		}
		f.Set("email", "pas une adresse")
		doc = page(t, b.post("/membres/remi", f), http.StatusBadRequest)
		if got, want := text(doc, ".error"), e.srv.ui.cats["fr"].T("reason.email_invalid"); got != want {
			t.Errorf("message %q, want %q", got, want)
		}
		rec := e.signIn("remi").post("/membres/edith", url.Values{"name": {"Pirate"}})
		if rec.Code != http.StatusForbidden {
			t.Errorf("a member edits another's profile: %d", rec.Code)
		}
	})
	t.Run("an unknown member is a 404", func(t *testing.T) {
		page(t, edith.get("/membres/personne"), http.StatusNotFound)
	})
}
