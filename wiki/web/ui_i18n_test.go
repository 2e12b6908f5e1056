package web

import (
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/wiki"
)

// TestCatalogs_Complete checks that both catalogues have the same keys and
// that every key the templates and handlers use exists.
func TestCatalogs_Complete(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs(assets.I18n(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	fr, en := cats["fr"].msgs, cats["en"].msgs
	for k := range fr {
		if _, ok := en[k]; !ok {
			t.Errorf("key %q in fr.json, not in en.json", k)
		}
	}
	for k := range en {
		if _, ok := fr[k]; !ok {
			t.Errorf("key %q in en.json, not in fr.json", k)
		}
	}
	for _, k := range usedKeys(t) {
		if _, ok := fr[k]; !ok {
			t.Errorf("key %q is used but not in the catalogues", k)
		}
	}
}

// TestCatalogs_Reasons checks that every reason the wiki gives has its
// wording in both languages, taking the arguments the wiki passes.
func TestCatalogs_Reasons(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs(assets.I18n(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(wiki.Reasons) == 0 {
		t.Fatal("no reasons listed")
	}
	for _, r := range wiki.Reasons {
		for _, lang := range []string{"fr", "en"} {
			msg, ok := cats[lang].msgs["reason."+string(r)]
			if !ok || msg == "" {
				t.Errorf("reason %q has no %s text", r, lang)
			}
		}
	}
}

// TestCatalogs_NoUnusedKey keeps the catalogues free of text that nothing
// shows: a key must be in a template, a handler's string literal (handlers
// keep some keys in variables and tables) or built from codes and names.
func TestCatalogs_NoUnusedKey(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs(assets.I18n(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, k := range usedKeys(t) {
		used[k] = true
	}
	for i := 1; i <= 12; i++ {
		used["date.month."+strconv.Itoa(i)] = true
	}
	quoted := regexp.MustCompile(`"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"`)
	for _, src := range handlerSources(t) {
		for _, m := range quoted.FindAllStringSubmatch(src, -1) {
			used[m[1]] = true
		}
	}
	for k := range cats["fr"].msgs {
		if !used[k] {
			t.Errorf("key %q is in the catalogues but nothing uses it", k)
		}
	}
}

// usedKeys lists the keys in the templates' T calls, in the handlers' T
// calls with a literal key, and those built from codes and names.
func usedKeys(t *testing.T) []string {
	lit := regexp.MustCompile(`(?:\bT|\bbyWho \S+) "([a-z0-9_.]+)"`)
	goLit := regexp.MustCompile(`\.T\("([a-z0-9_.]+)"[,)]`)
	seen := map[string]bool{}
	for _, src := range templateSources(t) {
		for _, m := range lit.FindAllStringSubmatch(src, -1) {
			seen[m[1]] = true
		}
	}
	for _, src := range handlerSources(t) {
		for _, m := range goLit.FindAllStringSubmatch(src, -1) {
			seen[m[1]] = true
		}
	}
	for code := range statusOf {
		seen["error."+string(code)] = true
	}
	for _, code := range []wiki.Code{wiki.EInvalid, wiki.ETooLarge} {
		seen["edit.error."+string(code)] = true
	}
	for m := range flashes {
		seen["flash."+m] = true
	}
	for _, k := range []wiki.ChangeKind{wiki.KindCreate, wiki.KindEdit, wiki.KindDelete, wiki.KindRevert, wiki.KindMove} {
		seen["kind."+string(k)] = true
	}
	for _, r := range []wiki.Role{wiki.RoleReader, wiki.RoleEditor, wiki.RoleAdmin} {
		seen["role."+string(r)] = true
	}
	for _, r := range wiki.Reasons {
		seen["reason."+string(r)] = true
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) < 100 {
		t.Fatalf("only %d keys found: the scan is broken", len(keys))
	}
	return keys
}

func TestCatalog_Date(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	cats, err := loadCatalogs(assets.I18n(), paris)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 29, 13, 5, 0, 0, time.UTC)
	if got := cats["fr"].Date(at); got != "29 novembre 2026 à 14:05" {
		t.Errorf("fr: %q", got)
	}
	if got := cats["en"].Date(at); got != "29 November 2026, 14:05" {
		t.Errorf("en: %q", got)
	}
}

func TestServer_Language(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.browser()
	if got := page(t, b.get("/login"), http.StatusOK).Find("html").AttrOr("lang", ""); got != "fr" {
		t.Errorf("default lang = %q", got)
	}
	b.header.Set("Accept-Language", "en-GB,en;q=0.9")
	doc := page(t, b.get("/login"), http.StatusOK)
	if got := doc.Find("html").AttrOr("lang", ""); got != "en" || text(doc, "h1") != "Sign in" {
		t.Errorf("Accept-Language en: lang %q, h1 %q", got, text(doc, "h1"))
	}
	wantRedirect(t, b.post("/lang", url.Values{"lang": {"fr"}, "next": {"/login"}}), http.StatusSeeOther, "/login")
	if got := text(page(t, b.get("/login"), http.StatusOK), "h1"); got != "Connexion" {
		t.Errorf("after choosing fr: %q", got)
	}
	page(t, b.post("/lang", url.Values{"lang": {"de"}}), http.StatusBadRequest)
}

func TestServer_Static(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	doc := page(t, e.browser().get("/login"), http.StatusOK)
	css := doc.Find("link[rel=stylesheet]").AttrOr("href", "")
	js := doc.Find("script[src]").AttrOr("src", "")
	for _, u := range []string{css, js} {
		if !regexp.MustCompile(`^/static/[0-9a-f]{12}/app\.(css|js)$`).MatchString(u) {
			t.Fatalf("asset URL %q has no hash", u)
		}
		rec := e.browser().get(u)
		wantStatusCode(t, rec, http.StatusOK)
		if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("Cache-Control = %q", got)
		}
	}
	wantStatusCode(t, e.browser().get("/static/000000000000/app.css"), http.StatusNotFound)
}

// TestTemplates_NoInlineScriptOrStyle keeps the CSP honest.
func TestTemplates_NoInlineScriptOrStyle(t *testing.T) {
	t.Parallel()
	bad := regexp.MustCompile(`<script>|<style|\sstyle=|\son[a-z]+=`)
	for name, src := range templateSources(t) {
		if m := bad.FindString(src); m != "" {
			t.Errorf("%s: inline %q", name, m)
		}
	}
}

// templateSources returns the text of every embedded template by file name.
func templateSources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(assets.Templates(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.Templates(), name)
		out[name] = string(b)
		return err
	})
	if err != nil || len(out) < 10 {
		t.Fatalf("%d templates read: %v", len(out), err)
	}
	return out
}

// handlerSources returns the text of the UI handlers' Go files (ui*.go
// without the tests), where literal catalogue keys live.
func handlerSources(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("ui*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = string(b)
	}
	if len(out) < 5 {
		t.Fatalf("only %d handler files read", len(out))
	}
	return out
}

func TestDecodeCatalog(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"flat object", `{"a": "x", "b": "y"}`, true},
		{"empty", `{}`, true},
		{"key twice", `{"a": "x", "b": "y", "a": "z"}`, false},
		{"not a string", `{"a": 1}`, false},
		{"not an object", `["a"]`, false},
		{"unclosed", `{"a": "x"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := decodeCatalog([]byte(tc.in))
			if (err == nil) != tc.ok {
				t.Fatalf("decodeCatalog(%s) = %v, %v", tc.in, m, err)
			}
			if tc.ok && tc.in != "{}" && m["a"] != "x" {
				t.Errorf("a = %q", m["a"])
			}
		})
	}
}
