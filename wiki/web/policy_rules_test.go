package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// rulesWalk is the walk's wiki with real rules: marches is read and
// edited by e-lyco (edith, who saved the pages, is in it); ext, an
// editor, starts in ent-mip; remi, a reader, in no group.
type rulesWalk struct {
	e          *testEnv
	admin, ext string // API tokens
	extUser    *wiki.User
	extBrowser *browser
	feedKey    string
}

func newRulesWalk(t *testing.T) *rulesWalk {
	e := newTestEnvWith(t, envOptions{server: Options{LoginDelay: -1}})
	ctx := context.Background()
	r := &rulesWalk{e: e, admin: e.user(ctx, "chef", wiki.RoleAdmin), ext: e.user(ctx, "ext", wiki.RoleEditor)}
	r.member("edith", "e-lyco")
	r.member("ext", "ent-mip")
	r.rules("e-lyco")
	seedWalk(t, e)
	u, err := e.svc.User(ctx, "ext")
	if err != nil {
		t.Fatal(err)
	}
	r.extUser = &u
	if r.feedKey, _, err = e.svc.NewFeedKey(ctx, r.extUser); err != nil {
		t.Fatal(err)
	}
	r.extBrowser = e.signIn("ext")
	return r
}

// rules sets marches' read and edit rules to groups, as the admin.
func (r *rulesWalk) rules(groups ...string) {
	r.e.t.Helper()
	rec := r.e.do("PUT", "/api/admin/namespaces/marches", r.admin, map[string]any{"read": groups, "edit": groups})
	wantStatusCode(r.e.t, rec, http.StatusOK)
}

// member sets a member's groups, as the admin.
func (r *rulesWalk) member(login string, groups ...string) {
	r.e.t.Helper()
	if groups == nil {
		groups = []string{}
	}
	rec := r.e.do("PUT", "/api/admin/users/"+login, r.admin, map[string]any{"groups": groups})
	wantStatusCode(r.e.t, rec, http.StatusOK)
}

// sees reports, for each of ext's ways in (token, session, feed key),
// whether the answer shows the secret page: what ext reads without
// signing in again.
func (r *rulesWalk) sees(t *testing.T) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	// An answer shows the secret when it names one of its pages, or (the
	// API's lists, the watchlist's items) its namespace.
	ask := func(name string, status int, body string, ns bool) {
		body = strings.ToLower(body)
		got[name] = status == http.StatusOK && (strings.Contains(body, "zorglub") || ns && strings.Contains(body, `"marches"`))
	}
	for name, target := range map[string]string{
		"page by token":  "/api/pages/" + walkSecretPath,
		"search":         "/api/search?q=facturation",
		"changes":        "/api/changes",
		"namespace list": "/api/namespaces",
		"watchlist":      "/api/watchlist",
		"profile":        "/api/users/edith", // she wrote the secret pages
	} {
		rec := r.e.do("GET", target, r.ext, nil)
		ask(name, rec.Code, rec.Body.String(), true)
	}
	for name, target := range map[string]string{
		"page by session":   "/wiki/" + walkSecretPath,
		"profile page":      "/membres/edith",
		"backlinks":         "/backlinks/usages/plan-ouvert",
		"feed by key":       "/feeds/changes.atom?key=" + r.feedKey,
		"watch feed by key": "/feeds/watchlist.atom?key=" + r.feedKey,
	} {
		rec := r.extBrowser.get(target)
		ask(name, rec.Code, rec.Body.String(), false)
	}
	return got
}

// wantSees checks that ext sees the secret everywhere, or nowhere.
func (r *rulesWalk) wantSees(t *testing.T, want bool) {
	t.Helper()
	for name, got := range r.sees(t) {
		if got != want {
			t.Errorf("%s: ext sees marches %v, want %v", name, got, want)
		}
	}
}

// walkAs walks every route as login (token and session). The walk asks
// for a new feed key too (the settings' routes): ext gets one again.
func (r *rulesWalk) walkAs(t *testing.T, login, token string) {
	w := &walker{t: t, e: r.e, login: login, token: token, b: r.e.signIn(login)}
	w.walk()
	var err error
	if r.feedKey, _, err = r.e.svc.NewFeedKey(context.Background(), r.extUser); err != nil {
		t.Fatal(err)
	}
}

// TestServer_PolicyWalkRules is TestServer_PolicyWalk with the rules
// admins set (no configured hook): every route and method, as a member
// kept out by a rule, then after a rule change, then after the member
// leaves a group; each change reaches the member's token, session and
// feed key at their next request.
func TestServer_PolicyWalkRules(t *testing.T) {
	t.Parallel() // its own server: it overlaps the package's other long tests
	r := newRulesWalk(t)
	t.Run("kept out by the rule", func(t *testing.T) {
		r.wantSees(t, false)
		r.walkAs(t, "ext", r.ext)
		r.walkAs(t, "remi", r.e.reader)
	})
	t.Run("the rule lets their group in", func(t *testing.T) {
		r.rules("e-lyco", "ent-mip")
		rec := r.e.do("PUT", "/api/watch/marches", r.ext, nil)
		wantStatusCode(t, rec, http.StatusOK)
		r.e.save("marches/zorglub-annexe", "# Facturation annexe Zorglub\n\nfacturation revue [[usages/plan-ouvert]]\n", 1, http.StatusOK)
		r.wantSees(t, true)
	})
	t.Run("after a rule change", func(t *testing.T) {
		r.rules("e-lyco")
		r.wantSees(t, false)
		r.walkAs(t, "ext", r.ext)
	})
	t.Run("after leaving the group", func(t *testing.T) {
		r.rules("e-lyco", "ent-mip")
		r.wantSees(t, true)
		r.member("ext")
		r.wantSees(t, false)
		r.walkAs(t, "ext", r.ext)
	})
}
