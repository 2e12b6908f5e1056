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

func TestUI_SectionEdit(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.user(context.Background(), "marie", wiki.RoleEditor)
	e.saveAs("edith", "usages/guide", "# Guide\n\nIntro.\n\n## Élèves\n\nTexte élèves.\n\n## Parents\n\nTexte parents.\n", 0)
	edith := e.signIn("edith")
	t.Run("the page says where sections start", func(t *testing.T) {
		c := page(t, edith.get("/wiki/usages/guide"), http.StatusOK).Find(".content")
		if edit, _ := c.Attr("data-edit"); edit != "/edit/usages/guide" {
			t.Fatalf("data-edit = %q", edit)
		}
		if first, _ := c.Attr("data-edit-first"); first != "2" { // the title heading is section 1
			t.Fatalf("data-edit-first = %q", first)
		}
	})
	t.Run("a reader gets no section links", func(t *testing.T) {
		c := page(t, e.signIn("remi").get("/wiki/usages/guide"), http.StatusOK).Find(".content")
		if _, ok := c.Attr("data-edit"); ok {
			t.Fatal("a reader is offered section editing")
		}
	})
	t.Run("the editor of one section", func(t *testing.T) {
		doc := page(t, edith.get("/edit/usages/guide?section=3"), http.StatusOK)
		if got := doc.Find("#markdown").Text(); got != "## Parents\n\nTexte parents.\n" {
			t.Fatalf("textarea = %q", got)
		}
		if v, _ := doc.Find(`input[name=section]`).Attr("value"); v != "3" {
			t.Fatalf("section field = %q", v)
		}
		if !strings.Contains(doc.Find("h1").Text(), "section") {
			t.Fatalf("title = %q", doc.Find("h1").Text())
		}
	})
	t.Run("saved back merging with an edit elsewhere", func(t *testing.T) {
		e.saveAs("marie", "usages/guide", "# Guide\n\nIntro revue.\n\n## Élèves\n\nTexte élèves.\n\n## Parents\n\nTexte parents.\n", 1)
		rec := edith.post("/edit/usages/guide", url.Values{"markdown": {"## Parents\n\nTexte parents, complété.\n"}, "base_rev": {"1"}, "section": {"3"}})
		wantRedirect(t, rec, http.StatusSeeOther, "/wiki/usages/guide")
		got := decode[struct{ Markdown string }](t, e.do("GET", "/api/pages/usages/guide", e.editor, nil))
		if got.Markdown != "# Guide\n\nIntro revue.\n\n## Élèves\n\nTexte élèves.\n\n## Parents\n\nTexte parents, complété.\n" {
			t.Fatalf("page = %q", got.Markdown)
		}
	})
	t.Run("bad sections", func(t *testing.T) {
		page(t, edith.get("/edit/usages/guide?section=9"), http.StatusBadRequest)
		page(t, edith.get("/edit/usages/guide?section=x"), http.StatusBadRequest)
		rec := edith.post("/edit/usages/guide", url.Values{"markdown": {"texte gardé"}, "base_rev": {"3"}, "section": {"-2"}})
		if doc := page(t, rec, http.StatusBadRequest); doc.Find("#markdown").Text() != "texte gardé" {
			t.Fatal("the text was lost")
		}
	})
}

func TestUI_EditorHelpers(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.saveAs("edith", "usages/cahier", "# Cahier\n\nUn.\n", 0)
	edith := e.signIn("edith")
	t.Run("no minor edit on a new page", func(t *testing.T) {
		if page(t, edith.get("/edit/usages/nouvelle"), http.StatusOK).Find("#minor").Length() != 0 {
			t.Fatal("« modification mineure » offered when creating a page")
		}
		if page(t, edith.get("/edit/usages/cahier"), http.StatusOK).Find("#minor").Length() != 1 {
			t.Fatal("« modification mineure » missing on an edit")
		}
	})
	t.Run("the toolbar, hidden until the script shows it", func(t *testing.T) {
		doc := page(t, edith.get("/edit/usages/cahier"), http.StatusOK)
		bar := doc.Find(".toolbar[role=toolbar]")
		if _, hidden := bar.Attr("hidden"); !hidden || bar.Find("button[data-md]").Length() != 9 {
			t.Fatalf("toolbar: %d buttons", bar.Find("button[data-md]").Length())
		}
		if u, _ := doc.Find("#editor-texts").Attr("data-user"); u != "edith" {
			t.Fatalf("data-user = %q", u)
		}
		var scripts []string
		doc.Find("script[src]").Each(func(_ int, s *goquery.Selection) { src, _ := s.Attr("src"); scripts = append(scripts, src) })
		for _, name := range []string{"drafts.js", "presence.js", "toolbar.js"} {
			if !strings.Contains(strings.Join(scripts, " "), "/"+name) {
				t.Errorf("%s not loaded: %v", name, scripts)
			}
		}
	})
}

func TestUI_Drafts(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	ctx := context.Background()
	edith, _ := e.svc.User(ctx, "edith")
	e.saveAs("edith", "usages/cahier", "# Cahier\n\nUn.\n", 0)
	if _, err := e.svc.SaveDraft(ctx, &edith, wiki.MustPath("usages/cahier"), "# Cahier\n\nUn, deux.\n", 1); err != nil {
		t.Fatal(err)
	}
	t.Run("listed for their member", func(t *testing.T) {
		doc := page(t, e.signIn("edith").get("/drafts"), http.StatusOK)
		if href, _ := doc.Find("table.drafts a").Attr("href"); href != "/edit/usages/cahier" {
			t.Fatalf("link = %q", href)
		}
		if doc.Find(`header nav a[href="/drafts"]`).Length() != 1 {
			t.Fatal("no « Mes brouillons » in the menu")
		}
	})
	t.Run("not for another", func(t *testing.T) {
		doc := page(t, e.signIn("remi").get("/drafts"), http.StatusOK)
		if doc.Find("table.drafts").Length() != 0 || doc.Find(".empty").Length() != 1 {
			t.Fatal("Rémi sees Edith's drafts")
		}
	})
	t.Run("thrown away", func(t *testing.T) {
		b := e.signIn("edith")
		wantRedirect(t, b.post("/drafts/delete/usages/cahier", url.Values{}), http.StatusSeeOther, "/drafts")
		if page(t, b.get("/drafts"), http.StatusOK).Find("table.drafts").Length() != 0 {
			t.Fatal("the draft is still listed")
		}
	})
}
