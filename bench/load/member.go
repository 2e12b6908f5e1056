package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"time"
)

// member is the one honest client: it reads pages (JSON and HTML) and
// saves edits while the attack runs, and its latencies are the measure.
type member struct {
	base, token string
	client      *http.Client // own connections, never queued behind the attackers'
	pages       []string
	texts       map[string]string // each page's seeded text
	tally       *tally
	pause       time.Duration // between rounds, as a person's clicks
}

// Kinds of member requests, in the report's order.
const (
	readAPI  = "read GET /api/pages"
	readHTML = "read GET /wiki/"
	save     = "save PUT /api/pages"
)

func newMember(base, token string, pages []string, timeout time.Duration) *member {
	jar, _ := cookiejar.New(nil)
	return &member{
		base: base, token: token, pages: pages,
		client: &http.Client{Timeout: timeout, Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 4},
			// The sign-in answers with a redirect to the home page: the
			// cookie is what matters, not where it leads.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		texts: map[string]string{}, tally: newTally(), pause: 50 * time.Millisecond,
	}
}

// signIn gets a session cookie for the HTML pages, as a browser would.
func (m *member) signIn(login, password string) error {
	resp, err := m.client.PostForm(m.base+"/login", url.Values{"login": {login}, "password": {password}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	u, _ := url.Parse(m.base)
	if resp.StatusCode != http.StatusSeeOther || len(m.client.Jar.Cookies(u)) == 0 {
		return fmt.Errorf("signing in as %s answered %s and no cookie", login, resp.Status)
	}
	return nil
}

// run loops over the pages until ctx ends; a round in flight finishes,
// so that the end of the attack never counts as a member's error.
func (m *member) run(ctx context.Context) {
	for i := 0; ctx.Err() == nil; i++ {
		m.round(m.pages[i%len(m.pages)], i)
		waitCtx(ctx, m.pause)
	}
}

// round reads a page both ways and saves an edit of it on the revision
// read.
func (m *member) round(path string, i int) {
	body, ok := m.do(readAPI, "GET", "/api/pages/"+path, nil, true)
	var page struct {
		Rev      int    `json:"rev"`
		Markdown string `json:"markdown"`
	}
	if ok && json.Unmarshal(body, &page) != nil {
		m.tally.add(readAPI+" (bad JSON)", "200", 0, true)
		ok = false
	}
	m.do(readHTML, "GET", "/wiki/"+path, nil, false)
	if !ok {
		return
	}
	if _, seen := m.texts[path]; !seen {
		m.texts[path] = page.Markdown
	}
	edit, _ := json.Marshal(map[string]any{
		"markdown": m.texts[path] + fmt.Sprintf("\nRelu par le membre, passage %d.\n", i),
		"summary":  "relecture", "base_rev": page.Rev,
	})
	m.do(save, "PUT", "/api/pages/"+path, edit, true)
}

// do sends one request, records it and returns the body of a 2xx answer.
func (m *member) do(kind, method, path string, body []byte, api bool) ([]byte, bool) {
	req, err := http.NewRequest(method, m.base+path, bytes.NewReader(body))
	if err != nil {
		panic(err) // the paths are ours
	}
	if api {
		req.Header.Set("Authorization", "Bearer "+m.token)
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := m.client.Do(req)
	var out []byte
	if err == nil {
		out, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	d := time.Since(start)
	code := 0
	if resp != nil {
		code = resp.StatusCode
	}
	ok := err == nil && code >= 200 && code < 300
	m.tally.add(kind, statusOf(code, err), d, !ok)
	return out, ok
}

// memberPages picks n ordinary seeded pages spread over the namespaces.
func memberPages(pages, n int) []string {
	out := make([]string, 0, n)
	for i := 0; i < pages && len(out) < n; i += max(1, pages/n) {
		out = append(out, pagePath(i))
	}
	return out
}
