package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestServer_PageHeldOnce checks that reading a page every way (JSON as
// two users, HTML in two languages) leaves its Markdown and HTML in the
// cache budget once, in the rendered page: the JSON answers are encoded
// per request, and the articles cached per language hold what surrounds
// the content, not the content.
func TestServer_PageHeldOnce(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{cacheBytes: 1 << 20})
	const path = "club/reunion"
	para := "Du texte en français, « entre guillemets », assez long pour peser. "
	md := "# Réunion\n\n" + strings.Repeat(para, 200)
	e.save(path, md, 0, http.StatusCreated)
	b := e.signIn("edith")
	var answer *httptest.ResponseRecorder
	for _, tok := range []string{e.editor, e.reader} {
		answer = e.do("GET", "/api/pages/"+path, tok, nil)
		wantStatusCode(t, answer, http.StatusOK)
	}
	for _, lang := range []string{"fr", "en"} {
		b.cookies[langCookie] = lang
		rec := b.get("/wiki/" + path)
		wantStatusCode(t, rec, http.StatusOK)
		if n := strings.Count(rec.Body.String(), "entre guillemets"); n != 200 {
			t.Errorf("the %s view shows the paragraph %d times, want 200", lang, n)
		}
		if strings.Contains(rec.Body.String(), string(contentMarker)) {
			t.Errorf("the %s view shows the content's marker", lang)
		}
	}
	entries, used := e.svc.CacheBudget().Len()
	if entries != 4 {
		t.Errorf("the budget holds %d entries, want 4: the rendered page, an article per language, the answer's escape plan", entries)
	}
	// The JSON answer is the Markdown and the HTML: held once, the page
	// weighs about that, plus two articles without their content and
	// the places of the answer's few escapes.
	if extra := used - answer.Body.Len(); extra > 8<<10 {
		t.Errorf("the budget holds %d bytes for a page whose answer is %d bytes (%d more)", used, answer.Body.Len(), extra)
	}
}

func TestBodyCache_Put(t *testing.T) {
	t.Parallel()
	t.Run("bounded by the budget", func(t *testing.T) {
		c := newBodyCache[[]byte](8000)
		for i := range 100 {
			c.put(fmt.Sprintf("club/p%d", i), 1, `"1-0"`, make([]byte, 900))
		}
		n, used := c.len()
		if used > 8000 || n != 8 {
			t.Errorf("%d entries, %d bytes; want 8 within 8000", n, used)
		}
		if c.get("club/p0", 1, `"1-0"`) != nil {
			t.Errorf("the oldest entry survived")
		}
		if c.get("club/p99", 1, `"1-0"`) == nil {
			t.Errorf("the newest entry is gone")
		}
	})
	t.Run("least recently used goes first", func(t *testing.T) {
		c := newBodyCache[[]byte](8000)
		for i := range 8 {
			c.put(fmt.Sprintf("club/p%d", i), 1, "e", make([]byte, 1000))
		}
		c.get("club/p0", 1, "e")
		c.put("club/neuf", 1, "e", make([]byte, 1000)) // over budget: drops p1
		if c.get("club/p0", 1, "e") == nil || c.get("club/p1", 1, "e") != nil || c.get("club/neuf", 1, "e") == nil {
			t.Errorf("wrong entry evicted")
		}
	})
	t.Run("new ETag replaces in place", func(t *testing.T) {
		c := newBodyCache[[]byte](1 << 20)
		c.put("club/a", 2, `"2-1"`, []byte("ancien"))
		c.put("club/a", 2, `"2-2"`, []byte("nouveau!"))
		if c.get("club/a", 2, `"2-1"`) != nil {
			t.Errorf("stale ETag answered")
		}
		if got := c.get("club/a", 2, `"2-2"`); !bytes.Equal(got, []byte("nouveau!")) {
			t.Errorf("got %q", got)
		}
		if n, used := c.len(); n != 1 || used != len("nouveau!") {
			t.Errorf("%d entries, %d bytes", n, used)
		}
	})
	t.Run("huge bodies are not kept", func(t *testing.T) {
		c := newBodyCache[[]byte](8000)
		c.put("club/enorme", 1, "e", make([]byte, 1001))
		if n, _ := c.len(); n != 0 {
			t.Errorf("kept a body over an eighth of the budget")
		}
	})
}

func TestServer_PageCacheBounded(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{cacheBytes: 16 << 10})
	b := e.signIn("edith")
	for i := range 20 {
		path := fmt.Sprintf("club/page-%d", i)
		e.save(path, fmt.Sprintf("# Page %d\n\n%s\n", i, bytes.Repeat([]byte("du texte en français "), 40)), 0, 201)
		wantStatusCode(t, e.do("GET", "/api/pages/"+path, e.reader, nil), 200)
		wantStatusCode(t, b.get("/wiki/"+path), 200)
	}
	if _, used := e.svc.CacheBudget().Len(); used > 16<<10 {
		t.Errorf("the caches hold %d bytes, budget %d", used, 16<<10)
	}
}
