package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestUI_Move(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	ctx := context.Background()
	e.save("usages/guide", "# Guide\n\ntexte", 0, http.StatusCreated)
	e.save("usages/guide/etape", "# Étape\n\n[[usages/guide|le guide]]", 0, http.StatusCreated)
	e.save("club/occupee", "x", 0, http.StatusCreated)
	e.user(ctx, "ines", wiki.RoleEditor)
	b := e.signIn("ines")

	t.Run("the page offers the form", func(t *testing.T) {
		doc := page(t, b.get("/wiki/usages/guide"), http.StatusOK)
		if doc.Find(`a[href="/move/usages/guide"]`).Length() != 1 {
			t.Fatal("no rename link on the page")
		}
		doc = page(t, b.get("/move/usages/guide"), http.StatusOK)
		if v, _ := doc.Find("#to").Attr("value"); v != "usages/guide" {
			t.Fatalf("to = %q", v)
		}
		if !strings.Contains(doc.Find("#move-form").Text(), "1 sous-page") || !strings.Contains(doc.Find("#move-form").Text(), "1 page(s) pointent ici") {
			t.Fatalf("form: %s", doc.Find("#move-form").Text())
		}
	})
	t.Run("a refusal keeps what was typed", func(t *testing.T) {
		doc := page(t, b.post("/move/usages/guide", url.Values{"to": {"club/occupee"}, "summary": {"mon résumé"}}), http.StatusConflict)
		if !strings.Contains(text(doc, "[role=alert]"), "existe déjà") {
			t.Fatalf("message = %q", text(doc, "[role=alert]"))
		}
		if v, _ := doc.Find("#summary").Attr("value"); v != "mon résumé" {
			t.Fatalf("summary = %q", v)
		}
	})
	t.Run("a move with the sub-pages", func(t *testing.T) {
		rec := b.post("/move/usages/guide", url.Values{"to": {"Club/Manuel"}, "subpages": {"1"}})
		wantRedirect(t, rec, http.StatusSeeOther, "/wiki/club/manuel")
		doc := page(t, b.get("/wiki/club/manuel"), http.StatusOK)
		if !strings.Contains(doc.Text(), "a été déplacée") {
			t.Fatal("no notice after the move")
		}
		wantRedirect(t, b.get("/wiki/usages/guide/etape"), http.StatusMovedPermanently, "/wiki/club/manuel/etape")
		wantRedirect(t, b.get("/edit/usages/guide"), http.StatusMovedPermanently, "/edit/club/manuel")
	})
	t.Run("a reader gets no form", func(t *testing.T) {
		r := e.signIn("remi")
		wantStatusCode(t, r.get("/move/club/manuel"), http.StatusForbidden)
	})
}

func TestUI_DeleteWarnsOfBacklinks(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.save("usages/cible", "x", 0, http.StatusCreated)
	e.save("club/source", "# Source\n\n[[usages/cible]]", 0, http.StatusCreated)
	e.user(context.Background(), "ines", wiki.RoleEditor)
	b := e.signIn("ines")
	doc := page(t, b.get("/delete/usages/cible"), http.StatusOK)
	warn := doc.Find("#delete-backlinks")
	if !strings.Contains(warn.Text(), "1 page(s)") || warn.Find(`a[href="/wiki/club/source"]`).Text() != "Source" {
		t.Fatalf("warning: %q", warn.Text())
	}
	doc = page(t, b.get("/delete/club/source"), http.StatusOK)
	if doc.Find("#delete-backlinks").Length() != 0 {
		t.Fatal("a warning for a page nobody links to")
	}
}
