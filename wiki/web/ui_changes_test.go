package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kdecole-club/clubwiki/wiki"
)

// prefsCounter counts the writes of preferences.
type prefsCounter struct {
	wiki.Store
	puts atomic.Int32
}

func (s *prefsCounter) PutPrefs(ctx context.Context, login string, p wiki.Prefs) error {
	s.puts.Add(1)
	return s.Store.PutPrefs(ctx, login, p)
}

// changesEnv is a wiki with four changes today: edith creates usages/a
// (5 bytes), bea makes a minor edit to it (+5), edith imports
// assistance/b, bea creates club/c (the newest). Its UI clock starts at
// the real time, the store's.
func changesEnv(t *testing.T) (*testEnv, *fakeClock, *prefsCounter) {
	clock := &fakeClock{t: time.Now()}
	counter := &prefsCounter{}
	e := newTestEnvWith(t, envOptions{
		server:    Options{LoginDelay: -1, Now: clock.Now},
		wrapStore: func(s wiki.Store) wiki.Store { counter.Store = s; return counter },
	})
	ctx := context.Background()
	bea := newNamedUser(t, e, "bea", "Béatrice Roux")
	e.save("usages/a", "12345", 0, http.StatusCreated)
	rec := e.do("PUT", "/api/pages/usages/a", bea, map[string]any{"markdown": "1234567890", "base_rev": 1, "minor": true, "summary": "coquille"})
	wantStatusCode(t, rec, http.StatusOK)
	edith, _ := e.store.User(ctx, "edith")
	if _, err := e.svc.Import(ctx, &edith, []wiki.ImportFile{{Name: "b.md", Path: "assistance/b", Markdown: []byte("importé")}}); err != nil {
		t.Fatal(err)
	}
	rec = e.do("PUT", "/api/pages/club/c", bea, map[string]any{"markdown": "ccc", "base_rev": 0})
	wantStatusCode(t, rec, http.StatusCreated)
	return e, clock, counter
}

func newNamedUser(t *testing.T, e *testEnv, login, name string) string {
	t.Helper()
	return newNamedUserB(t, e, login, name)
}

// newNamedUserB creates an editor with a display name and returns a token.
func newNamedUserB(t testing.TB, e *testEnv, login, name string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := e.svc.CreateUser(ctx, wiki.NewUser{Login: login, Name: name, Role: wiki.RoleEditor, Password: "mot-de-passe-solide"}); err != nil {
		t.Fatal(err)
	}
	tok, _, err := e.svc.CreateToken(ctx, wiki.System(), login, "tests")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// changeLines returns the paths of the lines of recent changes, in order.
func changeLines(doc *goquery.Document) []string {
	var out []string
	doc.Find("ol.changes li").Each(func(_ int, li *goquery.Selection) {
		out = append(out, strings.TrimPrefix(li.Find("a").First().AttrOr("href", ""), "/wiki/"))
	})
	return out
}

func TestUI_ChangesLines(t *testing.T) {
	t.Parallel()
	e, _, _ := changesEnv(t)
	doc := page(t, e.signIn("bea").get("/changes"), http.StatusOK)
	if got := changeLines(doc); !slices.Equal(got, []string{"club/c", "assistance/b", "usages/a", "usages/a"}) {
		t.Fatalf("lines = %v", got)
	}
	if n, h := doc.Find("section.day").Length(), text(doc, "section.day h2"); n != 1 || h != "Aujourd'hui" {
		t.Fatalf("%d days, first %q", n, h)
	}
	minor := doc.Find("ol.changes li").Eq(2)
	for sel, want := range map[string]string{
		".axis": "Usages et pratiques pédagogiques", ".author": "Béatrice Roux", ".delta": "(+5)", "q": "coquille",
	} {
		if got := strings.TrimSpace(minor.Find(sel).Text()); got != want {
			t.Errorf("minor edit %s = %q, want %q", sel, got, want)
		}
	}
	created := doc.Find("ol.changes li").Eq(3)
	if a, d := strings.TrimSpace(created.Find(".author").Text()), created.Find(".delta").Text(); a != "edith" || d != "(+5)" {
		t.Errorf("creation: author %q (a login without a name), delta %q", a, d)
	}
}

func TestUI_ChangesFilters(t *testing.T) {
	t.Parallel()
	e, _, counter := changesEnv(t)
	b := e.signIn("bea")
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"hide minor", url.Values{"minor": {"0"}}, []string{"club/c", "assistance/b", "usages/a"}},
		{"hide imports", url.Values{"imports": {"0"}}, []string{"club/c", "usages/a", "usages/a"}},
		{"hide mine", url.Values{"mine": {"0"}}, []string{"assistance/b", "usages/a"}},
		{"all three", url.Values{"minor": {"0"}, "imports": {"0"}, "mine": {"0"}}, []string{"usages/a"}},
		{"none", url.Values{}, []string{"club/c", "assistance/b", "usages/a", "usages/a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRedirect(t, b.post("/changes/filters", tc.form), http.StatusSeeOther, "/changes")
			if got := changeLines(page(t, b.get("/changes"), http.StatusOK)); !slices.Equal(got, tc.want) {
				t.Fatalf("lines = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("unreviewed", func(t *testing.T) {
		wantStatusCode(t, e.do("POST", "/api/review/club/c", e.editor, map[string]any{"rev": 1}), http.StatusOK)
		wantRedirect(t, b.post("/changes/filters", url.Values{"unreviewed": {"1"}, "ns": {"club"}}), http.StatusSeeOther, "/changes?ns=club")
		doc := page(t, b.get("/changes"), http.StatusOK)
		if got := changeLines(doc); !slices.Equal(got, []string{"assistance/b", "usages/a", "usages/a"}) {
			t.Fatalf("lines = %v", got)
		}
	})
	t.Run("remembered across sign-ins", func(t *testing.T) {
		doc := page(t, e.signIn("bea").get("/changes"), http.StatusOK)
		if !doc.Find(`input[name=unreviewed]`).Is("[checked]") || doc.Find(`input[name=minor]`).Is("[checked]") {
			t.Fatal("the saved filters are not shown checked")
		}
		if got := changeLines(doc); len(got) != 3 {
			t.Fatalf("lines = %v", got)
		}
		other := page(t, e.signIn("edith").get("/changes"), http.StatusOK)
		if got := changeLines(other); len(got) != 4 {
			t.Fatalf("another member's filters applied: %v", got)
		}
	})
	t.Run("a write only when they change", func(t *testing.T) {
		before := counter.puts.Load()
		for range 3 {
			page(t, b.get("/changes"), http.StatusOK)
		}
		b.post("/changes/filters", url.Values{"unreviewed": {"1"}})
		if got := counter.puts.Load(); got != before {
			t.Fatalf("%d writes for views and an unchanged save", got-before)
		}
	})
	t.Run("the query overrides for one view", func(t *testing.T) {
		if got := changeLines(page(t, b.get("/changes?minor=0"), http.StatusOK)); len(got) != 3 || got[0] != "club/c" {
			t.Fatalf("lines = %v", got)
		}
		wantStatusCode(t, b.get("/changes?minor=peut-etre"), http.StatusBadRequest)
	})
}

func TestUI_ChangesDays(t *testing.T) {
	t.Parallel()
	e, clock, _ := changesEnv(t)
	b := e.signIn("bea")
	clock.Add(24 * time.Hour)
	if h := text(page(t, b.get("/changes"), http.StatusOK), "section.day h2"); h != "Hier" {
		t.Fatalf("a day later: %q", h)
	}
	clock.Add(48 * time.Hour)
	if h := text(page(t, b.get("/changes"), http.StatusOK), "section.day h2"); h == "Hier" || h == "Aujourd'hui" || !strings.Contains(h, " 20") {
		t.Fatalf("three days later: %q", h)
	}
}

func TestCatalog_DayLabel(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data")
	}
	e, _ := newUIEnv(t)
	fr := e.srv.ui.cats["fr"]
	en := e.srv.ui.cats["en"]
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, paris)
	for _, tc := range []struct {
		name   string
		t      time.Time
		fr, en string
	}{
		{"this morning", time.Date(2026, 11, 30, 0, 10, 0, 0, paris), "Aujourd'hui", "Today"},
		{"late yesterday in UTC, today in Paris", time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC), "Aujourd'hui", "Today"},
		{"yesterday", time.Date(2026, 11, 29, 12, 0, 0, 0, paris), "Hier", "Yesterday"},
		{"before", time.Date(2026, 11, 28, 23, 59, 0, 0, paris), "28 novembre 2026", "November 28, 2026"},
		{"across the DST change", time.Date(2026, 3, 29, 1, 0, 0, 0, paris), "29 mars 2026", "March 29, 2026"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fr.dayLabel(tc.t, now); got != tc.fr {
				t.Errorf("fr = %q, want %q", got, tc.fr)
			}
			if got := en.dayLabel(tc.t, now); got != tc.en {
				t.Errorf("en = %q", got)
			}
		})
	}
}

func TestAPI_ChangesFilters(t *testing.T) {
	t.Parallel()
	e, _, _ := changesEnv(t)
	paths := func(target string) []string {
		var out []string
		for _, c := range decode[changeSeqsT](t, e.do("GET", target, e.editor, nil)).Changes {
			out = append(out, c.Path)
		}
		return out
	}
	for target, want := range map[string][]string{
		"/api/changes":                             {"club/c", "assistance/b", "usages/a", "usages/a"},
		"/api/changes?minor=0":                     {"club/c", "assistance/b", "usages/a"},
		"/api/changes?imports=0":                   {"club/c", "usages/a", "usages/a"},
		"/api/changes?mine=0":                      {"club/c", "usages/a"},
		"/api/changes?minor=1&imports=1&mine=1":    {"club/c", "assistance/b", "usages/a", "usages/a"},
		"/api/changes?unreviewed=1&mine=0&limit=1": {"club/c"},
	} {
		if got := paths(target); !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", target, got, want)
		}
	}
}

func TestUI_ChangesMore(t *testing.T) {
	t.Parallel()
	e, _, _ := changesEnv(t)
	edith, _ := e.store.User(context.Background(), "edith")
	var files []wiki.ImportFile
	for i := range 60 {
		files = append(files, wiki.ImportFile{Name: "f.md", Path: "usages/import-" + strconv.Itoa(i), Markdown: []byte("texte")})
	}
	if _, err := e.svc.Import(context.Background(), &edith, files); err != nil {
		t.Fatal(err)
	}
	doc := page(t, e.signIn("bea").get("/changes?unreviewed=1"), http.StatusOK)
	if got := doc.Find("a.more").AttrOr("href", ""); got != "/changes?ns=&limit=100&unreviewed=1" {
		t.Fatalf("more = %q", got)
	}
	if n := len(changeLines(doc)); n != 50 {
		t.Fatalf("%d lines", n)
	}
}
