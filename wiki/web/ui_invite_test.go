package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kdecole-club/clubwiki/internal/smtpsink"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/mail"
)

// linkPath returns the local path of the link an admin's page shows.
func linkPath(t *testing.T, rec *http.Response, body string) string {
	t.Helper()
	i := strings.Index(body, `id="ticket-link"`)
	if i < 0 {
		t.Fatalf("no link shown (%d): %.600s", rec.StatusCode, body)
	}
	v := body[i:]
	v = v[strings.Index(v, `value="`)+len(`value="`):]
	u, err := url.Parse(v[:strings.IndexByte(v, '"')])
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

func TestUI_Invite(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	ctx := context.Background()
	e.user(ctx, "chef", wiki.RoleAdmin)
	if err := e.svc.PutGroup(ctx, wiki.System(), wiki.Group{Name: "e-lyco", Title: "e-lyco"}); err != nil {
		t.Fatal(err)
	}
	chef, edith := e.signIn("chef"), e.signIn("edith")
	form := url.Values{"login": {"paul"}, "name": {"Paul"}, "role": {"reader"}, "groups": {"e-lyco"}}
	t.Run("admins only", func(t *testing.T) {
		wantStatusCode(t, edith.post("/admin/invitations", form), http.StatusForbidden)
		wantStatusCode(t, edith.post("/admin/users/remi/reset", nil), http.StatusForbidden)
		wantStatusCode(t, edith.get("/admin/journal"), http.StatusForbidden)
	})
	t.Run("a bad invitation says why", func(t *testing.T) {
		doc := page(t, chef.post("/admin/invitations", url.Values{"login": {"Paul Martin"}}), http.StatusBadRequest)
		if got := text(doc, "main p"); !strings.Contains(got, "L'identifiant compte de 1 à 63 caractères") {
			t.Errorf("message %q", got)
		}
	})
	rec := chef.post("/admin/invitations", form)
	wantStatusCode(t, rec, http.StatusOK)
	link := linkPath(t, rec.Result(), rec.Body.String())
	if !strings.HasPrefix(link, "/invite/cwi_") {
		t.Fatalf("link %q", link)
	}
	guest := e.browser()
	t.Run("the invitee's form", func(t *testing.T) {
		doc := page(t, guest.get(link), http.StatusOK)
		if v, _ := doc.Find("#ticket-name").Attr("value"); v != "Paul" || !strings.Contains(text(doc, "main p"), "« paul »") {
			t.Errorf("form: name %q, intro %q", v, text(doc, "main p"))
		}
	})
	t.Run("refusals keep the form", func(t *testing.T) {
		doc := page(t, guest.post(link, url.Values{"name": {"Paul Martin"}, "password": {"un mot de passe"}, "confirm": {"un autre"}}), http.StatusBadRequest)
		if got := text(doc, ".error"); got != "Les deux nouveaux mots de passe ne sont pas identiques." {
			t.Errorf("mismatch: %q", got)
		}
		doc = page(t, guest.post(link, url.Values{"name": {"Paul Martin"}, "password": {"court"}, "confirm": {"court"}}), http.StatusBadRequest)
		if got := text(doc, ".error"); !strings.Contains(got, "au moins 10 caractères") {
			t.Errorf("short: %q", got)
		}
		if v, _ := doc.Find("#ticket-name").Attr("value"); v != "Paul Martin" {
			t.Errorf("the name typed is lost: %q", v)
		}
	})
	t.Run("accepted, then signs in", func(t *testing.T) {
		doc := page(t, guest.post(link, url.Values{"name": {"Paul Martin"}, "password": {"mot-de-passe-solide"}, "confirm": {"mot-de-passe-solide"}}), http.StatusOK)
		if doc.Find("#ticket-done").Length() != 1 {
			t.Fatal("no confirmation")
		}
		paul := e.signIn("paul")
		if body := paul.get("/").Body.String(); !strings.Contains(body, "Paul Martin") {
			t.Error("the header does not show the name chosen")
		}
		u, _ := e.svc.User(ctx, "paul")
		if u.Role != wiki.RoleReader || len(u.Groups) != 1 || u.Groups[0] != "e-lyco" {
			t.Errorf("member %+v", u)
		}
	})
	t.Run("a used link", func(t *testing.T) {
		doc := page(t, guest.get(link), http.StatusBadRequest)
		if got := text(doc, "main p"); !strings.Contains(got, "Ce lien a déjà servi") {
			t.Errorf("used: %q", got)
		}
		wantStatusCode(t, guest.post(link, url.Values{"name": {"X"}, "password": {"mot-de-passe-solide"}, "confirm": {"mot-de-passe-solide"}}), http.StatusBadRequest)
	})
	t.Run("a bad link", func(t *testing.T) {
		for _, target := range []string{"/invite/nimporte", link + "x", "/reset/" + strings.TrimPrefix(link, "/invite/")} {
			doc := page(t, guest.get(target), http.StatusNotFound)
			if got := text(doc, "main p"); !strings.Contains(got, "Ce lien n'est pas valide") {
				t.Errorf("%s: %q", target, got)
			}
		}
	})
	t.Run("an expired link", func(t *testing.T) {
		secret := "cwi_" + base64.RawURLEncoding.EncodeToString(make([]byte, 32))
		sum := sha256.Sum256([]byte(secret))
		old := time.Now().Add(-8 * 24 * time.Hour)
		if _, err := e.store.PutTicket(ctx, wiki.Ticket{Hash: sum[:], Kind: wiki.TicketInvite, Login: "tardif", Role: wiki.RoleEditor, By: "chef", Created: old, Expires: old.Add(wiki.InviteTTL)}); err != nil {
			t.Fatal(err)
		}
		doc := page(t, guest.get("/invite/"+secret), http.StatusBadRequest)
		if got := text(doc, "main p"); !strings.Contains(got, "Ce lien a expiré") {
			t.Errorf("expired: %q", got)
		}
	})
}

func TestUI_ResetLink(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.user(context.Background(), "chef", wiki.RoleAdmin)
	chef, remi := e.signIn("chef"), e.signIn("remi")
	rec := chef.post("/admin/users/remi/reset", nil)
	wantStatusCode(t, rec, http.StatusOK)
	link := linkPath(t, rec.Result(), rec.Body.String())
	guest := e.browser()
	page(t, guest.get(link), http.StatusOK)
	f := url.Values{"password": {"un nouveau secret"}, "confirm": {"un nouveau secret"}}
	if doc := page(t, guest.post(link, f), http.StatusOK); doc.Find("#ticket-done").Length() != 1 {
		t.Fatal("no confirmation")
	}
	if rec := remi.get("/"); rec.Code != http.StatusSeeOther {
		t.Errorf("remi's session before the reset still works: %d", rec.Code)
	}
	b := e.browser()
	wantStatusCode(t, b.post("/login", url.Values{"login": {"remi"}, "password": {"un nouveau secret"}}), http.StatusSeeOther)
	wantStatusCode(t, guest.post(link, f), http.StatusBadRequest)
	t.Run("the journal", func(t *testing.T) {
		doc := page(t, chef.get("/admin/journal"), http.StatusOK)
		rows := doc.Find(`#audit tr[data-target="remi"]`)
		var got []string
		rows.Each(func(_ int, r *goquery.Selection) {
			got = append(got, r.AttrOr("data-action", "")+" by "+r.AttrOr("data-author", ""))
		})
		if strings.Join(got, "; ") != "reset_used by remi; reset by chef; token by clubwiki" {
			t.Errorf("journal rows about remi: %q", got)
		}
		if !strings.Contains(doc.Find("#audit").Text(), "Lien de réinitialisation du mot de passe de remi") {
			t.Errorf("the journal does not word the reset: %s", doc.Find("#audit").Text())
		}
	})
}

func TestUI_Forgot(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	guest := e.browser()
	t.Run("without mail", func(t *testing.T) {
		doc := page(t, guest.get("/forgot"), http.StatusOK)
		if doc.Find("#forgot-no-mail").Length() != 1 {
			t.Error("the page does not say the wiki sends no mail")
		}
		if doc := page(t, guest.get("/login"), http.StatusOK); doc.Find(`a[href="/forgot"]`).Length() != 1 {
			t.Error("the login page does not link it")
		}
	})
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sink.Close)
	cfg, _ := mail.ParseURL(sink.URL())
	m, err := mail.New(cfg, "wiki@club.example")
	if err != nil {
		t.Fatal(err)
	}
	e.svc.NewNotifier(wiki.NotifyConfig{Mailer: m, BaseURL: "http://wiki.example", Delay: -1})
	wantStatusCode(t, e.do("PUT", "/api/me", e.reader, `{"email":"remi@club.example"}`), http.StatusOK)
	t.Run("the same answer for anyone", func(t *testing.T) {
		a := page(t, guest.post("/forgot", url.Values{"who": {"remi@club.example"}}), http.StatusOK)
		b := page(t, guest.post("/forgot", url.Values{"who": {"personne"}}), http.StatusOK)
		if a.Find("#forgot-sent").Length() != 1 || text(a, "main") != text(b, "main") {
			t.Errorf("answers differ: %q / %q", text(a, "main"), text(b, "main"))
		}
		msgs := sink.Wait(1, 10*time.Second)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "http://wiki.example/reset/cwr_") {
			t.Fatalf("mails: %+v", msgs)
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		var rec *httptest.ResponseRecorder
		for range 5 {
			rec = guest.post("/forgot", url.Values{"who": {"quelquun"}})
		}
		wantStatusCode(t, rec, http.StatusTooManyRequests)
		if rec.Header().Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
	})
}

// The admins' page lists the invitations waiting to be used; one revoked
// there no longer opens, and the journal says so.
func TestUI_RevokeInvite(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	ctx := context.Background()
	e.user(ctx, "chef", wiki.RoleAdmin)
	chef, edith := e.signIn("chef"), e.signIn("edith")
	doc := page(t, chef.get("/admin"), http.StatusOK)
	if doc.Find("#invitations-none").Length() != 1 || doc.Find("#invitations").Length() != 0 {
		t.Fatal("the page lists invitations before any")
	}
	rec := chef.post("/admin/invitations", url.Values{"login": {"lea"}, "name": {"Léa"}, "email": {"lea@mauvaise-adresse.fr"}, "role": {"editor"}})
	wantStatusCode(t, rec, http.StatusOK)
	link := linkPath(t, rec.Result(), rec.Body.String())
	wantStatusCode(t, chef.post("/admin/invitations", url.Values{"login": {"paul"}, "role": {"reader"}}), http.StatusOK)

	doc = page(t, chef.get("/admin"), http.StatusOK)
	var rows []string
	doc.Find("#invitations tbody tr").Each(func(_ int, s *goquery.Selection) {
		rows = append(rows, strings.Join(strings.Fields(s.Text()), " "))
	})
	if len(rows) != 2 || !strings.HasPrefix(rows[0], "paul lecteur chef") ||
		!strings.HasPrefix(rows[1], "Léa (lea)lea@mauvaise-adresse.fr rédacteur chef") || !strings.Contains(rows[1], "Révoquer l'invitation de lea") {
		t.Fatalf("rows %q", rows)
	}
	if strings.Contains(doc.Text(), strings.TrimPrefix(link, "/invite/")) {
		t.Fatal("the admins' page shows an invitation's secret")
	}
	t.Run("admins only", func(t *testing.T) {
		wantStatusCode(t, edith.post("/admin/invitations/lea/revoke", nil), http.StatusForbidden)
		wantStatusCode(t, e.browser().get(link), http.StatusOK)
	})
	t.Run("revoked", func(t *testing.T) {
		rec := chef.post("/admin/invitations/lea/revoke", nil)
		wantStatusCode(t, rec, http.StatusSeeOther)
		if loc := rec.Header().Get("Location"); loc != "/admin" {
			t.Errorf("redirected to %q", loc)
		}
		doc := page(t, chef.get("/admin"), http.StatusOK)
		if got := text(doc, ".flash"); !strings.Contains(got, "L'invitation a été révoquée") {
			t.Errorf("notice %q", got)
		}
		if doc.Find("#invitation-lea").Length() != 0 || doc.Find("#invitation-paul").Length() != 1 {
			t.Error("the list after the revocation")
		}
		doc = page(t, e.browser().get(link), http.StatusNotFound)
		if got := text(doc, "main p"); !strings.Contains(got, "Ce lien n'est pas valide") {
			t.Errorf("the revoked link: %q", got)
		}
		doc = page(t, chef.get("/admin/journal"), http.StatusOK)
		if got := text(doc, "table tbody tr:first-child"); !strings.Contains(got, "Invitation de lea révoquée") {
			t.Errorf("journal's newest entry %q", got)
		}
	})
	t.Run("twice", func(t *testing.T) {
		wantStatusCode(t, chef.post("/admin/invitations/lea/revoke", nil), http.StatusNotFound)
	})
}

// A reset link waiting shows under its member on the admins' page, with a
// button that revokes it.
func TestUI_RevokeResetLink(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.user(context.Background(), "chef", wiki.RoleAdmin)
	chef, edith := e.signIn("chef"), e.signIn("edith")
	if doc := page(t, chef.get("/admin"), http.StatusOK); doc.Find("#reset-pending-remi").Length() != 0 {
		t.Fatal("a reset link is said to wait before any")
	}
	rec := chef.post("/admin/users/remi/reset", nil)
	wantStatusCode(t, rec, http.StatusOK)
	link := linkPath(t, rec.Result(), rec.Body.String())
	doc := page(t, chef.get("/admin"), http.StatusOK)
	if got := strings.Join(strings.Fields(doc.Find("#reset-pending-remi").Text()), " "); !strings.Contains(got, "Un lien de réinitialisation attend, valable jusqu'au") ||
		!strings.Contains(got, "Révoquer le lien de réinitialisation de remi") {
		t.Fatalf("the member's row says %q", got)
	}
	wantStatusCode(t, edith.post("/admin/users/remi/reset/revoke", nil), http.StatusForbidden)
	rec = chef.post("/admin/users/remi/reset/revoke", nil)
	wantStatusCode(t, rec, http.StatusSeeOther)
	doc = page(t, chef.get("/admin"), http.StatusOK)
	if got := text(doc, ".flash"); !strings.Contains(got, "Le lien de réinitialisation a été révoqué") || doc.Find("#reset-pending-remi").Length() != 0 {
		t.Errorf("after the revocation: notice %q", got)
	}
	page(t, e.browser().get(link), http.StatusNotFound)
	doc = page(t, chef.get("/admin/journal"), http.StatusOK)
	if got := text(doc, "table tbody tr:first-child"); !strings.Contains(got, "Lien de réinitialisation du mot de passe de remi révoqué") {
		t.Errorf("journal's newest entry %q", got)
	}
	wantStatusCode(t, chef.post("/admin/users/remi/reset/revoke", nil), http.StatusNotFound)
}
