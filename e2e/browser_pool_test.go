package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser_TabReset checks that a tab given back to the pool comes out
// as a new one: no cookie, no stored data and the default
// viewport, even for the same origin (a later test server may get the
// same port).
func TestBrowser_TabReset(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>p</title><p>page</p>`))
	}))
	t.Cleanup(ts.Close)
	shared, err := sharedBrowser(chromium(t))
	if err != nil {
		t.Fatal(err)
	}
	tb := &tab{}
	tb.ctx, tb.close = chromedp.NewContext(shared, chromedp.WithNewBrowserContext())
	t.Cleanup(tb.close)
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	t.Cleanup(cancel)
	step(t, ctx, "a page with state", chromedp.Navigate(ts.URL+"/a"), chromedp.EmulateViewport(360, 740))
	if got := evalString(t, ctx, `document.cookie = "lang=en; path=/"; localStorage.setItem("k", "v");
		sessionStorage.setItem("k", "v"); document.cookie + " " + localStorage.length + " " + innerWidth`); got != "lang=en 1 360" {
		t.Fatalf("state set = %q", got)
	}
	// A page asks before it is left once someone has acted on it.
	evalString(t, ctx, `addEventListener("beforeunload", e => { e.preventDefault(); e.returnValue = ""; }); ""`)
	step(t, ctx, "a click", chromedp.Click(chromedp.CSS("p")))
	if err := tb.reset(); err != nil {
		t.Fatalf("reset: %v", err)
	}
	step(t, ctx, "the same origin again", chromedp.Navigate(ts.URL+"/b"))
	if got := evalString(t, ctx, `JSON.stringify([document.cookie, localStorage.length, sessionStorage.length, innerWidth])`); got != `["",0,0,1280]` {
		t.Errorf("after reset: [cookie, localStorage, sessionStorage, width] = %s", got)
	}
}
