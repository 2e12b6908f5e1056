package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestServer_Healthz(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	t.Run("ok without authentication", func(t *testing.T) {
		rec := e.do("GET", "/healthz", "", nil)
		wantStatusCode(t, rec, http.StatusOK)
		if got := rec.Body.String(); got != "ok" {
			t.Errorf("body = %q, want ok", got)
		}
	})
	t.Run("store down", func(t *testing.T) {
		down := newTestEnvWith(t, envOptions{wrapStore: func(s wiki.Store) wiki.Store { return &failingStore{Store: s} }})
		down.failing().failNamespaces = true
		rec := down.do("GET", "/healthz", "", nil)
		wantStatusCode(t, rec, http.StatusServiceUnavailable)
		if strings.Contains(rec.Body.String(), "disk on fire") {
			t.Errorf("health check leaks the Go error: %q", rec.Body.String())
		}
	})
}

func TestServer_SecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("club/entete", "# En-têtes\n", 0, http.StatusCreated)
	cases := []struct{ name, method, target, token string }{
		{"page read", "GET", "/api/pages/club/entete", e.editor},
		{"error", "GET", "/api/pages/club/absente", e.editor},
		{"unauthenticated", "GET", "/api/namespaces", ""},
		{"health", "GET", "/healthz", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := e.do(c.method, c.target, c.token, nil).Header()
			want := map[string]string{
				"X-Content-Type-Options":  "nosniff",
				"X-Frame-Options":         "DENY",
				"Referrer-Policy":         "same-origin",
				"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
			}
			for k, v := range want {
				if got := h.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if cc := h.Get("Cache-Control"); cc != "no-store" && cc != "private, no-cache" {
				t.Errorf("Cache-Control = %q", cc)
			}
		})
	}
}

func TestServer_Auth(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	routes := []struct{ method, target string }{
		{"GET", "/api/namespaces"},
		{"GET", "/api/pages"},
		{"GET", "/api/pages/club/accueil"},
		{"PUT", "/api/pages/club/x"},
		{"DELETE", "/api/pages/club/x"},
		{"GET", "/api/history/club/x"},
		{"GET", "/api/diff/club/x"},
		{"POST", "/api/revert/club/x"},
		{"POST", "/api/move/club/x"},
		{"GET", "/api/backlinks/club/x"},
		{"GET", "/api/changes"},
		{"POST", "/api/preview"},
		{"GET", "/api/nowhere"},
	}
	t.Run("missing token", func(t *testing.T) {
		for _, rt := range routes {
			rec := e.do(rt.method, rt.target, "", `{"markdown":"x"}`)
			wantError(t, rec, http.StatusUnauthorized, "unauthenticated")
			if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s: WWW-Authenticate = %q", rt.method, rt.target, rec.Header().Get("WWW-Authenticate"))
			}
		}
	})
	t.Run("invalid token", func(t *testing.T) {
		for _, tok := range []string{"cw_nope", "nope", e.editor + "x"} {
			wantError(t, e.do("GET", "/api/namespaces", tok, nil), http.StatusUnauthorized, "unauthenticated")
		}
	})
	t.Run("other scheme", func(t *testing.T) {
		r := newRequest("GET", "/api/namespaces", nil)
		r.Header.Set("Authorization", "Basic ZWRpdGg6eA==")
		wantError(t, serve(e.srv, r), http.StatusUnauthorized, "unauthenticated")
	})
	e.save("club/accueil", "# Accueil\n", 0, http.StatusCreated)
	t.Run("reader may read", func(t *testing.T) {
		wantStatusCode(t, e.do("GET", "/api/pages/club/accueil", e.reader, nil), http.StatusOK)
	})
	t.Run("reader may not write", func(t *testing.T) {
		wantError(t, e.do("PUT", "/api/pages/club/lecteur", e.reader, `{"markdown":"non"}`), http.StatusForbidden, "forbidden")
		wantError(t, e.do("DELETE", "/api/pages/club/accueil", e.reader, nil), http.StatusForbidden, "forbidden")
		wantError(t, e.do("POST", "/api/revert/club/accueil", e.reader, `{"rev":1}`), http.StatusForbidden, "forbidden")
	})
}

func TestServer_UnknownRoutes(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	t.Run("no such endpoint", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/nowhere", e.editor, nil), http.StatusNotFound, "not_found")
	})
	t.Run("search without an index", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/search?q=ent", e.editor, nil), http.StatusNotFound, "not_found")
	})
	t.Run("wrong method", func(t *testing.T) {
		rec := e.do("POST", "/api/pages/club/accueil", e.editor, `{}`)
		wantError(t, rec, http.StatusMethodNotAllowed, "method_not_allowed")
		if allow := rec.Header().Get("Allow"); allow != "GET, PUT, DELETE, HEAD" {
			t.Errorf("Allow = %q", allow)
		}
	})
	t.Run("move without a destination", func(t *testing.T) {
		wantError(t, e.do("POST", "/api/move/club/accueil", e.editor, `{}`), http.StatusBadRequest, "bad_request")
	})
}

func TestServer_Panic(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.srv.mux.Handle("GET /api/boom", e.srv.api.handle(func(http.ResponseWriter, *http.Request, *wiki.User) error {
		panic("boom secret detail")
	}))
	rec := e.do("GET", "/api/boom", e.editor, nil)
	ae := wantError(t, rec, http.StatusInternalServerError, "internal")
	if ae.Error.Message != "internal error" || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("panic leaks into the answer: %s", rec.Body.String())
	}
	if !strings.Contains(e.logs.String(), "boom secret detail") {
		t.Errorf("panic not logged; log: %s", e.logs.String())
	}
}

func TestServer_InternalError(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{wrapStore: func(s wiki.Store) wiki.Store { return &failingStore{Store: s} }})
	e.failing().failHead = true
	rec := e.do("GET", "/api/pages/club/accueil", e.editor, nil)
	ae := wantError(t, rec, http.StatusInternalServerError, "internal")
	if strings.Contains(rec.Body.String(), "disk on fire") || ae.Error.Message != "internal error" {
		t.Errorf("Go error string reaches the client: %s", rec.Body.String())
	}
	logs := e.logs.String()
	for _, want := range []string{"disk on fire", "method=GET", "path=/api/pages/club/accueil"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q: %s", want, logs)
		}
	}
	t.Run("client errors are not logged", func(t *testing.T) {
		before := e.logs.String()
		e.do("GET", "/api/pages/nope", e.editor, nil)
		if e.logs.String() != before {
			t.Errorf("a 400 was logged: %s", e.logs.String())
		}
	})
}

// failingStore makes chosen store calls fail, to reach the 500 paths.
type failingStore struct {
	wiki.Store
	failHead       bool
	failNamespaces bool
}

var errDisk = errors.New("disk on fire")

func (f *failingStore) Head(ctx context.Context, p wiki.Path) (wiki.Head, error) {
	if f.failHead {
		return wiki.Head{}, errDisk
	}
	return f.Store.Head(ctx, p)
}

func (f *failingStore) Namespaces(ctx context.Context) ([]wiki.Namespace, error) {
	if f.failNamespaces {
		return nil, errDisk
	}
	return f.Store.Namespaces(ctx)
}

func (e *testEnv) failing() *failingStore {
	return e.store.(*failingStore)
}

func TestServer_RequestLog(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	e := newTestEnvWith(t, envOptions{server: Options{
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}})
	wantStatusCode(t, e.do("GET", "/api/pages/club/rien", e.editor, nil), http.StatusNotFound)
	line := logs.String()
	for _, want := range []string{"level=DEBUG", "msg=request", "method=GET", "path=/api/pages/club/rien", "status=404"} {
		if !strings.Contains(line, want) {
			t.Errorf("request log lacks %q: %s", want, line)
		}
	}
	if strings.Contains(line, e.editor) {
		t.Errorf("the token reached the log")
	}
}

func TestServer_ConcurrentReadsAndWrites(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("club/agenda", "Version 1.\n", 0, http.StatusCreated)
	var wg sync.WaitGroup
	wg.Go(func() { // the one writer: revision N always says "Version N."
		for rev := 1; rev < 15; rev++ {
			rec := e.do("PUT", "/api/pages/club/agenda", e.editor, map[string]any{"markdown": fmt.Sprintf("Version %d.\n", rev+1), "base_rev": rev})
			if rec.Code != http.StatusOK {
				t.Errorf("save: %d %s", rec.Code, rec.Body.String())
				return
			}
		}
	})
	for range 6 {
		wg.Go(func() {
			for range 40 {
				rec := e.do("GET", "/api/pages/club/agenda", e.reader, nil)
				var p pageT
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusOK || p.Markdown != fmt.Sprintf("Version %d.\n", p.Rev) {
					t.Errorf("inconsistent answer %d: %s", rec.Code, rec.Body.String())
					return
				}
			}
		})
	}
	wg.Wait()
	if p := decode[pageT](t, e.do("GET", "/api/pages/club/agenda", e.reader, nil)); p.Rev != 15 {
		t.Errorf("final rev = %d", p.Rev)
	}
}
