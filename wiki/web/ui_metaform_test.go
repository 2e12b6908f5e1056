package web

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// submitted is what a browser without scripts sends for the form of doc
// (#editor): the controls outside disabled fieldsets, checked boxes only.
func submitted(doc *goquery.Document) url.Values {
	v := url.Values{}
	doc.Find("#editor input, #editor select, #editor textarea").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" || s.ParentsFiltered("fieldset[disabled]").Length() > 0 {
			return
		}
		typ, _ := s.Attr("type")
		switch {
		case goquery.NodeName(s) == "select":
			val, _ := s.Find("option[selected]").Attr("value")
			v.Add(name, val)
		case goquery.NodeName(s) == "textarea":
			v.Add(name, strings.TrimPrefix(s.Text(), "\n"))
		case typ == "checkbox":
			if _, on := s.Attr("checked"); on {
				val, _ := s.Attr("value")
				v.Add(name, val)
			}
		case typ == "submit":
		default:
			val, _ := s.Attr("value")
			v.Add(name, val)
		}
	})
	return v
}

func frontMatterOf(md string) string {
	if !strings.HasPrefix(md, "---\n") {
		return ""
	}
	end := strings.Index(md[4:], "\n---\n")
	return md[:4+end+5]
}

func TestServer_MetaForm(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("edith")
	today := time.Now().UTC().Format("2006-01-02")

	t.Run("new asks what is written", func(t *testing.T) {
		doc := page(t, b.get("/new"), http.StatusOK)
		for _, label := range []string{"Résolution", "Bonne pratique", "Compte rendu", "Demande à l'éditeur", "Page libre"} {
			if !strings.Contains(doc.Find("fieldset.kinds").Text(), label) {
				t.Errorf("no %q to choose", label)
			}
		}
		rec := b.post("/new", url.Values{"ns": {"assistance"}, "title": {"Panne du lundi"}, "type": {"resolution"}})
		wantRedirect(t, rec, http.StatusSeeOther, "/edit/assistance/panne-du-lundi?title=Panne+du+lundi&type=resolution")
	})

	t.Run("saved from the form as typed by hand", func(t *testing.T) {
		doc := page(t, b.get("/edit/assistance/panne-du-lundi?title=Panne+du+lundi&type=resolution"), http.StatusOK)
		if got, _ := doc.Find("#meta-type option[selected]").Attr("value"); got != "resolution" {
			t.Fatalf("type shown = %q", got)
		}
		form := submitted(doc)
		if !strings.Contains(form.Get("markdown"), "## Symptômes") {
			t.Fatalf("no outline in %q", form.Get("markdown"))
		}
		form.Set("meta.statut", "résolu")
		form["meta.projets"] = []string{"e-lyco", "ent-mip"}
		form.Set("meta.version", "5.10")
		form.Set("meta.services", "messagerie, cahier de textes")
		wantStatusCode(t, b.post("/edit/assistance/panne-du-lundi", form), http.StatusSeeOther)
		got := decode[pageT](t, e.do("GET", "/api/pages/assistance/panne-du-lundi", e.editor, nil))

		byHand := "---\ntype: resolution\nstatut: résolu\ndate: " + today + "\nprojets: [ent-mip, e-lyco]\nversion: \"5.10\"\nservices: [messagerie, cahier de textes]\n---\n"
		if fm := frontMatterOf(got.Markdown); fm != byHand {
			t.Errorf("front matter from the form:\n%s\nby hand:\n%s", fm, byHand)
		}
		e.save("assistance/a-la-main", byHand+"\n# À la main\n", 0, http.StatusCreated)
		hand := decode[pageT](t, e.do("GET", "/api/pages/assistance/a-la-main", e.editor, nil))
		if !reflect.DeepEqual(got.Meta, hand.Meta) {
			t.Errorf("meta from the form %v, by hand %v", got.Meta, hand.Meta)
		}
	})

	t.Run("the page shows its banner", func(t *testing.T) {
		doc := page(t, b.get("/wiki/assistance/panne-du-lundi"), http.StatusOK)
		banner := doc.Find("#type-banner")
		if banner.Find(".badge.type").Text() != "Résolution" || banner.Find(".badge.status.status-resolu").Text() != "résolu" || banner.Find(".badge.project").Length() != 2 {
			t.Errorf("banner = %q", banner.Text())
		}
	})

	t.Run("a field changed in the form, YAML typed in the same edit kept", func(t *testing.T) {
		doc := page(t, b.get("/edit/assistance/panne-du-lundi"), http.StatusOK)
		form := submitted(doc)
		if form.Get("meta.statut") != "résolu" || !reflect.DeepEqual(form["meta.projets"], []string{"ent-mip", "e-lyco"}) {
			t.Fatalf("form not filled from the front matter: %v", form)
		}
		form.Set("meta.statut", "contourné")
		form.Set("markdown", strings.Replace(form.Get("markdown"), "version: \"5.10\"", "version: \"6.0\"", 1))
		wantStatusCode(t, b.post("/edit/assistance/panne-du-lundi", form), http.StatusSeeOther)
		got := decode[pageT](t, e.do("GET", "/api/pages/assistance/panne-du-lundi", e.editor, nil))
		if got.Meta["statut"] != "contourné" || got.Meta["version"] != "6.0" {
			t.Errorf("meta = %v", got.Meta)
		}
	})

	t.Run("the script's copy is not applied twice", func(t *testing.T) {
		doc := page(t, b.get("/edit/assistance/panne-du-lundi"), http.StatusOK)
		form := submitted(doc)
		form.Set("metaform-js", "1")
		form.Set("meta.statut", "ouvert") // the script wrote the text already
		wantStatusCode(t, b.post("/edit/assistance/panne-du-lundi", form), http.StatusSeeOther)
		got := decode[pageT](t, e.do("GET", "/api/pages/assistance/panne-du-lundi", e.editor, nil))
		if got.Meta["statut"] != "contourné" {
			t.Errorf("statut = %v, want the text's", got.Meta["statut"])
		}
	})

	t.Run("a wrong value comes back on the editor", func(t *testing.T) {
		md := "---\ntype: resolution\nstatut: fini\n---\n# Fini\n"
		doc := page(t, b.post("/edit/assistance/fini", url.Values{"markdown": {md}, "base_rev": {"0"}}), http.StatusBadRequest)
		msg := doc.Find(".error").Text()
		for _, want := range []string{"« statut »", "ligne 3", "ouvert, contourné, résolu"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		}
		if doc.Find("#markdown").Text() != md {
			t.Errorf("text lost: %q", doc.Find("#markdown").Text())
		}
	})
}

func TestAPI_SaveInvalidMeta(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	rec := e.do("PUT", "/api/pages/usages/bp", e.editor, map[string]any{"markdown": "---\ntype: bonne-pratique\nprojets: [e-lyco, lyon]\n---\n# BP\n"})
	wantStatusCode(t, rec, http.StatusBadRequest)
	body := decode[struct {
		Error struct {
			Code, Message, Field string
			Line                 int
		} `json:"error"`
	}](t, rec)
	if body.Error.Code != "invalid_meta" || body.Error.Field != "projets" || body.Error.Line != 3 || !strings.Contains(body.Error.Message, "projets") {
		t.Errorf("error = %+v", body.Error)
	}
	t.Run("unknown type is free", func(t *testing.T) {
		e.save("usages/libre", "---\ntype: recette\nstatut: fini\n---\n# Libre\n", 0, http.StatusCreated)
	})
}

func TestServer_TypeBadges(t *testing.T) {
	t.Parallel()
	e, sync := searchUIEnv(t)
	searchPages(e)
	sync()
	b := e.signIn("remi")
	t.Run("search hits", func(t *testing.T) {
		doc := page(t, b.get("/search?q=connexion"), http.StatusOK)
		hit := doc.Find(`li.hit:has(a[href="/wiki/assistance/connexion-ent"])`)
		if hit.Find(".badge-type").Text() != "Résolution" || hit.Find(".badge-status").Text() != "résolu" || hit.Find(".badge-projet").Text() != "e-lyco" {
			t.Errorf("badges = %q", hit.Find(".badges").Text())
		}
		// A type nobody defined is shown as written, a link to its facet.
		if got := doc.Find(`li.hit:has(a[href="/wiki/usages/cahier-de-textes"]) .badge`).Text(); got != "guide" {
			t.Errorf("the badges of a page of an unknown type: %q, want its type as written", got)
		}
	})
	t.Run("recent changes", func(t *testing.T) {
		doc := page(t, b.get("/changes"), http.StatusOK)
		li := doc.Find(`ol.changes li:has(a[href="/wiki/assistance/connexion-ent"])`)
		if li.Find(".badge.status.status-resolu").Length() == 0 {
			t.Errorf("change line = %q", li.Text())
		}
	})
}

func TestServer_PreviewInvalidMeta(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("edith")
	rec := b.post("/preview", url.Values{"path": {"assistance/essai"}, "markdown": {"---\ntype: resolution\ntitle: Essai\nprojets: [lyon]\n---\n# Essai\n"}})
	doc := page(t, rec, http.StatusBadRequest)
	if got := doc.Find("p.error").First().Text(); !strings.Contains(got, "« projets » (ligne 4)") || !strings.Contains(got, "e-lyco") {
		t.Errorf("preview error = %q", got)
	}
}
