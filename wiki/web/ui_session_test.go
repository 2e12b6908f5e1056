package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestServer_Login(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	t.Run("form", func(t *testing.T) {
		doc := page(t, e.browser().get("/login?next=/changes"), http.StatusOK)
		for _, id := range []string{"login", "password"} {
			if doc.Find("label[for='"+id+"']").Length() != 1 {
				t.Errorf("no label for #%s", id)
			}
		}
		if got := doc.Find("input[name=next]").AttrOr("value", ""); got != "/changes" {
			t.Errorf("next = %q", got)
		}
	})
	t.Run("success sets the cookie and goes to next", func(t *testing.T) {
		b := e.browser()
		rec := b.post("/login", url.Values{"login": {"Edith"}, "password": {"mot-de-passe-solide"}, "next": {"/changes"}})
		wantRedirect(t, rec, http.StatusSeeOther, "/changes")
		ck := rec.Result().Cookies()[0]
		if ck.Name != sessionCookie || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure || ck.Expires.IsZero() {
			t.Errorf("cookie = %+v", ck)
		}
		page(t, b.get("/changes"), http.StatusOK)
	})
	t.Run("failure", func(t *testing.T) {
		doc := page(t, e.browser().post("/login", url.Values{"login": {"edith"}, "password": {"faux"}}), http.StatusUnauthorized)
		if text(doc, ".error") == "" {
			t.Error("no message")
		}
	})
	t.Run("oversized form refused unread", func(t *testing.T) {
		page(t, e.browser().post("/login", url.Values{"login": {"edith"}, "password": {strings.Repeat("x", 20<<10)}}), http.StatusRequestEntityTooLarge)
		page(t, e.browser().post("/lang", url.Values{"lang": {"fr"}, "next": {strings.Repeat("/x", 10<<10)}}), http.StatusRequestEntityTooLarge)
	})
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		t.Run("open redirect "+next, func(t *testing.T) {
			rec := e.browser().post("/login", url.Values{"login": {"edith"}, "password": {"mot-de-passe-solide"}, "next": {next}})
			wantRedirect(t, rec, http.StatusSeeOther, "/")
		})
	}
	t.Run("logout ends the session", func(t *testing.T) {
		b := e.signIn("edith")
		secret := b.cookies[sessionCookie]
		wantRedirect(t, b.post("/logout", nil), http.StatusSeeOther, "/login")
		b.cookies[sessionCookie] = secret
		wantStatusCode(t, b.get("/changes"), http.StatusSeeOther)
	})
}

func TestServer_SecureCookie(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		opt    Options
		setup  func(r *http.Request)
		secure bool
	}{
		{"plain http", Options{}, func(*http.Request) {}, false},
		{"tls", Options{}, func(r *http.Request) { r.TLS = &tls.ConnectionState{} }, true},
		{"proxy says https", Options{BehindProxy: true}, func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "https") }, true},
		{"untrusted header", Options{}, func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "https") }, false},
		{"configured", Options{SecureCookies: true}, func(*http.Request) {}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.LoginDelay = -1
			e := newTestEnvWith(t, envOptions{server: tc.opt})
			form := url.Values{"login": {"edith"}, "password": {"mot-de-passe-solide"}}
			req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			tc.setup(req)
			rec := serve(e.srv, req)
			wantStatusCode(t, rec, http.StatusSeeOther)
			if got := rec.Result().Cookies()[0].Secure; got != tc.secure {
				t.Errorf("Secure = %v, want %v", got, tc.secure)
			}
		})
	}
}

func TestServer_CrossOrigin(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("edith")
	b.header.Set("Sec-Fetch-Site", "cross-site")
	t.Run("form post refused", func(t *testing.T) {
		page(t, b.post("/edit/club/piege", url.Values{"markdown": {"x"}, "base_rev": {"0"}}), http.StatusForbidden)
		page(t, b.post("/logout", nil), http.StatusForbidden)
	})
	t.Run("API with the cookie refused", func(t *testing.T) {
		wantError(t, b.do(httptest.NewRequest("DELETE", "/api/pages/club/accueil", nil)), http.StatusForbidden, "forbidden")
	})
	t.Run("same-origin API with the cookie works", func(t *testing.T) {
		b.header.Set("Sec-Fetch-Site", "same-origin")
		req := httptest.NewRequest("PUT", "/api/pages/club/par-cookie", strings.NewReader(`{"markdown":"# Par cookie\n","base_rev":0}`))
		wantStatusCode(t, b.do(req), http.StatusCreated)
		wantStatusCode(t, b.get("/api/pages/club/par-cookie"), http.StatusOK)
	})
}
