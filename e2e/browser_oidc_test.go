package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/sso"
	"github.com/kdecole-club/clubwiki/store"
	domain "github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
	"github.com/kdecole-club/clubwiki/wiki/web"
)

// ssoWiki starts a real OpenID provider and a wiki whose members sign in
// with it, mapping the provider's group ent-lyco to e-lyco and creating
// members at their first sign-in; marches is kept to e-lyco.
func ssoWiki(t *testing.T) (string, *domain.Service, *mockoidc.MockOIDC) {
	t.Helper()
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	db, err := store.Open(filepath.Join(t.TempDir(), "wiki.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	svc := domain.NewService(db, render.New(render.Options{}), textdiff.New(), domain.Config{BcryptCost: 4, Seed: assets.Seed()})
	ctx := context.Background()
	if err := svc.Init(ctx); err != nil {
		t.Fatal(err)
	}
	sys := domain.System()
	if _, err := svc.Save(ctx, sys, domain.SaveRequest{Path: domain.MustPath("marches/contrat-hebergeur"), Markdown: "# Contrat zorglub de l'hébergeur\n\nLe prix.\n"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetNamespaceRules(ctx, sys, "marches", domain.Rules{Read: domain.Rule{"e-lyco"}, Edit: domain.Rule{"e-lyco"}}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	t.Cleanup(ts.Close)
	base := "http://" + ts.Listener.Addr().String()
	client, err := sso.New(sso.Config{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: base + sso.CallbackPath, Scopes: []string{"openid", "profile", "email", "groups"},
		Policy: domain.SSOPolicy{Groups: map[string]string{"ent-lyco": "e-lyco"}, Create: true}})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = web.New(svc, web.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), LoginDelay: -1, SSO: client})
	ts.Start()
	return base, svc, idp
}

// TestBrowser_OIDCSignIn: a member of the ENT project e-lyco, unknown to
// the wiki, opens a page of marches, is sent to the login page, clicks
// "Se connecter avec l'ENT", signs in at the provider started by the test
// and lands signed in on the page, which only e-lyco may read; the
// namespace's index lists it.
func TestBrowser_OIDCSignIn(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, idp := ssoWiki(t)
	idp.QueueUser(&mockoidc.MockUser{Subject: "f3c1-77", PreferredUsername: "marie.blanchard",
		Email: "marie@ent.example", EmailVerified: true, Groups: []string{"ent-lyco", "profs"}})
	ctx := newBrowser(t)
	step(t, ctx, "opening a page of marches", chromedp.Navigate(base+"/wiki/marches/contrat-hebergeur"),
		chromedp.WaitVisible(chromedp.ID("sso")))
	step(t, ctx, "signing in with the ENT", load(chromedp.Click(chromedp.ID("sso"))))
	wantLocation(t, ctx, "/wiki/marches/contrat-hebergeur")
	waitFor(t, ctx, "the page of marches, signed in",
		`(document.querySelector("main h1") || {}).textContent === "Contrat zorglub de l'hébergeur" && !!document.querySelector('form[action="/logout"]')`)
	screenshot(t, ctx, "oidc-signed-in")
	step(t, ctx, "the index of marches", chromedp.Navigate(base+"/ns/marches"))
	waitFor(t, ctx, "the page in the index", `!!document.querySelector('main a[href="/wiki/marches/contrat-hebergeur"]')`)
	u, err := svc.User(context.Background(), "marie.blanchard")
	if err != nil || !slices.Equal(u.Groups, []string{"e-lyco"}) {
		t.Fatalf("member = %+v, %v", u, err)
	}
}
