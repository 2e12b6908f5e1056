package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/kdecole-club/clubwiki/wiki"
)

// diffPaths returns the page of each entry of a feed, from its diff link.
func diffPaths(t *testing.T, f *gofeed.Feed) []string {
	t.Helper()
	var out []string
	for _, it := range f.Items {
		u, err := url.Parse(it.Link)
		if err != nil || !strings.HasPrefix(u.Path, "/diff/") {
			t.Fatalf("entry link %q", it.Link)
		}
		out = append(out, strings.TrimPrefix(u.Path, "/diff/"))
	}
	return out
}

// TestFeeds_Watchlist: the watchlist's feed holds the changes to what its
// reader watches and may read now, with the other feeds' entries, keys and
// validators.
func TestFeeds_Watchlist(t *testing.T) {
	t.Parallel()
	var hide atomic.Bool
	rule := func(actor *wiki.User, ns string) bool {
		return !(hide.Load() && actor.Login == "ext" && ns == "marches")
	}
	e := newTestEnvWith(t, envOptions{readRule: rule, server: Options{LoginDelay: -1}})
	e.save("usages/suivie", "# Page suivie\n\nUn.\n", 0, http.StatusCreated)
	e.save("usages/autre", "# Autre page\n\nUn.\n", 0, http.StatusCreated)
	e.save(walkSecretPath, "# Facturation Zorglub\n\nQuetzalcoatl.\n", 0, http.StatusCreated)
	ext := e.user(context.Background(), "ext", wiki.RoleEditor)
	b := e.signIn("ext")
	key := feedKeyOf(t, b)
	// Before marches is closed to ext, they watch a page there, the whole
	// namespace, and a page elsewhere.
	for _, target := range []string{"usages/suivie", walkSecretPath, "marches"} {
		wantStatusCode(t, e.do("PUT", "/api/watch/"+target, ext, nil), http.StatusOK)
	}
	e.save("usages/suivie", "# Page suivie\n\nDeux, <b>gras</b>.\n", 1, http.StatusOK)
	e.save("usages/autre", "# Autre page\n\nDeux.\n", 1, http.StatusOK)
	e.save(walkSecretPath, "# Facturation Zorglub\n\nQuetzalcoatl deux fois.\n", 1, http.StatusOK)
	secret := func(body string) bool {
		return strings.Contains(body, "marches") || strings.Contains(strings.ToLower(body), "zorglub")
	}
	var etag string
	t.Run("the watched pages' changes only", func(t *testing.T) {
		f, rec := getFeed(t, e, "/feeds/watchlist.atom", ext)
		got := strings.Join(diffPaths(t, f), " ")
		want := walkSecretPath + " usages/suivie " + walkSecretPath + " usages/suivie"
		if got != want {
			t.Fatalf("entries %s, want %s", got, want)
		}
		if !strings.Contains(f.Title, "Ma liste de suivi") || !strings.HasSuffix(f.Link, "/watchlist") {
			t.Errorf("feed title %q link %q", f.Title, f.Link)
		}
		it := f.Items[1]
		if it.Title != "Page suivie" || it.Author == nil || it.Author.Name != "edith" ||
			!strings.Contains(it.Content, "<ins>") || !strings.Contains(it.Content, "&lt;b&gt;gras") {
			t.Errorf("entry %+v: %s", it, it.Content)
		}
		etag = rec.Header().Get("ETag")
	})
	t.Run("a feed key works", func(t *testing.T) {
		f, _ := getFeed(t, e, "/feeds/watchlist.atom?key="+url.QueryEscape(key), "")
		if len(f.Items) != 4 {
			t.Errorf("with the key: %d entries", len(f.Items))
		}
		f, _ = getFeed(t, e, "/feeds/watchlist.atom?limit=1", ext)
		if len(f.Items) != 1 || diffPaths(t, f)[0] != walkSecretPath {
			t.Errorf("limit=1: %v", diffPaths(t, f))
		}
	})
	t.Run("unauthenticated or bad limit", func(t *testing.T) {
		wantError(t, e.do("GET", "/feeds/watchlist.atom", "", nil), http.StatusUnauthorized, "unauthenticated")
		wantError(t, e.do("GET", "/feeds/watchlist.atom?key=cwf_nope", "", nil), http.StatusUnauthorized, "unauthenticated")
		wantError(t, e.do("GET", "/feeds/watchlist.atom?limit=201", ext, nil), http.StatusBadRequest, "bad_request")
	})
	t.Run("what was watched in a closed namespace is gone", func(t *testing.T) {
		hide.Store(true)
		for _, target := range []string{"/feeds/watchlist.atom", "/feeds/watchlist.atom?key=" + url.QueryEscape(key)} {
			token := ext
			if strings.Contains(target, "key=") {
				token = ""
			}
			f, rec := getFeed(t, e, target, token)
			if got := strings.Join(diffPaths(t, f), " "); got != "usages/suivie usages/suivie" || secret(rec.Body.String()) {
				t.Errorf("%s: entries %s: %s", target, got, clip(rec.Body.String()))
			}
		}
		req := httptest.NewRequest("GET", "/feeds/watchlist.atom", nil)
		req.Header.Set("Authorization", "Bearer "+ext)
		req.Header.Set("If-None-Match", etag)
		if rec := serve(e.srv, req); rec.Code != http.StatusOK || secret(rec.Body.String()) {
			t.Errorf("conditional after marches closed: %d %s", rec.Code, clip(rec.Body.String()))
		}
	})
	t.Run("unwatching changes the feed", func(t *testing.T) {
		_, rec := getFeed(t, e, "/feeds/watchlist.atom", ext)
		tag := rec.Header().Get("ETag")
		req := httptest.NewRequest("GET", "/feeds/watchlist.atom", nil)
		req.Header.Set("Authorization", "Bearer "+ext)
		req.Header.Set("If-None-Match", tag)
		if rec := serve(e.srv, req); rec.Code != http.StatusNotModified {
			t.Fatalf("unchanged: %d", rec.Code)
		}
		wantStatusCode(t, e.do("DELETE", "/api/watch/usages/suivie", ext, nil), http.StatusOK)
		if rec := serve(e.srv, req); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "<entry>") {
			t.Errorf("after unwatching: %d %s", rec.Code, clip(rec.Body.String()))
		}
	})
	t.Run("linked from the watchlist page", func(t *testing.T) {
		body := b.get("/watchlist").Body.String()
		if !strings.Contains(body, `<link rel="alternate" type="application/atom+xml" title="Ma liste de suivi (Atom)" href="/feeds/watchlist.atom">`) {
			t.Errorf("no feed link in the head: %s", clip(body))
		}
		if strings.Contains(b.get("/changes").Body.String(), "/feeds/watchlist.atom") {
			t.Errorf("the changes page links the watchlist's feed")
		}
	})
}
