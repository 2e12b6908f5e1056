package web

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/search"
	"github.com/kdecole-club/clubwiki/wiki"
)

// heldIndex is a real index whose searches wait, once entered, until the
// test releases them: the tests take every search slot with it, without
// depending on timing.
type heldIndex struct {
	wiki.SearchIndex
	entered chan struct{}
	release chan struct{}
}

func (h *heldIndex) Search(ctx context.Context, q wiki.SearchQuery) (wiki.SearchResult, error) {
	h.entered <- struct{}{}
	select {
	case <-h.release:
	case <-ctx.Done():
		return wiki.SearchResult{}, ctx.Err()
	}
	return h.SearchIndex.Search(ctx, q)
}

// holdSearches gives e an index with one search slot and no time to wait
// for it, takes that slot, and returns the release.
func holdSearches(t *testing.T, e *testEnv) (release func()) {
	t.Helper()
	idx, _, err := search.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	h := &heldIndex{SearchIndex: idx, entered: make(chan struct{}, 4), release: make(chan struct{})}
	e.svc.SetSearchLimited(h, wiki.SearchLimits{Running: 1, Waiting: 1, Wait: 10 * time.Millisecond})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = e.svc.Search(context.Background(), wiki.System(), wiki.SearchParams{Q: "tenue"})
	}()
	<-h.entered
	var once bool
	release = func() {
		if !once {
			once = true
			close(h.release)
			<-done
		}
	}
	t.Cleanup(release)
	return release
}

func wantRetryAfter(t *testing.T, h http.Header) {
	t.Helper()
	if n, err := strconv.Atoi(h.Get("Retry-After")); err != nil || n < 1 {
		t.Errorf("Retry-After = %q, want a number of seconds", h.Get("Retry-After"))
	}
}

func TestServer_SearchBusy(t *testing.T) {
	t.Parallel()
	t.Run("api", func(t *testing.T) {
		e := newTestEnv(t)
		release := holdSearches(t, e)
		rec := e.do("GET", "/api/search?q=connexion&limit=500", e.reader, nil)
		wantError(t, rec, http.StatusServiceUnavailable, string(wiki.EUnavailable))
		wantRetryAfter(t, rec.Header())
		release()
		wantStatusCode(t, e.do("GET", "/api/search?q=connexion", e.reader, nil), http.StatusOK)
	})
	t.Run("ui keeps the query", func(t *testing.T) {
		e, _ := newUIEnv(t)
		holdSearches(t, e)
		b := e.signIn("remi")
		rec := b.get("/search?q=connexion+pro*")
		doc := page(t, rec, http.StatusServiceUnavailable)
		wantRetryAfter(t, rec.Header())
		if v, _ := doc.Find("#search-q").Attr("value"); v != "connexion pro*" {
			t.Errorf("the search box holds %q, want the query typed", v)
		}
		if msg := text(doc, "[role=alert]"); !strings.Contains(msg, "Trop de recherches") {
			t.Errorf("the page says %q, want that too many searches are running", msg)
		}
	})
}

// tooComplex is one word that analyses into hundreds of tokens.
func tooComplex() string {
	var sb strings.Builder
	for i := range 330 {
		sb.WriteString(string([]byte{byte('a' + i/26), byte('a' + i%26), ','}))
	}
	return sb.String()
}

func TestServer_SearchTooComplex(t *testing.T) {
	t.Parallel()
	t.Run("api", func(t *testing.T) {
		e := newTestEnv(t)
		withSearch(t, e)()
		rec := e.do("GET", "/api/search?q="+url.QueryEscape(tooComplex()), e.reader, nil)
		wantError(t, rec, http.StatusBadRequest, string(wiki.EInvalid))
	})
	t.Run("ui keeps the query", func(t *testing.T) {
		e, sync := searchUIEnv(t)
		sync()
		q := tooComplex() // within the box's 1,000 characters
		doc := page(t, e.signIn("remi").get("/search?q="+url.QueryEscape(q)), http.StatusBadRequest)
		if v, _ := doc.Find("#search-q").Attr("value"); v != q {
			t.Errorf("the search box holds %q, want the query typed", v)
		}
		if msg := text(doc, "[role=alert]"); !strings.Contains(msg, "trop complexe") {
			t.Errorf("the page says %q, want that the search is too complex", msg)
		}
	})
}
