package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/internal/smtpsink"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/mail"
)

func TestServer_MailSettings(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	cats := e.srv.ui.cats
	t.Run("without SMTP the page says notifications are off", func(t *testing.T) {
		doc := page(t, e.signIn("edith").get("/settings"), http.StatusOK)
		if got := text(doc, "#mail-off"); got != cats["fr"].T("settings.mail_off") {
			t.Errorf("#mail-off = %q", got)
		}
	})
	t.Run("the form saves address and mode, in the reader's language", func(t *testing.T) {
		b := e.signIn("edith")
		b.header.Set("Accept-Language", "en")
		rec := b.post("/settings/mail", url.Values{"email": {"edith@club.example"}, "notify": {"daily"}})
		wantRedirect(t, rec, http.StatusSeeOther, "/settings")
		doc := page(t, b.get("/settings"), http.StatusOK)
		if v, _ := doc.Find("#email").Attr("value"); v != "edith@club.example" {
			t.Errorf("email field %q", v)
		}
		if v, _ := doc.Find("input[name=notify][checked]").Attr("value"); v != "daily" {
			t.Errorf("checked mode %q", v)
		}
		if n, _ := e.store.NotifySettings(context.Background(), "edith"); n.Lang != "en" || n.Mode != wiki.NotifyDaily {
			t.Errorf("settings %+v", n)
		}
	})
	t.Run("a bad address comes back with the reason and the input", func(t *testing.T) {
		b := e.signIn("edith")
		doc := page(t, b.post("/settings/mail", url.Values{"email": {"edith@@x"}, "notify": {"immediate"}}), http.StatusBadRequest)
		if got := text(doc, "#mail-form ~ .error, section[aria-labelledby=mail-title] .error"); got != cats["fr"].T("reason.email_invalid") {
			t.Errorf("message %q", got)
		}
		if v, _ := doc.Find("#email").Attr("value"); v != "edith@@x" {
			t.Errorf("the input was lost: %q", v)
		}
		if n, _ := e.store.NotifySettings(context.Background(), "edith"); n.Mode != wiki.NotifyDaily {
			t.Errorf("a refused form changed the mode: %+v", n)
		}
	})
}

func TestServer_Unsubscribe(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	ctx := context.Background()
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
	n := e.svc.NewNotifier(wiki.NotifyConfig{Mailer: m, BaseURL: "http://wiki.example", Delay: -1})
	follow := &wiki.Follower{Log: e.store, Applier: n}
	if _, err := follow.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	wantStatusCode(t, e.do("PUT", "/api/me", e.reader, `{"email":"remi@club.example","notify":"immediate"}`), http.StatusOK)
	wantStatusCode(t, e.do("PUT", "/api/watch/usages", e.reader, nil), http.StatusOK)
	e.save("usages/cahier", "# Cahier\n\nUn.\n", 0, http.StatusCreated)
	if _, err := follow.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := sink.Wait(1, 5*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("%d mails", len(msgs))
	}
	link := strings.Trim(msgs[0].Header.Get("List-Unsubscribe"), "<>")
	u, err := url.Parse(link)
	if err != nil || u.Path != "/unsubscribe" {
		t.Fatalf("List-Unsubscribe %q", link)
	}
	mode := func() string {
		return decodeMe(t, e.do("GET", "/api/me", e.reader, nil).Body.String()).Notify
	}
	t.Run("a forged link is refused", func(t *testing.T) {
		q := u.Query()
		for _, forged := range []url.Values{
			{"u": {"edith"}, "s": {q.Get("s")}},
			{"u": {"remi"}, "s": {strings.ToUpper(q.Get("s"))}},
			{"u": {"remi"}},
		} {
			page(t, e.browser().get("/unsubscribe?"+forged.Encode()), http.StatusBadRequest)
		}
		if got := mode(); got != "immediate" {
			t.Fatalf("mode %q after forged links", got)
		}
	})
	t.Run("opening the link only asks for a click", func(t *testing.T) {
		// Mail scanners open links: GET must change nothing.
		doc := page(t, e.browser().get(u.RequestURI()), http.StatusOK)
		form := doc.Find("form#unsubscribe-form")
		if form.Length() != 1 || doc.Find("#unsubscribed").Length() != 0 {
			t.Fatal("want the confirmation form, not a done message")
		}
		if got := mode(); got != "immediate" {
			t.Fatalf("mode %q after merely opening the link", got)
		}
		action, _ := form.Attr("action")
		au, err := url.Parse(action)
		if err != nil || au.Path != "/unsubscribe" || au.Query().Get("s") != u.Query().Get("s") {
			t.Fatalf("form action %q", action)
		}
		t.Run("and the click works without signing in", func(t *testing.T) {
			doc := page(t, e.browser().post(action, url.Values{}), http.StatusOK)
			if doc.Find("#unsubscribed").Length() != 1 {
				t.Fatal("no confirmation")
			}
			if got := mode(); got != "off" {
				t.Fatalf("mode %q after unsubscribing", got)
			}
		})
	})
	t.Run("the one-click POST of mail programs works too", func(t *testing.T) {
		wantStatusCode(t, e.do("PUT", "/api/me", e.reader, `{"notify":"daily"}`), http.StatusOK)
		rec := e.browser().post(u.RequestURI(), url.Values{"List-Unsubscribe": {"One-Click"}})
		wantStatusCode(t, rec, http.StatusOK)
		if got := mode(); got != "off" {
			t.Fatalf("mode %q after the one-click POST", got)
		}
	})
}
