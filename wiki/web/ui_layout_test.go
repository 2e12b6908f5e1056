package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestUI_LayoutMenu checks the menu, which is executed once per language
// and kind of member rather than on every answer: each member still gets
// the menu of their rights, in their language.
func TestUI_LayoutMenu(t *testing.T) {
	t.Parallel()
	e, _ := adminEnv(t)
	for _, tc := range []struct {
		login, lang            string
		wantNew, wantAdmin     bool
		wantChanges, wantLabel string
	}{
		{"remi", "fr", false, false, "Modifications récentes", "Rechercher"},
		{"edith", "fr", true, false, "Modifications récentes", "Rechercher"},
		{"chef", "fr", true, true, "Modifications récentes", "Rechercher"},
		{"remi", "en", false, false, "Recent changes", "Search"},
		{"chef", "en", true, true, "Recent changes", "Search"},
	} {
		t.Run(tc.login+"/"+tc.lang, func(t *testing.T) {
			b := e.signIn(tc.login)
			b.header.Set("Accept-Language", tc.lang)
			doc := page(t, b.get("/changes"), http.StatusOK)
			nav := doc.Find("header.site nav")
			if got := nav.Find(`a[href="/new"]`).Length() == 1; got != tc.wantNew {
				t.Errorf("link to /new: %v, want %v", got, tc.wantNew)
			}
			if got := nav.Find(`a[href="/admin"]`).Length() == 1; got != tc.wantAdmin {
				t.Errorf("link to /admin: %v, want %v", got, tc.wantAdmin)
			}
			if got := nav.Find(`a[href="/changes"]`).Text(); got != tc.wantChanges {
				t.Errorf("changes link %q, want %q", got, tc.wantChanges)
			}
			if got := doc.Find(`#search-slot button[type="submit"]`).Text(); got != tc.wantLabel {
				t.Errorf("search button %q, want %q", got, tc.wantLabel)
			}
		})
	}
	t.Run("a role change shows at the next answer", func(t *testing.T) {
		b := e.signIn("remi")
		if page(t, b.get("/changes"), http.StatusOK).Find(`header.site nav a[href="/new"]`).Length() != 0 {
			t.Fatal("a reader is offered /new")
		}
		u, err := e.store.User(context.Background(), "remi")
		if err != nil {
			t.Fatal(err)
		}
		u.Role = wiki.RoleEditor
		if err := e.store.UpdateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		if page(t, b.get("/changes"), http.StatusOK).Find(`header.site nav a[href="/new"]`).Length() != 1 {
			t.Fatal("a new editor is not offered /new")
		}
	})
	t.Run("signed out there is no menu", func(t *testing.T) {
		doc := page(t, e.browser().get("/login"), http.StatusOK)
		if doc.Find("header.site nav").Length() != 0 {
			t.Fatal("the sign-in page shows the members' menu")
		}
	})
}
