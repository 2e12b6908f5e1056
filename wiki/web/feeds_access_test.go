package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// feedKeyOf makes a new feed key from the settings page, as a member does,
// and returns it as the page shows it, in the changes feed's address.
func feedKeyOf(t testing.TB, b *browser) string {
	t.Helper()
	doc := page(t, b.post("/settings/feedkey", nil), http.StatusOK)
	u, err := url.Parse(strings.TrimSpace(doc.Find("#new-feed-url").Text()))
	if err != nil || u.Path != "/feeds/changes.atom" || !strings.HasPrefix(u.Query().Get("key"), "cwf_") {
		t.Fatalf("feed URL %q: %v", doc.Find("#new-feed-url").Text(), err)
	}
	return u.Query().Get("key")
}

func TestFeeds_Key(t *testing.T) {
	t.Parallel()
	e, _ := feedEnv(t, envOptions{server: Options{LoginDelay: -1}})
	b := e.signIn("edith")
	key := feedKeyOf(t, b)
	anon := e.browser()
	t.Run("opens feeds", func(t *testing.T) {
		for _, target := range []string{"/feeds/changes.atom?key=", "/feeds/history/usages/cahier-de-textes?limit=5&key="} {
			f, _ := getFeed(t, e, target+url.QueryEscape(key), "")
			if len(f.Items) == 0 {
				t.Errorf("%s: no entry", target)
			}
		}
	})
	t.Run("opens nothing else", func(t *testing.T) {
		q := "?key=" + url.QueryEscape(key)
		for _, target := range []string{"/api/pages" + q, "/api/changes" + q, "/api/pages/usages/cahier-de-textes" + q} {
			wantError(t, e.do("GET", target, "", nil), http.StatusUnauthorized, "unauthenticated")
			wantError(t, e.do("GET", target, key, nil), http.StatusUnauthorized, "unauthenticated")
		}
		for _, target := range []string{"/" + q, "/wiki/usages/cahier-de-textes" + q, "/changes" + q, "/settings" + q} {
			rec := anon.get(target)
			if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
				t.Errorf("%s with the key: %d %s", target, rec.Code, rec.Header().Get("Location"))
			}
		}
		rec := anon.post("/settings/feedkey"+q, nil)
		if rec.Code == http.StatusOK || strings.Contains(rec.Body.String(), "cwf_") {
			t.Errorf("a key made a key: %d", rec.Code)
		}
	})
	t.Run("shown on settings without its secret", func(t *testing.T) {
		body := b.get("/settings").Body.String()
		if strings.Contains(body, key) || !strings.Contains(body, `id="feedkey-since"`) {
			t.Errorf("settings page: %s", clip(body))
		}
	})
	t.Run("a new key replaces it", func(t *testing.T) {
		next := feedKeyOf(t, b)
		wantError(t, e.do("GET", "/feeds/changes.atom?key="+url.QueryEscape(key), "", nil), http.StatusUnauthorized, "unauthenticated")
		getFeed(t, e, "/feeds/changes.atom?key="+url.QueryEscape(next), "")
		key = next
	})
	t.Run("revoked", func(t *testing.T) {
		rec := b.post("/settings/feedkey/revoke", nil)
		wantRedirect(t, rec, http.StatusSeeOther, "/settings")
		wantError(t, e.do("GET", "/feeds/changes.atom?key="+url.QueryEscape(key), "", nil), http.StatusUnauthorized, "unauthenticated")
		if body := b.get("/settings").Body.String(); strings.Contains(body, `id="feedkey-since"`) {
			t.Errorf("settings still show a key")
		}
	})
	t.Run("a wrong key is refused, even with a session", func(t *testing.T) {
		for _, k := range []string{"", "cwf_nope", strings.Repeat("x", 300), e.editor} {
			rec := b.get("/feeds/changes.atom?key=" + url.QueryEscape(k))
			wantError(t, rec, http.StatusUnauthorized, "unauthenticated")
		}
	})
	t.Run("session and token", func(t *testing.T) {
		rec := b.get("/feeds/changes.atom")
		wantStatusCode(t, rec, http.StatusOK)
		getFeed(t, e, "/feeds/changes.atom", e.editor)
		wantError(t, e.do("GET", "/feeds/changes.atom", "", nil), http.StatusUnauthorized, "unauthenticated")
	})
}

func TestFeeds_Conditional(t *testing.T) {
	t.Parallel()
	e, amelie := feedEnv(t, envOptions{})
	ask := func(target, header, value string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("Authorization", "Bearer "+amelie)
		if header != "" {
			req.Header.Set(header, value)
		}
		return serve(e.srv, req)
	}
	rev := 2
	for _, target := range []string{"/feeds/changes.atom", "/feeds/changes.atom?ns=usages", "/feeds/history/usages/cahier-de-textes"} {
		t.Run(target, func(t *testing.T) {
			first := ask(target, "", "")
			etag, lm := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
			if etag == "" || lm == "" || first.Header().Get("Cache-Control") != "private, no-cache" {
				t.Fatalf("validators %q %q %q", etag, lm, first.Header().Get("Cache-Control"))
			}
			if rec := ask(target, "If-None-Match", etag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
				t.Errorf("If-None-Match: %d", rec.Code)
			}
			if rec := ask(target, "If-Modified-Since", lm); rec.Code != http.StatusNotModified {
				t.Errorf("If-Modified-Since: %d", rec.Code)
			}
			e.save("usages/cahier-de-textes", "# Cahier de textes\n\nRéécrit "+target+"\n", rev, http.StatusOK)
			rev++
			rec := ask(target, "If-None-Match", etag)
			if rec.Code != http.StatusOK || rec.Header().Get("ETag") == etag {
				t.Errorf("after a save: %d, tag %s", rec.Code, rec.Header().Get("ETag"))
			}
		})
	}
}

// TestFeeds_Policy: a member kept out of "marches" finds nothing of it in
// any feed, a hidden namespace or page answers as an unknown one, and a
// permission change shows at the next read, conditional or not.
func TestFeeds_Policy(t *testing.T) {
	t.Parallel()
	var hide atomic.Bool
	hide.Store(true)
	rule := func(actor *wiki.User, ns string) bool {
		return !(hide.Load() && actor.Login == "ext" && ns == "marches")
	}
	e := newTestEnvWith(t, envOptions{readRule: rule, server: Options{LoginDelay: -1}})
	e.save(walkSecretPath, "# Facturation Zorglub\n\nQuetzalcoatl.\n", 0, http.StatusCreated)
	e.save("usages/plan-ouvert", "# Plan\n\nfacturation\n", 0, http.StatusCreated)
	ext := e.user(context.Background(), "ext", wiki.RoleEditor)
	key := feedKeyOf(t, e.signIn("ext"))
	secret := func(body string) bool {
		return strings.Contains(body, "marches") || strings.Contains(strings.ToLower(body), "zorglub")
	}
	t.Run("no entry of marches", func(t *testing.T) {
		for _, target := range []string{"/feeds/changes.atom", "/feeds/changes.atom?limit=200", "/feeds/changes.atom?key=" + key} {
			token := ext
			if strings.Contains(target, "key=") {
				token = ""
			}
			f, rec := getFeed(t, e, target, token)
			if len(f.Items) != 1 || secret(rec.Body.String()) {
				t.Errorf("%s: %d entries: %s", target, len(f.Items), clip(rec.Body.String()))
			}
		}
	})
	t.Run("a hidden namespace or page is unknown", func(t *testing.T) {
		for _, c := range [][2]string{
			{"/feeds/changes.atom?ns=marches", "/feeds/changes.atom?ns=zzznulle"},
			{"/feeds/history/" + walkSecretPath, "/feeds/history/" + walkControlPath},
		} {
			hidden, unknown := e.do("GET", c[0], ext, nil), e.do("GET", c[1], ext, nil)
			wantError(t, hidden, http.StatusNotFound, "not_found")
			h := strings.NewReplacer("marches", "X", "zorglub-qqsecret", "Y").Replace(hidden.Body.String())
			u := strings.NewReplacer("zzznulle", "X", "zorglub-qqnone", "Y").Replace(unknown.Body.String())
			if hidden.Code != unknown.Code || h != u {
				t.Errorf("%s: %d %s; %s: %d %s", c[0], hidden.Code, hidden.Body, c[1], unknown.Code, unknown.Body)
			}
		}
	})
	t.Run("a permission change shows at once", func(t *testing.T) {
		hide.Store(false)
		open, rec := getFeed(t, e, "/feeds/changes.atom", ext)
		etag := rec.Header().Get("ETag")
		if len(open.Items) != 2 {
			t.Fatalf("with marches open: %d entries", len(open.Items))
		}
		hide.Store(true)
		req := httptest.NewRequest("GET", "/feeds/changes.atom", nil)
		req.Header.Set("Authorization", "Bearer "+ext)
		req.Header.Set("If-None-Match", etag)
		again := serve(e.srv, req)
		if again.Code != http.StatusOK || secret(again.Body.String()) {
			t.Errorf("after marches closed: %d %s", again.Code, clip(again.Body.String()))
		}
		wantError(t, e.do("GET", "/feeds/history/"+walkSecretPath, "", nil), http.StatusUnauthorized, "unauthenticated")
		wantError(t, e.do("GET", "/feeds/history/"+walkSecretPath+"?key="+key, "", nil), http.StatusNotFound, "not_found")
	})
}

func TestFeeds_BadInput(t *testing.T) {
	t.Parallel()
	e, amelie := feedEnv(t, envOptions{})
	for _, c := range []struct {
		target string
		status int
		code   string
	}{
		{"/feeds/changes.atom?limit=abc", http.StatusBadRequest, "bad_request"},
		{"/feeds/changes.atom?limit=0", http.StatusBadRequest, "bad_request"},
		{"/feeds/changes.atom?limit=-3", http.StatusBadRequest, "bad_request"},
		{"/feeds/changes.atom?limit=201", http.StatusBadRequest, "bad_request"},
		{"/feeds/changes.atom?ns=inconnu", http.StatusNotFound, "not_found"},
		{"/feeds/history/usages/jamais-ecrite", http.StatusNotFound, "not_found"},
		{"/feeds/history/inconnu/page", http.StatusBadRequest, "bad_request"},
		{"/feeds/history/usages", http.StatusBadRequest, "bad_request"},
		{"/feeds/history/usages/cahier-de-textes?limit=x", http.StatusBadRequest, "bad_request"},
	} {
		t.Run(c.target, func(t *testing.T) {
			body := wantError(t, e.do("GET", c.target, amelie, nil), c.status, c.code)
			if c.status == http.StatusBadRequest && strings.Contains(c.target, "limit") && !strings.Contains(body.Error.Message, "200") {
				t.Errorf("message %q does not say the bounds", body.Error.Message)
			}
		})
	}
	t.Run("limit 200 is allowed", func(t *testing.T) {
		getFeed(t, e, "/feeds/changes.atom?limit=200", amelie)
	})
}
