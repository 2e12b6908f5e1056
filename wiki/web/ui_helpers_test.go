package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // dates are shown in Europe/Paris wherever the tests run

	"github.com/PuerkitoBio/goquery"
)

// fakeClock is an injectable clock for the login limiter.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newUIEnv is a test wiki whose failed logins are not slowed down and whose
// limiter runs on clock.
func newUIEnv(t testing.TB) (*testEnv, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 11, 29, 13, 5, 0, 0, time.UTC)}
	return newTestEnvWith(t, envOptions{server: Options{LoginDelay: -1, Now: clock.Now}}), clock
}

// browser is a client of the HTML interface that keeps its cookies.
type browser struct {
	e       *testEnv
	cookies map[string]string
	header  http.Header // sent with every request
}

func (e *testEnv) browser() *browser {
	return &browser{e: e, cookies: map[string]string{}, header: http.Header{}}
}

// signIn returns a browser signed in as login (password of testEnv.user).
func (e *testEnv) signIn(login string) *browser {
	e.t.Helper()
	b := e.browser()
	rec := b.post("/login", url.Values{"login": {login}, "password": {"mot-de-passe-solide"}})
	wantStatusCode(e.t, rec, http.StatusSeeOther)
	if b.cookies[sessionCookie] == "" {
		e.t.Fatalf("no session cookie after signing in")
	}
	return b
}

func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	for k, v := range b.header {
		req.Header[k] = v
	}
	rec := serve(b.e.srv, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(b.cookies, ck.Name)
		} else {
			b.cookies[ck.Name] = ck.Value
		}
	}
	return rec
}

func (b *browser) get(target string) *httptest.ResponseRecorder {
	return b.do(httptest.NewRequest("GET", target, nil))
}

func (b *browser) post(target string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// page parses an HTML answer after checking its status and type.
func page(t testing.TB, rec *httptest.ResponseRecorder, status int) *goquery.Document {
	t.Helper()
	wantStatusCode(t, rec, status)
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("Content-Type = %q, want HTML", ct)
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// wantRedirect checks a redirect's status and target.
func wantRedirect(t testing.TB, rec *httptest.ResponseRecorder, status int, location string) {
	t.Helper()
	wantStatusCode(t, rec, status)
	if got := rec.Header().Get("Location"); got != location {
		t.Fatalf("Location = %q, want %q", got, location)
	}
}

// text returns the trimmed text of the first match of sel.
func text(doc *goquery.Document, sel string) string {
	return strings.TrimSpace(doc.Find(sel).First().Text())
}
