package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestUI_Review(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	if _, err := e.svc.CreateUser(context.Background(), wiki.NewUser{Login: "bea", Name: "Béatrice Roux", Role: wiki.RoleEditor, Password: "mot-de-passe-solide"}); err != nil {
		t.Fatal(err)
	}
	e.save("usages/relue", "un", 0, http.StatusCreated)
	e.save("usages/relue", "deux", 1, http.StatusOK)

	t.Run("reader sees no button", func(t *testing.T) {
		doc := page(t, e.signIn("remi").get("/diff/usages/relue"), http.StatusOK)
		if doc.Find("form.review").Length() != 0 {
			t.Fatal("a reader is offered to mark the revision")
		}
		rec := e.signIn("remi").post("/review/usages/relue", url.Values{"rev": {"2"}})
		wantStatusCode(t, rec, http.StatusForbidden)
	})
	b := e.signIn("bea")
	t.Run("editor marks from the diff", func(t *testing.T) {
		doc := page(t, b.get("/diff/usages/relue?from=1&to=2"), http.StatusOK)
		form := doc.Find("form.review")
		if form.AttrOr("action", "") != "/review/usages/relue" || form.Find(`input[name=rev]`).AttrOr("value", "") != "2" ||
			text(doc, "form.review button") != "Marquer comme relue" {
			t.Fatalf("review form: %q", doc.Find("main").Text())
		}
		wantRedirect(t, b.post("/review/usages/relue", url.Values{"rev": {"2"}}), http.StatusSeeOther, "/diff/usages/relue?to=2")
		doc = page(t, b.get("/diff/usages/relue?to=2"), http.StatusOK)
		if got := text(doc, ".reviewed"); !strings.HasPrefix(got, "Relue par Béatrice Roux le ") {
			t.Fatalf("mark = %q", got)
		}
		if doc.Find("form.review").Length() != 0 {
			t.Fatal("the button stays after the mark")
		}
	})
	t.Run("history shows who reviewed", func(t *testing.T) {
		doc := page(t, b.get("/history/usages/relue"), http.StatusOK)
		if got := text(doc, "table.history .reviewed"); got != "relue par Béatrice Roux" {
			t.Fatalf("history mark = %q", got)
		}
		if got := strings.TrimSpace(doc.Find("table.history tbody tr").First().Find("td").Eq(4).Text()); got != "edith" {
			t.Fatalf("author without a name = %q, want the login", got)
		}
	})
	t.Run("cross-origin post refused", func(t *testing.T) {
		req := newRequest("POST", "/review/usages/relue", strings.NewReader("rev=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		wantStatusCode(t, b.do(req), http.StatusForbidden)
		if marks, _ := e.svc.Reviewed(context.Background(), wiki.System(), wiki.MustPath("usages/relue"), 1); len(marks) != 0 {
			t.Fatal("a cross-site form marked a revision")
		}
	})
}
