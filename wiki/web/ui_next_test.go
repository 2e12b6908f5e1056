package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// hostileNext are next= values that must not leave the site nor reach the
// Location header as they are.
var hostileNext = []string{
	"/x\r\nSet-Cookie: a=b", "/x\nLocation: //evil.example", "/x\x00y", "/\x00/evil.example",
	"/x\x0bY", "/x\x7f", "/x\x1b[2J", "/\t/evil.example", "//evil.example", "/\\evil.example",
	"/\\/evil.example", "https://evil.example/", "javascript:alert(1)", " /x", "\x00/x",
}

func TestServer_NextIsLocal(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	signedIn := e.signIn("edith")
	for _, next := range hostileNext {
		t.Run(url.QueryEscape(next), func(t *testing.T) {
			rec := e.browser().post("/login", url.Values{"login": {"edith"}, "password": {rightPassword}, "next": {next}})
			wantRedirect(t, rec, http.StatusSeeOther, "/")
			wantRedirect(t, signedIn.get("/login?next="+url.QueryEscape(next)), http.StatusSeeOther, "/")
			wantRedirect(t, signedIn.post("/lang", url.Values{"lang": {"fr"}, "next": {next}}), http.StatusSeeOther, "/")
		})
	}
	t.Run("a local path with its query is kept", func(t *testing.T) {
		const next = "/search?q=ent+%C3%A9cole&ns=usages#r"
		wantRedirect(t, signedIn.get("/login?next="+url.QueryEscape(next)), http.StatusSeeOther, next)
	})
}

func FuzzLocalRedirect(f *testing.F) {
	for _, s := range append(hostileNext, "/", "/wiki/club/accueil", "/search?q=a%20b", "/é") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := localRedirect(next)
		if got != "/" && got != next {
			t.Fatalf("localRedirect(%q) = %q: neither next nor /", next, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsRune(got, '\\') {
			t.Fatalf("localRedirect(%q) = %q leaves the site", next, got)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("localRedirect(%q) = %q holds a control character", next, got)
			}
		}
		if u, err := url.Parse(got); err != nil || u.Scheme != "" || u.Host != "" {
			t.Fatalf("localRedirect(%q) = %q parses as %+v, %v", next, got, u, err)
		}
	})
}
