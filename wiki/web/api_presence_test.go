package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

type presenceT struct {
	Editors []struct {
		Login   string `json:"login"`
		Name    string `json:"name"`
		Since   string `json:"since"`
		Unsaved bool   `json:"unsaved"`
	} `json:"editors"`
	HeadRev int `json:"head_rev"`
}

func TestServer_Presence(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{readRule: hideMarchesFrom("remi")})
	marie := e.user(context.Background(), "marie", wiki.RoleEditor)
	e.save("usages/cahier", "# Cahier\n\nUn.\n", 0, http.StatusCreated)
	e.save("marches/appel", "# Appel\n\nUn.\n", 0, http.StatusCreated)
	t.Run("others only", func(t *testing.T) {
		got := decode[presenceT](t, e.do("POST", "/api/presence/usages/cahier", e.editor, nil))
		if len(got.Editors) != 0 || got.HeadRev != 1 {
			t.Fatalf("first editor sees %+v", got)
		}
		got = decode[presenceT](t, e.do("POST", "/api/presence/Usages/Cahier", marie, map[string]any{"unsaved": true}))
		if len(got.Editors) != 1 || got.Editors[0].Login != "edith" || got.Editors[0].Name != "edith" || got.Editors[0].Since == "" {
			t.Fatalf("Marie sees %+v", got)
		}
		got = decode[presenceT](t, e.do("POST", "/api/presence/usages/cahier", e.editor, nil))
		if len(got.Editors) != 1 || got.Editors[0].Login != "marie" || !got.Editors[0].Unsaved {
			t.Fatalf("Edith sees %+v", got)
		}
	})
	t.Run("a save shows in the head revision", func(t *testing.T) {
		e.save("usages/cahier", "# Cahier\n\nDeux.\n", 1, http.StatusOK)
		if got := decode[presenceT](t, e.do("POST", "/api/presence/usages/cahier", marie, nil)); got.HeadRev != 2 {
			t.Fatalf("head_rev = %d", got.HeadRev)
		}
	})
	t.Run("leaving", func(t *testing.T) {
		wantStatusCode(t, e.do("POST", "/api/presence/usages/cahier", marie, map[string]any{"leaving": true}), http.StatusOK)
		if got := decode[presenceT](t, e.do("POST", "/api/presence/usages/cahier", e.editor, nil)); len(got.Editors) != 0 {
			t.Fatalf("Marie left but shows: %+v", got)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		wantError(t, e.do("POST", "/api/presence/marches/appel", e.reader, nil), http.StatusNotFound, "not_found")
		wantError(t, e.do("POST", "/api/presence/usages/cahier", e.editor, "{"), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("POST", "/api/presence/usages", e.editor, nil), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("POST", "/api/presence/usages/cahier", "", nil), http.StatusUnauthorized, "unauthenticated")
	})
}

func TestServer_EditorHelpers(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{readRule: hideMarchesFrom("remi")})
	e.save("usages/cahier", "# Cahier\n\n## Un\n\nUn.\n\n## Deux\n\nDeux.\n", 0, http.StatusCreated)
	e.save("usages/cahier", "# Cahier\n\n## Un\n\nUn, revu.\n\n## Deux\n\nDeux.\n", 1, http.StatusOK)
	t.Run("the word diff of a text", func(t *testing.T) {
		got := decode[struct {
			From  int           `json:"from"`
			Words []segmentJSON `json:"words"`
		}](t, e.do("POST", "/api/diff/usages/cahier", e.reader, map[string]any{"markdown": "# Cahier\n\n## Un\n\nUn, revu.\n\n## Deux\n\nTrois.\n"}))
		var plus string
		for _, s := range got.Words {
			if s.Op == "+" {
				plus += s.Text
			}
		}
		if got.From != 2 || plus != "Trois" {
			t.Fatalf("diff = %+v", got)
		}
	})
	t.Run("rebase", func(t *testing.T) {
		got := decode[rebasedJSON](t, e.do("POST", "/api/rebase/usages/cahier", e.editor, map[string]any{"markdown": "# Cahier\n\n## Un\n\nUn.\n\n## Deux\n\nTrois.\n", "base_rev": 1}))
		if got.Markdown != "# Cahier\n\n## Un\n\nUn, revu.\n\n## Deux\n\nTrois.\n" || got.HeadRev != 2 || got.Conflicts != 0 || !got.Changed {
			t.Fatalf("rebase = %+v", got)
		}
	})
	t.Run("a section saved from an older revision merges", func(t *testing.T) {
		rec := e.do("PUT", "/api/pages/usages/cahier", e.editor, map[string]any{"markdown": "## Deux\n\nDeux et demi.\n", "base_rev": 1, "section": 3})
		if got := decode[savedT](t, rec); got.Rev != 3 || got.Merged == nil || !*got.Merged {
			t.Fatalf("save = %+v", got)
		}
		got := decode[struct{ Markdown string }](t, e.do("GET", "/api/pages/usages/cahier", e.editor, nil))
		if got.Markdown != "# Cahier\n\n## Un\n\nUn, revu.\n\n## Deux\n\nDeux et demi.\n" {
			t.Fatalf("page = %q", got.Markdown)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		wantError(t, e.do("POST", "/api/diff/marches/x", e.reader, map[string]any{"markdown": "x"}), http.StatusNotFound, "not_found")
		wantError(t, e.do("POST", "/api/diff/usages/cahier", e.reader, map[string]any{"base_rev": 1}), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("POST", "/api/diff/usages/cahier", e.reader, map[string]any{"markdown": "x", "base_rev": 9}), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("POST", "/api/rebase/usages/cahier", e.editor, map[string]any{"markdown": "x", "base_rev": 9}), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("PUT", "/api/pages/usages/cahier", e.editor, map[string]any{"markdown": "x", "base_rev": 3, "section": 7}), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("PUT", "/api/pages/usages/cahier", e.editor, map[string]any{"markdown": "x", "base_rev": 3, "section": -1}), http.StatusBadRequest, "bad_request")
	})
}
