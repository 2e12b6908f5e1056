package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/kdecole-club/clubwiki/sso"
	"github.com/kdecole-club/clubwiki/wiki"
)

// ssoEnv is a wiki served over HTTP whose members sign in through a real
// OpenID provider (mockoidc) started for the test.
type ssoEnv struct {
	*testEnv
	idp  *mockoidc.MockOIDC
	base string // the wiki's URL
}

// ssoPolicy maps ent-lyco to e-lyco and acad-nantes to academie-nantes.
func ssoPolicy(create bool) wiki.SSOPolicy {
	return wiki.SSOPolicy{Groups: map[string]string{"ent-lyco": "e-lyco", "acad-nantes": "academie-nantes"}, Create: create}
}

func newSSOEnv(t *testing.T, policy wiki.SSOPolicy, issuer string) *ssoEnv {
	return newSSOEnvAt(t, policy, issuer, time.Now)
}

// newSSOEnvAt is newSSOEnv with the clock of the sign-in's cookie.
func newSSOEnvAt(t *testing.T, policy wiki.SSOPolicy, issuer string, now func() time.Time) *ssoEnv {
	t.Helper()
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	if issuer == "" {
		issuer = idp.Issuer()
	}
	ts := httptest.NewUnstartedServer(nil)
	t.Cleanup(ts.Close)
	base := "http://" + ts.Listener.Addr().String()
	client, err := sso.New(sso.Config{Issuer: issuer, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: base + sso.CallbackPath, Scopes: []string{"openid", "profile", "email", "groups"}, Policy: policy, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnvWith(t, envOptions{server: Options{SSO: client, LoginDelay: -1}})
	ts.Config.Handler = e.srv
	ts.Start()
	return &ssoEnv{testEnv: e, idp: idp, base: base}
}

// person is a browser with its cookies; stop, if set, ends the redirects
// before the one that matches it.
func person(stop string) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if stop != "" && strings.Contains(r.URL.String(), stop) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

// get fetches target and returns the status and body of the last answer.
func get(t *testing.T, c *http.Client, target string) (int, string, *http.Response) {
	t.Helper()
	resp, err := c.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

// signInSSO signs in as user at the provider and returns where the
// browser landed.
func (e *ssoEnv) signInSSO(t *testing.T, c *http.Client, user *mockoidc.MockUser, next string) (int, string, *http.Response) {
	t.Helper()
	e.idp.QueueUser(user)
	return get(t, c, e.base+"/login/oidc?next="+url.QueryEscape(next))
}

func marie(groups ...string) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: "f3c1-77", PreferredUsername: "Marie.Blanchard", Email: "marie@ent.example", EmailVerified: true, Groups: groups}
}

func TestServer_SSOSignIn(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t, ssoPolicy(true), "")
	ctx := context.Background()
	admin := &wiki.User{Login: wiki.SystemAuthor, Role: wiki.RoleAdmin}
	e.saveAs("edith", "marches/contrat", "# Contrat zorglub\n\nLe prix.", 0)
	if _, err := e.svc.SetNamespaceRules(ctx, admin, "marches", wiki.Rules{Read: wiki.Rule{"e-lyco"}, Edit: wiki.Rule{"e-lyco"}}); err != nil {
		t.Fatal(err)
	}
	t.Run("the login page offers the ENT", func(t *testing.T) {
		_, body, _ := get(t, person(""), e.base+"/login?next=/changes")
		if !strings.Contains(body, `href="/login/oidc?next=%2fchanges"`) || !strings.Contains(body, "Se connecter avec l&#39;ENT") {
			t.Fatalf("no ENT button:\n%s", body)
		}
	})
	browser := person("")
	t.Run("first sign-in creates the member with the mapped group", func(t *testing.T) {
		status, body, resp := e.signInSSO(t, browser, marie("ent-lyco", "profs"), "/wiki/marches/contrat")
		if status != http.StatusOK || resp.Request.URL.Path != "/wiki/marches/contrat" || !strings.Contains(body, "Contrat zorglub") {
			t.Fatalf("landed at %s: %d\n%s", resp.Request.URL, status, body)
		}
		u, err := e.svc.User(ctx, "marie.blanchard")
		if err != nil || u.Role != wiki.RoleReader || !slices.Equal(u.Groups, []string{"e-lyco"}) || u.Email != "marie@ent.example" {
			t.Fatalf("member = %+v, %v", u, err)
		}
	})
	t.Run("second sign-in updates the groups", func(t *testing.T) {
		again := marie("acad-nantes")
		again.PreferredUsername = "mblanchard" // renamed at the ENT: still the same member
		status, body, resp := e.signInSSO(t, person(""), again, "/wiki/marches/contrat")
		if status != http.StatusNotFound || strings.Contains(body, "zorglub") {
			t.Fatalf("landed at %s: %d\n%s", resp.Request.URL, status, body)
		}
		u, err := e.svc.User(ctx, "marie.blanchard")
		if err != nil || !slices.Equal(u.Groups, []string{"academie-nantes"}) {
			t.Fatalf("member = %+v, %v", u, err)
		}
		if _, err := e.svc.User(ctx, "mblanchard"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("a second member was made: %v", err)
		}
	})
	t.Run("disabled member refused", func(t *testing.T) {
		yes := true
		if _, err := e.svc.UpdateMember(ctx, admin, "marie.blanchard", wiki.MemberChange{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		c := person("")
		status, body, _ := e.signInSSO(t, c, marie("ent-lyco"), "/")
		if status != http.StatusForbidden || !strings.Contains(body, "Ce compte du wiki est désactivé") {
			t.Fatalf("%d\n%s", status, body)
		}
		if status, _, resp := get(t, c, e.base+"/changes"); status != http.StatusOK || resp.Request.URL.Path != "/login" {
			t.Fatalf("a session was opened: landed at %s", resp.Request.URL)
		}
	})
}

func TestServer_SSORefusals(t *testing.T) {
	t.Parallel()
	t.Run("creation not allowed", func(t *testing.T) {
		e := newSSOEnv(t, ssoPolicy(false), "")
		status, body, _ := e.signInSSO(t, person(""), marie("ent-lyco"), "/")
		if status != http.StatusForbidden || !strings.Contains(body, "n&#39;est lié à aucun membre du wiki") {
			t.Fatalf("%d\n%s", status, body)
		}
		if _, err := e.svc.User(context.Background(), "marie.blanchard"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("member created: %v", err)
		}
	})
	t.Run("a signed-in member links their ENT account", func(t *testing.T) {
		e := newSSOEnv(t, ssoPolicy(false), "")
		c := person("")
		form := url.Values{"login": {"edith"}, "password": {"mot-de-passe-solide"}}
		if resp, err := c.PostForm(e.base+"/login", form); err != nil || resp.Request.URL.Path != "/" {
			t.Fatalf("password sign-in: %v", err)
		}
		if _, body, _ := get(t, c, e.base+"/settings"); !strings.Contains(body, `<a id="sso-link" class="button" href="/login/oidc?next=/settings">Lier mon compte ENT</a>`) {
			t.Fatalf("no link on the settings:\n%s", body)
		}
		if status, _, resp := e.signInSSO(t, c, marie("ent-lyco"), "/settings"); status != http.StatusOK || resp.Request.URL.Path != "/settings" {
			t.Fatalf("linking: %d at %s", status, resp.Request.URL)
		}
		if status, _, resp := e.signInSSO(t, person(""), marie(), "/changes"); status != http.StatusOK || resp.Request.URL.Path != "/changes" {
			t.Fatalf("signing in through the ENT: %d at %s", status, resp.Request.URL)
		}
		if u, _ := e.svc.User(context.Background(), "edith"); len(u.Groups) != 0 {
			t.Fatalf("groups = %v", u.Groups)
		}
	})
	e := newSSOEnv(t, ssoPolicy(true), "")
	// callback starts a sign-in in c and returns the provider's answer,
	// which the browser has not brought to the wiki yet.
	callback := func(t *testing.T, c *http.Client) url.Values {
		t.Helper()
		e.idp.QueueUser(marie("ent-lyco"))
		_, _, resp := get(t, c, e.base+"/login/oidc")
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil || loc.Path != sso.CallbackPath {
			t.Fatalf("the provider answered %s, Location %q", resp.Status, resp.Header.Get("Location"))
		}
		return loc.Query()
	}
	refused := func(t *testing.T, c *http.Client, q url.Values, status int, says string) {
		t.Helper()
		got, body, _ := get(t, c, e.base+sso.CallbackPath+"?"+q.Encode())
		if got != status || !strings.Contains(body, says) || !strings.Contains(body, `id="sso"`) {
			t.Fatalf("%d, want %d saying %q\n%s", got, status, says, body)
		}
		if strings.Contains(t.Name(), "twice") {
			return // the first use made the member
		}
		if _, err := e.svc.User(context.Background(), "marie.blanchard"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("member created: %v", err)
		}
	}
	t.Run("bad state", func(t *testing.T) {
		c := person(sso.CallbackPath)
		q := callback(t, c)
		q.Set("state", "forged")
		refused(t, c, q, http.StatusBadRequest, "pas été commencée dans ce navigateur")
	})
	t.Run("another browser's answer", func(t *testing.T) {
		q := callback(t, person(sso.CallbackPath))
		refused(t, person(""), q, http.StatusBadRequest, "pas été commencée dans ce navigateur")
	})
	t.Run("consent denied", func(t *testing.T) {
		c := person(sso.CallbackPath)
		q := callback(t, c)
		denied := url.Values{"state": {q.Get("state")}, "error": {"access_denied"}}
		refused(t, c, denied, http.StatusForbidden, "La connexion a été refusée sur l&#39;ENT")
	})
	t.Run("the answer used twice", func(t *testing.T) {
		c := person(sso.CallbackPath)
		q := callback(t, c)
		if status, _, _ := get(t, c, e.base+sso.CallbackPath+"?"+q.Encode()); status != http.StatusOK {
			t.Fatalf("first use: %d", status)
		}
		refused(t, c, q, http.StatusBadRequest, "a déjà servi")
	})
}

func TestServer_SSOExpired(t *testing.T) {
	t.Parallel()
	var late atomic.Int64 // how far the clock is ahead
	e := newSSOEnvAt(t, ssoPolicy(true), "", func() time.Time { return time.Now().Add(time.Duration(late.Load())) })
	c := person(sso.CallbackPath)
	e.idp.QueueUser(marie("ent-lyco"))
	_, _, resp := get(t, c, e.base+"/login/oidc")
	late.Store(int64(11 * time.Minute))
	status, body, _ := get(t, c, resp.Header.Get("Location"))
	if status != http.StatusBadRequest || !strings.Contains(body, "a pris trop de temps et a expiré") {
		t.Fatalf("%d\n%s", status, body)
	}
	if _, err := e.svc.User(context.Background(), "marie.blanchard"); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("member created: %v", err)
	}
}

func TestServer_SSOProviderDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String() + "/oidc"
	ln.Close()
	e := newSSOEnv(t, ssoPolicy(true), down)
	status, body, _ := get(t, person(""), e.base+"/login/oidc")
	if status != http.StatusBadGateway || !strings.Contains(body, "ne répond pas pour le moment") {
		t.Fatalf("%d\n%s", status, body)
	}
	if !strings.Contains(e.logs.String(), "single sign-on failed") {
		t.Fatalf("nothing logged:\n%s", e.logs.String())
	}
}

func TestServer_SSONotConfigured(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, target := range []string{"/login/oidc", sso.CallbackPath + "?state=x&code=y"} {
		if rec := serve(e.srv, newRequest("GET", target, nil)); rec.Code != http.StatusNotFound && rec.Code != http.StatusSeeOther {
			t.Errorf("%s: %d", target, rec.Code)
		}
	}
	if rec := serve(e.srv, newRequest("GET", "/login", nil)); strings.Contains(rec.Body.String(), `id="sso"`) {
		t.Error("the login page offers an ENT that is not configured")
	}
	if rec := e.signIn("edith").get("/settings"); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `id="sso-link"`) {
		t.Errorf("the settings offer an ENT that is not configured (%d)", rec.Code)
	}
}
