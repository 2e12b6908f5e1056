package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestServer_Reasons checks that a refusal reaches people in the wiki's
// own terms: the API sends the reason key, the pages word it from the
// catalogue, and the settings page no longer keeps its own copy of the
// password rules.
func TestServer_Reasons(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	cats := e.srv.ui.cats
	t.Run("settings shows the wiki's reason for a short password", func(t *testing.T) {
		for lang, want := range map[string]string{
			"fr": cats["fr"].T("reason.password_too_short", wiki.MinPasswordBytes),
			"en": cats["en"].T("reason.password_too_short", wiki.MinPasswordBytes),
		} {
			b := e.signIn("remi")
			b.header.Set("Accept-Language", lang)
			f := url.Values{"current": {"mot-de-passe-solide"}, "password": {"court"}, "confirm": {"court"}}
			doc := page(t, b.post("/settings/password", f), http.StatusBadRequest)
			if got := text(doc, ".error"); got != want || strings.HasPrefix(got, "reason.") {
				t.Errorf("%s: message %q, want %q", lang, got, want)
			}
		}
	})
	t.Run("settings shows a wrong current password", func(t *testing.T) {
		b := e.signIn("remi")
		f := url.Values{"current": {"pas-le-bon-mot"}, "password": {"nouveau-secret-1"}, "confirm": {"nouveau-secret-1"}}
		doc := page(t, b.post("/settings/password", f), http.StatusBadRequest)
		if got, want := text(doc, ".error"), cats["fr"].T("reason.password_wrong"); got != want {
			t.Errorf("message %q, want %q", got, want)
		}
	})
	t.Run("editor words a refused summary", func(t *testing.T) {
		b := e.signIn("edith")
		f := url.Values{"markdown": {"Texte gardé.\n"}, "base_rev": {"0"}, "summary": {"un\ndeux"}}
		doc := page(t, b.post("/edit/club/resume", f), http.StatusBadRequest)
		if got, want := text(doc, ".error p"), cats["fr"].T("reason.summary_control_char"); !strings.Contains(got, want) {
			t.Errorf("message %q, want %q", got, want)
		}
		if got := doc.Find("textarea[name=markdown]").Text(); got != "Texte gardé.\n" {
			t.Errorf("text lost: %q", got)
		}
	})
	t.Run("API error carries the reason", func(t *testing.T) {
		rec := e.do("PUT", "/api/pages/club/resume", e.editor, `{"markdown":"Texte.\n","summary":"un\ndeux"}`)
		if ae := wantError(t, rec, http.StatusBadRequest, "bad_request"); ae.Error.Reason != "summary_control_char" {
			t.Errorf("reason %q; body %s", ae.Error.Reason, rec.Body.String())
		}
	})
	t.Run("API conflict carries the reason", func(t *testing.T) {
		e.save("club/conflit", "Un.\n", 0, http.StatusCreated)
		rec := e.do("PUT", "/api/pages/club/conflit", e.editor, `{"markdown":"Deux.\n","base_rev":0}`)
		if ae := wantError(t, rec, http.StatusConflict, "edit_conflict"); ae.Error.Reason != "page_changed" || ae.HeadRev == nil {
			t.Errorf("reason %q; body %s", ae.Error.Reason, rec.Body.String())
		}
	})
	t.Run("API limit carries the bound as reason", func(t *testing.T) {
		row := "|" + strings.Repeat(" a |", 200)
		body := fmt.Sprintf(`{"markdown":%q}`, row+"\n|"+strings.Repeat("---|", 200)+"\n")
		rec := e.do("PUT", "/api/pages/club/tableau", e.editor, body)
		if ae := wantError(t, rec, http.StatusRequestEntityTooLarge, "too_large"); ae.Error.Reason != "limit_table_columns" {
			t.Errorf("reason %q; body %s", ae.Error.Reason, rec.Body.String())
		}
	})
	t.Run("API error without a reason leaves it out", func(t *testing.T) {
		rec := e.do("DELETE", "/api/namespaces", e.editor, nil)
		wantError(t, rec, http.StatusMethodNotAllowed, "method_not_allowed")
		if strings.Contains(rec.Body.String(), "reason") {
			t.Errorf("empty reason sent: %s", rec.Body.String())
		}
	})
}
