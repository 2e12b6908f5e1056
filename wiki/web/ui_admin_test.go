package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestUI_Admin(t *testing.T) {
	t.Parallel()
	e, _ := adminEnv(t)
	chef, edith := e.signIn("chef"), e.signIn("edith")
	t.Run("admins only", func(t *testing.T) {
		wantStatusCode(t, edith.get("/admin"), http.StatusForbidden)
		rec := edith.post("/admin/namespaces/usages", url.Values{"form": {"rules"}, "read": {"e-lyco"}})
		wantStatusCode(t, rec, http.StatusForbidden)
		wantStatusCode(t, edith.post("/admin/users/remi", url.Values{"role": {"admin"}}), http.StatusForbidden)
		wantStatusCode(t, edith.post("/admin/groups", url.Values{"name": {"pirates"}}), http.StatusForbidden)
		if strings.Contains(edith.get("/").Body.String(), `href="/admin"`) {
			t.Error("an editor's menu links the admin page")
		}
		if !strings.Contains(chef.get("/").Body.String(), `href="/admin"`) {
			t.Error("an admin's menu does not link the admin page")
		}
	})
	t.Run("a rule set in the page holds at once", func(t *testing.T) {
		wantStatusCode(t, edith.get("/wiki/marches/contrat"), http.StatusOK)
		rec := chef.post("/admin/namespaces/marches", url.Values{"form": {"rules"}, "read": {"e-lyco"}, "edit": {"e-lyco"}})
		wantStatusCode(t, rec, http.StatusSeeOther)
		page := chef.get("/admin")
		wantStatusCode(t, page, http.StatusOK)
		body := page.Body.String()
		form := body[strings.Index(body, `id="rules-marches"`):]
		form = form[:strings.Index(form, "</form>")]
		if !strings.Contains(form, `name="read" value="e-lyco" checked`) || strings.Contains(form, `name="read" value="*" checked`) {
			t.Errorf("the rules' form does not show the rule: %s", form)
		}
		if !strings.Contains(body, "Les règles ont été enregistrées.") {
			t.Error("no notice after saving the rules")
		}
		wantStatusCode(t, edith.get("/wiki/marches/contrat"), http.StatusNotFound)
		if strings.Contains(edith.get("/").Body.String(), "/ns/marches") {
			t.Error("the home page still lists marches")
		}
	})
	t.Run("a member's groups set in the page hold at once", func(t *testing.T) {
		rec := chef.post("/admin/users/edith", url.Values{"role": {"editor"}, "groups": {"e-lyco", "ent-mip"}})
		wantStatusCode(t, rec, http.StatusSeeOther)
		wantStatusCode(t, edith.get("/wiki/marches/contrat"), http.StatusOK)
		body := chef.get("/admin").Body.String()
		form := body[strings.Index(body, `id="member-edith"`):]
		form = form[:strings.Index(form, "</form>")]
		if !strings.Contains(form, `value="ent-mip" checked`) || !strings.Contains(form, `value="editor" selected`) {
			t.Errorf("the member's form does not show their groups: %s", form)
		}
	})
	t.Run("disabled in the page", func(t *testing.T) {
		rec := chef.post("/admin/users/edith", url.Values{"role": {"editor"}, "groups": {"e-lyco"}, "disabled": {"1"}})
		wantStatusCode(t, rec, http.StatusSeeOther)
		if rec := edith.get("/wiki/usages/ouvert"); rec.Code == http.StatusOK {
			t.Errorf("a disabled member's session still reads: %d", rec.Code)
		}
		wantStatusCode(t, e.do("GET", "/api/namespaces", e.editor, nil), http.StatusUnauthorized)
		wantStatusCode(t, chef.post("/admin/users/edith", url.Values{"role": {"editor"}}), http.StatusSeeOther)
		wantStatusCode(t, e.do("GET", "/api/namespaces", e.editor, nil), http.StatusOK)
	})
	t.Run("bad input", func(t *testing.T) {
		wantStatusCode(t, chef.post("/admin/namespaces/marches", url.Values{"read": {"*"}}), http.StatusBadRequest)
		wantStatusCode(t, chef.post("/admin/namespaces/marches", url.Values{"form": {"rules"}, "read": {"inconnu"}}), http.StatusBadRequest)
		wantStatusCode(t, chef.post("/admin/users/chef", url.Values{"role": {"admin"}, "disabled": {"1"}}), http.StatusBadRequest)
		wantStatusCode(t, chef.post("/admin/groups", url.Values{"name": {"Pas Bien"}}), http.StatusBadRequest)
		wantStatusCode(t, chef.post("/admin/groups", url.Values{"name": {"collectivites"}, "title": {"Collectivités"}}), http.StatusSeeOther)
		if !strings.Contains(chef.get("/admin").Body.String(), "Collectivités") {
			t.Error("the new group is not listed")
		}
	})
}
