package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The secret namespace of the walk, and what its pages hold: none of these
// may reach a member kept out of it.
const (
	walkSecretPath  = "marches/zorglub-qqsecret"
	walkControlPath = "marches/zorglub-qqnone" // never exists: the answer to compare with
)

var walkSecrets = []string{
	"zorglub", "quetzalcoatl", "qqsecret", "zorgtag", "marches/", "marches%2f",
	"marchés et relations", // the namespace's title
}

// hideMarchesFrom is a read rule keeping the given logins out of "marches".
func hideMarchesFrom(logins ...string) wiki.ReadRule {
	return func(actor *wiki.User, ns string) bool {
		for _, l := range logins {
			if actor.Login == l && ns == "marches" {
				return false
			}
		}
		return true
	}
}

// walkEnv seeds pages in and out of "marches" as edith, who reads
// everything, with the read rule of configuration keeping "ext" and
// "extadm" out of it.
func walkEnv(t *testing.T) *testEnv {
	e := newTestEnvWith(t, envOptions{readRule: hideMarchesFrom("ext", "extadm"), server: Options{LoginDelay: -1}})
	seedWalk(t, e)
	return e
}

// seedWalk saves the walk's pages as edith and waits for the index.
func seedWalk(t *testing.T, e *testEnv) {
	sync := withSearch(t, e)
	e.save(walkSecretPath, "---\ntags: [zorgtag]\nprojects: [zorgtag]\ntype: zorgtag\n---\n# Facturation Zorglub\n\nLe prestataire Quetzalcoatl facture. Voir [[usages/plan-ouvert]].\n", 0, http.StatusCreated)
	e.save(walkSecretPath, "---\ntags: [zorgtag]\n---\n# Facturation Zorglub\n\nLe prestataire Quetzalcoatl facture deux fois. [[usages/plan-ouvert]]\n", 1, http.StatusOK)
	e.save("marches/zorglub-annexe", "# Facturation annexe Zorglub\n\nfacturation [[marches/zorglub-qqsecret]] [[usages/plan-ouvert]]\n", 0, http.StatusCreated)
	e.save("marches/zorglub-qqgone", "# Zorglub effacé\n\nfacturation\n", 0, http.StatusCreated)
	if rec := e.do("DELETE", "/api/pages/marches/zorglub-qqgone", e.editor, nil); rec.Code != http.StatusOK {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	e.save("usages/plan-ouvert", "# Facturation ouverte\n\nLa facturation du plan. [[usages/plan-ouvert]]\n", 0, http.StatusCreated)
	e.save("usages/plan-ouvert", "# Facturation ouverte\n\nLa facturation du plan, revue. [[usages/plan-ouvert]]\n", 1, http.StatusOK)
	e.save("assistance/autre", "# Autre\n\nfacturation [[usages/plan-ouvert]]\n", 0, http.StatusCreated)
	sync()
}

func TestServer_PolicyCounts(t *testing.T) {
	t.Parallel()
	e := walkEnv(t)
	ext := e.user(context.Background(), "ext", wiki.RoleEditor)
	total := func(token, target string) int {
		t.Helper()
		rec := e.do("GET", target, token, nil)
		wantStatusCode(t, rec, http.StatusOK)
		var v struct{ Total int }
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		return v.Total
	}
	t.Run("a hidden namespace is an unknown one", func(t *testing.T) {
		w := &walker{t: t, e: e, login: "ext", token: ext, b: e.signIn("ext")}
		for _, target := range []string{"/api/pages?ns=", "/api/changes?ns=", "/changes?ns=", "/search?q=facturation&ns="} {
			hidden, unknown := w.ask("GET", target+"marches"), w.ask("GET", target+"zzznulle")
			if hidden.Code != unknown.Code || strings.ReplaceAll(hidden.Body.String(), "marches", "zzznulle") != unknown.Body.String() {
				t.Errorf("%smarches: %d %s; unknown: %d %s", target, hidden.Code, hidden.Body, unknown.Code, unknown.Body)
			}
		}
	})
	for _, c := range []struct{ name, target string }{
		{"pages", "/api/pages"},
		{"search", "/api/search?q=facturation"},
		{"search in marches", "/api/search?q=facturation&ns=marches"},
	} {
		t.Run(c.name, func(t *testing.T) {
			all, mine := total(e.editor, c.target), total(ext, c.target)
			inMarches := total(e.editor, c.target+sep(c.target)+"ns=marches")
			if strings.Contains(c.target, "ns=marches") {
				inMarches = all
			}
			if inMarches == 0 || mine != all-inMarches {
				t.Errorf("ext counts %d, edith %d of which %d in marches", mine, all, inMarches)
			}
		})
	}
}

func sep(target string) string {
	if strings.Contains(target, "?") {
		return "&"
	}
	return "?"
}

// TestServer_PolicyWalk walks every route the server registers, with every
// method, as members kept out of "marches", and checks that no answer shows
// anything of it: answers to URLs naming a page there must be those of a
// page that never existed, and every other answer must hold none of its
// paths, titles or words.
func TestServer_PolicyWalk(t *testing.T) {
	t.Parallel() // its own server: it overlaps the package's other long tests
	for _, role := range []wiki.Role{wiki.RoleEditor, wiki.RoleAdmin} {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel() // each role walks a wiki of its own
			e := walkEnv(t)
			login := map[wiki.Role]string{wiki.RoleEditor: "ext", wiki.RoleAdmin: "extadm"}[role]
			w := &walker{t: t, e: e, login: login, token: e.user(context.Background(), login, role)}
			w.b = e.signIn(login)
			w.walk()
		})
	}
}

// walk asks every route the server registers, with every method, and
// checks each answer.
func (w *walker) walk() {
	w.t.Helper()
	e := w.e
	if len(e.srv.patterns) < 40 {
		w.t.Fatalf("only %d routes registered", len(e.srv.patterns))
	}
	w.found = 0
	for _, pattern := range e.srv.patterns {
		for _, target := range walkTargets(pattern) {
			for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
				w.check(m, target)
			}
		}
	}
	if w.found < 40 {
		w.t.Errorf("only %d answers showed content: the walk did not get far", w.found)
	}
	// Nothing the walk did touched the hidden pages.
	if h, err := e.svc.History(context.Background(), wiki.System(), wiki.MustPath(walkSecretPath), 0, 0); err != nil || len(h) != 2 {
		w.t.Errorf("the hidden page has %d revisions after the walk, want 2 (%v)", len(h), err)
	}
}

// walkTargets returns the URLs to ask for a route pattern: with a page out
// of "marches", in it, and a page that never existed in it.
func walkTargets(pattern string) []string {
	path := pattern
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		path = pattern[i+1:]
	}
	path = strings.ReplaceAll(path, "{$}", "")
	path = strings.ReplaceAll(path, "{hash}/{name}", "0123abcd/app.css")
	path = strings.ReplaceAll(path, "{id}", "0123456789abcdef")
	// edith wrote the hidden pages: her profile lists her contributions.
	path = strings.ReplaceAll(path, "{login}", "edith")
	switch {
	case path == "/" || path == "/api/":
		path += "nulle-part/" + walkSecretPath
	case strings.Contains(path, "{key}"):
		return []string{strings.ReplaceAll(path, "{key}", "usages"), strings.ReplaceAll(path, "{key}", "marches")}
	case !strings.Contains(path, "{path...}"):
		return []string{path, path + "?ns=marches&q=facturation", path + "?q=facturation&rev=1&from=1&to=2",
			path + "?q=ns%3Amarches+tags%3Azorgtag+facturation", path + "?q=fac"}
	}
	var out []string
	for _, p := range []string{"usages/plan-ouvert", walkSecretPath, "marches/zorglub-qqgone"} {
		out = append(out, strings.ReplaceAll(path, "{path...}", p)+"?rev=1&from=1&to=2")
		// The word and rendered diffs (the diff routes' other views).
		out = append(out, strings.ReplaceAll(path, "{path...}", p)+"?from=1&to=2&words=1&view=rendu")
	}
	return out
}

// walker asks as one member, through the API (token) or the HTML
// interface (session).
type walker struct {
	t     *testing.T
	e     *testEnv
	login string
	token string
	b     *browser
	found int // answers that showed the open pages' word: the walk saw content
}

// The bodies every request of the walk sends, encoded once: the walk
// sends thousands.
var (
	walkJSON = func() []byte {
		b, err := json.Marshal(map[string]any{"markdown": "# Ouvert\n\nfacturation", "summary": "s", "base_rev": 1, "rev": 1})
		if err != nil {
			panic(err)
		}
		return b
	}()
	walkForm = url.Values{"markdown": {"# Ouvert\n\nfacturation"}, "summary": {"s"}, "base_rev": {"1"}, "rev": {"1"},
		"title": {"Nouvelle"}, "ns": {"usages"}, "label": {"t"}, "lang": {"en"}}.Encode()
)

func (w *walker) ask(method, target string) *httptest.ResponseRecorder {
	var rec *httptest.ResponseRecorder
	if strings.HasPrefix(target, "/api/") {
		rec = w.e.do(method, target, w.token, walkJSON)
	} else {
		req := httptest.NewRequest(method, target, strings.NewReader(walkForm))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec = w.b.do(req)
		if w.b.cookies[sessionCookie] == "" { // the walk signed out: sign in again
			w.b = w.e.signIn(w.login)
		}
	}
	return rec
}

// check asks method target and, when the target names the hidden page,
// the same of a page that never existed.
func (w *walker) check(method, target string) {
	w.t.Helper()
	rec := w.ask(method, target)
	body := lower(rec.Body.String() + " " + rec.Header().Get("Location"))
	if rec.Code == http.StatusOK && strings.Contains(body, "facturation") {
		w.found++
	}
	if secret, slug := namesHidden(target); secret != "" {
		ctl := w.ask(method, strings.ReplaceAll(target, secret, walkControlPath))
		ctlBody := lower(ctl.Body.String() + " " + ctl.Header().Get("Location"))
		if rec.Code != ctl.Code || strings.ReplaceAll(body, slug, "X") != strings.ReplaceAll(ctlBody, "qqnone", "X") {
			w.t.Errorf("%s %s differs from a page that never existed: %d %q\nvs %d %q", method, target, rec.Code, clip(body), ctl.Code, clip(ctlBody))
		}
		return
	}
	lowTarget := lower(target)
	for _, s := range walkSecrets {
		if strings.Contains(lowTarget, s) {
			continue // what the member typed may come back
		}
		if strings.Contains(body, s) {
			w.t.Errorf("%s %s (%d) shows %q: %q", method, target, rec.Code, s, clip(body))
		}
	}
	if !strings.Contains(target, "marches") && strings.Contains(body, "marches") {
		w.t.Errorf("%s %s (%d) names the namespace: %q", method, target, rec.Code, clip(body))
	}
}

// lower is strings.ToLower, byte for byte, faster on text that is mostly
// ASCII: strings.ToLower maps every rune through a function call as soon
// as one is not ASCII, and the walk lowers thousands of pages of French.
func lower(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		// As strings.Map: an invalid byte becomes U+FFFD.
		r, n := utf8.DecodeRuneInString(s[i:])
		b = utf8.AppendRune(b, unicode.ToLower(r))
		i += n
	}
	return string(b)
}

// namesHidden returns the hidden page target names, if any, and the part
// of its name that tells it from the control page.
func namesHidden(target string) (path, slug string) {
	for _, p := range []string{walkSecretPath, "marches/zorglub-qqgone"} {
		if strings.Contains(target, p) {
			return p, p[len("marches/zorglub-"):]
		}
	}
	return "", ""
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}
