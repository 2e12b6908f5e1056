package sso_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/kdecole-club/clubwiki/sso"
)

// provider starts a real OpenID provider for the test.
func provider(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return m
}

func client(t *testing.T, m *mockoidc.MockOIDC, now func() time.Time) *sso.Client {
	t.Helper()
	c, err := sso.New(sso.Config{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		RedirectURL: "http://wiki.test" + sso.CallbackPath, Scopes: []string{"openid", "profile", "email", "groups"},
		Now: now, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// authorize follows authURL at the provider as a browser would and
// returns the query the provider sends back to the wiki.
func authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %s, Location %q", resp.Status, resp.Header.Get("Location"))
	}
	return loc.Query()
}

func TestClient_Finish(t *testing.T) {
	m := provider(t)
	now := time.Now()
	clock := func() time.Time { return now }
	c := client(t, m, clock)
	ctx := context.Background()
	start := func(t *testing.T) (url.Values, string) {
		t.Helper()
		authURL, cookie, err := c.Start(ctx, "/wiki/marches/x")
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(authURL)
		if q := u.Query(); q.Get("code_challenge_method") != "S256" || q.Get("nonce") == "" || q.Get("state") == "" {
			t.Fatalf("authorization URL without PKCE, nonce or state: %s", authURL)
		}
		return authorize(t, authURL), cookie
	}
	t.Run("signs in with the claims", func(t *testing.T) {
		m.QueueUser(&mockoidc.MockUser{Subject: "f3c1", PreferredUsername: "marie.blanchard", Email: "marie@ent.example",
			EmailVerified: true, Groups: []string{"ent-lyco", "profs"}})
		q, cookie := start(t)
		id, next, err := c.Finish(ctx, q, cookie)
		if err != nil {
			t.Fatal(err)
		}
		if id.Issuer != m.Issuer() || id.Subject != "f3c1" || id.Username != "marie.blanchard" || id.Email != "marie@ent.example" ||
			!slices.Equal(id.Groups, []string{"ent-lyco", "profs"}) || next != "/wiki/marches/x" {
			t.Fatalf("identity = %+v, next %q", id, next)
		}
	})
	t.Run("a state of another sign-in is refused", func(t *testing.T) {
		q, cookie := start(t)
		q.Set("state", "forged")
		wantErr(t, c, q, cookie, sso.ErrState)
	})
	t.Run("no cookie, or a cookie made elsewhere, is refused", func(t *testing.T) {
		q, _ := start(t)
		wantErr(t, c, q, "", sso.ErrState)
		_, other, err := client(t, m, clock).Start(ctx, "/")
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, c, q, other, sso.ErrState)
		wantErr(t, c, q, "%%%", sso.ErrState)
	})
	t.Run("a code of another sign-in is refused", func(t *testing.T) {
		q1, _ := start(t)
		q2, cookie2 := start(t)
		q2.Set("code", q1.Get("code"))
		wantErr(t, c, q2, cookie2, sso.ErrInvalid)
	})
	t.Run("expired", func(t *testing.T) {
		q, cookie := start(t)
		now = now.Add(11 * time.Minute)
		defer func() { now = now.Add(-11 * time.Minute) }()
		wantErr(t, c, q, cookie, sso.ErrExpired)
	})
	t.Run("consent denied", func(t *testing.T) {
		q, cookie := start(t)
		denied := url.Values{"state": {q.Get("state")}, "error": {"access_denied"}}
		wantErr(t, c, denied, cookie, sso.ErrDenied)
	})
}

func wantErr(t *testing.T, c *sso.Client, q url.Values, cookie string, want error) {
	t.Helper()
	if _, _, err := c.Finish(context.Background(), q, cookie); !errors.Is(err, want) {
		t.Fatalf("Finish: %v, want %v", err, want)
	}
}

func TestClient_Unavailable(t *testing.T) {
	t.Run("provider down at the start", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c, err := sso.New(sso.Config{Issuer: "http://" + addr + "/oidc", ClientID: "id", ClientSecret: "secret", RedirectURL: "http://wiki.test" + sso.CallbackPath})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Start(context.Background(), "/"); !errors.Is(err, sso.ErrUnavailable) {
			t.Fatalf("Start: %v", err)
		}
	})
	t.Run("provider that does not answer in time", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close() // accepts connections, answers nothing
		c, err := sso.New(sso.Config{Issuer: "http://" + ln.Addr().String(), ClientID: "id", ClientSecret: "secret",
			RedirectURL: "http://wiki.test" + sso.CallbackPath, Timeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		if _, _, err := c.Start(context.Background(), "/"); !errors.Is(err, sso.ErrUnavailable) || time.Since(t0) > 5*time.Second {
			t.Fatalf("Start: %v after %v", err, time.Since(t0))
		}
	})
	t.Run("wrong client secret", func(t *testing.T) {
		m := provider(t)
		c, err := sso.New(sso.Config{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: "not-the-secret", RedirectURL: "http://wiki.test" + sso.CallbackPath})
		if err != nil {
			t.Fatal(err)
		}
		authURL, cookie, err := c.Start(context.Background(), "/")
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, c, authorize(t, authURL), cookie, sso.ErrInvalid)
	})
}

func TestNew_Checks(t *testing.T) {
	for name, cfg := range map[string]sso.Config{
		"no issuer":       {ClientID: "a", ClientSecret: "b", RedirectURL: "http://w/cb"},
		"issuer not http": {Issuer: "ftp://x", ClientID: "a", ClientSecret: "b", RedirectURL: "http://w/cb"},
		"no redirect":     {Issuer: "https://x", ClientID: "a", ClientSecret: "b"},
		"no client id":    {Issuer: "https://x", ClientSecret: "b", RedirectURL: "http://w/cb"},
		"no secret":       {Issuer: "https://x", ClientID: "a", RedirectURL: "http://w/cb"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := sso.New(cfg); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// TestClient_Rediscover: while the provider is down, sign-ins fail at once
// for a while; once it is back, the next one after that works.
func TestClient_Rediscover(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	c, err := sso.New(sso.Config{Issuer: "http://" + addr + mockoidc.IssuerBase, ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		RedirectURL: "http://wiki.test" + sso.CallbackPath, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Start(context.Background(), "/"); !errors.Is(err, sso.ErrUnavailable) {
		t.Fatalf("Start while down: %v", err)
	}
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the port was taken meanwhile: %v", err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	defer m.Shutdown()
	if _, _, err := c.Start(context.Background(), "/"); !errors.Is(err, sso.ErrUnavailable) {
		t.Fatalf("Start at once after a failure: %v, want the failure again", err)
	}
	now = now.Add(20 * time.Second)
	if _, _, err := c.Start(context.Background(), "/"); err != nil {
		t.Fatalf("Start once the provider is back: %v", err)
	}
}
