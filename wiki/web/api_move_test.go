package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

type moveT struct {
	Path  string `json:"path"`
	Moved []struct {
		From string `json:"from"`
		To   string `json:"to"`
		Rev  int    `json:"rev"`
	} `json:"moved"`
	Rewritten []string `json:"rewritten"`
}

func TestAPI_Move(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("usages/ancien", "# Ancien\n\nun", 0, http.StatusCreated)
	e.save("usages/ancien", "# Ancien\n\ndeux", 1, http.StatusOK)
	e.save("club/lien", "Voir [[usages/ancien|le guide « ancien »]] ici.", 0, http.StatusCreated)

	rec := e.do("POST", "/api/move/usages/ancien", e.editor, map[string]any{"to": "Portails/Nouveau Nom", "summary": "plus clair"})
	wantStatusCode(t, rec, http.StatusOK)
	got := decode[moveT](t, rec)
	if got.Path != "portails/nouveau-nom" || len(got.Moved) != 1 || got.Moved[0].Rev != 3 || !slices.Equal(got.Rewritten, []string{"club/lien"}) {
		t.Fatalf("move = %+v", got)
	}
	t.Run("history under the new path", func(t *testing.T) {
		h := e.history("portails/nouveau-nom")
		if len(h.Revisions) != 3 || h.Revisions[0].Summary != "plus clair" || h.Revisions[2].Rev != 1 {
			t.Fatalf("history = %+v", h)
		}
	})
	t.Run("the old path redirects with 308", func(t *testing.T) {
		for target, want := range map[string]string{
			"/api/pages/usages/ancien?rev=1": "/api/pages/portails/nouveau-nom?rev=1",
			"/api/history/usages/ancien":     "/api/history/portails/nouveau-nom",
		} {
			wantRedirect(t, e.do("GET", target, e.reader, nil), http.StatusPermanentRedirect, want)
		}
		rec := e.do("GET", "/api/pages/portails/nouveau-nom?rev=1", e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		if p := decode[pageT](t, rec); p.Markdown != "# Ancien\n\nun" {
			t.Fatalf("revision 1 = %+v", p)
		}
	})
	t.Run("an edit sent to the old path is redirected with its body", func(t *testing.T) {
		rec := e.do("PUT", "/api/pages/usages/ancien", e.editor, map[string]any{"markdown": "x", "base_rev": 3})
		wantRedirect(t, rec, http.StatusPermanentRedirect, "/api/pages/portails/nouveau-nom")
	})
	t.Run("links rewritten, labels kept", func(t *testing.T) {
		rec := e.do("GET", "/api/pages/club/lien", e.reader, nil)
		if p := decode[pageT](t, rec); p.Markdown != "Voir [[portails/nouveau-nom|le guide « ancien »]] ici." || p.Rev != 2 {
			t.Fatalf("club/lien = %+v", p)
		}
	})
	t.Run("kind move in the changes", func(t *testing.T) {
		c := decode[changeSeqsT](t, e.do("GET", "/api/changes?limit=2", e.reader, nil))
		if len(c.Changes) != 2 || c.Changes[1].Kind != "move" || c.Changes[1].Path != "portails/nouveau-nom" || c.Changes[0].Kind != "edit" {
			t.Fatalf("changes = %+v", c)
		}
	})
	t.Run("onto an existing page", func(t *testing.T) {
		rec := e.do("POST", "/api/move/portails/nouveau-nom", e.editor, map[string]any{"to": "club/lien"})
		if ae := wantError(t, rec, http.StatusConflict, "exists"); ae.Error.Reason != "page_exists" {
			t.Fatalf("reason = %q", ae.Error.Reason)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		wantError(t, e.do("POST", "/api/move/portails/nouveau-nom", e.reader, map[string]any{"to": "club/x"}), http.StatusForbidden, "forbidden")
		wantError(t, e.do("POST", "/api/move/club/absente", e.editor, map[string]any{"to": "club/x"}), http.StatusNotFound, "not_found")
		wantError(t, e.do("POST", "/api/move/portails/nouveau-nom", e.editor, map[string]any{"to": "inconnu/x"}), http.StatusBadRequest, "bad_request")
	})
}

func TestUI_MoveRedirects(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	ctx := context.Background()
	e.save("usages/ancien", "# Ancien\n\nun", 0, http.StatusCreated)
	if _, err := e.svc.Move(ctx, wiki.System(), wiki.MoveRequest{From: wiki.MustPath("usages/ancien"), To: wiki.MustPath("club/nouveau")}); err != nil {
		t.Fatal(err)
	}
	e.user(ctx, "ines", wiki.RoleEditor)
	b := e.signIn("ines")
	wantRedirect(t, b.get("/wiki/usages/ancien"), http.StatusMovedPermanently, "/wiki/club/nouveau")
	wantRedirect(t, b.get("/wiki/usages/ancien?rev=1"), http.StatusMovedPermanently, "/wiki/club/nouveau?rev=1")
	wantRedirect(t, b.get("/history/usages/ancien"), http.StatusMovedPermanently, "/history/club/nouveau")
	wantRedirect(t, b.get("/backlinks/usages/ancien"), http.StatusMovedPermanently, "/backlinks/club/nouveau")
	// A page nobody created yet keeps its backlinks: only a moved one redirects.
	if res := b.get("/backlinks/usages/pas-encore-creee"); res.Code != http.StatusOK {
		t.Errorf("backlinks of a page never created: %d, want 200", res.Code)
	}
	doc := page(t, b.get("/history/club/nouveau"), http.StatusOK)
	if !strings.Contains(doc.Text(), "Page déplacée") {
		t.Fatalf("the history does not show the move")
	}
}
