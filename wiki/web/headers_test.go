package web

import (
	"net/http"
	"net/url"
	"testing"
)

// TestServer_SecurityHeadersEverywhere checks the answers that no handler
// of ours writes (the mux's own redirects) or that are not pages (other
// redirects, static files): every one carries the security headers.
func TestServer_SecurityHeadersEverywhere(t *testing.T) {
	t.Parallel()
	const anyRedirect = 3 // the mux's code depends on the Go version
	e, _ := newUIEnv(t)
	b := e.signIn("edith")
	cases := []struct {
		name   string
		get    func() *http.Response
		status int
	}{
		{"mux redirect to the folder", func() *http.Response { return b.get("/wiki").Result() }, anyRedirect},
		{"mux redirect of an unclean path", func() *http.Response { return b.get("/wiki/club/../club/accueil").Result() }, anyRedirect},
		{"mux redirect, anonymous", func() *http.Response { return e.browser().get("/history").Result() }, anyRedirect},
		{"redirect to the login page", func() *http.Response { return e.browser().get("/changes").Result() }, http.StatusSeeOther},
		{"redirect after signing out", func() *http.Response { return e.signIn("remi").post("/logout", nil).Result() }, http.StatusSeeOther},
		{"redirect after the language switch", func() *http.Response {
			return b.post("/lang", url.Values{"lang": {"en"}, "next": {"/changes"}}).Result()
		}, http.StatusSeeOther},
		{"static file", func() *http.Response { return b.get(e.srv.ui.static.url("app.css")).Result() }, http.StatusOK},
		{"missing static file", func() *http.Response { return b.get("/static/0/none.css").Result() }, http.StatusNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := c.get()
			if res.StatusCode != c.status && (c.status != anyRedirect || res.StatusCode/100 != 3) {
				t.Fatalf("status = %d, want %d", res.StatusCode, c.status)
			}
			for k, v := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "same-origin",
			} {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if res.Header.Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy")
			}
			if res.Header.Get("Cache-Control") == "" {
				t.Error("no Cache-Control")
			}
		})
	}
}
