package e2e

// The JSON API client of the tests and the shapes of the answers they read.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// client talks to a server's JSON API as one token holder.
type client struct {
	base  string
	token string
	http  *http.Client
}

func (s *server) client(token string) *client {
	return &client{base: s.url, token: token, http: &http.Client{Timeout: 30 * time.Second}}
}

// pageURL percent-encodes each segment of a page path.
func pageURL(prefix, path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return prefix + strings.Join(segs, "/")
}

// do sends a request with an optional JSON body and returns the status and
// the body. Transport errors are returned, not fatal: the crash test expects
// them.
func (c *client) do(ctx context.Context, method, target string, body any) (int, []byte, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case rawBody:
		rd = strings.NewReader(string(b))
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+target, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// call is do for tests: it fails on transport errors and on an unexpected
// status, and decodes a JSON answer into out when out is not nil.
func (c *client) call(t *testing.T, method, target string, body any, want int, out any) []byte {
	t.Helper()
	status, b, err := c.do(t.Context(), method, target, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	if status != want {
		t.Fatalf("%s %s: status %d, want %d; body: %s", method, target, status, want, b)
	}
	if out != nil {
		decode(t, b, out)
	}
	return b
}

// rawBody is a request body sent as is, not encoded as JSON.
type rawBody string

// decode decodes a JSON answer or fails the test.
func decode(t *testing.T, b []byte, out any) {
	t.Helper()
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
}

// apiError is the contract's error shape.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// wantError checks that a request fails with status and the contract's error
// shape with code.
func (c *client) wantError(t *testing.T, method, target string, body any, status int, code string) {
	t.Helper()
	var e apiError
	c.call(t, method, target, body, status, &e)
	if e.Error.Code != code || e.Error.Message == "" {
		t.Errorf("%s %s: error %+v, want code %q and a message", method, target, e.Error, code)
	}
}

// Shapes of the contract's answers, as far as the tests look at them.
type (
	saveAnswer struct {
		Path   string `json:"path"`
		Rev    int    `json:"rev"`
		Merged bool   `json:"merged"`
	}
	pageAnswer struct {
		Path      string         `json:"path"`
		Namespace string         `json:"namespace"`
		Title     string         `json:"title"`
		Rev       int            `json:"rev"`
		Markdown  string         `json:"markdown"`
		HTML      string         `json:"html"`
		Meta      map[string]any `json:"meta"`
		Updated   time.Time      `json:"updated"`
		Author    string         `json:"author"`
	}
	revAnswer struct {
		Rev int `json:"rev"`
	}
	saveBody struct {
		Markdown string `json:"markdown"`
		Summary  string `json:"summary,omitempty"`
		BaseRev  int    `json:"base_rev"`
		Minor    bool   `json:"minor,omitempty"`
	}
)

type revisionEntry struct {
	Rev     int       `json:"rev"`
	Author  string    `json:"author"`
	Time    time.Time `json:"time"`
	Summary string    `json:"summary"`
	Minor   bool      `json:"minor"`
	Size    int       `json:"size"`
	Deleted bool      `json:"deleted"`
}

func history(t *testing.T, c *client, path string) []revisionEntry {
	t.Helper()
	var h struct {
		Revisions []revisionEntry `json:"revisions"`
	}
	c.call(t, http.MethodGet, "/api/history/"+path, nil, http.StatusOK, &h)
	return h.Revisions
}

func revNumbers(revs []revisionEntry) []int {
	out := make([]int, len(revs))
	for i, r := range revs {
		out[i] = r.Rev
	}
	return out
}

type changeEntry struct {
	Seq    uint64 `json:"seq"`
	Path   string `json:"path"`
	Rev    int    `json:"rev"`
	Kind   string `json:"kind"`
	Author string `json:"author"`
}

func changeLog(t *testing.T, c *client, query string) []changeEntry {
	t.Helper()
	var ch struct {
		Changes []changeEntry `json:"changes"`
	}
	c.call(t, http.MethodGet, "/api/changes?limit=500"+query, nil, http.StatusOK, &ch)
	return ch.Changes
}

// countDiffLines counts the added and removed lines of a unified diff,
// leaving out the ---/+++ file headers.
func countDiffLines(unified string) (added, removed int) {
	for line := range strings.SplitSeq(unified, "\n") {
		switch {
		case strings.HasPrefix(line, "+++ "), strings.HasPrefix(line, "--- "):
		case strings.HasPrefix(line, "+"):
			added++
		case strings.HasPrefix(line, "-"):
			removed++
		}
	}
	return added, removed
}
