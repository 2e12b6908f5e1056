package web

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

type draftT struct {
	Path     string  `json:"path"`
	Markdown *string `json:"markdown"`
	BaseRev  int     `json:"base_rev"`
	Saved    string  `json:"saved"`
}

func TestServer_Drafts(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{readRule: hideMarchesFrom("remi")})
	marie := e.user(context.Background(), "marie", wiki.RoleEditor)
	e.save("usages/cahier", "# Cahier\n\nUn.\n", 0, http.StatusCreated)
	t.Run("kept and read back by its member", func(t *testing.T) {
		put := decode[draftT](t, e.do("PUT", "/api/drafts/Usages/Cahier", e.editor, map[string]any{"markdown": "# Cahier\n\nUn, deux.\n", "base_rev": 1}))
		if put.Path != "usages/cahier" || put.BaseRev != 1 || put.Saved == "" || put.Markdown != nil {
			t.Fatalf("PUT = %+v", put)
		}
		got := decode[draftT](t, e.do("GET", "/api/drafts/usages/cahier", e.editor, nil))
		if got.Markdown == nil || *got.Markdown != "# Cahier\n\nUn, deux.\n" || got.BaseRev != 1 || got.Saved != put.Saved {
			t.Fatalf("GET = %+v", got)
		}
	})
	t.Run("never shown to another member", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/drafts/usages/cahier", marie, nil), http.StatusNotFound, "not_found")
		wantError(t, e.do("GET", "/api/drafts/usages/cahier", e.reader, nil), http.StatusNotFound, "not_found")
		wantStatusCode(t, e.do("DELETE", "/api/drafts/usages/cahier", marie, nil), http.StatusOK)
		wantStatusCode(t, e.do("GET", "/api/drafts/usages/cahier", e.editor, nil), http.StatusOK)
		if l := decode[struct{ Drafts []draftT }](t, e.do("GET", "/api/drafts", marie, nil)); len(l.Drafts) != 0 {
			t.Fatalf("Marie lists %+v", l.Drafts)
		}
		if l := decode[struct{ Drafts []draftT }](t, e.do("GET", "/api/drafts", e.editor, nil)); len(l.Drafts) != 1 || l.Drafts[0].Path != "usages/cahier" || l.Drafts[0].Markdown != nil {
			t.Fatalf("Edith lists %+v", l.Drafts)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		for name, c := range map[string]struct {
			method, target, token string
			body                  any
			status                int
			code                  string
		}{
			"no markdown":      {"PUT", "/api/drafts/usages/cahier", e.editor, map[string]any{"base_rev": 1}, 400, "bad_request"},
			"not json":         {"PUT", "/api/drafts/usages/cahier", e.editor, "{", 400, "bad_request"},
			"negative base":    {"PUT", "/api/drafts/usages/cahier", e.editor, map[string]any{"markdown": "x", "base_rev": -1}, 400, "bad_request"},
			"control char":     {"PUT", "/api/drafts/usages/cahier", e.editor, map[string]any{"markdown": "x\x00", "base_rev": 1}, 400, "bad_request"},
			"too large":        {"PUT", "/api/drafts/usages/cahier", e.editor, map[string]any{"markdown": strings.Repeat("é", wiki.DefaultMaxPageBytes/2+1)}, 413, "too_large"},
			"reader":           {"PUT", "/api/drafts/usages/cahier", e.reader, map[string]any{"markdown": "x"}, 403, "forbidden"},
			"bad path":         {"PUT", "/api/drafts/inconnu/x", e.editor, map[string]any{"markdown": "x"}, 400, "bad_request"},
			"anonymous":        {"GET", "/api/drafts/usages/cahier", "", nil, 401, "unauthenticated"},
			"hidden namespace": {"PUT", "/api/drafts/marches/appel", e.reader, map[string]any{"markdown": "x"}, 404, "not_found"},
		} {
			t.Run(name, func(t *testing.T) {
				wantError(t, e.do(c.method, c.target, c.token, c.body), c.status, c.code)
			})
		}
		got := decode[draftT](t, e.do("GET", "/api/drafts/usages/cahier", e.editor, nil))
		if *got.Markdown != "# Cahier\n\nUn, deux.\n" {
			t.Fatalf("a refused PUT changed the draft: %q", *got.Markdown)
		}
	})
	t.Run("a successful save drops it", func(t *testing.T) {
		wantStatusCode(t, e.do("PUT", "/api/drafts/usages/cahier", marie, map[string]any{"markdown": "# Cahier\n\nMarie.\n", "base_rev": 1}), http.StatusOK)
		e.save("usages/cahier", "# Cahier\n\nUn, deux.\n", 1, http.StatusOK)
		wantError(t, e.do("GET", "/api/drafts/usages/cahier", e.editor, nil), http.StatusNotFound, "not_found")
		wantStatusCode(t, e.do("GET", "/api/drafts/usages/cahier", marie, nil), http.StatusOK)
	})
	t.Run("deleted", func(t *testing.T) {
		wantStatusCode(t, e.do("DELETE", "/api/drafts/usages/cahier", marie, nil), http.StatusOK)
		wantError(t, e.do("GET", "/api/drafts/usages/cahier", marie, nil), http.StatusNotFound, "not_found")
	})
}

// TestServer_DraftsRestart keeps a draft through a restart: the server
// stops, its bbolt file is closed and opened again by a new server.
func TestServer_DraftsRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "wiki.db")
	ctx := context.Background()
	start := func() (*store.DB, *Server, string) {
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		svc := wiki.NewService(db, render.New(render.Options{}), textdiff.New(), wiki.Config{BcryptCost: 4})
		if err := svc.Init(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.User(ctx, "edith"); err != nil {
			if _, err := svc.CreateUser(ctx, wiki.NewUser{Login: "edith", Role: wiki.RoleEditor, Password: "mot-de-passe-solide"}); err != nil {
				t.Fatal(err)
			}
		}
		tok, _, err := svc.CreateToken(ctx, wiki.System(), "edith", "tests")
		if err != nil {
			t.Fatal(err)
		}
		return db, New(svc, Options{}), tok
	}
	db, srv, tok := start()
	req := newRequest("PUT", "/api/drafts/usages/neuf", strings.NewReader(`{"markdown":"# Neuf\n\nÀ l’école.\n","base_rev":0}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	wantStatusCode(t, serve(srv, req), http.StatusOK)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, srv, tok = start()
	defer db.Close()
	req = newRequest("GET", "/api/drafts/usages/neuf", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	got := decode[draftT](t, serve(srv, req))
	if got.Markdown == nil || *got.Markdown != "# Neuf\n\nÀ l’école.\n" {
		t.Fatalf("after the restart: %+v", got)
	}
}
