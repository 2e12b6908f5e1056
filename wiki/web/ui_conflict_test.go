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

// formValues is what a browser sends for the form sel of doc when the
// member presses its first submit button (no named button): inputs,
// checked boxes and text areas.
func formValues(doc *goquery.Document, sel string) url.Values {
	v := url.Values{}
	form := doc.Find(sel)
	form.Find("input[name]").Each(func(_ int, in *goquery.Selection) {
		typ := in.AttrOr("type", "text")
		if (typ == "checkbox" || typ == "radio") && in.AttrOr("checked", "-") == "-" {
			return
		}
		v.Add(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	form.Find("textarea[name]").Each(func(_ int, ta *goquery.Selection) {
		v.Add(ta.AttrOr("name", ""), ta.Text())
	})
	return v
}

// marieKarim sets up the scenario on path: Marie and Karim open the
// editor on revision 1, Marie saves a new sentence, then Karim saves his
// own over the same paragraph and gets the conflict form.
func marieKarim(t *testing.T, e *testEnv, marie, karim *browser, path string) *goquery.Document {
	t.Helper()
	e.save(path, "# Connexion\n\nPour se connecter, ouvrir le portail.\n\nContact : le support.\n", 0, http.StatusCreated)
	mine := formValues(page(t, marie.get("/edit/"+path), http.StatusOK), "form#editor")
	his := formValues(page(t, karim.get("/edit/"+path), http.StatusOK), "form#editor")
	mine.Set("markdown", "# Connexion\n\nPour se connecter, ouvrir le portail puis choisir « Élève ».\n\nContact : le support.\n")
	mine.Set("summary", "précision de Marie")
	wantStatusCode(t, marie.post("/edit/"+path, mine), http.StatusSeeOther)
	his.Set("markdown", "# Connexion\n\nPour se connecter, ouvrir l'application mobile.\n\nContact : le support.\n")
	his.Set("summary", "version de Karim")
	return page(t, karim.post("/edit/"+path, his), http.StatusConflict)
}

// head is the text of path's head revision.
func (e *testEnv) head(path string) string {
	e.t.Helper()
	p, err := wiki.ParsePath(path)
	if err != nil {
		e.t.Fatal(err)
	}
	v, err := e.svc.Page(context.Background(), wiki.System(), p, 0)
	if err != nil {
		e.t.Fatalf("reading %s: %v", path, err)
	}
	return v.Markdown
}

const (
	marieSentence = "choisir « Élève »"
	karimSentence = "ouvrir l'application mobile"
)

func TestServer_SavePageConflict(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	ctx := context.Background()
	e.user(ctx, "marie", wiki.RoleEditor)
	e.user(ctx, "karim", wiki.RoleEditor)
	marie, karim := e.signIn("marie"), e.signIn("karim")

	t.Run("the conflict form holds both versions and the base", func(t *testing.T) {
		doc := marieKarim(t, e, marie, karim, "assistance/form")
		text := doc.Find("textarea#markdown").Text()
		for _, want := range []string{"<<<<<<< yours\n", marieSentence, karimSentence, ">>>>>>> revision 2\n", "Contact : le support."} {
			if !strings.Contains(text, want) {
				t.Errorf("conflict text lacks %q:\n%s", want, text)
			}
		}
		if got := doc.Find("input[name=base_rev]").AttrOr("value", ""); got != "1" {
			t.Errorf("base_rev = %q, want the revision Karim started from", got)
		}
		if got := doc.Find("input[name=head_rev]").AttrOr("value", ""); got != "2" {
			t.Errorf("head_rev = %q, want the head Karim was shown", got)
		}
		if doc.Find(`form#editor button[name=resolve][value=both]`).Length() != 1 || doc.Find(`form#editor button[name=resolve][value=mine]`).Length() != 1 {
			t.Error("no explicit choice offered")
		}
		if !strings.Contains(doc.Find(".conflict tr.add").Text(), marieSentence) {
			t.Error("Marie's change is not in the diff")
		}
		if doc.Find("form#editor[data-unsaved]").Length() != 1 {
			t.Error("the unsaved-text warning is not armed")
		}
	})
	t.Run("saving the returned form again keeps Marie's sentence", func(t *testing.T) {
		doc := marieKarim(t, e, marie, karim, "assistance/again")
		form := formValues(doc, "form#editor")
		doc = page(t, karim.post("/edit/assistance/again", form), http.StatusConflict)
		if got := e.head("assistance/again"); !strings.Contains(got, marieSentence) {
			t.Fatalf("Marie's sentence is gone:\n%s", got)
		}
		if got := len(e.history("assistance/again").Revisions); got != 2 {
			t.Errorf("%d revisions, want 2: nothing saved", got)
		}
		if got := doc.Find("textarea#markdown").Text(); got != form.Get("markdown") {
			t.Errorf("text changed:\n%s", got)
		}
		if got, want := text(doc, ".error p"), e.srv.ui.cats["fr"].T("edit.conflict_unresolved", 2); got != want {
			t.Errorf("message = %q, want %q", got, want)
		}
		if doc.Find("input[name=base_rev]").AttrOr("value", "") != "1" {
			t.Error("the base moved")
		}
	})
	t.Run("keep both", func(t *testing.T) {
		form := formValues(marieKarim(t, e, marie, karim, "assistance/both"), "form#editor")
		form.Set("resolve", "both")
		wantStatusCode(t, karim.post("/edit/assistance/both", form), http.StatusSeeOther)
		got := e.head("assistance/both")
		if !strings.Contains(got, marieSentence) || !strings.Contains(got, karimSentence) || strings.Contains(got, "<<<<<<<") {
			t.Errorf("head = %q, want both sentences and no markers", got)
		}
	})
	t.Run("replace theirs is an explicit overwrite", func(t *testing.T) {
		form := formValues(marieKarim(t, e, marie, karim, "assistance/mine"), "form#editor")
		form.Set("resolve", "mine")
		wantStatusCode(t, karim.post("/edit/assistance/mine", form), http.StatusSeeOther)
		if got := e.head("assistance/mine"); got != "# Connexion\n\nPour se connecter, ouvrir l'application mobile.\n\nContact : le support.\n" {
			t.Errorf("head = %q, want Karim's text", got)
		}
		h := e.history("assistance/mine").Revisions
		if len(h) != 3 || h[0].Author != "karim" || h[0].Summary != "version de Karim" {
			t.Errorf("history = %+v", h)
		}
	})
	t.Run("settled by hand", func(t *testing.T) {
		form := formValues(marieKarim(t, e, marie, karim, "assistance/hand"), "form#editor")
		form.Set("markdown", "# Connexion\n\nPour se connecter, ouvrir le portail puis choisir « Élève », ou l'application mobile.\n\nContact : le support.\n")
		wantStatusCode(t, karim.post("/edit/assistance/hand", form), http.StatusSeeOther)
		if got := e.head("assistance/hand"); !strings.Contains(got, "ou l'application mobile") {
			t.Errorf("head = %q", got)
		}
	})
	t.Run("someone saves again meanwhile", func(t *testing.T) {
		form := formValues(marieKarim(t, e, marie, karim, "assistance/third"), "form#editor")
		e.save("assistance/third", "# Connexion\n\nPour se connecter, ouvrir le portail puis choisir « Parent ».\n\nContact : le support.\n", 2, http.StatusOK)
		form.Set("resolve", "mine")
		doc := page(t, karim.post("/edit/assistance/third", form), http.StatusConflict)
		if got := doc.Find("input[name=head_rev]").AttrOr("value", ""); got != "3" {
			t.Errorf("head_rev = %q, want the new head", got)
		}
		if got := e.head("assistance/third"); !strings.Contains(got, "« Parent »") {
			t.Errorf("the third edit is gone: %q", got)
		}
	})
	t.Run("damaged markers", func(t *testing.T) {
		form := formValues(marieKarim(t, e, marie, karim, "assistance/damaged"), "form#editor")
		form.Set("markdown", strings.Replace(form.Get("markdown"), ">>>>>>> revision 2\n", "", 1))
		form.Set("resolve", "both")
		doc := page(t, karim.post("/edit/assistance/damaged", form), http.StatusConflict)
		if doc.Find("textarea#markdown").Text() != form.Get("markdown") {
			t.Error("text lost")
		}
		if got := text(doc, ".error p"); got != e.srv.ui.cats["fr"].T("edit.conflict_damaged") {
			t.Errorf("message = %q", got)
		}
	})
}
