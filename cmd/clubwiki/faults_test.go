package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/web"
)

// liveWiki is a data folder served as cmdServe serves it: the store, the
// search index with its follower (startSearch), the web handler on a real
// HTTP server.
type liveWiki struct {
	t     *testing.T
	data  string
	app   *app
	srv   *httptest.Server
	stop  func()
	token string // an admin's API token
	pw    string // the admin's password, on the first start
	log   *bytes.Buffer
}

// startWiki serves the data folder; token is the admin's API token from
// an earlier start ("" on the first one: an admin and a token are made).
func startWiki(t *testing.T, data, token string) *liveWiki {
	t.Helper()
	a, err := openApp(t.Context(), config{Data: data, MaxPageBytes: wiki.DefaultMaxPageBytes})
	if err != nil {
		t.Fatalf("openApp: %v", err)
	}
	w := &liveWiki{t: t, data: data, app: a, token: token, log: &bytes.Buffer{}}
	log := slog.New(slog.NewTextHandler(w.log, nil))
	if w.stop, err = a.startSearch(t.Context(), log); err != nil {
		a.Close()
		t.Fatalf("startSearch: %v", err)
	}
	if token == "" {
		if w.pw, err = a.svc.EnsureAdmin(t.Context()); err != nil {
			t.Fatal(err)
		}
		if w.token, _, err = a.svc.CreateToken(t.Context(), wiki.System(), "admin", "test"); err != nil {
			t.Fatal(err)
		}
	}
	w.srv = httptest.NewServer(web.New(a.svc, web.Options{Logger: log}))
	t.Cleanup(w.close)
	return w
}

// close stops serving and closes the data folder, as cmdServe does on
// SIGTERM; closing again does nothing.
func (w *liveWiki) close() {
	if w.srv == nil {
		return
	}
	w.srv.Close()
	w.stop()
	w.app.Close()
	w.srv = nil
}

// call sends an API request and decodes the JSON answer into out.
func (w *liveWiki) call(method, path string, body any, out any) int {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, w.srv.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+w.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && json.Unmarshal(raw, out) != nil {
		w.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

type apiError struct {
	Error struct{ Code, Message string } `json:"error"`
}

// save creates or replaces a page; it returns the status and the error.
func (w *liveWiki) save(path, md string) (int, apiError) {
	w.t.Helper()
	var head struct{ Rev int }
	if w.call("GET", "/api/pages/"+path, nil, &head) != http.StatusOK {
		head.Rev = 0
	}
	var e apiError
	status := w.call("PUT", "/api/pages/"+path, map[string]any{"markdown": md, "base_rev": head.Rev}, &e)
	return status, e
}

func (w *liveWiki) mustSave(path, md string) {
	w.t.Helper()
	if status, e := w.save(path, md); status != http.StatusOK && status != http.StatusCreated {
		w.t.Fatalf("saving %s: %d %+v", path, status, e)
	}
}

type searchAnswer struct {
	Total   int
	Partial bool
	Hits    []struct{ Path string }
}

func (a searchAnswer) paths() []string {
	var out []string
	for _, h := range a.Hits {
		out = append(out, h.Path)
	}
	slices.Sort(out)
	return out
}

// search asks GET /api/search and fails the test on any status but 200.
func (w *liveWiki) search(q string) searchAnswer {
	w.t.Helper()
	var a searchAnswer
	if status := w.call("GET", "/api/search?q="+url.QueryEscape(q), nil, &a); status != http.StatusOK {
		w.t.Fatalf("search %q: status %d\n%s", q, status, w.log)
	}
	return a
}

// waitSearch polls the search until cond holds (a generous bound: it
// only detects a hang).
func (w *liveWiki) waitSearch(q string, cond func(searchAnswer) bool) searchAnswer {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		a := w.search(q)
		if cond(a) {
			return a
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("search %q still answers %+v\n%s", q, a, w.log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestServe_RestoredBackup(t *testing.T) {
	data := t.TempDir()
	w := startWiki(t, data, "")
	w.mustSave("club/gardee", "# Gardée\n\nLe mot zorglub est là.\n")
	var backup bytes.Buffer
	req, _ := http.NewRequest("GET", w.srv.URL+"/api/backup", nil)
	req.Header.Set("Authorization", "Bearer "+w.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("backup: %v %v", resp, err)
	}
	_, _ = io.Copy(&backup, resp.Body)
	resp.Body.Close()
	for i := range 3 {
		w.mustSave(fmt.Sprintf("club/disparue-%d", i), "# Disparue\n\nLe mot zorglub aussi.\n")
	}
	w.waitSearch("zorglub", func(a searchAnswer) bool { return a.Total == 4 && !a.Partial })
	w.close()

	// Restore as the README says: the server stopped, the backup in place
	// of clubwiki.db, index/ kept.
	if err := os.WriteFile(filepath.Join(data, dbFile), backup.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	w = startWiki(t, data, w.token)
	got := w.search("zorglub")
	for _, p := range got.paths() {
		if strings.HasPrefix(p, "club/disparue") {
			t.Errorf("search finds %s, a page the restored store does not have", p)
		}
	}
	if !got.Partial && got.Total != 1 {
		t.Errorf("first search after the restore: %+v, not partial", got)
	}
	w.waitSearch("zorglub", func(a searchAnswer) bool { return !a.Partial })
	if got := w.search("zorglub").paths(); !slices.Equal(got, []string{"club/gardee"}) {
		t.Errorf("after the rebuild: %v, want club/gardee", got)
	}
	// Its change numbers are below those the old index had applied.
	w.mustSave("club/apres", "# Après\n\nLe mot zorglub, écrit après la restauration.\n")
	w.waitSearch("zorglub", func(a searchAnswer) bool { return a.Total == 2 })
	if !strings.Contains(w.log.String(), "ahead of the store") {
		t.Errorf("the log does not say why the index was rebuilt:\n%s", w.log)
	}
}

func TestServe_DamagedIndex(t *testing.T) {
	data := t.TempDir()
	w := startWiki(t, data, "")
	for i := range 30 {
		w.mustSave(fmt.Sprintf("assistance/page-%d", i), fmt.Sprintf("# Page %d\n\nLa messagerie xylophone, note %d.\n", i, i))
	}
	w.waitSearch("xylophone", func(a searchAnswer) bool { return a.Total == 30 && !a.Partial })
	w.close()
	// One segment, written by one batch: the damage below is where the
	// page texts are, which every search reads.
	mustRun(t, "", "reindex", "--data", data)

	files, _ := filepath.Glob(filepath.Join(data, indexDir, "store", "*.zap"))
	if len(files) == 0 {
		t.Fatal("no segment file")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 200 && i < len(b); i++ {
			b[i] ^= 0xff
		}
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w = startWiki(t, data, w.token)
	// search fails the test on a 500 (it answered 500 for ever).
	w.waitSearch("xylophone", func(a searchAnswer) bool { return a.Total == 30 && !a.Partial })
	w.waitSearch("", func(a searchAnswer) bool { return a.Total >= 30 && !a.Partial })
}
