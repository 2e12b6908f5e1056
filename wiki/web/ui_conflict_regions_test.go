package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestUI_ConflictScreen checks what the conflict form gives the screen
// region by region: each region's base, the other author's name and
// summary, the screen's words in the reader's language, and the script;
// the text still holds the markers for a browser without JavaScript.
func TestUI_ConflictScreen(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateUser(ctx, wiki.NewUser{Login: "marie", Name: "Marie Curie", Role: wiki.RoleEditor, Password: "mot-de-passe-solide"}); err != nil {
		t.Fatal(err)
	}
	marie, err := e.svc.User(ctx, "marie")
	if err != nil {
		t.Fatal(err)
	}
	p := wiki.MustPath("usages/ecran")
	base := "# Écran\n\nLe chat dort sur le tapis. Il rêve.\n\nFin.\n"
	e.save(p.String(), base, 0, http.StatusCreated)
	if _, err := e.svc.Save(ctx, &marie, wiki.SaveRequest{Path: p, BaseRev: 1, Summary: "le félin",
		Markdown: strings.Replace(base, "chat", "félin", 1)}); err != nil {
		t.Fatal(err)
	}
	b := e.signIn("edith")
	mine := strings.Replace(strings.Replace(base, "chat", "chien", 1), "rêve", "ronfle", 1)
	doc := page(t, b.post("/edit/"+p.String(), url.Values{"markdown": {mine}, "base_rev": {"1"}}), http.StatusConflict)
	var d conflictData
	if err := json.Unmarshal([]byte(doc.Find("script#conflict-data").Text()), &d); err != nil {
		t.Fatalf("conflict data: %v", err)
	}
	t.Run("regions and authors", func(t *testing.T) {
		if d.Who != "Marie Curie" || d.Summary != "« le félin »" || d.BaseRev != 1 || d.HeadRev != 2 || d.Path != p.String() {
			t.Errorf("data = %+v", d)
		}
		if len(d.Bases) != 1 || d.Bases[0] != "Le chat dort sur le tapis. Il rêve.\n" {
			t.Errorf("bases = %q", d.Bases)
		}
		if d.Words["conflict.replace"] != "Remplacer sa version" || d.Words["conflict.theirs"] != "Celles de %s" {
			t.Errorf("words = %v", d.Words)
		}
	})
	t.Run("the markers stay for a browser without JavaScript", func(t *testing.T) {
		got := doc.Find("textarea#markdown").Text()
		want := "<<<<<<< yours\nLe chien dort sur le tapis. Il ronfle.\n=======\nLe félin dort sur le tapis. Il ronfle.\n>>>>>>> revision 2\n"
		if !strings.Contains(got, want) {
			t.Errorf("text = %q, want %q in it", got, want)
		}
		if doc.Find(`script[src*="conflict.js"]`).Length() != 1 {
			t.Error("the screen's script is not on the page")
		}
	})
	t.Run("saving again without settling keeps their change", func(t *testing.T) {
		doc := page(t, b.post("/edit/"+p.String(), url.Values{"markdown": {doc.Find("textarea#markdown").Text()}, "base_rev": {"1"}, "head_rev": {"2"}}), http.StatusConflict)
		if doc.Find("script#conflict-data").Length() != 1 {
			t.Error("the screen's data is gone from the form shown again")
		}
		pv, err := e.svc.Page(ctx, &marie, p, 0)
		if err != nil || pv.Rev != 2 || !strings.Contains(pv.Markdown, "félin") {
			t.Errorf("head = %d %q, %v; want Marie's revision", pv.Rev, pv.Markdown, err)
		}
	})
	t.Run("in English", func(t *testing.T) {
		if e.srv.ui.cats["en"].T("conflict.replace") != "Replace their version" {
			t.Error("no English wording")
		}
	})
}
